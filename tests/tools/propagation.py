#!/usr/bin/env python3
"""propagation.py TREE SECRET... -- does a tenant namespace get these Secrets?

Plays the part of the CrownLabs v0.15.0 operator and of Kyverno, offline:
a tenant namespace is labelled as forge/namespace.go labels it at that
tag; every Kyverno ClusterPolicy of TREE is matched against it, and each
SECRET must be generated into it by a rule that clones an original the
tree itself provides (a SealedSecret, or the secretName of a cert-manager
Certificate). A workspace namespace must get none of them. Exit 0 when
all hold; otherwise one line per problem on stdout and exit 1.
"""
import os
import sys

import yaml

# What the v0.15.0 operator puts on a tenant namespace (forge/namespace.go
# ConfigureTenantNamespace, plus the operator's target label and the
# managed-by label of forge/tenant.go), and on a workspace namespace.
TENANT_NS = {
    "name": "tenant-s300001",
    "labels": {
        "crownlabs.polito.it/operator-selector": "production",
        "crownlabs.polito.it/managed-by": "tenant",
        "crownlabs.polito.it/type": "tenant",
        "crownlabs.polito.it/name": "s300001",
        "crownlabs.polito.it/instance-resources-replication": "true",
    },
}
WORKSPACE_NS = {
    "name": "workspace-netlab",
    "labels": {
        "crownlabs.polito.it/operator-selector": "production",
        "crownlabs.polito.it/type": "workspace",
    },
}


def documents(tree):
    for root, dirs, files in os.walk(tree):
        dirs[:] = sorted(d for d in dirs if d != "bootstrap")
        for f in sorted(files):
            if f.endswith(".yaml") and f != "kustomization.yaml":
                with open(os.path.join(root, f)) as fh:
                    for d in yaml.safe_load_all(fh):
                        if isinstance(d, dict):
                            yield d


def selector_matches(sel, labels):
    for k, v in (sel.get("matchLabels") or {}).items():
        if labels.get(k) != v:
            return False
    for e in sel.get("matchExpressions") or []:
        key, op, vals = e["key"], e["operator"], e.get("values") or []
        if op == "In" and labels.get(key) not in vals:
            return False
        if op == "NotIn" and labels.get(key) in vals:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


def filter_matches(f, ns):
    r = f.get("resources") or {}
    if "Namespace" not in (r.get("kinds") or []):
        return False
    if r.get("names") and ns["name"] not in r["names"]:
        return False
    sel = r.get("selector")
    return sel is None or selector_matches(sel, ns["labels"])


def rule_matches(rule, ns):
    m = rule.get("match") or {}
    if "any" in m and not any(filter_matches(f, ns) for f in m["any"]):
        return False
    if "all" in m and not all(filter_matches(f, ns) for f in m["all"]):
        return False
    if "resources" in m and not filter_matches(m, ns):
        return False
    ex = rule.get("exclude") or {}
    if "any" in ex and any(filter_matches(f, ns) for f in ex["any"]):
        return False
    return bool(m)


def generated(policies, ns):
    """(namespace, name) -> clone source of every Secret generated into ns."""
    out = {}
    for p in policies:
        for rule in p.get("spec", {}).get("rules", []):
            g = rule.get("generate")
            if not g or g.get("kind") != "Secret" or not rule_matches(rule, ns):
                continue
            target = g.get("namespace", "").replace("{{request.object.metadata.name}}", ns["name"])
            c = g.get("clone") or {}
            out[(target, g.get("name"))] = (c.get("namespace"), c.get("name"), g)
    return out


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    tree, wanted = sys.argv[1], sys.argv[2:]
    docs = list(documents(tree))
    policies = [d for d in docs if d.get("kind") == "ClusterPolicy"]
    originals = set()
    for d in docs:
        md = d.get("metadata", {})
        if d.get("kind") == "SealedSecret":
            originals.add((md.get("namespace"), md.get("name")))
        if d.get("kind") == "Certificate":
            originals.add((md.get("namespace"), d.get("spec", {}).get("secretName")))
    problems = []
    got = generated(policies, TENANT_NS)
    for name in wanted:
        src = got.get((TENANT_NS["name"], name))
        if not src:
            problems.append("%s: no rule generates Secret %s in %s" % (tree, name, TENANT_NS["name"]))
            continue
        ns, n, g = src
        if (ns, n) not in originals:
            problems.append("%s: %s is cloned from %s/%s, which the tree does not provide"
                            % (tree, name, ns, n))
        if g.get("synchronize") is not True:
            problems.append("%s: the copy of %s is not kept in step (synchronize)" % (tree, name))
        if g.get("generateExisting") is not True:
            problems.append("%s: namespaces that exist already do not get %s" % (tree, name))
    for key in generated(policies, WORKSPACE_NS):
        problems.append("%s: a workspace namespace gets %s/%s too" % (tree, key[0], key[1]))
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
