/* tree_gitops.c — what the GitOps engine needs besides the objects: a
 * chart as HelmRepository + HelmRelease (Flux), the Kustomizations of the
 * layers (Flux), or the Applications with their sync waves (Argo CD). */
#include <stdlib.h>
#include <string.h>

#include "tree_internal.h"

/* ---- charts ---- */

static Manifest generated(Build *b, const Value *o, const char *kind, const char *name,
                          const char *ns, Span at)
{
    (void)b;
    return (Manifest){o, kind, name, ns, at, at, NULL};
}

const Value *tb_labels(Build *b, const Component *c)
{
    return obj(b, "app.kubernetes.io/managed-by", tb_str(b, "crownc"), "app.kubernetes.io/part-of",
               tb_str(b, "crownlabs"), "app.kubernetes.io/component", tb_str(b, c->decl->name), NULL);
}

/* The chart values that are secrets, read from their sealed Secret. */
static const Value *values_from(Build *b, const Component *c)
{
    if (!c->nsecret_paths)
        return NULL;
    const Value **items = arena_alloc(b->ev->ar, c->nsecret_paths * sizeof *items);
    for (size_t i = 0; i < c->nsecret_paths; i++)
        items[i] = obj(b, "kind", tb_str(b, "Secret"), "name", tb_str(b, c->values_secret),
                       "valuesKey", tb_str(b, c->secret_paths[i]), "targetPath",
                       tb_str(b, c->secret_paths[i]), NULL);
    return tb_list_of(b, items, c->nsecret_paths);
}

/* A chart kept in a git repository (`path`): the tag `version` of the
 * repository, of which Flux keeps only the top directory that holds the
 * chart (an ignore rule cannot bring back a file whose parent it
 * excludes, so a deeper directory cannot be kept alone). */
static const Value *git_source(Build *b, const Value *ch, const Value *path)
{
    StrBuf ignore;
    sb_init(&ignore);
    sb_printf(&ignore, "/*\n!/%.*s/\n", (int)strcspn(path->u.str.s, "/"), path->u.str.s);
    const Value *spec = obj(b, "interval", tb_str(b, "1h"), "url", value_get(ch, "repository"),
                            "ref", obj(b, "tag", value_get(ch, "version"), NULL), "ignore",
                            tb_str(b, ignore.data), NULL);
    sb_free(&ignore);
    return spec;
}

/* Flux names a chart of a GitRepository by its path, from the root. */
static const Value *chart_in_git(Build *b, const Value *path)
{
    StrBuf s;
    sb_init(&s);
    sb_printf(&s, "./%s", path->u.str.s);
    const Value *v = tb_str(b, s.data);
    sb_free(&s);
    return v;
}

