/* refs.c — the closed world of a tree (refs.h). */
#include "refs.h"

#include <stdlib.h>
#include <string.h>

#include "component.h"

typedef struct Need {
    char *key;            /* "kind\037name": one report per reference */
    const char *kind, *name, *why;
    const Component *c;
    Span at;
    size_t order;
} Need;

typedef struct Refs {
    const Program *p;
    Eval *ev;
    const Value *kinds;   /* reference_kinds: kind -> {noun, hint} */
    const Value *objects; /* object_references: Kubernetes kind -> reference kind */
    char **have;          /* keys of everything provided, sorted once complete */
    size_t nhave, caphave;
    Need *needs;
    size_t nneeds, capneeds;
} Refs;

static char *ref_key(Refs *r, const char *kind, const char *name)
{
    size_t a = strlen(kind), b = strlen(name);
    char *k = arena_alloc(r->ev->ar, a + b + 2);
    memcpy(k, kind, a);
    k[a] = '\037';
    memcpy(k + a + 1, name, b + 1);
    return k;
}

static const Value *global(Eval *ev, const char *name)
{
    bool found;
    const Value *v = env_lookup(ev, ev->globals, name, NULL, &found);
    return v && v->kind == V_OBJECT ? v : NULL;
}

/* A kind the library does not list is a mistake of the component that
 * wrote it, reported where it wrote it. */
static bool known_kind(Refs *r, const char *kind, Span at, const Component *c)
{
    if (r->kinds && value_get(r->kinds, kind))
        return true;
    Diag *d = eval_error(r->ev, "E0410", at, "component `%s` names \"%s\", which is not a kind "
                         "of reference", c->decl->name, kind);
    StrBuf b;
    sb_init(&b);
    for (size_t i = 0; r->kinds && i < r->kinds->u.obj.len; i++)
        sb_printf(&b, "%s%s", i ? ", " : "", r->kinds->u.obj.keys[i]);
    diag_set_hint(d, "the kinds are those of `reference_kinds`: %s", b.len ? b.data : "none");
    sb_free(&b);
    return false;
}

static void provide(Refs *r, const char *kind, const char *name)
{
    if (r->nhave == r->caphave) {
        r->caphave = r->caphave ? r->caphave * 2 : 64;
        r->have = arena_grow(r->ev->ar, r->have, r->nhave, r->caphave, sizeof *r->have);
    }
    r->have[r->nhave++] = ref_key(r, kind, name);
}

static void need(Refs *r, const Component *c, const char *kind, const char *name, Span at,
                 const char *why)
{
    if (r->nneeds == r->capneeds) {
        r->capneeds = r->capneeds ? r->capneeds * 2 : 64;
        r->needs = arena_grow(r->ev->ar, r->needs, r->nneeds, r->capneeds, sizeof *r->needs);
    }
    r->needs[r->nneeds] = (Need){ref_key(r, kind, name), kind, name, why, c, at, r->nneeds};
    r->nneeds++;
}

/* `provides = {KIND = NAME or [NAME, ...]}`; null names provide nothing,
 * so a component can write `[classes.block, classes.shared]`. */
static void stated_provides(Refs *r, const Component *c, const Value *p)
{
    for (size_t i = 0; i < p->u.obj.len; i++) {
        const char *kind = p->u.obj.keys[i];
        const Value *v = p->u.obj.vals[i];
        if (!known_kind(r, kind, v->at, c))
            continue;
        size_t n = v->kind == V_LIST ? v->u.list.len : 1;
        for (size_t j = 0; j < n; j++) {
            const Value *e = v->kind == V_LIST ? v->u.list.items[j] : v;
            if (e->kind == V_STRING)
                provide(r, kind, e->u.str.s);
            else if (e->kind != V_NULL)
                eval_error(r->ev, "E0410", e->at, "component `%s` provides %s of kind \"%s\": "
                           "a name is a string", c->decl->name, value_kind_name(e), kind);
        }
    }
}

static const char *text_of(const Value *o, const char *key)
{
    const Value *v = o ? value_get(o, key) : NULL;
    return v && v->kind == V_STRING ? v->u.str.s : NULL;
}

/* Where a need is reported: its `at`, else its name, whichever was
 * written in the site; a block the site left to its default has no line
 * there, so then the site's first block (`site`). */
