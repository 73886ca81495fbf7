#!/usr/bin/env python3
"""Rewrites, in place, the releases of charts kept in git repositories of
a tree so that check-chart-values can check their values: the offline
chart reference knows a chart by name and version, while a Flux
HelmRelease of a GitRepository names it by its path (and the tag is the
GitRepository's), and an Argo CD source by `path` and `targetRevision`.
Prints the number of releases rewritten, as CHART@VERSION lines."""
import os
import sys

import yaml


def flux(path, doc, done):
    spec = doc["spec"]["chart"]["spec"]
    if spec.get("sourceRef", {}).get("kind") != "GitRepository":
        return False
    repo = os.path.join(os.path.dirname(path), "gitrepository-%s.yaml" % spec["sourceRef"]["name"])
    with open(repo) as f:
        tag = yaml.safe_load(f)["spec"]["ref"]["tag"]
    spec["chart"] = os.path.basename(spec["chart"].rstrip("/"))
    spec["version"] = tag
    done.append("%s@%s" % (spec["chart"], tag))
    return True


def argo(doc, done):
    changed = False
    for src in doc["spec"].get("sources", []):
        if "helm" in src and "path" in src:
            src["chart"] = os.path.basename(src.pop("path").rstrip("/"))
            done.append("%s@%s" % (src["chart"], src["targetRevision"]))
            changed = True
    return changed


def main(root):
    done = []
    for top, dirs, files in os.walk(root):
        for name in files:
            if not name.endswith(".yaml"):
                continue
            path = os.path.join(top, name)
            with open(path) as f:
                doc = yaml.safe_load(f)
            kind = doc.get("kind") if isinstance(doc, dict) else None
            if (kind == "HelmRelease" and flux(path, doc, done)) or (kind == "Application" and argo(doc, done)):
                with open(path, "w") as f:
                    yaml.safe_dump(doc, f, sort_keys=False)
    for d in sorted(done):
        print(d)


if __name__ == "__main__":
    main(sys.argv[1])
