/* tree_readme.c — the steps left to the operator: bootstrap/README.md,
 * and the files components add under bootstrap/COMPONENT/. */
#include <stdlib.h>
#include <string.h>

#include "secrets.h"
#include "tree_internal.h"

/* ---- the operator's remaining steps ---- */

/* Whether Flux reaches the repository over SSH, which always takes a
 * deploy key: ssh://... or the scp form user@host:path. */
bool tree_git_over_ssh(const char *url)
{
    if (strncmp(url, "ssh://", 6) == 0)
        return true;
    const char *colon = strchr(url, ':');
    return strstr(url, "://") == NULL && colon && memchr(url, '@', (size_t)(colon - url));
}

static void flux_steps(Build *b, StrBuf *r, int *step)
{
    const char *url = tb_field_text(b->gitops, "url");
    const char *site = b->t->site;
    sb_printf(r, "%d. Install Flux in the cluster (`flux install`).\n", (*step)++);
    if (url && tree_git_over_ssh(url))
        sb_printf(r, "%d. Flux reads the repository over SSH, with the deploy key in the\n"
                     "   Secret `%s-git` of `flux-system`, which `gitops/gitrepository.yaml`\n"
                     "   names (`spec.secretRef`). Create it, and add the public key it\n"
                     "   prints to the repository as a read-only deploy key:\n\n"
                     "       flux create secret git %s-git --namespace flux-system \\\n"
                     "           --url %s\n\n",
                  (*step)++, site, site, url);
    else
        sb_printf(r, "%d. If the repository is private, create a Secret with its credentials\n"
                     "   in `flux-system` and name it in `gitops/gitrepository.yaml`\n"
                     "   (`spec.secretRef`).\n", (*step)++);
}

static void flux_apply(Build *b, StrBuf *r, const char *layers, int *step)
{
    sb_printf(r, "%d. Apply the wiring once; Flux reconciles everything else from git:\n\n"
                 "       kubectl apply -k %s/gitops\n\n"
                 "The layers apply in order, each Kustomization waiting for the one before\n"
                 "it to be ready: %s.\n", (*step)++, b->t->prefix, layers);
}

static void argo_steps(Build *b, StrBuf *r, const char *layers, int *step)
{
    sb_printf(r, "%d. Install Argo CD in the namespace `%s`.\n", (*step)++,
              tb_argo_setting(b, "namespace", "argocd"));
    sb_printf(r, "%d. Argo CD does not wait for a child Application to be healthy before the\n"
                 "   next sync wave unless `argocd-cm` has a health check for Applications\n"
                 "   (it was removed from Argo CD 1.8). Add one, in the key\n"
                 "   `resource.customizations.health.argoproj.io_Application`, that reports\n"
                 "   an Application's own `status.health.status`; without it the waves of\n"
                 "   this tree (%s) order the applications but do not gate them.\n",
              (*step)++, layers);
    sb_printf(r, "%d. If the repository is private (always, over SSH), register it with\n"
                 "   Argo CD and its credentials (`argocd repo add URL ...`).\n", (*step)++);
}

static void argo_apply(Build *b, StrBuf *r, int *step)
{
    sb_printf(r, "%d. Apply the root Application once; Argo CD syncs everything else:\n\n"
                 "       kubectl apply -f %s/gitops/root.yaml\n", (*step)++, b->t->prefix);
}

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
 * (the commit's Sealed-To trailer and each SealedSecret name it). The
 * key must be in the cluster before the controller first starts: it
 * opens the tree's SealedSecrets only with it. */
static void sealing_step(StrBuf *r, int *step)
{
    sb_printf(r, "%d. The secrets of this tree are SealedSecrets, sealed to the certificate\n"
                 "   the site names (`secrets.certificate`); the Sealed Secrets controller\n"
                 "   (layer `crds`) opens them only with that certificate's private key.\n"
                 "   If the site brought its own key pair (`crownc keygen --sealing-key`),\n"
                 "   give it to the cluster now, before the first sync:\n\n"
                 "       crownc bootstrap sealing-key --key KEY.pem --cert CERT.pem | kubectl apply -f -\n\n"
                 "   If the certificate was fetched from a running controller (`kubeseal\n"
                 "   --fetch-cert`), the controller has its key already.\n", (*step)++);
}

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

/* Every file the components add, so that none is missed. */
static void component_steps(Build *b, StrBuf *r, int *step)
{
    bool any = false;
    for (size_t i = 0; i < b->p->components.len; i++) {
        const Component *c = &b->p->components.at[i];
        for (size_t k = 0; c->bootstrap && k < c->bootstrap->u.obj.len; k++) {
            if (!any)
                sb_printf(r, "%d. Do what these files of the components say; each names what it\n"
                             "   needs and when:\n\n", (*step)++);
            any = true;
            sb_printf(r, "   - `bootstrap/%s/%s`\n", c->decl->name, c->bootstrap->u.obj.keys[k]);
        }
    }
    if (any)
        sb_puts(r, "\n");
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
    const char *lay = layers.data ? layers.data : "none";
    const char *branch = tb_field_text(b->gitops, "branch");
    int step = 1;
    sb_printf(&r, "# %s: what to do by hand\n\n", b->t->site);
    sb_puts(&r, "This tree was written by crownc; do not edit it, edit the site and build\n"
                "again. These steps come once, in this order; after them the cluster\n"
                "follows the branch by itself.\n\n");
    sb_printf(&r, "%d. Push the branch `%s` to the repository the cluster reads from\n"
                  "   (`gitops.url` of the site):\n\n"
                  "       git push %s %s\n\n", step++, branch ? branch : "main",
              tb_field_text(b->gitops, "url"), branch ? branch : "main");
    if (b->flux)
        flux_steps(b, &r, &step);
    else
        argo_steps(b, &r, lay, &step);
    if (has_sealed(b))
        sealing_step(&r, &step);
    component_steps(b, &r, &step);
    if (b->flux)
        flux_apply(b, &r, lay, &step);
    else {
        argo_apply(b, &r, &step);
        argo_secret_values(b, &r);
    }
    tb_add_file(b, "bootstrap/README.md", r.data, r.len);
    sb_free(&r);
    sb_free(&layers);
    for (size_t i = 0; i < b->p->components.len; i++)
        component_files(b, &b->p->components.at[i]);
}