void tree_flux_chart(Build *b, const Component *c)
{
    const Value *ch = c->chart;
    const char *name = tb_field_text(ch, "name");
    const char *ns = c->ns;
    Span at = ch->at;
    if (!ns) {
        diag_error(b->p->diags, "E0406", at, "component `%s` has a chart but no namespace",
                   c->decl->name);
        b->ok = false;
        return;
    }
    const Value *path = value_get(ch, "path");
    const char *source = path ? "GitRepository" : "HelmRepository";
    const Value *repo = obj(b, "apiVersion", tb_str(b, "source.toolkit.fluxcd.io/v1"), "kind",
                            tb_str(b, source), "metadata",
                            obj(b, "name", tb_str(b, name), "namespace", tb_str(b, ns), "labels",
                                tb_labels(b, c), NULL),
                            "spec", path ? git_source(b, ch, path) :
                                    obj(b, "interval", tb_str(b, "1h"), "url",
                                        value_get(ch, "repository"), NULL), NULL);
    const Value *values = value_get(ch, "values");
    const Value *release = obj(
        b, "apiVersion", tb_str(b, "helm.toolkit.fluxcd.io/v2"), "kind", tb_str(b, "HelmRelease"),
        "metadata", obj(b, "name", tb_str(b, c->decl->name), "namespace", tb_str(b, ns), "labels",
                        tb_labels(b, c), NULL),
        "spec",
        obj(b, "interval", tb_str(b, "10m"), "releaseName", tb_str(b, c->decl->name),
            /* A first install waits for its pods: a database, or a
             * StatefulSet whose replicas start one after the other, takes
             * longer than Helm's 5 minutes. A failed attempt is retried
             * rather than left failed. */
            "timeout", tb_str(b, "15m"), "chart",
            obj(b, "spec", obj(b, "chart", path ? chart_in_git(b, path) : tb_str(b, name),
                               "version", path ? NULL : value_get(ch, "version"),
                               "sourceRef", obj(b, "kind", tb_str(b, source), "name",
                                                tb_str(b, name), NULL), NULL), NULL),
            "install", obj(b, "crds", tb_str(b, "CreateReplace"), "remediation",
                           obj(b, "retries", tb_int(b, 3), NULL), NULL),
            "upgrade", obj(b, "crds", tb_str(b, "CreateReplace"), "remediation",
                           obj(b, "retries", tb_int(b, 3), NULL), NULL),
            "values", values, "valuesFrom", values_from(b, c), NULL),
        NULL);
    Manifest mr = generated(b, repo, source, name, ns, at);
    Manifest ml = generated(b, release, "HelmRelease", c->decl->name, ns, at);
    tb_emit(b, c, &mr);
    tb_emit(b, c, &ml);
}

/* ---- the engine's own objects ---- */

const char *tb_prefix_path(Build *b, const char *layer, const char *comp)
{
    StrBuf s;
    sb_init(&s);
    sb_printf(&s, "./%s/%s", b->t->prefix, layer);
    if (comp)
        sb_printf(&s, "/%s", comp);
    char *r = arena_strndup(b->ev->ar, s.data, s.len);
    sb_free(&s);
    return r;
}

void tb_emit_plain(Build *b, const char *path, const Value *doc)
{
    StrBuf text;
    sb_init(&text);
    if (tb_render(b, doc, doc->at, &text))
        tb_add_file(b, path, text.data, text.len);
    sb_free(&text);
}

bool tb_layer_used(const ComponentList *l, const char *layer)
{
    for (size_t i = 0; i < l->len; i++)
        if (strcmp(l->at[i].layer, layer) == 0 && (l->at[i].nmanifests || l->at[i].chart || l->at[i].nremote))
            return true;
    return false;
}

static const Value *gitops_meta(Build *b, const char *name, const char *ns)
{
    return obj(b, "name", tb_str(b, name), "namespace", tb_str(b, ns), "labels",
               obj(b, "app.kubernetes.io/managed-by", tb_str(b, "crownc"),
                   "app.kubernetes.io/part-of", tb_str(b, "crownlabs"), NULL), NULL);
}

/* "SITE-gitops": layers are named SITE-LAYER, and no layer is "gitops". */
static const char *wiring_name(Build *b)
{
    StrBuf s;
    sb_init(&s);
    sb_printf(&s, "%s-gitops", b->t->site);
    char *r = arena_strndup(b->ev->ar, s.data, s.len);
    sb_free(&s);
    return r;
}

/* An SSH address always takes a key: the Secret SITE-git, which the
 * bootstrap README says how to make. NULL (left out) otherwise. */
static const Value *git_secret_ref(Build *b)
{
    const char *url = tb_field_text(b->gitops, "url");
    if (!url || !tree_git_over_ssh(url))
        return NULL;
    StrBuf s;
    sb_init(&s);
    sb_printf(&s, "%s-git", b->t->site);
    const Value *ref = obj(b, "name", tb_str(b, s.data), NULL);
    sb_free(&s);
    return ref;
}

