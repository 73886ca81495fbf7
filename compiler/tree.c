/* tree.c — a site's objects as files: paths, canonical YAML, the index
 * and the kustomizations (tree.h). The engines' own objects are in
 * tree_gitops.c, the operator's steps in tree_readme.c, writing to a
 * directory in tree_write.c. */
#define _XOPEN_SOURCE 700 /* realpath */

#include "tree.h"
#include "tree_internal.h"

#include <ctype.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "component.h"
#include "diag_render.h"
#include "filename.h"
#include "inputs.h"
#include "git_out.h"
#include "secrets.h"
#include "yaml_out.h"

/* ---- values built here ---- */

const Value *tb_str(Build *b, const char *s)
{
    return value_string(b->ev->ar, source_span(b->p->units[0].src, 0, 0), s, strlen(s));
}

const Value *tb_boolean(Build *b, bool v)
{
    return value_bool(b->ev->ar, source_span(b->p->units[0].src, 0, 0), v);
}

const Value *tb_int(Build *b, int64_t v)
{
    return value_int(b->ev->ar, source_span(b->p->units[0].src, 0, 0), v);
}


const Value *tb_list_of(Build *b, const Value **items, size_t n)
{
    const Value **copy = arena_alloc(b->ev->ar, (n ? n : 1) * sizeof *copy);
    if (n)
        memcpy(copy, items, n * sizeof *copy);
    return value_list(b->ev->ar, source_span(b->p->units[0].src, 0, 0), copy, n);
}

const char *tb_field_text(const Value *rec, const char *key)
{
    const Value *v = rec ? value_get(rec, key) : NULL;
    return v && v->kind == V_STRING ? v->u.str.s : NULL;
}

/* An Argo CD setting of the site, or its default when the site chose
 * Flux and the tree is built for Argo CD anyway (--engine). */
const char *tb_argo_setting(const Build *b, const char *key, const char *dflt)
{
    const char *v = tb_field_text(b->gitops, key);
    return v ? v : dflt;
}

/* ---- files ---- */

