#!/usr/bin/env python3
"""apiserver_config.py DIR MINOR ISSUER CLIENT — checks the API server's
configuration a tree gives the operator (bootstrap/kube-apiserver of a
site's tree) against what Kubernetes 1.MINOR reads: a structured
AuthenticationConfiguration from 1.30 (v1beta1, v1 from 1.34) named by
--authentication-config, the --oidc-* flags before; kubeadm's v1beta4
(flags as a list) from 1.31, v1beta3 (a map) before. Prints what differs
and exits 1, or exits 0."""
import os
import sys

import yaml


def main():
    d, minor, issuer, client = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    errors = []

    def want(cond, what):
        if not cond:
            errors.append(what)

    with open(os.path.join(d, "cluster-configuration.yaml")) as f:
        cluster = yaml.safe_load(f)
    kubeadm = "kubeadm.k8s.io/v1beta4" if minor >= 31 else "kubeadm.k8s.io/v1beta3"
    want(cluster.get("apiVersion") == kubeadm, f"ClusterConfiguration is not {kubeadm}")
    want(cluster.get("kind") == "ClusterConfiguration", "not a ClusterConfiguration")
    raw = cluster["apiServer"]["extraArgs"]
    if minor >= 31:
        want(isinstance(raw, list), "v1beta4 extraArgs are not a list")
        args = {a["name"]: a["value"] for a in raw}
    else:
        want(isinstance(raw, dict), "v1beta3 extraArgs are not a map")
        args = dict(raw)
    want(args.get("feature-gates") == "CrossNamespaceVolumeDataSource=true",
         "the API server lacks the CrossNamespaceVolumeDataSource gate")
    authn_path = os.path.join(d, "authentication-config.yaml")
    if minor >= 30:
        want(not any(k.startswith("oidc-") for k in args), "--oidc-* flags beside the structured file")
        path = args.get("authentication-config")
        want(path is not None, "no --authentication-config")
        mounts = [v["mountPath"] for v in cluster["apiServer"].get("extraVolumes", [])]
        want(path is not None and os.path.dirname(path) in mounts,
             "the configuration's directory is not mounted into the API server")
        with open(authn_path) as f:
            authn = yaml.safe_load(f)
        api = "apiserver.config.k8s.io/v1" if minor >= 34 else "apiserver.config.k8s.io/v1beta1"
        want(authn.get("apiVersion") == api, f"AuthenticationConfiguration is not {api}")
        jwt = authn["jwt"]
        want(len(jwt) == 1, "not one JWT issuer")
        j = jwt[0]
        want(j["issuer"]["url"] == issuer, "issuer url")
        want(j["issuer"]["audiences"] == [client], "audiences")
        m = j["claimMappings"]
        want(m["username"] == {"claim": "preferred_username", "prefix": ""}, "username mapping")
        want(m["groups"] == {"claim": "groups", "prefix": "kubernetes:"}, "groups mapping")
    else:
        want(not os.path.exists(authn_path), "a structured file for a cluster that reads flags")
        for k, v in [("oidc-issuer-url", issuer), ("oidc-client-id", client),
                     ("oidc-username-claim", "preferred_username"), ("oidc-username-prefix", "-"),
                     ("oidc-groups-claim", "groups"), ("oidc-groups-prefix", "kubernetes:")]:
            want(args.get(k) == v, f"--{k} is {args.get(k)!r}, not {v!r}")
    for e in errors:
        print(f"{d}: {e}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
