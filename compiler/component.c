#include "component.h"
#include "filename.h"
#include "k8sname.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const layers[] = {"crds", "operators", "config", "crownlabs", "workspaces",
                                     "tenants"};

const char *const *component_layers(size_t *n)
{
    *n = sizeof layers / sizeof layers[0];
    return layers;
}

typedef struct Ctx {
    Program *p;
    Eval *ev;
    Component *c;
    ValueVec objs;      /* manifests as evaluated */
    const Node **at;    /* ... and where each was written */
    Span *origin;       /* ... and what in the site it comes from */
    size_t nat, capat;
    bool enabled;
    /* The labels last completed, and what they became: the manifests of
     * a loop mostly share theirs (a Tenant per person). */
    const Value *labels_in, *labels_out;
    const Value *scoped; /* cluster_scoped_kinds, once looked up */
} Ctx;

/* ---- attributes of the component itself ---- */

static const Value *attr_value(Ctx *x, const Node *it, Env *env, TypeKind want)
{
    const Value *v = eval_expr(x->ev, it->a, env, type_basic(want));
    return v ? eval_coerce(x->ev, v, type_basic(want), it->name.s) : NULL;
}

static bool known_layer(const char *l)
{
    for (size_t i = 0; i < sizeof layers / sizeof layers[0]; i++)
        if (strcmp(layers[i], l) == 0)
            return true;
    return false;
}

static void set_layer(Ctx *x, const Node *it, Env *env)
{
    const Value *v = attr_value(x, it, env, TY_STRING);
    if (!v)
        return;
    if (!known_layer(v->u.str.s)) {
        Diag *d = eval_error(x->ev, "E0401", v->at, "unknown layer \"%s\"", v->u.str.s);
        diag_set_hint(d, "layers, in apply order: crds, operators, config, crownlabs, "
                         "workspaces, tenants");
        return;
    }
    x->c->layer = v->u.str.s;
}

static void set_depends(Ctx *x, const Node *it, Env *env)
{
    const Type *t = type_list(x->ev->ar, type_basic(TY_NAME));
    const Value *v = eval_expr(x->ev, it->a, env, t);
    v = v ? eval_coerce(x->ev, v, t, "depends_on") : NULL;
    if (!v)
        return;
    x->c->depends = arena_alloc(x->ev->ar, (v->u.list.len ? v->u.list.len : 1) * sizeof(char *));
    for (size_t i = 0; i < v->u.list.len; i++)
        x->c->depends[i] = v->u.list.items[i]->u.str.s;
    x->c->ndepends = v->u.list.len;
}

static void push_manifest(Ctx *x, const Value *v, const Node *at, Span origin)
{
    vec_push(x->ev, &x->objs, v);
    if (x->nat == x->capat) {
        x->capat = x->capat ? x->capat * 2 : 16;
        x->at = arena_grow(x->ev->ar, x->at, x->nat, x->capat, sizeof *x->at);
        x->origin = arena_grow(x->ev->ar, x->origin, x->nat, x->capat, sizeof *x->origin);
    }
    x->origin[x->nat] = origin;
    x->at[x->nat++] = at;
}

/* `manifests = [...]`: objects computed whole, such as documents read
 * with yaml(). */
static void add_manifests(Ctx *x, const Node *it, Env *env)
{
    const Type *t = type_list(x->ev->ar, type_basic(TY_OBJECT));
    const Value *v = eval_expr(x->ev, it->a, env, t);
    v = v ? eval_coerce(x->ev, v, t, "manifests") : NULL;
    for (size_t i = 0; v && i < v->u.list.len; i++)
        push_manifest(x, v->u.list.items[i], it, it->span);
}

/* `bootstrap = {"FILE" = "text"}`: files for the operator, written to
 * bootstrap/COMPONENT/FILE. They hold no secret (a secret cannot become
 * text): where one is needed, the text says how to reveal it. */
