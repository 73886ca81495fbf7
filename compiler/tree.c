#define _XOPEN_SOURCE 700 /* mkdtemp, nftw */

#include "tree.h"

#include <ctype.h>
#include <limits.h>
#include <errno.h>
#include <ftw.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "component.h"
#include "secrets.h"
#include "diag_render.h"
#include "git_out.h"
#include "yaml_out.h"

/* An object's file, and where the object comes from. */
typedef struct Placed {
    size_t file;           /* index in Tree.files, before sorting */
    Span at;
} Placed;

typedef struct Build {
    Program *p;
    Eval *ev;
    Tree *t;
    const Value *gitops;   /* the site's gitops variant */
    bool flux;
    StrBuf index;          /* entries of crown.index.json, comma-separated */
    Placed *placed;        /* every object's file, for unique_paths */
    size_t nplaced, capplaced;
    bool ok;
} Build;

/* ---- values built here ---- */

static const Value *str(Build *b, const char *s)
{
    return value_string(b->ev->ar, source_span(b->p->units[0].src, 0, 0), s, strlen(s));
}

static const Value *boolean(Build *b, bool v)
{
    return value_bool(b->ev->ar, source_span(b->p->units[0].src, 0, 0), v);
}

/* obj(b, "k1", v1, "k2", v2, ..., NULL): see value_object_of. */
#define obj(b, ...) value_object_of((b)->ev->ar, source_span((b)->p->units[0].src, 0, 0), __VA_ARGS__)

static const Value *list_of(Build *b, const Value **items, size_t n)
{
    const Value **copy = arena_alloc(b->ev->ar, (n ? n : 1) * sizeof *copy);
    if (n)
        memcpy(copy, items, n * sizeof *copy);
    return value_list(b->ev->ar, source_span(b->p->units[0].src, 0, 0), copy, n);
}

static const char *field_text(const Value *rec, const char *key)
{
    const Value *v = rec ? value_get(rec, key) : NULL;
    return v && v->kind == V_STRING ? v->u.str.s : NULL;
}

/* An Argo CD setting of the site, or its default when the site chose
 * Flux and the tree is built for Argo CD anyway (--engine). */
static const char *argo_setting(const Build *b, const char *key, const char *dflt)
{
    const char *v = field_text(b->gitops, key);
    return v ? v : dflt;
}

/* ---- files ---- */

static void add_file(Build *b, const char *path, const char *data, size_t len)
{
    Tree *t = b->t;
    if (t->len == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        TreeFile *f = realloc(t->files, t->cap * sizeof *f);
        if (!f)
            abort();
        t->files = f;
    }
    TreeFile *f = &t->files[t->len++];
    f->path = strdup(path);
    f->data = malloc(len ? len : 1);
    if (!f->path || !f->data)
        abort();
    if (len)
        memcpy(f->data, data, len);
    f->len = len;
}