static Span site_place(const Refs *r, const Value *at, const Value *name)
{
    if (at && !program_in_library(r->p, at->at))
        return at->at;
    if (!program_in_library(r->p, name->at))
        return name->at;
    const Value *root = r->p->root;
    if (root && root->kind == V_RECORD && root->u.obj.len &&
        !program_in_library(r->p, root->u.obj.vals[0]->at))
        return root->u.obj.vals[0]->at;
    return at ? at->at : name->at;
}

/* `needs = [{kind, name, at, why}]`: `at` is the place a missing name is
 * reported at (a block or field of the site). */
static void stated_needs(Refs *r, const Component *c, const Value *l)
{
    for (size_t i = 0; i < l->u.list.len; i++) {
        const Value *n = l->u.list.items[i];
        const Value *name = value_get(n, "name");
        const Value *at = value_get(n, "at");
        const char *kind = text_of(n, "kind");
        if (!kind || (name && name->kind != V_STRING && name->kind != V_NULL)) {
            eval_error(r->ev, "E0410", n->at, "a need of component `%s` is "
                       "{kind = \"...\", name = \"...\"}, with `at` and `why` if wanted",
                       c->decl->name);
            continue;
        }
        if (!known_kind(r, kind, n->at, c) || !name || name->kind == V_NULL)
            continue;
        need(r, c, kind, name->u.str.s, site_place(r, at && at->kind != V_NULL ? at : NULL, name),
             text_of(n, "why"));
    }
}

/* Objects provide what their kind makes (object_references) and need
 * the namespace they live in; a chart needs its component's namespace. */
static void object_refs(Refs *r, const Component *c)
{
    for (size_t i = 0; i < c->nmanifests; i++) {
        const Manifest *m = &c->manifests[i];
        const char *kind = r->objects ? text_of(r->objects, m->kind) : NULL;
        if (kind && known_kind(r, kind, m->at, c)) {
            if (!m->ns) {
                provide(r, kind, m->name);
            } else {
                StrBuf b;
                sb_init(&b);
                sb_printf(&b, "%s/%s", m->ns, m->name);
                provide(r, kind, arena_strndup(r->ev->ar, b.data, b.len));
                sb_free(&b);
            }
        }
        if (m->ns)
            need(r, c, "namespace", m->ns, m->at, "its objects live there");
    }
    if (c->chart && c->ns)
        need(r, c, "namespace", c->ns, c->decl->node->span, "its chart is installed there");
}

static int by_key(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int by_need(const void *x, const void *y)
{
    const Need *a = x, *b = y;
    int c = strcmp(a->key, b->key);
    return c ? c : (a->order > b->order) - (a->order < b->order);
}

static void report(Refs *r, const Need *n)
{
    const Value *k = r->kinds ? value_get(r->kinds, n->kind) : NULL;
    const char *noun = text_of(k, "noun");
    const char *hint = text_of(k, "hint");
    Diag *d = eval_error(r->ev, "E0409", n->at, "%s \"%s\" is needed by %s%s%s%s, and nothing "
                         "in the tree provides it", noun ? noun : n->kind, n->name,
                         n->c->decl->name, n->why ? " (" : "", n->why ? n->why : "",
                         n->why ? ")" : "");
    if (hint)
        diag_set_hint(d, "%s", hint);
}

void refs_check(Program *p)
{
    Refs r = {.p = p, .ev = &p->ev};
    r.kinds = global(r.ev, "reference_kinds");
    r.objects = global(r.ev, "object_references");
    const ComponentList *l = &p->components;
    for (size_t i = 0; i < l->len; i++) {
        const Component *c = &l->at[i];
        for (size_t k = 0; k < c->nprovides; k++)
            stated_provides(&r, c, c->provides[k]);
        for (size_t k = 0; k < c->nneeds; k++)
            stated_needs(&r, c, c->needs[k]);
        object_refs(&r, c);
    }
    /* Sorted once, then each need is a binary search: a site of
     * thousands of tenants stays linear-logarithmic. */
    if (r.nhave)
        qsort(r.have, r.nhave, sizeof *r.have, by_key);
    if (r.nneeds)
        qsort(r.needs, r.nneeds, sizeof *r.needs, by_need);
    for (size_t i = 0; i < r.nneeds; i++) {
        if (i > 0 && strcmp(r.needs[i].key, r.needs[i - 1].key) == 0)
            continue; /* reported at its first use */
        if (!r.nhave || !bsearch(&r.needs[i].key, r.have, r.nhave, sizeof *r.have, by_key))
            report(&r, &r.needs[i]);
    }
}