static void set_bootstrap(Ctx *x, const Node *it, Env *env)
{
    const Type *t = type_map(x->ev->ar, type_basic(TY_STRING));
    const Value *v = eval_expr(x->ev, it->a, env, t);
    v = v ? eval_coerce(x->ev, v, t, "bootstrap") : NULL;
    for (size_t i = 0; v && i < v->u.obj.len; i++) {
        const char *f = v->u.obj.keys[i];
        bool ok = *f && strlen(f) <= 100 && f[0] != '.';
        for (const char *c = f; ok && *c; c++)
            ok = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' ||
                 *c == '.' || *c == '_';
        if (!ok) {
            eval_error(x->ev, "E0402", v->u.obj.vals[i]->at, "\"%s\" cannot name a bootstrap "
                       "file: lowercase letters, digits, '-', '_' and '.'", f);
            return;
        }
    }
    x->c->bootstrap = v;
}

/* `remote = ["https://..."]`: kustomize fetches these when it builds the
 * component's directory, so each must be an https URL of one YAML file;
 * anything else would be fetched over a channel an attacker can change,
 * or not be a manifest at all. */
static void set_remote(Ctx *x, const Node *it, Env *env)
{
    const Type *t = type_list(x->ev->ar, type_basic(TY_URL));
    const Value *v = eval_expr(x->ev, it->a, env, t);
    v = v ? eval_coerce(x->ev, v, t, "remote") : NULL;
    if (!v)
        return;
    x->c->remote = arena_alloc(x->ev->ar, (v->u.list.len ? v->u.list.len : 1) * sizeof(char *));
    for (size_t i = 0; i < v->u.list.len; i++) {
        const Value *u = v->u.list.items[i];
        size_t n = u->u.str.len;
        bool yaml = (n > 5 && strcmp(u->u.str.s + n - 5, ".yaml") == 0) ||
                    (n > 4 && strcmp(u->u.str.s + n - 4, ".yml") == 0);
        if (strncmp(u->u.str.s, "https://", 8) != 0 || !yaml || strpbrk(u->u.str.s, "?#")) {
            Diag *d = eval_error(x->ev, "E0402", u->at, "\"%s\" cannot be a remote resource: "
                                 "an https URL of a .yaml file", u->u.str.s);
            diag_set_hint(d, "a release asset, such as https://github.com/OWNER/REPO/releases/"
                             "download/TAG/FILE.yaml");
            return;
        }
        x->c->remote[i] = u->u.str.s;
    }
    x->c->nremote = v->u.list.len;
}

/* provides and needs add up over the body's branches. */
static void append(Ctx *x, const Value ***list, size_t *n, const Value *v)
{
    *list = arena_grow(x->ev->ar, *list, *n, *n + 1, sizeof **list);
    (*list)[(*n)++] = v;
}

static void component_attr(Ctx *x, const Node *it, Env *env)
{
    const char *k = it->name.s;
    if (strcmp(k, "when") == 0) {
        const Value *v = attr_value(x, it, env, TY_BOOL);
        x->enabled = v && v->u.b;
    } else if (strcmp(k, "layer") == 0) {
        set_layer(x, it, env);
    } else if (strcmp(k, "namespace") == 0) {
        const Value *v = eval_expr(x->ev, it->a, env, type_basic(TY_NAME));
        v = v ? eval_coerce(x->ev, v, type_optional(x->ev->ar, type_basic(TY_NAME)), k) : NULL;
        x->c->ns = v && v->kind == V_STRING ? v->u.str.s : NULL;
    } else if (strcmp(k, "depends_on") == 0) {
        set_depends(x, it, env);
    } else if (strcmp(k, "manifests") == 0) {
        add_manifests(x, it, env);
    } else if (strcmp(k, "bootstrap") == 0) {
        set_bootstrap(x, it, env);
    } else if (strcmp(k, "remote") == 0) {
        set_remote(x, it, env);
    } else if (strcmp(k, "provides") == 0) {
        const Value *v = attr_value(x, it, env, TY_OBJECT);
        if (v)
            append(x, &x->c->provides, &x->c->nprovides, v);
    } else if (strcmp(k, "needs") == 0) {
        const Type *t = type_list(x->ev->ar, type_basic(TY_OBJECT));
        const Value *v = eval_expr(x->ev, it->a, env, t);
        v = v ? eval_coerce(x->ev, v, t, "needs") : NULL;
        if (v)
            append(x, &x->c->needs, &x->c->nneeds, v);
    } else {
        Diag *d = eval_error(x->ev, "E0402", it->span, "a component has no attribute `%s`", k);
        diag_set_hint(d, "a component sets when, layer, namespace, depends_on, manifests, "
                         "bootstrap, remote, provides and needs, and holds `chart` and `manifest` "
                         "blocks");
    }
}

