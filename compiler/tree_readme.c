/* tree_readme.c — the steps left to the operator: bootstrap/README.md,
 * and the files components add under bootstrap/COMPONENT/. */
#include <stdlib.h>
#include <string.h>

#include "secrets.h"
#include "tree_internal.h"

/* ---- the operator's remaining steps ---- */

static const char flux_steps[] =
    "1. Install Flux in the cluster (`flux install`, or `flux bootstrap` for a\n"
    "   repository of its own).\n"
    "2. If the repository is private, create the Secret that lets Flux read it\n"
    "   and name it in `gitops/gitrepository.yaml` (`spec.secretRef`).\n"
    "3. Apply the wiring once; Flux reconciles everything else from git:\n\n"
    "       kubectl apply -k %s/gitops\n\n"
    "The layers apply in order, each Kustomization waiting for the one before\n"
    "it to be ready: %s.\n";

static const char argo_steps[] =
    "1. Install Argo CD in the namespace `%s`.\n"
    "2. Argo CD does not wait for a child Application to be healthy before the\n"
    "   next sync wave unless `argocd-cm` has a health check for Applications\n"
    "   (it was removed from Argo CD 1.8). Add one, in the key\n"
    "   `resource.customizations.health.argoproj.io_Application`, that reports\n"
    "   an Application's own `status.health.status`; without it the waves of\n"
    "   this tree (%s) order the applications but do not gate them.\n"
    "3. If the repository is private, register it with Argo CD.\n"
    "4. Apply the root Application once; Argo CD syncs everything else:\n\n"
    "       kubectl apply -f %s/gitops/root.yaml\n";

/* A component's bootstrap files, and the chart values Argo CD cannot
 * take from a Secret (it has no valuesFrom): the operator sets those. */
static void component_files(Build *b, const Component *c)
{
    for (size_t i = 0; c->bootstrap && i < c->bootstrap->u.obj.len; i++) {
        const Value *v = c->bootstrap->u.obj.vals[i];
        StrBuf path;
        sb_init(&path);
        sb_printf(&path, "bootstrap/%s/%s", c->decl->name, c->bootstrap->u.obj.keys[i]);
        tb_add_file(b, path.data, v->u.str.s, v->u.str.len);
        sb_free(&path);
    }
}

/* The secret behind a chart value, by the name `secrets reveal` takes. */
static const char *chart_secret_name(const Build *b, const Component *c, const char *path)
{
    const SecretPlan *pl = b->p->secrets;
    for (size_t i = 0; pl && i < pl->nobjects; i++) {
        const SecretObject *o = &pl->objects[i];
        if (o->component != c || strcmp(o->name, c->values_secret) != 0)
            continue;
        for (size_t k = 0; k < o->nentries; k++)
            if (strcmp(o->entries[k].key, path) == 0 && o->entries[k].ref)
                return pl->idents[o->entries[k].ident].name;
    }
    return "?";
}

/* No fingerprint here: a new certificate changes the sealed files alone
 * (the commit's Sealed-To trailer and each SealedSecret name it). */
static const char sealing_steps[] =
    "\n## Sealed secrets\n\n"
    "The secrets of this tree are SealedSecrets, sealed to the certificate the\n"
    "site names (`secrets.certificate`). The Sealed Secrets controller (layer\n"
    "`crds`) opens them only if it holds that certificate's private key. If the\n"
    "site brought its own key pair (`crownc keygen --sealing-key`), give it to\n"
    "the controller once, before the first sync:\n\n"
    "    crownc bootstrap sealing-key --key KEY.pem --cert CERT.pem | kubectl apply -f -\n\n"
    "If the certificate was fetched from a running controller (`kubeseal\n"
    "--fetch-cert`), the controller has its key already.\n";

static bool has_sealed(const Build *b)
{
    return b->p->secrets && b->p->secrets->nobjects;
}

static void argo_secret_values(Build *b, StrBuf *r)
{
    bool any = false;
    for (size_t i = 0; i < b->p->components.len; i++) {
        const Component *c = &b->p->components.at[i];
        for (size_t k = 0; k < c->nsecret_paths; k++) {
            if (!any)
                sb_printf(r, "\n## Chart values kept out of git\n\n"
                             "Argo CD cannot read Helm values from a Secret, so these values\n"
                             "are not in the Applications. Each is sealed in the Secret named\n"
                             "(under its path as the key) and is printed by\n"
                             "`crownc secrets reveal SITE NAME`; give it to the release by hand\n"
                             "(docs/secrets.md, \"Argo CD and chart values\"):\n\n");
            any = true;
            sb_printf(r, "- `%s`: `%s` from Secret `%s/%s`, NAME `%s`\n", c->decl->name,
                      c->secret_paths[k], c->ns, c->values_secret,
                      chart_secret_name(b, c, c->secret_paths[k]));
        }
    }
}

void tree_bootstrap_readme(Build *b)
{
    StrBuf r, layers;
    sb_init(&r);
    sb_init(&layers);
    size_t n;
    const char *const *all = component_layers(&n);
    for (size_t i = 0; i < n; i++)
        if (tb_layer_used(&b->p->components, all[i]))
            sb_printf(&layers, "%s%s", layers.len ? ", " : "", all[i]);
    sb_printf(&r, "# %s: what to do by hand\n\n", b->t->site);
    sb_puts(&r, "This tree was written by crownc; do not edit it, edit the site and build\n"
                "again. The cluster applies it by itself once these steps are done.\n\n");
    if (b->flux)
        sb_printf(&r, flux_steps, b->t->prefix, layers.data ? layers.data : "none");
    else {
        sb_printf(&r, argo_steps, tb_argo_setting(b, "namespace", "argocd"),
                  layers.data ? layers.data : "none", b->t->prefix);
        argo_secret_values(b, &r);
    }
    if (has_sealed(b))
        sb_puts(&r, sealing_steps);
    tb_add_file(b, "bootstrap/README.md", r.data, r.len);
    sb_free(&r);
    sb_free(&layers);
    for (size_t i = 0; i < b->p->components.len; i++)
        component_files(b, &b->p->components.at[i]);
}