void tree_flux_wiring(Build *b)
{
    const char *site = b->t->site;
    tb_emit_plain(b, "gitops/gitrepository.yaml",
               obj(b, "apiVersion", tb_str(b, "source.toolkit.fluxcd.io/v1"), "kind",
                   tb_str(b, "GitRepository"), "metadata", gitops_meta(b, site, "flux-system"),
                   "spec", obj(b, "interval", tb_str(b, "1m"), "url", value_get(b->gitops, "url"),
                               "ref", obj(b, "branch", value_get(b->gitops, "branch"), NULL),
                               "secretRef", git_secret_ref(b), NULL), NULL));
    /* The wiring reconciles itself, as `flux bootstrap` does: a layer
     * that a later build adds (the first person, the first course) gets
     * its Kustomization from git, not from another `kubectl apply`. */
    tb_emit_plain(b, "gitops/kustomization-gitops.yaml",
               obj(b, "apiVersion", tb_str(b, "kustomize.toolkit.fluxcd.io/v1"), "kind",
                   tb_str(b, "Kustomization"), "metadata",
                   gitops_meta(b, wiring_name(b), "flux-system"),
                   "spec", obj(b, "interval", tb_str(b, "10m"), "path",
                               tb_str(b, tb_prefix_path(b, "gitops", NULL)), "prune", tb_boolean(b, true),
                               "sourceRef", obj(b, "kind", tb_str(b, "GitRepository"), "name",
                                                tb_str(b, site), NULL), NULL), NULL));
    size_t n;
    const char *const *layers = component_layers(&n);
    const char *prev = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!tb_layer_used(&b->p->components, layers[i]))
            continue;
        StrBuf name, path;
        sb_init(&name);
        sb_init(&path);
        sb_printf(&name, "%s-%s", site, layers[i]);
        sb_printf(&path, "gitops/kustomization-%s.yaml", layers[i]);
        const Value *dep = NULL;
        if (prev) {
            StrBuf d;
            sb_init(&d);
            sb_printf(&d, "%s-%s", site, prev);
            const Value *one = obj(b, "name", tb_str(b, d.data), NULL);
            dep = tb_list_of(b, &one, 1);
            sb_free(&d);
        }
        /* wait: the next layer starts only when this one's objects (and
         * the HelmReleases' charts) are ready, so CRDs exist before the
         * objects that use them. */
        tb_emit_plain(b, path.data,
                   obj(b, "apiVersion", tb_str(b, "kustomize.toolkit.fluxcd.io/v1"), "kind",
                       tb_str(b, "Kustomization"), "metadata",
                       gitops_meta(b, name.data, "flux-system"), "spec",
                       obj(b, "interval", tb_str(b, "10m"), "retryInterval", tb_str(b, "1m"),
                           "timeout", tb_str(b, "10m"), "path", tb_str(b, tb_prefix_path(b, layers[i], NULL)),
                           "prune", tb_boolean(b, true), "wait", tb_boolean(b, true), "sourceRef",
                           obj(b, "kind", tb_str(b, "GitRepository"), "name", tb_str(b, site), NULL),
                           "dependsOn", dep, NULL), NULL));
        prev = layers[i];
        sb_free(&name);
        sb_free(&path);
    }
}

static int layer_index(const char *layer)
{
    size_t n;
    const char *const *layers = component_layers(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(layers[i], layer) == 0)
            return (int)i;
    return 0;
}

static const Value *sync_retry(Build *b)
{
    return obj(b, "limit", tb_int(b, 10), "backoff",
               obj(b, "duration", tb_str(b, "30s"), "factor", tb_int(b, 2), "maxDuration",
                   tb_str(b, "10m"), NULL), NULL);
}

/* The chart of an Application: of a Helm repository by its name, of a
 * git repository (`path`) by its directory there. */