/* ---- manifests ---- */

typedef struct ManifestLoop {
    Ctx *x;
    const Node *blk;
} ManifestLoop;

static void add_manifest(Ctx *x, const Node *blk, Env *env, Span origin)
{
    Node tmp = *blk;
    tmp.kind = N_OBJECT;
    const Value *v = eval_object(x->ev, &tmp, env, NULL);
    if (v)
        push_manifest(x, v, blk, origin);
}

/* `manifest for c in courses`: the object comes from the course, so the
 * index sends a reviewer to the course's block in the site, not to the
 * library's template. */
static bool manifest_step(Eval *ev, Env *env, void *p)
{
    ManifestLoop *l = p;
    bool found;
    const Value *by = env_lookup(ev, env, l->blk->c->list.at[0]->name.s, NULL, &found);
    Span origin = by && by->kind == V_RECORD ? by->at : l->blk->span;
    add_manifest(l->x, l->blk, env, origin);
    return true;
}


/* `path`: the chart is a directory of the git repository `repository`
 * at the tag `version`, for charts published in no Helm repository. The
 * path reaches the GitOps engine's source and kustomize, so it is a
 * plain relative path of the repository and nothing else. */
static bool chart_path_ok(Ctx *x, const Value *p)
{
    if (!p)
        return true;
    const char *s = p->kind == V_STRING ? p->u.str.s : NULL;
    bool ok = s && *s && *s != '/' && s[strlen(s) - 1] != '/' &&
              strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/") ==
                  strlen(s);
    for (const char *c = s; ok && c; c = strchr(c, '/')) {
        c += *c == '/';
        ok = strncmp(c, "..", 2) != 0 && strncmp(c, "./", 2) != 0 && *c != '/' &&
             strcmp(c, ".") != 0;
    }
    if (!ok) {
        Diag *d = eval_error(x->ev, "E0403", p->at, "a chart's `path` is a directory of its git "
                             "repository, relative and without `.` or `..`");
        diag_set_hint(d, "path = \"deploy/chart/NAME\"");
    }
    return ok;
}

static void chart(Ctx *x, const Node *blk, Env *env)
{
    Node tmp = *blk;
    tmp.kind = N_OBJECT;
    const Value *v = eval_object(x->ev, &tmp, env, NULL);
    if (!v)
        return;
    const Value *name = blk->a ? eval_expr(x->ev, blk->a, env, type_basic(TY_STRING)) : NULL;
    if (!name || name->kind != V_STRING || !value_get(v, "repository") || !value_get(v, "version")) {
        Diag *d = eval_error(x->ev, "E0403", blk->span, "a chart needs a name, a repository and "
                             "a version");
        diag_set_hint(d, "chart \"metallb\" { repository = \"https://...\", version = \"0.14.9\" }");
        return;
    }
    if (!chart_path_ok(x, value_get(v, "path")))
        return;
    size_t n = v->u.obj.len + 1;
    const char **keys = arena_alloc(x->ev->ar, n * sizeof *keys);
    const Value **vals = arena_alloc(x->ev->ar, n * sizeof *vals);
    keys[0] = "name";
    vals[0] = name;
    if (v->u.obj.len) {
        memcpy(keys + 1, v->u.obj.keys, v->u.obj.len * sizeof *keys);
        memcpy(vals + 1, v->u.obj.vals, v->u.obj.len * sizeof *vals);
    }
    /* In Helm values a null deletes the chart's default: an attribute the
     * site leaves unset must leave the default alone instead. */
    x->c->chart = value_without_nulls(x->ev->ar, value_object(x->ev->ar, blk->span, keys, vals, n));
}

