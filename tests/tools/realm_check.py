#!/usr/bin/env python3
"""realm_check.py TREE UNSEALED — checks the realm a Flux tree applies to its
Keycloak (the ConfigMap keycloak-realm-*, read by keycloak-config-cli)
against what the rest of the tree expects of it, and the clients' secrets
against their consumers.

TREE is a site's tree (golden/flux/SITE); UNSEALED the output of
`unseal.py tree` over it (FILE, PLACE, VALUE-AS-HEX per line). Checks:
the login client is public, PKCE, redirects to the dashboard's host only,
carries the groups claim twice (as is and prefixed); the operator's client
is the one the CrownLabs values name, a service account with the
realm-management roles the operator uses; user-instances redirects to the
callback of the instancesAuthUrl oauth2-proxy serves, with its audience;
every confidential client's secret is `$(env:NAME)` of the Job's Secret,
whose sealed value equals its consumer's (the operator's chart value,
oauth2-proxy's Secret). Prints each problem; exits 1 if any."""
import glob
import os
import sys

import yaml

OPERATOR_ROLES = {"manage-users", "query-clients", "view-clients", "manage-clients",
                  "view-events", "manage-events"}


def load(path):
    with open(path) as f:
        return yaml.safe_load(f)


def one(tree, pattern):
    found = glob.glob(os.path.join(tree, pattern))
    if len(found) != 1:
        raise SystemExit(f"{tree}: {len(found)} files match {pattern}")
    return found[0]


def main():
    tree, unsealed = sys.argv[1], sys.argv[2]
    errors = []

    def want(cond, what):
        if not cond:
            errors.append(what)

    sealed = {}
    with open(unsealed) as f:
        for line in f:
            _, place, hexval = line.rstrip("\n").split("\t")
            sealed[place] = bytes.fromhex(hexval).decode()

    cm = load(one(tree, "crownlabs/keycloak-realm/keycloak/configmap-keycloak-realm-*.yaml"))
    realm = yaml.safe_load(cm["data"]["realm.yaml"])
    job = load(one(tree, "crownlabs/keycloak-realm/keycloak/job-keycloak-realm-*.yaml"))
    values = load(one(tree, "crownlabs/crownlabs/crownlabs-production/helmrelease-crownlabs.yaml"))
    values = values["spec"]["values"]
    proxy = load(one(tree, "crownlabs/oauth2-proxy/crownlabs-production/helmrelease-oauth2-proxy.yaml"))
    proxy = proxy["spec"]["values"]

    oidc = values["frontend-app"]["configuration"]["oidc"]
    main_host = values["frontend-app"]["ingress"]["hostname"]
    kc = values["operator"]["configurations"]["keycloak"]
    auth_url = values["instance-operator"]["configurations"]["generic"]["instancesAuthUrl"]
    want(realm["realm"] == oidc["realm"] == kc["realm"], "the realm is not the one CrownLabs logs in to")
    issuer = f"{oidc['providerUrl']}realms/{realm['realm']}"
    want(proxy["extraArgs"]["oidc-issuer-url"] == issuer, "oauth2-proxy trusts another issuer")

    clients = {c["clientId"]: c for c in realm["clients"]}
    scopes = {s["name"]: s for s in realm["clientScopes"]}

    login = clients.get(oidc["clientId"])
    want(login is not None, f"no client {oidc['clientId']} for the dashboard")
    if login:
        want(login["publicClient"] is True, "the login client is not public")
        want(login["attributes"].get("pkce.code.challenge.method") == "S256", "the login client lacks PKCE")
        want(login["redirectUris"] == [f"https://{main_host}/*"], f"login redirects {login['redirectUris']}")
        want({"api", "groups"} <= set(login["defaultClientScopes"]), "the login client lacks api or groups")
        want(kc["rolesClientId"] == login["clientId"], "the operator's roles are not the login client's")
    mappers = scopes.get("groups", {}).get("protocolMappers", [])
    prefixes = sorted(m["config"].get("usermodel.clientRoleMapping.rolePrefix", "") for m in mappers
                      if m["protocolMapper"] == "oidc-usermodel-client-role-mapper"
                      and m["config"]["usermodel.clientRoleMapping.clientId"] == oidc["clientId"]
                      and m["config"]["claim.name"] == "groups"
                      and m["config"]["id.token.claim"] == "true")
    want(prefixes == ["", "kubernetes:"], f"the groups claim's role mappers have prefixes {prefixes}")
    roles = realm["roles"]["client"].get(oidc["clientId"], [])
    want([r["name"] for r in roles] == ["admin"], "the realm owns roles besides admin on the login client")

    op = clients.get(kc["clientId"])
    want(op is not None, f"no client {kc['clientId']} for the operator")
    if op:
        want(op["publicClient"] is False and op["serviceAccountsEnabled"] is True,
             "the operator's client is not a confidential service account")
        users = [u for u in realm["users"] if u.get("serviceAccountClientId") == kc["clientId"]]
        got = set(users[0]["clientRoles"]["realm-management"]) if users else set()
        want(OPERATOR_ROLES <= got, f"the operator's service account lacks {sorted(OPERATOR_ROLES - got)}")

    inst = clients.get("user-instances")
    want(inst is not None, "no client user-instances")
    if inst:
        want(inst["redirectUris"] == [f"{auth_url}/callback"], f"user-instances redirects {inst['redirectUris']}")
        want(proxy["extraArgs"]["redirect-url"] == f"{auth_url}/callback", "oauth2-proxy's redirect differs")
        want(f"https://{main_host}{proxy['extraArgs']['proxy-prefix']}" == auth_url,
             "oauth2-proxy does not answer at instancesAuthUrl")
        aud = [m for m in inst["protocolMappers"] if m["protocolMapper"] == "oidc-audience-mapper"]
        want(len(aud) == 1 and aud[0]["config"]["included.client.audience"] == "user-instances",
             "user-instances lacks its audience mapper")

    # Secrets: the realm's placeholders, the Job's Secret, the consumers.
    env_from = [e["secretRef"]["name"] for c in job["spec"]["template"]["spec"]["initContainers"]
                for e in c.get("envFrom", [])]
    want(env_from == ["keycloak-realm-secrets"], f"the realm's Job reads {env_from}")
    job_cm = [v["configMap"]["name"] for v in job["spec"]["template"]["spec"]["volumes"] if "configMap" in v]
    want(job_cm == [cm["metadata"]["name"]] == [job["metadata"]["name"]],
         "the Job does not apply the ConfigMap of its own version")

    def secret_of(client):
        s = client.get("secret") or ""
        if not (s.startswith("$(env:") and s.endswith(")")):
            errors.append(f"client {client['clientId']}'s secret is not a variable of the Job")
            return None
        place = f"keycloak-realm keycloak/keycloak-realm-secrets {s[6:-1]}"
        if place not in sealed:
            errors.append(f"no sealed {place}")
        return sealed.get(place)

    for c in realm["clients"]:
        if not c["publicClient"]:
            secret_of(c)
    if op:
        want(secret_of(op) == sealed.get("crownlabs crownlabs-production/crownlabs-values "
                                         "operator.configurations.keycloak.clientSecret"),
             "the operator's secret differs between the realm and the CrownLabs values")
    if inst:
        want(secret_of(inst) == sealed.get("oauth2-proxy crownlabs-production/oauth2-proxy-instances client-secret"),
             "user-instances' secret differs between the realm and oauth2-proxy")
        want(sealed.get("oauth2-proxy crownlabs-production/oauth2-proxy-instances client-id") == "user-instances",
             "oauth2-proxy logs in as another client")

    for e in errors:
        print(f"{tree}: {e}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