static const Value *argo_chart_source(Build *b, const Component *c)
{
    const Value *dir = value_get(c->chart, "path");
    return obj(b, "repoURL", value_get(c->chart, "repository"), dir ? "path" : "chart",
               dir ? dir : value_get(c->chart, "name"), "targetRevision",
               value_get(c->chart, "version"), "helm",
               obj(b, "releaseName", tb_str(b, c->decl->name), "valuesObject",
                   value_get(c->chart, "values"), NULL), NULL);
}

static void argo_app(Build *b, const Component *c)
{
    const char *argo_ns = tb_argo_setting(b, "namespace", "argocd");
    const char *project = tb_argo_setting(b, "project", "default");
    const Value *sources[2];
    size_t n = 0;
    if (c->chart)
        sources[n++] = argo_chart_source(b, c);
    if (c->nmanifests || c->nremote)
        sources[n++] = obj(b, "repoURL", value_get(b->gitops, "url"), "targetRevision",
                           value_get(b->gitops, "branch"), "path",
                           tb_str(b, tb_prefix_path(b, c->layer, c->decl->name) + 2), NULL);
    if (!n)
        return;
    StrBuf name, path, wave;
    sb_init(&name);
    sb_init(&path);
    sb_init(&wave);
    sb_printf(&name, "%s-%s", b->t->site, c->decl->name);
    sb_printf(&path, "gitops/apps/%s.yaml", c->decl->name);
    sb_printf(&wave, "%d", layer_index(c->layer));
    const Value *meta = obj(b, "name", tb_str(b, name.data), "namespace", tb_str(b, argo_ns), "labels",
                            tb_labels(b, c), "annotations",
                            obj(b, "argocd.argoproj.io/sync-wave", tb_str(b, wave.data), NULL), NULL);
    const Value *spec = obj(
        b, "project", tb_str(b, project), "sources", tb_list_of(b, sources, n), "destination",
        obj(b, "server", tb_str(b, "https://kubernetes.default.svc"), "namespace",
            c->ns ? tb_str(b, c->ns) : NULL, NULL),
        "syncPolicy",
        obj(b, "automated", obj(b, "prune", tb_boolean(b, true), "selfHeal", tb_boolean(b, true), NULL),
            "syncOptions", tb_list_of(b, (const Value *[]){tb_str(b, "ServerSideApply=true")}, 1),
            /* Argo CD does not sync a commit again after a failed
             * automated sync of it: a component whose dependency was not
             * up yet would wait for the next commit. */
            "retry", sync_retry(b), NULL),
        NULL);
    tb_emit_plain(b, path.data, obj(b, "apiVersion", tb_str(b, "argoproj.io/v1alpha1"), "kind",
                                 tb_str(b, "Application"), "metadata", meta, "spec", spec, NULL));
    sb_free(&name);
    sb_free(&path);
    sb_free(&wave);
}

void tree_argo_wiring(Build *b)
{
    const char *argo_ns = tb_argo_setting(b, "namespace", "argocd");
    for (size_t i = 0; i < b->p->components.len; i++)
        argo_app(b, &b->p->components.at[i]);
    const Value *spec = obj(
        b, "project", tb_str(b, tb_argo_setting(b, "project", "default")), "source",
        obj(b, "repoURL", value_get(b->gitops, "url"), "targetRevision",
            value_get(b->gitops, "branch"), "path",
            tb_str(b, tb_prefix_path(b, "gitops", "apps") + 2), NULL),
        "destination", obj(b, "server", tb_str(b, "https://kubernetes.default.svc"), "namespace",
                           tb_str(b, argo_ns), NULL),
        "syncPolicy", obj(b, "automated", obj(b, "prune", tb_boolean(b, true), "selfHeal",
                                              tb_boolean(b, true), NULL), NULL), NULL);
    tb_emit_plain(b, "gitops/root.yaml",
               obj(b, "apiVersion", tb_str(b, "argoproj.io/v1alpha1"), "kind", tb_str(b, "Application"),
                   "metadata", gitops_meta(b, b->t->site, argo_ns), "spec", spec, NULL));
}