static void body(Ctx *x, const NodeList *items, Env *outer);

typedef struct BodyLoop {
    Ctx *x;
    const NodeList *items;
} BodyLoop;

static bool body_step(Eval *ev, Env *env, void *p)
{
    (void)ev;
    BodyLoop *l = p;
    body(l->x, l->items, env);
    return true;
}

static void branch(Ctx *x, const Node *it, Env *env)
{
    const Value *c = eval_bool(x->ev, it->a, env, "the condition of `if`");
    if (!c)
        return;
    if (c->u.b)
        body(x, &it->list, env);
    else if (it->b)
        branch(x, it->b, env);
    else
        body(x, &it->list2, env);
}

static void block(Ctx *x, const Node *blk, Env *env)
{
    if (strcmp(blk->name.s, "chart") == 0) {
        chart(x, blk, env);
    } else if (strcmp(blk->name.s, "manifest") == 0 && !blk->a) {
        if (!blk->c) {
            add_manifest(x, blk, env, blk->span);
            return;
        }
        ManifestLoop l = {x, blk};
        eval_for_eager(x->ev, &blk->c->list, blk->c->a, env, manifest_step, &l);
    } else {
        Diag *d = eval_error(x->ev, "E0402", blk->span, "a component holds `chart` and "
                             "`manifest` blocks, not `%s`", blk->name.s);
        (void)d;
    }
}

static void body(Ctx *x, const NodeList *items, Env *outer)
{
    Env *env = env_with_lets(x->ev, outer, items);
    /* `when` decides before anything else is evaluated: a disabled
     * component may read fields that only its enabled form has. */
    for (uint32_t i = 0; i < items->len; i++) {
        const Node *it = items->at[i];
        if (it->kind == N_ATTR && strcmp(it->name.s, "when") == 0)
            component_attr(x, it, env);
    }
    if (!x->enabled)
        return;
    for (uint32_t i = 0; i < items->len; i++) {
        const Node *it = items->at[i];
        switch (it->kind) {
        case N_ATTR:
            if (strcmp(it->name.s, "when") != 0)
                component_attr(x, it, env);
            break;
        case N_BLOCK: block(x, it, env); break;
        case N_FOR: {
            BodyLoop l = {x, &it->list2};
            eval_for(x->ev, &it->list, it->a, env, body_step, &l);
            break;
        }
        case N_IF: branch(x, it, env); break;
        default: break;
        }
    }
}

/* ---- completing the objects ---- */

/* A copy of obj with key set to v: replaced in place, or added last. */
static const Value *with_key(Eval *ev, const Value *obj, const char *key, const Value *v)
{
    return value_with_key(ev->ar, obj, key, v);
}

/* A namespace is also a directory of the tree; as a DNS label it has no
 * dot, so "kustomization.yaml" or "x.yaml" cannot collide with the files
 * beside it. */
static bool name_ok(const Value *v, bool label)
{
    return v && v->kind == V_STRING && (label ? k8s_label : k8s_subdomain)(v->u.str.s, v->u.str.len);
}

/* Kubernetes reads kind and apiVersion exactly: "secret" or "v1 " is not
 * a Secret to crownc's sealing, but a client that folds case or spaces
 * would apply it as one, in clear. Only canonical spellings pass. */
static bool type_ok(Eval *ev, const Value *obj, const char *api, const char *kind)
{
    const Value *a = value_get(obj, "apiVersion"), *k = value_get(obj, "kind");
    bool api_ok = k8s_api_version(api, a->u.str.len), kind_ok = k8s_kind(kind, k->u.str.len);
    /* "SECRET" is CamelCase too, and would escape the sealing. */
    if (kind_ok && strcasecmp(kind, "Secret") == 0 && strcmp(kind, "Secret") != 0)
        kind_ok = false;
    if (api_ok && kind_ok)
        return true;
    const Value *bad = api_ok ? k : a;
    Diag *d = eval_error(ev, "E0411", bad->at, "\"%s\" is not a Kubernetes %s", bad->u.str.s,
                         api_ok ? "kind" : "apiVersion");
    diag_set_hint(d, api_ok ? "a kind is CamelCase letters and digits, such as `Secret` or "
                              "`ConfigMap`, spelt exactly"
                            : "an apiVersion is `v1` or GROUP/VERSION such as `apps/v1`, "
                              "lowercase, with nothing around it");
    return false;
}