void tb_add_file(Build *b, const char *path, const char *data, size_t len)
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
    static const char digits[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
    for (unsigned i = 0; i < n && i < 32; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[64] = '\0';
}

/* Where a source file is, independent of the working directory and of
 * where the checkout lives (inputs.h), so that the index (and the
 * commit) are the same wherever the build runs. */
static void stable_source(Build *b, const Source *src, StrBuf *out)
{
    if (!b->stable_path || b->stable_src != src) {
        StrBuf path;
        sb_init(&path);
        inputs_stable_path(b->p, src ? src->path : NULL, &path);
        free(b->stable_path);
        b->stable_path = sb_take(&path);
        b->stable_src = src;
    }
    sb_puts(out, b->stable_path);
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
        blank[i] = tb_str(b, "");
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
    /* one entry per object: written out, not formatted */
    sb_puts(ix, ", \"sha256\": \"");
    sb_puts(ix, hex);
    sb_puts(ix, "\", \"source\": ");
    StrBuf src;
    sb_init(&src);
    stable_source(b, m->origin.src, &src);
    SpanPos at = span_pos(&m->origin);
    sb_putc(&src, ':');
    sb_putu(&src, at.line);
    sb_putc(&src, ':');
    sb_putu(&src, at.col);
    json_string(ix, src.data, src.len);
    sb_free(&src);
    sb_putc(ix, '}');
}

bool tb_render(Build *b, const Value *doc, Span at, StrBuf *out)
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

void tb_emit(Build *b, const Component *c, const Manifest *m)
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
    char *path;
    if (m->path) {
        path = strdup(m->path);
        if (!path)
            abort();
    } else {
        StrBuf id;
        sb_init(&id);
        manifest_identity(m, &id);
        path = filename_path(c->layer, c->decl->name, m->kind, m->ns, m->name, id.data, false);
        sb_free(&id);
    }
    StrBuf text;
    sb_init(&text);
    if (tb_render(b, m->obj, m->at, &text)) {
        if (b->nplaced == b->capplaced) {
            b->capplaced = b->capplaced ? b->capplaced * 2 : 64;
            b->placed = realloc(b->placed, b->capplaced * sizeof *b->placed);
            if (!b->placed)
                abort();
        }
        b->placed[b->nplaced++] = (Placed){b->t->len, m->at};
        tb_add_file(b, path, text.data, text.len);
        index_entry(b, path, text.data, text.len, m, c->decl->name);
    }
    free(path);
    sb_free(&text);
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

/* The files are sorted by path, so the files below a directory are
 * contiguous: each directory is a range of them, and everything below is
 * linear in the files times their depth. */

static const char *file_path(const Build *b, size_t i) { return b->t->files[i].path; }

/* Whether p lies below dir (dl bytes of a path; 0: the root). */
static bool below(const char *p, const char *dir, size_t dl)
{
    return dl == 0 || (strncmp(p, dir, dl) == 0 && p[dl] == '/');
}

/* The end of the range of files from lo (below dir) that lie below dir. */
static size_t below_end(const Build *b, size_t lo, size_t n, const char *dir, size_t dl)
{
    while (lo < n && below(file_path(b, lo), dir, dl))
        lo++;
    return lo;
}

/* Files for the operator: the configuration of systems outside the
 * cluster, which no kustomization may apply, whatever their names. */
static bool for_operator(const char *path)
{
    return strncmp(path, "bootstrap/", strlen("bootstrap/")) == 0;
}

/* Whether a YAML file of the cluster is among the files [lo, hi): a
 * directory of other files is no kustomize directory. */
static bool any_yaml(const Build *b, size_t lo, size_t hi)
{
    for (size_t i = lo; i < hi; i++)
        if (ends_with_yaml(file_path(b, i)) && !for_operator(file_path(b, i)))
            return true;
    return false;
}

/* The entries directly inside a directory (dl bytes of path; 0: the root),
 * whose files are [lo, hi): files and first-level directories, each once,
 * sorted. */
static const Value *entries(Build *b, size_t dl, size_t lo, size_t hi)
{
    ValueVec out = {0};
    for (size_t i = lo; i < hi; i++) {
        const char *p = file_path(b, i);
        const char *rest = dl ? p + dl + 1 : p;
        const char *slash = strchr(rest, '/');
        size_t n = slash ? (size_t)(slash - rest) : strlen(rest);
        if (slash) {
            size_t end = below_end(b, i, hi, p, (size_t)(slash - p));
            bool yaml = any_yaml(b, i, end);
            i = end - 1;
            if (!yaml)
                continue;
        } else if (strcmp(rest, "kustomization.yaml") == 0 || !ends_with_yaml(rest)) {
            continue;
        }
        vec_push(b->ev, &out, value_string(b->ev->ar, source_span(b->p->units[0].src, 0, 0),
                                           rest, n));
    }
    const Value **items = vec_take(b->ev, &out);
    return tb_list_of(b, items, out.len);
}

typedef struct Dir {
    char *path;
    size_t lo, hi; /* its files */
} Dir;

/* The remote resources of the component whose directory is path: a
 * component's directory is LAYER/COMPONENT. NULL when none. */
static const Component *remote_of(const Build *b, const char *path)
{
    for (size_t i = 0; i < b->p->components.len; i++) {
        const Component *c = &b->p->components.at[i];
        size_t ll = strlen(c->layer);
        if (c->nremote && strncmp(path, c->layer, ll) == 0 && path[ll] == '/' &&
            strcmp(path + ll + 1, c->decl->name) == 0)
            return c;
    }
    return NULL;
}

/* A component with remote resources may have no file of its own: its
 * kustomization is added empty first, so that its directory exists and
 * its layer lists it, and filled in by kustomization(). */
static void remote_directories(Build *b)
{
    for (size_t i = 0; i < b->p->components.len; i++) {
        const Component *c = &b->p->components.at[i];
        if (!c->nremote)
            continue;
        StrBuf path;
        sb_init(&path);
        sb_printf(&path, "%s/%s/kustomization.yaml", c->layer, c->decl->name);
        tb_add_file(b, path.data, "", 0);
        sb_free(&path);
    }
}

/* The local entries of a directory, then its component's remote ones:
 * kustomize reads the local files first, so a failed download names
 * the remote file alone. */
static const Value *resources(Build *b, const Dir *d)
{
    const Value *local = entries(b, strlen(d->path), d->lo, d->hi);
    const Component *c = remote_of(b, d->path);
    if (!c)
        return local;
    const Value **items = arena_alloc(b->ev->ar, (local->u.list.len + c->nremote) * sizeof *items);
    memcpy(items, local->u.list.items, local->u.list.len * sizeof *items);
    for (size_t i = 0; i < c->nremote; i++)
        items[local->u.list.len + i] = tb_str(b, c->remote[i]);
    return tb_list_of(b, items, local->u.list.len + c->nremote);
}

/* Writes a directory's kustomization, in place of the empty one of
 * remote_directories() where there is one. */
static void put_kustomization(Build *b, const Dir *d, const char *path, const Value *k)
{
    for (size_t i = d->lo; i < d->hi; i++) {
        TreeFile *f = &b->t->files[i];
        if (strcmp(f->path, path) == 0) {
            StrBuf text;
            sb_init(&text);
            if (tb_render(b, k, source_span(b->p->units[0].src, 0, 0), &text)) {
                free(f->data);
                f->len = text.len;
                f->data = sb_take(&text);
            }
            sb_free(&text);
            return;
        }
    }
    tb_emit_plain(b, path, k);
}

static void kustomization(Build *b, const Dir *d)
{
    StrBuf path, name;
    sb_init(&path);
    sb_init(&name);
    sb_printf(&path, "%s%skustomization.yaml", d->path, *d->path ? "/" : "");
    sb_printf(&name, "%s%s%s", b->t->site, *d->path ? "-" : "", d->path);
    for (char *c = name.data; *c; c++)
        if (*c == '/')
            *c = '-';
    /* A name stays a DNS label however deep the directory: past 63
     * characters, its start and a digest of the whole. */
    if (name.len > 63) {
        char hex[65];
        digest(name.data, name.len, hex);
        name.len = 52;
        name.data[52] = '\0';
        sb_putc(&name, '-');
        sb_putn(&name, hex, 10);
    }
    const Value *k = obj(b, "apiVersion", tb_str(b, "kustomize.config.k8s.io/v1beta1"), "kind",
                         tb_str(b, "Kustomization"), "metadata", obj(b, "name", tb_str(b, name.data),
                                                                   NULL),
                         "resources", resources(b, d), NULL);
    put_kustomization(b, d, path.data, k);
    sb_free(&path);
    sb_free(&name);
}

static void kustomizations(Build *b)
{
    /* Directories are the prefixes of the files' paths, each met first at
     * the start of its range; collected first, as adding files moves them
     * (the files added go after the first n). */
    size_t n = b->t->len, nd = 0, cap = 16;
    Dir *dirs = malloc(cap * sizeof *dirs);
    if (!dirs)
        abort();
    dirs[nd++] = (Dir){strdup(""), 0, n};
    for (size_t i = 0; i < n; i++) {
        const char *p = file_path(b, i), *prev = i ? file_path(b, i - 1) : NULL;
        for (const char *s = strchr(p, '/'); s; s = strchr(s + 1, '/')) {
            size_t dl = (size_t)(s - p);
            if (prev && strncmp(prev, p, dl + 1) == 0)
                continue; /* the previous file is below it too: met already */
            if (nd == cap) {
                cap *= 2;
                Dir *grown = realloc(dirs, cap * sizeof *dirs);
                if (!grown)
                    abort();
                dirs = grown;
            }
            dirs[nd++] = (Dir){strndup(p, dl), i, below_end(b, i, n, p, dl)};
        }
    }
    for (size_t i = 0; i < nd; i++) {
        if (any_yaml(b, dirs[i].lo, dirs[i].hi))
            kustomization(b, &dirs[i]);
        free(dirs[i].path);
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
        diag_set_hint(d, "the tree adds objects of its own for a component (its chart's "
                         "HelmRepository and HelmRelease): give this one another name");
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

/* The index lists every other file of the tree too: what `build --out`
 * may replace is what an index there says crownc wrote (tree_write.c). */
static void index_file(Build *b)
{
    StrBuf j;
    sb_init(&j);
    sb_puts(&j, "{\n  \"site\": ");
    json_string(&j, b->t->site, strlen(b->t->site));
    Inputs in;
    inputs_of_program(b->p, &in);
    inputs_index_json(&in, &j);
    inputs_free(&in);
    sb_printf(&j, ",\n  \"resources\": [%s\n  ],\n  \"files\": [",
              b->index.data ? b->index.data : "");
    for (size_t i = 0; i < b->t->len; i++) {
        sb_puts(&j, i ? ",\n    " : "\n    ");
        json_string(&j, b->t->files[i].path, strlen(b->t->files[i].path));
    }
    sb_puts(&j, "\n  ]\n}\n");
    tb_add_file(b, "crown.index.json", j.data, j.len);
    sb_free(&j);
}

const char *tree_prefix(const Program *p)
{
    const Value *site = value_get(p->root, "site");
    const Value *gitops = site ? value_get(site, "gitops") : NULL;
    const char *path = gitops ? tb_field_text(gitops, "path") : NULL;
    return path ? path : site ? tb_field_text(site, "name") : NULL;
}

bool tree_build(Program *p, const char *engine, Tree *t)
{
    memset(t, 0, sizeof *t);
    Build b = {p, &p->ev, t, NULL, false, {0}, NULL, 0, 0, true, NULL, NULL};
    sb_init(&b.index);
    const Value *site = value_get(p->root, "site");
    b.gitops = site ? value_get(site, "gitops") : NULL;
    const char *name = tb_field_text(site, "name");
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
        free(b.stable_path);
        return false;
    }
    for (size_t i = 0; i < p->components.len; i++) {
        const Component *c = &p->components.at[i];
        for (size_t m = 0; m < c->nmanifests; m++)
            tb_emit(&b, c, &c->manifests[m]);
        if (c->chart && b.flux)
            tree_flux_chart(&b, c);
    }
    unique_paths(&b);
    free(b.placed);
    remote_directories(&b);
    tree_bootstrap_readme(&b);
    if (b.flux)
        tree_flux_wiring(&b);
    else
        tree_argo_wiring(&b);
    qsort(t->files, t->len, sizeof *t->files, by_path);
    kustomizations(&b);
    qsort(t->files, t->len, sizeof *t->files, by_path);
    index_file(&b);
    qsort(t->files, t->len, sizeof *t->files, by_path);
    sb_free(&b.index);
    free(b.stable_path);
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