static void digest(const char *data, size_t len, char hex[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
    for (unsigned i = 0; i < n && i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    hex[64] = '\0';
}

/* Where a source file is, independent of the working directory and of
 * where the checkout lives: relative to the site's directory, or
 * "stdlib/..." for the library, so that the index (and the commit) are
 * the same wherever the build runs. */
static void stable_source(const Build *b, const Source *src, StrBuf *out)
{
    char real[PATH_MAX];
    const char *roots[] = {b->p->site_dir, b->p->stdlib_dir};
    const char *tags[] = {"", "stdlib/"};
    if (src && realpath(src->path, real)) {
        for (size_t i = 0; i < 2; i++) {
            size_t n = roots[i] ? strlen(roots[i]) : 0;
            if (n && strncmp(real, roots[i], n) == 0 && real[n] == '/') {
                sb_printf(out, "%s%s", tags[i], real + n + 1);
                return;
            }
        }
    }
    sb_puts(out, src ? src->path : "?");
}

/* A SealedSecret without what changes when it is sealed again: its
 * ciphertexts and crownc's two annotations. */
static const Value *sealed_shape(Build *b, const Value *obj)
{
    Arena *ar = b->ev->ar;
    const Value *meta = value_get(obj, "metadata"), *spec = value_get(obj, "spec");
    const Value *ann = meta ? value_get(meta, "annotations") : NULL;
    const Value *enc = spec ? value_get(spec, "encryptedData") : NULL;
    if (!ann || !enc || ann->kind != V_OBJECT || enc->kind != V_OBJECT)
        return obj;
    size_t n = 0;
    const char **keys = arena_alloc(ar, (ann->u.obj.len + 1) * sizeof *keys);
    const Value **vals = arena_alloc(ar, (ann->u.obj.len + 1) * sizeof *vals);
    for (size_t i = 0; i < ann->u.obj.len; i++) {
        if (strcmp(ann->u.obj.keys[i], SECRETS_ANNOTATION_HMAC) != 0 &&
            strcmp(ann->u.obj.keys[i], SECRETS_ANNOTATION_CERT) != 0) {
            keys[n] = ann->u.obj.keys[i];
            vals[n++] = ann->u.obj.vals[i];
        }
    }
    meta = value_with_key(ar, meta, "annotations", value_object(ar, ann->at, keys, vals, n));
    const Value **blank = arena_alloc(ar, (enc->u.obj.len + 1) * sizeof *blank);
    for (size_t i = 0; i < enc->u.obj.len; i++)
        blank[i] = str(b, "");
    spec = value_with_key(ar, spec, "encryptedData",
                          value_object(ar, enc->at, enc->u.obj.keys, blank, enc->u.obj.len));
    return value_with_key(ar, value_with_key(ar, obj, "metadata", meta), "spec", spec);
}

/* The index's digest of an object: of its file, except that a
 * SealedSecret's leaves out its ciphertexts and fingerprints, so that a
 * rotated value or a new certificate changes the sealed file alone. */
static void object_digest(Build *b, const Manifest *m, const char *data, size_t len,
                          char hex[65])
{
    StrBuf shape;
    sb_init(&shape);
    if (strcmp(m->kind, "SealedSecret") == 0 && yaml_render(sealed_shape(b, m->obj), NULL, &shape,
                                                            NULL))
        digest(shape.data, shape.len, hex);
    else
        digest(data, len, hex);
    sb_free(&shape);
}

static void index_entry(Build *b, const char *path, const char *data, size_t len,
                        const Manifest *m, const char *component)
{
    char hex[65];
    object_digest(b, m, data, len, hex);
    StrBuf *ix = &b->index;
    sb_puts(ix, ix->len ? ",\n    {" : "\n    {");
    sb_puts(ix, "\"path\": ");
    json_string(ix, path, strlen(path));
    sb_puts(ix, ", \"kind\": ");
    json_string(ix, m->kind, strlen(m->kind));
    if (m->ns) {
        sb_puts(ix, ", \"namespace\": ");
        json_string(ix, m->ns, strlen(m->ns));
    }
    sb_puts(ix, ", \"name\": ");
    json_string(ix, m->name, strlen(m->name));
    sb_puts(ix, ", \"component\": ");
    json_string(ix, component, strlen(component));
    sb_printf(ix, ", \"sha256\": \"%s\", \"source\": ", hex);
    StrBuf src;
    sb_init(&src);
    stable_source(b, m->origin.src, &src);
    sb_printf(&src, ":%u:%u", m->origin.line, m->origin.col);
    json_string(ix, src.data, src.len);
    sb_free(&src);
    sb_putc(ix, '}');
}

static bool render(Build *b, const Value *doc, Span at, StrBuf *out)
{
    YamlError err = {0};
    if (yaml_render(doc, NULL, out, &err))
        return true;
    Diag *d = diag_error(b->p->diags, "E0408", err.value ? err.value->at : at,
                         "this object cannot be written: %s", err.reason ? err.reason : "?");
    diag_set_hint(d, "secrets reach manifests only as sealed secrets");
    b->ok = false;
    return false;
}

static char *lower(const char *s)
{
    char *l = strdup(s);
    if (!l)
        abort();
    for (char *c = l; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    return l;
}

/* The last line of defence: nothing but a SealedSecret carries a secret
 * into the tree. A Secret reaches here only if sealing was skipped. */
static bool plain_secret(Build *b, const Manifest *m)
{
    const Value *api = value_get(m->obj, "apiVersion");
    if (strcmp(m->kind, "Secret") != 0 || !api || api->kind != V_STRING ||
        strcmp(api->u.str.s, "v1") != 0)
        return false;
    Diag *d = diag_error(b->p->diags, "E0707", m->at, "a plain Secret cannot be written to the "
                         "tree: %s/%s was not sealed", m->ns ? m->ns : "", m->name);
    diag_set_hint(d, "secrets reach git only as SealedSecrets; this is a fault of the build");
    b->ok = false;
    return true;
}

static void emit(Build *b, const Component *c, const Manifest *m)
{
    if (plain_secret(b, m))
        return;
    for (const char *k = m->kind; *k; k++) {
        if (!isalnum((unsigned char)*k)) {
            diag_error(b->p->diags, "E0404", m->at, "kind \"%s\" is not a Kubernetes kind",
                       m->kind);
            b->ok = false;
            return;
        }
    }
    char *path = tree_object_path(c->layer, c->decl->name, m->kind, m->ns, m->name);
    StrBuf text;
    sb_init(&text);
    if (render(b, m->obj, m->at, &text)) {
        if (b->nplaced == b->capplaced) {
            b->capplaced = b->capplaced ? b->capplaced * 2 : 64;
            b->placed = realloc(b->placed, b->capplaced * sizeof *b->placed);
            if (!b->placed)
                abort();
        }
        b->placed[b->nplaced++] = (Placed){b->t->len, m->at};
        add_file(b, path, text.data, text.len);
        index_entry(b, path, text.data, text.len, m, c->decl->name);
    }
    free(path);
    sb_free(&text);
}

char *tree_object_path(const char *layer, const char *component, const char *kind,
                       const char *ns, const char *name)
{
    StrBuf path;
    sb_init(&path);
    char *k = lower(kind);
    sb_printf(&path, "%s/%s/", layer, component);
    if (ns)
        sb_printf(&path, "%s/", ns);
    sb_printf(&path, "%s-%s.yaml", k, name);
    free(k);
    return sb_take(&path);
}

/* ---- charts ---- */

static Manifest generated(Build *b, const Value *o, const char *kind, const char *name,
                          const char *ns, Span at)
{
    (void)b;
    return (Manifest){o, kind, name, ns, at, at};
}

static const Value *labels(Build *b, const Component *c)
{
    return obj(b, "app.kubernetes.io/managed-by", str(b, "crownc"), "app.kubernetes.io/part-of",
               str(b, "crownlabs"), "app.kubernetes.io/component", str(b, c->decl->name), NULL);
}

/* The chart values that are secrets, read from their sealed Secret. */
static const Value *values_from(Build *b, const Component *c)
{
    if (!c->nsecret_paths)
        return NULL;
    const Value **items = arena_alloc(b->ev->ar, c->nsecret_paths * sizeof *items);
    for (size_t i = 0; i < c->nsecret_paths; i++)
        items[i] = obj(b, "kind", str(b, "Secret"), "name", str(b, c->values_secret),
                       "valuesKey", str(b, c->secret_paths[i]), "targetPath",
                       str(b, c->secret_paths[i]), NULL);
    return list_of(b, items, c->nsecret_paths);
}

static void flux_chart(Build *b, const Component *c)
{
    const Value *ch = c->chart;
    const char *name = field_text(ch, "name");
    const char *ns = c->ns;
    Span at = ch->at;
    if (!ns) {
        diag_error(b->p->diags, "E0406", at, "component `%s` has a chart but no namespace",
                   c->decl->name);
        b->ok = false;
        return;
    }
    const Value *repo = obj(b, "apiVersion", str(b, "source.toolkit.fluxcd.io/v1"), "kind",
                            str(b, "HelmRepository"), "metadata",
                            obj(b, "name", str(b, name), "namespace", str(b, ns), "labels",
                                labels(b, c), NULL),
                            "spec", obj(b, "interval", str(b, "1h"), "url",
                                        value_get(ch, "repository"), NULL), NULL);
    const Value *values = value_get(ch, "values");
    const Value *release = obj(
        b, "apiVersion", str(b, "helm.toolkit.fluxcd.io/v2"), "kind", str(b, "HelmRelease"),
        "metadata", obj(b, "name", str(b, c->decl->name), "namespace", str(b, ns), "labels",
                        labels(b, c), NULL),
        "spec",
        obj(b, "interval", str(b, "10m"), "releaseName", str(b, c->decl->name), "chart",
            obj(b, "spec", obj(b, "chart", str(b, name), "version", value_get(ch, "version"),
                               "sourceRef", obj(b, "kind", str(b, "HelmRepository"), "name",
                                                str(b, name), NULL), NULL), NULL),
            "install", obj(b, "crds", str(b, "CreateReplace"), NULL),
            "upgrade", obj(b, "crds", str(b, "CreateReplace"), NULL),
            "values", values, "valuesFrom", values_from(b, c), NULL),
        NULL);
    Manifest mr = generated(b, repo, "HelmRepository", name, ns, at);
    Manifest ml = generated(b, release, "HelmRelease", c->decl->name, ns, at);
    emit(b, c, &mr);
    emit(b, c, &ml);
}

/* ---- the engine's own objects ---- */

static const char *prefix_path(Build *b, const char *layer, const char *comp)
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

static void emit_plain(Build *b, const char *path, const Value *doc)
{
    StrBuf text;
    sb_init(&text);
    if (render(b, doc, doc->at, &text))
        add_file(b, path, text.data, text.len);
    sb_free(&text);
}

static bool layer_used(const ComponentList *l, const char *layer)
{
    for (size_t i = 0; i < l->len; i++)
        if (strcmp(l->at[i].layer, layer) == 0 && (l->at[i].nmanifests || l->at[i].chart))
            return true;
    return false;
}

static const Value *gitops_meta(Build *b, const char *name, const char *ns)
{
    return obj(b, "name", str(b, name), "namespace", str(b, ns), "labels",
               obj(b, "app.kubernetes.io/managed-by", str(b, "crownc"),
                   "app.kubernetes.io/part-of", str(b, "crownlabs"), NULL), NULL);
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

static void flux_wiring(Build *b)
{
    const char *site = b->t->site;
    emit_plain(b, "gitops/gitrepository.yaml",
               obj(b, "apiVersion", str(b, "source.toolkit.fluxcd.io/v1"), "kind",
                   str(b, "GitRepository"), "metadata", gitops_meta(b, site, "flux-system"),
                   "spec", obj(b, "interval", str(b, "1m"), "url", value_get(b->gitops, "url"),
                               "ref", obj(b, "branch", value_get(b->gitops, "branch"), NULL),
                               NULL), NULL));
    /* The wiring reconciles itself, as `flux bootstrap` does: a layer
     * that a later build adds (the first person, the first course) gets
     * its Kustomization from git, not from another `kubectl apply`. */
    emit_plain(b, "gitops/kustomization-gitops.yaml",
               obj(b, "apiVersion", str(b, "kustomize.toolkit.fluxcd.io/v1"), "kind",
                   str(b, "Kustomization"), "metadata",
                   gitops_meta(b, wiring_name(b), "flux-system"),
                   "spec", obj(b, "interval", str(b, "10m"), "path",
                               str(b, prefix_path(b, "gitops", NULL)), "prune", boolean(b, true),
                               "sourceRef", obj(b, "kind", str(b, "GitRepository"), "name",
                                                str(b, site), NULL), NULL), NULL));
    size_t n;
    const char *const *layers = component_layers(&n);
    const char *prev = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!layer_used(&b->p->components, layers[i]))
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
            const Value *one = obj(b, "name", str(b, d.data), NULL);
            dep = list_of(b, &one, 1);
            sb_free(&d);
        }
        /* wait: the next layer starts only when this one's objects (and
         * the HelmReleases' charts) are ready, so CRDs exist before the
         * objects that use them. */
        emit_plain(b, path.data,
                   obj(b, "apiVersion", str(b, "kustomize.toolkit.fluxcd.io/v1"), "kind",
                       str(b, "Kustomization"), "metadata",
                       gitops_meta(b, name.data, "flux-system"), "spec",
                       obj(b, "interval", str(b, "10m"), "retryInterval", str(b, "1m"),
                           "timeout", str(b, "10m"), "path", str(b, prefix_path(b, layers[i], NULL)),
                           "prune", boolean(b, true), "wait", boolean(b, true), "sourceRef",
                           obj(b, "kind", str(b, "GitRepository"), "name", str(b, site), NULL),
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

static void argo_app(Build *b, const Component *c)
{
    const char *argo_ns = argo_setting(b, "namespace", "argocd");
    const char *project = argo_setting(b, "project", "default");
    const Value *sources[2];
    size_t n = 0;
    if (c->chart)
        sources[n++] = obj(b, "repoURL", value_get(c->chart, "repository"), "chart",
                           value_get(c->chart, "name"), "targetRevision",
                           value_get(c->chart, "version"), "helm",
                           obj(b, "releaseName", str(b, c->decl->name), "valuesObject",
                               value_get(c->chart, "values"), NULL), NULL);
    if (c->nmanifests)
        sources[n++] = obj(b, "repoURL", value_get(b->gitops, "url"), "targetRevision",
                           value_get(b->gitops, "branch"), "path",
                           str(b, prefix_path(b, c->layer, c->decl->name) + 2), NULL);
    if (!n)
        return;
    StrBuf name, path, wave;
    sb_init(&name);
    sb_init(&path);
    sb_init(&wave);
    sb_printf(&name, "%s-%s", b->t->site, c->decl->name);
    sb_printf(&path, "gitops/apps/%s.yaml", c->decl->name);
    sb_printf(&wave, "%d", layer_index(c->layer));
    const Value *meta = obj(b, "name", str(b, name.data), "namespace", str(b, argo_ns), "labels",
                            labels(b, c), "annotations",
                            obj(b, "argocd.argoproj.io/sync-wave", str(b, wave.data), NULL), NULL);
    const Value *spec = obj(
        b, "project", str(b, project), "sources", list_of(b, sources, n), "destination",
        obj(b, "server", str(b, "https://kubernetes.default.svc"), "namespace",
            c->ns ? str(b, c->ns) : NULL, NULL),
        "syncPolicy",
        obj(b, "automated", obj(b, "prune", boolean(b, true), "selfHeal", boolean(b, true), NULL),
            "syncOptions", list_of(b, (const Value *[]){str(b, "ServerSideApply=true")}, 1), NULL),
        NULL);
    emit_plain(b, path.data, obj(b, "apiVersion", str(b, "argoproj.io/v1alpha1"), "kind",
                                 str(b, "Application"), "metadata", meta, "spec", spec, NULL));
    sb_free(&name);
    sb_free(&path);
    sb_free(&wave);
}

static void argo_wiring(Build *b)
{
    const char *argo_ns = argo_setting(b, "namespace", "argocd");
    for (size_t i = 0; i < b->p->components.len; i++)
        argo_app(b, &b->p->components.at[i]);
    const Value *spec = obj(
        b, "project", str(b, argo_setting(b, "project", "default")), "source",
        obj(b, "repoURL", value_get(b->gitops, "url"), "targetRevision",
            value_get(b->gitops, "branch"), "path",
            str(b, prefix_path(b, "gitops", "apps") + 2), NULL),
        "destination", obj(b, "server", str(b, "https://kubernetes.default.svc"), "namespace",
                           str(b, argo_ns), NULL),
        "syncPolicy", obj(b, "automated", obj(b, "prune", boolean(b, true), "selfHeal",
                                              boolean(b, true), NULL), NULL), NULL);
    emit_plain(b, "gitops/root.yaml",
               obj(b, "apiVersion", str(b, "argoproj.io/v1alpha1"), "kind", str(b, "Application"),
                   "metadata", gitops_meta(b, b->t->site, argo_ns), "spec", spec, NULL));
}

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
        add_file(b, path.data, v->u.str.s, v->u.str.len);
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

static void bootstrap_readme(Build *b)
{
    StrBuf r, layers;
    sb_init(&r);
    sb_init(&layers);
    size_t n;
    const char *const *all = component_layers(&n);
    for (size_t i = 0; i < n; i++)
        if (layer_used(&b->p->components, all[i]))
            sb_printf(&layers, "%s%s", layers.len ? ", " : "", all[i]);
    sb_printf(&r, "# %s: what to do by hand\n\n", b->t->site);
    sb_puts(&r, "This tree was written by crownc; do not edit it, edit the site and build\n"
                "again. The cluster applies it by itself once these steps are done.\n\n");
    if (b->flux)
        sb_printf(&r, flux_steps, b->t->prefix, layers.data ? layers.data : "none");
    else {
        sb_printf(&r, argo_steps, argo_setting(b, "namespace", "argocd"),
                  layers.data ? layers.data : "none", b->t->prefix);
        argo_secret_values(b, &r);
    }
    if (has_sealed(b))
        sb_puts(&r, sealing_steps);
    add_file(b, "bootstrap/README.md", r.data, r.len);
    sb_free(&r);
    sb_free(&layers);
    for (size_t i = 0; i < b->p->components.len; i++)
        component_files(b, &b->p->components.at[i]);
}

/* ---- kustomizations ---- */

static int by_path(const void *x, const void *y)
{
    return strcmp(((const TreeFile *)x)->path, ((const TreeFile *)y)->path);
}

static bool ends_with_yaml(const char *p)
{
    size_t n = strlen(p);
    return n > 5 && strcmp(p + n - 5, ".yaml") == 0;
}

/* Whether some YAML file lies below dir (n bytes of its path): a directory
 * of other files (bootstrap/) is no kustomize directory. */
static bool has_yaml(const Build *b, const char *dir, size_t n)
{
    for (size_t i = 0; i < b->t->len; i++) {
        const char *p = b->t->files[i].path;
        if ((n == 0 || (strncmp(p, dir, n) == 0 && p[n] == '/')) && ends_with_yaml(p))
            return true;
    }
    return false;
}

/* The entries directly inside dir ("" is the root): files and first-level
 * directories, each once, sorted. */
static const Value *entries(Build *b, const char *dir)
{
    size_t dl = strlen(dir);
    ValueVec out = {0};
    const char *last = NULL;
    size_t lastlen = 0;
    for (size_t i = 0; i < b->t->len; i++) {
        const char *p = b->t->files[i].path;
        if (dl && (strncmp(p, dir, dl) != 0 || p[dl] != '/'))
            continue;
        const char *rest = dl ? p + dl + 1 : p;
        const char *slash = strchr(rest, '/');
        size_t n = slash ? (size_t)(slash - rest) : strlen(rest);
        if (!slash && (strcmp(rest, "kustomization.yaml") == 0 || !ends_with_yaml(rest)))
            continue;
        if (last && lastlen == n && strncmp(last, rest, n) == 0)
            continue;
        if (slash && !has_yaml(b, p, (size_t)(slash - p)))
            continue;
        last = rest;
        lastlen = n;
        vec_push(b->ev, &out, value_string(b->ev->ar, source_span(b->p->units[0].src, 0, 0),
                                           rest, n));
    }
    return list_of(b, out.at, out.len);
}

static void kustomizations(Build *b)
{
    /* Directories are the prefixes of the files' paths; files are sorted,
     * so each is met in order. Collected first: adding files moves them. */
    size_t n = b->t->len, nd = 0, cap = 16;
    char **dirs = malloc(cap * sizeof *dirs);
    if (!dirs)
        abort();
    dirs[nd++] = strdup("");
    for (size_t i = 0; i < n; i++) {
        const char *p = b->t->files[i].path;
        for (const char *s = strchr(p, '/'); s; s = strchr(s + 1, '/')) {
            char *d = strndup(p, (size_t)(s - p));
            bool seen = false;
            for (size_t k = nd; k-- > 0 && !seen;)
                seen = strcmp(dirs[k], d) == 0;
            if (seen) {
                free(d);
                continue;
            }
            if (nd == cap) {
                cap *= 2;
                char **grown = realloc(dirs, cap * sizeof *dirs);
                if (!grown)
                    abort();
                dirs = grown;
            }
            dirs[nd++] = d;
        }
    }
    for (size_t i = 0; i < nd; i++) {
        if (!has_yaml(b, dirs[i], strlen(dirs[i]))) {
            free(dirs[i]);
            continue;
        }
        StrBuf path, name;
        sb_init(&path);
        sb_init(&name);
        sb_printf(&path, "%s%skustomization.yaml", dirs[i], *dirs[i] ? "/" : "");
        sb_printf(&name, "%s%s%s", b->t->site, *dirs[i] ? "-" : "", dirs[i]);
        for (char *c = name.data; *c; c++)
            if (*c == '/')
                *c = '-';
        const Value *k = obj(b, "apiVersion", str(b, "kustomize.config.k8s.io/v1beta1"), "kind",
                             str(b, "Kustomization"), "metadata", obj(b, "name", str(b, name.data),
                                                                       NULL),
                             "resources", entries(b, dirs[i]), NULL);
        emit_plain(b, path.data, k);
        sb_free(&path);
        sb_free(&name);
        free(dirs[i]);
    }
    free(dirs);
}

/* ---- the whole tree ---- */

static const Tree *placed_tree; /* for by_placed_path: qsort has no context */

static int by_placed_path(const void *x, const void *y)
{
    const Placed *a = x, *b = y;
    int c = strcmp(placed_tree->files[a->file].path, placed_tree->files[b->file].path);
    return c ? c : (a->file > b->file) - (a->file < b->file);
}

/* Two objects of one component with one file: kinds that differ only in
 * case or API group ("Tenant" of two groups), or a chart's HelmRelease
 * and a manifest of the same name. Identities differ, so components_eval
 * lets them pass, but the second file would replace the first. Sorted by
 * path, then by production order, so the report is the same every run. */
static void unique_paths(Build *b)
{
    placed_tree = b->t;
    qsort(b->placed, b->nplaced, sizeof *b->placed, by_placed_path);
    placed_tree = NULL;
    for (size_t i = 1; i < b->nplaced; i++) {
        const char *path = b->t->files[b->placed[i].file].path;
        if (strcmp(path, b->t->files[b->placed[i - 1].file].path) != 0)
            continue;
        Diag *d = diag_error(b->p->diags, "E0407", b->placed[i].at, "this object would be "
                             "written to %s, as another one is", path);
        diag_add_secondary(d, b->placed[i - 1].at, "written there first");
        diag_set_hint(d, "two objects of one component need kinds or names that differ "
                         "in more than case or API group");
        b->ok = false;
    }
}

/* The prefix is a directory of the repository (and of --out): a relative
 * path without ".", ".." or ".git" segments, as git_out requires. */
static bool check_prefix(Build *b)
{
    const char *why = gitout_path_problem(b->t->prefix);
    if (!why)
        return true;
    const Value *v = value_get(b->gitops, "path");
    Diag *d = diag_error(b->p->diags, "E0408", v ? v->at : source_span(b->p->units[0].src, 0, 0),
                         "\"%s\" cannot be the site's directory in the repository: %s",
                         b->t->prefix, why);
    diag_set_hint(d, "a relative path such as \"clusters/lab\"");
    return false;
}

static void index_file(Build *b)
{
    StrBuf j;
    sb_init(&j);
    sb_puts(&j, "{\n  \"site\": ");
    json_string(&j, b->t->site, strlen(b->t->site));
    sb_printf(&j, ",\n  \"resources\": [%s\n  ]\n}\n", b->index.data ? b->index.data : "");
    add_file(b, "crown.index.json", j.data, j.len);
    sb_free(&j);
}

const char *tree_prefix(const Program *p)
{
    const Value *site = value_get(p->root, "site");
    const Value *gitops = site ? value_get(site, "gitops") : NULL;
    const char *path = gitops ? field_text(gitops, "path") : NULL;
    return path ? path : site ? field_text(site, "name") : NULL;
}

bool tree_build(Program *p, const char *engine, Tree *t)
{
    memset(t, 0, sizeof *t);
    Build b = {p, &p->ev, t, NULL, false, {0}, NULL, 0, 0, true};
    sb_init(&b.index);
    const Value *site = value_get(p->root, "site");
    b.gitops = site ? value_get(site, "gitops") : NULL;
    const char *name = field_text(site, "name");
    if (!b.gitops || !name) {
        diag_error(p->diags, "E0408", source_span(p->units[0].src, 0, 0),
                   "the site has no name or no gitops settings");
        return false;
    }
    if (engine && strcmp(engine, "flux") != 0 && strcmp(engine, "argocd") != 0) {
        diag_error(p->diags, "E0408", source_span(p->units[0].src, 0, 0),
                   "unknown GitOps engine \"%s\": flux or argocd", engine);
        return false;
    }
    b.flux = strcmp(engine ? engine : b.gitops->u.obj.decl->name, "flux") == 0;
    t->site = strdup(name);
    t->prefix = strdup(tree_prefix(p));
    if (!check_prefix(&b)) {
        sb_free(&b.index);
        return false;
    }
    for (size_t i = 0; i < p->components.len; i++) {
        const Component *c = &p->components.at[i];
        for (size_t m = 0; m < c->nmanifests; m++)
            emit(&b, c, &c->manifests[m]);
        if (c->chart && b.flux)
            flux_chart(&b, c);
    }
    unique_paths(&b);
    free(b.placed);
    index_file(&b);
    bootstrap_readme(&b);
    if (b.flux)
        flux_wiring(&b);
    else
        argo_wiring(&b);
    qsort(t->files, t->len, sizeof *t->files, by_path);
    kustomizations(&b);
    qsort(t->files, t->len, sizeof *t->files, by_path);
    sb_free(&b.index);
    return b.ok;
}

void tree_free(Tree *t)
{
    for (size_t i = 0; i < t->len; i++) {
        free(t->files[i].path);
        free(t->files[i].data);
    }
    free(t->files);
    free(t->prefix);
    free(t->site);
    memset(t, 0, sizeof *t);
}

/* ---- writing a directory ---- */

static bool mkdirs(char *path)
{
    for (char *s = strchr(path + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = '\0';
        bool ok = mkdir(path, 0755) == 0 || errno == EEXIST;
        *s = '/';
        if (!ok)
            return false;
    }
    return mkdir(path, 0755) == 0 || errno == EEXIST;
}

static bool write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fwrite(data, 1, len, f) == len;
    return (fclose(f) == 0) && ok;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static bool write_all(const Tree *t, const char *root, char *err, size_t errlen)
{
    for (size_t i = 0; i < t->len; i++) {
        size_t n = strlen(root) + strlen(t->files[i].path) + 2;
        char *full = malloc(n);
        if (!full)
            abort();
        snprintf(full, n, "%s/%s", root, t->files[i].path);
        char *slash = strrchr(full, '/');
        *slash = '\0';
        bool ok = mkdirs(full);
        *slash = '/';
        ok = ok && write_file(full, t->files[i].data, t->files[i].len);
        if (!ok) {
            snprintf(err, errlen, "cannot write %s: %s", full, strerror(errno));
            free(full);
            return false;
        }
        free(full);
    }
    return true;
}

/* mkdtemp makes a directory of mode 0700; the subtree it becomes gets the
 * mode mkdir gives its subdirectories (0755 less the umask), or readers
 * other than the writer (a web server, a git daemon) cannot enter it. */
static bool as_mkdir_makes(const char *dir)
{
    mode_t mask = umask(0);
    umask(mask);
    return chmod(dir, 0755 & ~mask) == 0;
}

bool tree_write_dir(const Tree *t, const char *dir, char *err, size_t errlen)
{
    size_t n = strlen(dir) + strlen(t->prefix) + 32;
    char *target = malloc(n), *tmp = malloc(n), *old = malloc(n);
    if (!target || !tmp || !old)
        abort();
    snprintf(target, n, "%s/%s", dir, t->prefix);
    char *parent = strdup(target);
    *strrchr(parent, '/') = '\0';
    bool ok = mkdirs(parent);
    snprintf(tmp, n, "%s/.crownc-new-XXXXXX", parent);
    snprintf(old, n, "%s/.crownc-old-XXXXXX", parent);
    if (!ok || !mkdtemp(tmp) || !as_mkdir_makes(tmp)) {
        snprintf(err, errlen, "cannot create a directory in %s: %s", parent, strerror(errno));
        ok = false;
    } else if (!write_all(t, tmp, err, errlen)) {
        nftw(tmp, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        ok = false;
    } else {
        struct stat st;
        bool had = stat(target, &st) == 0;
        if (had && (!mkdtemp(old) || rmdir(old) != 0 || rename(target, old) != 0)) {
            snprintf(err, errlen, "cannot replace %s: %s", target, strerror(errno));
            nftw(tmp, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
            ok = false;
        } else if (rename(tmp, target) != 0) {
            snprintf(err, errlen, "cannot replace %s: %s", target, strerror(errno));
            /* Put the old tree back: a failure leaves what was there. */
            if (had)
                rename(old, target);
            nftw(tmp, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
            ok = false;
        } else if (had) {
            nftw(old, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        }
    }
    free(parent);
    free(target);
    free(tmp);
    free(old);
    return ok;
}