static bool cluster_scoped(Ctx *x, const char *kind)
{
    bool found;
    if (!x->scoped)
        x->scoped = env_lookup(x->ev, x->ev->globals, "cluster_scoped_kinds", NULL, &found);
    const Value *l = x->scoped;
    if (!l || l->kind != V_LIST)
        return false;
    for (size_t i = 0; i < l->u.list.len; i++)
        if (l->u.list.items[i]->kind == V_STRING && strcmp(l->u.list.items[i]->u.str.s, kind) == 0)
            return true;
    return false;
}

static const char *text_at(Ctx *x, const Value *obj, const char *key, const Node *blk,
                           const char *what)
{
    const Value *v = obj ? value_get(obj, key) : NULL;
    if (v && v->kind == V_STRING && v->u.str.len)
        return v->u.str.s;
    eval_error(x->ev, "E0404", blk->span, "this manifest has no %s", what);
    return NULL;
}

static const Value *common_labels(Ctx *x, const Value *meta, Span at)
{
    Eval *ev = x->ev;
    const Value *labels = value_get(meta, "labels");
    if (!labels || labels->kind != V_OBJECT)
        labels = NULL;
    if (x->labels_out && x->labels_in == labels)
        return x->labels_out;
    x->labels_in = labels;
    if (!labels)
        labels = value_object(ev->ar, at, NULL, NULL, 0);
    static const char *const keys[] = {"app.kubernetes.io/managed-by", "app.kubernetes.io/part-of",
                                       "app.kubernetes.io/component"};
    const char *vals[] = {"crownc", "crownlabs", x->c->decl->name};
    for (size_t i = 0; i < 3; i++)
        if (!value_get(labels, keys[i]))
            labels = with_key(ev, labels, keys[i], value_string(ev->ar, at, vals[i],
                                                                strlen(vals[i])));
    x->labels_out = labels;
    return labels;
}

static bool complete(Ctx *x, const Value *obj, const Node *blk, Span origin, Manifest *m)
{
    Eval *ev = x->ev;
    obj = value_without_nulls(ev->ar, obj);
    const Value *meta = value_get(obj, "metadata");
    const char *kind = text_at(x, obj, "kind", blk, "`kind`");
    const char *api = text_at(x, obj, "apiVersion", blk, "`apiVersion`");
    if (!api || !kind || !type_ok(ev, obj, api, kind))
        return false;
    const char *name = text_at(x, meta, "name", blk, "`metadata { name = ... }`");
    if (!name)
        return false;
    if (!name_ok(value_get(meta, "name"), false)) {
        Diag *d = eval_error(ev, "E0405", value_get(meta, "name")->at, "\"%s\" cannot name a "
                             "%s: Kubernetes names are 1 to 253 bytes of lowercase letters, digits, "
                             "'-' and '.'",
                             name, kind);
        diag_set_hint(d, "derive names from labels and usernames, which are checked names");
        return false;
    }
    const char *ns = NULL;
    const Value *nsv = value_get(meta, "namespace");
    if (nsv && nsv->kind == V_STRING) {
        ns = nsv->u.str.s;
    } else if (!cluster_scoped(x, kind)) {
        ns = x->c->ns;
        if (!ns) {
            Diag *d = eval_error(ev, "E0406", blk->span, "a %s lives in a namespace, and "
                                 "component `%s` names none", kind, x->c->decl->name);
            diag_set_hint(d, "set `namespace` on the component or in `metadata`");
            return false;
        }
        meta = with_key(ev, meta, "namespace", value_string(ev->ar, blk->span, ns, strlen(ns)));
    }
    bool own = nsv && nsv->kind == V_STRING;
    if (ns && !(own ? name_ok(nsv, true) : k8s_label(ns, strlen(ns)))) {
        Diag *d = eval_error(ev, "E0405", nsv ? nsv->at : blk->span, "\"%s\" cannot name a "
                             "namespace", ns);
        diag_set_hint(d, "a namespace is a DNS label: lowercase letters, digits and inner '-', "
                         "at most 63 characters");
        return false;
    }
    meta = with_key(ev, meta, "labels", common_labels(x, meta, blk->span));
    *m = (Manifest){with_key(ev, obj, "metadata", meta), kind, name, ns, blk->span, origin, NULL};
    return true;
}

static void finish(Ctx *x)
{
    Component *c = x->c;
    c->manifests = arena_alloc(x->ev->ar, (x->objs.len ? x->objs.len : 1) * sizeof *c->manifests);
    for (size_t i = 0; i < x->objs.len; i++)
        if (complete(x, x->objs.at[i], x->at[i], x->origin[i], &c->manifests[c->nmanifests]))
            c->nmanifests++;
}

/* ---- the whole program ---- */

typedef struct Ident {
    char *key;            /* "group/kind/namespace/name" */
    const Manifest *m;
    size_t order;         /* production order, for "first produced here" */
} Ident;

/* An object's identity in the cluster: API group (not version), kind,
 * namespace and name, as it will be written: every Secret goes out as the
 * SealedSecret of its name (secrets.h), so it clashes with one. */
void manifest_identity(const Manifest *m, StrBuf *out)
{
    const Value *v = value_get(m->obj, "apiVersion");
    const char *api = v && v->kind == V_STRING ? v->u.str.s : "";
    const char *kind = m->kind;
    if (strcmp(api, "v1") == 0 && strcmp(kind, "Secret") == 0) {
        api = "bitnami.com/v1alpha1";
        kind = "SealedSecret";
    }
    const char *slash = strchr(api, '/');
    sb_putn(out, api, slash ? (size_t)(slash - api) : 0);
    sb_putc(out, '/');
    sb_puts(out, kind);
    sb_putc(out, '/');
    sb_puts(out, m->ns ? m->ns : "");
    sb_putc(out, '/');
    sb_puts(out, m->name);
}

static char *identity(Eval *ev, const Manifest *m)
{
    StrBuf b;
    sb_init(&b);
    manifest_identity(m, &b);
    char *k = arena_strndup(ev->ar, b.data, b.len);
    sb_free(&b);
    return k;
}

static int by_identity(const void *x, const void *y)
{
    const Ident *a = x, *b = y;
    int c = strcmp(a->key, b->key);
    return c ? c : (a->order > b->order) - (a->order < b->order);
}

/* Two objects with one identity would overwrite each other in the
 * cluster; the second is an error pointing at both. Sorting brings them
 * together: thousands of tenants make pairwise comparison too slow. */
void components_check_unique(Program *p)
{
    Eval *ev = &p->ev;
    const ComponentList *l = &p->components;
    size_t n = 0;
    for (size_t i = 0; i < l->len; i++)
        n += l->at[i].nmanifests;
    Ident *ids = arena_alloc(ev->ar, (n ? n : 1) * sizeof *ids);
    size_t k = 0;
    for (size_t i = 0; i < l->len; i++)
        for (size_t j = 0; j < l->at[i].nmanifests; j++, k++)
            ids[k] = (Ident){identity(ev, &l->at[i].manifests[j]), &l->at[i].manifests[j], k};
    qsort(ids, n, sizeof *ids, by_identity);
    for (size_t i = 1; i < n; i++) {
        if (strcmp(ids[i].key, ids[i - 1].key) != 0)
            continue;
        const Manifest *a = ids[i].m;
        Diag *d = eval_error(ev, "E0407", a->at, "%s \"%s\" is produced twice", a->kind, a->name);
        diag_add_secondary(d, ids[i - 1].m->at, "first produced here");
        if (strcmp(a->kind, ids[i - 1].m->kind) != 0)
            diag_set_hint(d, "a Secret is written as the SealedSecret of its name");
    }
}

/* The file of m in the tree; a Secret is written as its SealedSecret. */
static char *object_path(const Component *c, const Manifest *m, const char *id, bool clash)
{
    bool secret = strcmp(m->kind, "Secret") == 0 && strncmp(id, "bitnami.com/", 12) == 0;
    return filename_path(c->layer, c->decl->name, secret ? "SealedSecret" : m->kind, m->ns,
                            m->name, id, clash);
}

typedef struct Placing {
    char *natural;      /* the path without a digest (malloc) */
    const char *id;
    Manifest *m;
    const Component *c;
} Placing;

static int by_natural(const void *x, const void *y)
{
    const Placing *a = x, *b = y;
    int r = strcmp(a->natural, b->natural);
    return r ? r : strcmp(a->id, b->id);
}

/* Objects of different identities whose natural paths coincide (kinds
 * that differ only in case, one kind of two API groups) would overwrite
 * each other's file: each of them gets the digest form (filename.h).
 * Sorting brings them together, as for identities. */
void components_place(Program *p)
{
    ComponentList *l = &p->components;
    size_t n = 0, k = 0;
    for (size_t i = 0; i < l->len; i++)
        n += l->at[i].nmanifests;
    Placing *at = xmalloc((n ? n : 1) * sizeof *at);
    for (size_t i = 0; i < l->len; i++)
        for (size_t j = 0; j < l->at[i].nmanifests; j++, k++) {
            Manifest *m = &l->at[i].manifests[j];
            const char *id = identity(&p->ev, m);
            at[k] = (Placing){object_path(&l->at[i], m, id, false), id, m, &l->at[i]};
        }
    qsort(at, n, sizeof *at, by_natural);
    bool clashed = false; /* at[i - 1] shares its natural path with the one before */
    for (size_t i = 0; i < n; i++) {
        bool next = i + 1 < n && strcmp(at[i].natural, at[i + 1].natural) == 0;
        bool clash = clashed || next;
        clashed = next;
        char *path = clash ? object_path(at[i].c, at[i].m, at[i].id, true) : at[i].natural;
        at[i].m->path = arena_strndup(&p->ar, path, strlen(path));
        if (clash)
            free(path);
    }
    for (size_t i = 0; i < n; i++)
        free(at[i].natural);
    free(at);
}

static void check_depends(Eval *ev, const ComponentList *l)
{
    for (size_t i = 0; i < l->len; i++) {
        const Component *c = &l->at[i];
        for (size_t d = 0; d < c->ndepends; d++) {
            bool found = false;
            for (size_t k = 0; k < l->len && !found; k++)
                found = strcmp(l->at[k].decl->name, c->depends[d]) == 0;
            if (!found)
                eval_error(ev, "E0401", c->decl->node->span, "component `%s` depends on `%s`, "
                           "which is not an enabled component", c->decl->name, c->depends[d]);
        }
    }
}

ComponentList components_eval(Program *p)
{
    ComponentList out = {0};
    Eval *ev = &p->ev;
    size_t n = 0;
    for (size_t i = 0; i < p->decls.len; i++)
        n += p->decls.at[i]->kind == D_COMPONENT;
    out.at = arena_alloc(ev->ar, (n ? n : 1) * sizeof *out.at);
    for (size_t i = 0; i < p->decls.len; i++) {
        const Decl *d = p->decls.at[i];
        if (d->kind != D_COMPONENT)
            continue;
        Component *c = &out.at[out.len];
        memset(c, 0, sizeof *c);
        c->decl = d;
        c->layer = "config";
        Ctx x = {p, ev, c, {0}, NULL, NULL, 0, 0, true, NULL, NULL, NULL};
        body(&x, &d->node->list, ev->root_env);
        if (!x.enabled)
            continue;
        finish(&x);
        out.len++;
    }
    check_depends(ev, &out);
    return out;
}
