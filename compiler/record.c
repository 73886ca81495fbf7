/* record.c — block bodies into records.
 *
 * A body's items are collected first: `let`s bound, attributes and nested
 * blocks assigned to the schema's fields, `for` and `if` expanded. Then
 * every field becomes a lazy binding — its attribute, its blocks, its
 * default, or null when optional — so that defaults can read sibling
 * fields, and all are forced in the schema's order.
 *
 * A nested block fills a field: the field named like the block's kind,
 * else the one field whose type (or list element type) is the schema of
 * that name, else the one field whose union has a variant of that name. */
#include <string.h>

#include "eval_internal.h"
#include "hashidx.h"

typedef struct FieldSrc {
    const Node *attr;       /* the attribute that sets it, or NULL */
    Env *env;               /* where attr is evaluated */
    const Node **blocks;    /* or the blocks that fill it */
    Env **benvs;
    size_t nblocks, cap;
    const Decl *bdecl;      /* the blocks' schema or variant */
} FieldSrc;

typedef struct Rec {
    const Decl *schema;
    const char **suggested; /* fields offered as "did you mean": not also missing */
    size_t nsuggested;
    char *owner;            /* "server \"node-1\"": names the record in messages */
    FieldSrc *src;
    const Node *label;      /* the block's label, or NULL */
    const Value *label_value; /* ... evaluated (NULL if that failed) */
    Span at;
    Env *renv;              /* the fields, lazily */
} Rec;

const Value *eval_poison(Eval *ev, Span at)
{
    Value *v = arena_alloc(ev->ar, sizeof *v);
    v->kind = V_POISON;
    v->at = at;
    return v;
}


/* A block's label: a name or a string, which may be interpolated
 * (`server "worker-${i}"` in a loop). */
static const Value *label_value(Eval *ev, const Node *label, Env *env)
{
    if (label->kind == N_IDENT)
        return value_string(ev->ar, label->span, label->name.s, label->name.len);
    const Value *v = eval_expr(ev, label, env, type_basic(TY_STRING));
    if (v && v->kind != V_STRING) {
        eval_type_error(ev, v, type_basic(TY_STRING), "a label");
        return NULL;
    }
    return v;
}

static char *describe_owner(Eval *ev, const Decl *schema, const Value *label)
{
    /* one per block of the site: written out, not formatted */
    if (schema->kind != D_VARIANT && !label)
        return (char *)schema->name;
    StrBuf b;
    sb_init(&b);
    const char *first = schema->kind == D_VARIANT ? schema->parent->name : schema->name;
    const char *second = schema->kind == D_VARIANT ? schema->name : label->u.str.s;
    const char *quote = schema->kind == D_VARIANT ? "`" : "\"";
    sb_puts(&b, first);
    sb_putc(&b, ' ');
    sb_puts(&b, quote);
    sb_puts(&b, second);
    sb_puts(&b, quote);
    char *s = arena_strndup(ev->ar, b.data, b.len);
    sb_free(&b);
    return s;
}

/* ---- which field a block fills ---- */

static const Type *elem_of(const Type *t)
{
    t = type_unopt(t);
    return t->kind == TY_LIST ? type_unopt(t->elem) : t;
}

static const Decl *block_schema(const Type *t, const char *kind)
{
    const Type *e = elem_of(t);
    if (e->kind == TY_RECORD && strcmp(e->decl->name, kind) == 0)
        return e->decl;
    if (e->kind == TY_UNION)
        return decl_variant(e->decl, kind);
    return NULL;
}

static int field_for_block(Eval *ev, const Rec *r, const Node *blk, const Decl **bdecl)
{
    const char *kind = blk->name.s;
    const Decl *s = r->schema;
    for (size_t i = 0; i < s->nfields; i++) {
        if (strcmp(s->fields[i].name, kind) != 0)
            continue;
        const Type *e = elem_of(s->fields[i].type);
        if (e->kind == TY_RECORD) {
            *bdecl = e->decl;
            return (int)i;
        }
    }
    int found = -1;
    for (size_t i = 0; i < s->nfields; i++) {
        const Decl *d = block_schema(s->fields[i].type, kind);
        if (!d)
            continue;
        if (found >= 0) {
            eval_error(ev, "E0210", blk->span, "a `%s` block could fill `%s` or `%s` of %s",
                       kind, s->fields[found].name, s->fields[i].name, r->owner);
            return -2;
        }
        found = (int)i;
        *bdecl = d;
    }
    if (found >= 0)
        return found;
    const char *names[128];
    size_t n = 0;
    for (size_t i = 0; i < s->nfields && n < 128; i++)
        names[n++] = s->fields[i].name;
    Diag *d = eval_error(ev, "E0210", blk->span, "%s has no place for a `%s` block", r->owner,
                         kind);
    const char *sug = eval_suggest(kind, names, n);
    if (sug)
        diag_set_hint(d, "did you mean `%s`?", sug);
    else if (!decl_find(ev->decls, kind))
        diag_set_hint(d, "no schema declares a `%s` block; a nested block fills the field of "
                         "its kind", kind);
    else
        diag_set_hint(d, "no field of %s holds a `%s`", r->schema->name, kind);
    return -1;
}

/* ---- collecting the items of a body ---- */

static void collect(Eval *ev, Rec *r, const NodeList *items, Env *env);

static void twice(Eval *ev, const Rec *r, const Node *again, const Node *first, const char *f)
{
    Diag *d = eval_error(ev, "E0205", again->span, "`%s` of %s is set twice", f, r->owner);
    diag_add_secondary(d, first->span, "first set here");
}

static const Node *first_source(const FieldSrc *s)
{
    return s->attr ? s->attr : s->nblocks ? s->blocks[0] : NULL;
}

static void unknown_field(Eval *ev, Rec *r, const Node *it)
{
    const char *names[128];
    size_t n = 0;
    for (size_t i = 0; i < r->schema->nfields && n < 128; i++)
        names[n++] = r->schema->fields[i].name;
    Diag *d = eval_error(ev, "E0203", it->span, "unknown field `%s` in %s", it->name.s,
                         r->owner);
    diag_set_label(d, "not a field of %s", r->schema->name);
    const char *s = eval_suggest(it->name.s, names, n);
    if (s) {
        diag_set_hint(d, "did you mean `%s`?", s);
        r->suggested = arena_grow(ev->ar, r->suggested, r->nsuggested, r->nsuggested + 1,
                                  sizeof *r->suggested);
        r->suggested[r->nsuggested++] = s;
    } else if (n)
        diag_set_hint(d, "`%s` has the fields: %s%s", r->schema->name, names[0],
                      n > 1 ? ", ..." : "");
}

static void set_attr(Eval *ev, Rec *r, const Node *it, Env *env)
{
    const Field *f = decl_field(r->schema, it->name.s);
    if (!f) {
        unknown_field(ev, r, it);
        return;
    }
    FieldSrc *s = &r->src[f - r->schema->fields];
    const Node *first = first_source(s);
    if (first || (f->is_label && r->label)) {
        twice(ev, r, it, first ? first : r->label, f->name);
        return;
    }
    s->attr = it;
    s->env = env;
}

static void add_block_now(Eval *ev, Rec *r, const Node *blk, Env *env)
{
    const Decl *bdecl = NULL;
    int i = field_for_block(ev, r, blk, &bdecl);
    if (i < 0)
        return;
    FieldSrc *s = &r->src[i];
    bool is_list = type_unopt(r->schema->fields[i].type)->kind == TY_LIST;
    if (s->attr || (!is_list && s->nblocks)) {
        twice(ev, r, blk, first_source(s), r->schema->fields[i].name);
        return;
    }
    if (s->nblocks == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4;
        s->blocks = arena_grow(ev->ar, s->blocks, s->nblocks, cap, sizeof *s->blocks);
        s->benvs = arena_grow(ev->ar, s->benvs, s->nblocks, cap, sizeof *s->benvs);
        s->cap = cap;
    }
    s->blocks[s->nblocks] = blk;
    s->benvs[s->nblocks++] = env;
    s->bdecl = bdecl;
}

typedef struct BlockLoop {
    Rec *r;
    const Node *blk;
} BlockLoop;

static bool block_step(Eval *ev, Env *env, void *p)
{
    BlockLoop *bl = p;
    add_block_now(ev, bl->r, bl->blk, env);
    return true;
}

static void add_block(Eval *ev, Rec *r, const Node *blk, Env *env)
{
    if (!blk->c) {
        add_block_now(ev, r, blk, env);
        return;
    }
    /* `person for r in roster { ... }`: one block per iteration. */
    BlockLoop bl = {r, blk};
    eval_for(ev, &blk->c->list, blk->c->a, env, block_step, &bl);
}

typedef struct BodyLoop {
    Rec *r;
    const NodeList *items;
} BodyLoop;

static bool body_step(Eval *ev, Env *env, void *p)
{
    BodyLoop *bl = p;
    collect(ev, bl->r, bl->items, env);
    return true;
}

static void branch(Eval *ev, Rec *r, const Node *it, Env *env)
{
    const Value *c = eval_bool(ev, it->a, env, "the condition of `if`");
    if (!c)
        return;
    if (c->u.b)
        collect(ev, r, &it->list, env);
    else if (it->b)
        branch(ev, r, it->b, env);
    else
        collect(ev, r, &it->list2, env);
}

static void collect(Eval *ev, Rec *r, const NodeList *items, Env *outer)
{
    Env *env = env_with_lets(ev, outer, items);
    for (uint32_t i = 0; i < items->len; i++) {
        const Node *it = items->at[i];
        switch (it->kind) {
        case N_ATTR: set_attr(ev, r, it, env); break;
        case N_BLOCK: add_block(ev, r, it, env); break;
        case N_FOR: {
            BodyLoop bl = {r, &it->list2};
            eval_for(ev, &it->list, it->a, env, body_step, &bl);
            break;
        }
        case N_IF: branch(ev, r, it, env); break;
        default: break;
        }
    }
}

/* ---- fields ---- */

typedef struct BlockThunk {
    Rec *r;
    size_t field;
} BlockThunk;

static void unique_labels(Eval *ev, const Value **items, size_t n, const char *kind)
{
    HashIndex *seen = hidx_new(ev->ar, n);
    for (size_t i = 0; i < n; i++) {
        const char *a = items[i]->u.obj.label;
        if (!a)
            continue;
        uint64_t h = hash_string(a);
        uint32_t cursor = 0;
        int64_t j;
        while ((j = hidx_next(seen, h, &cursor)) >= 0 && strcmp(items[j]->u.obj.label, a) != 0)
            ;
        if (j >= 0) {
            Diag *d = eval_error(ev, "E0220", items[i]->at, "two %s blocks are labelled \"%s\"",
                                 kind, a);
            diag_add_secondary(d, items[j]->at, "the first one");
        } else {
            hidx_add(ev->ar, seen, h, (uint32_t)i);
        }
    }
}

static const Value *blocks_value(Eval *ev, void *p)
{
    BlockThunk *t = p;
    Rec *r = t->r;
    const FieldSrc *s = &r->src[t->field];
    const Field *f = &r->schema->fields[t->field];
    const Value **items = arena_alloc(ev->ar, s->nblocks * sizeof *items);
    size_t n = 0;
    for (size_t i = 0; i < s->nblocks; i++) {
        const Node *b = s->blocks[i];
        const Value *v = eval_record(ev, s->bdecl, &b->list, s->benvs[i], b->a, b->span);
        if (v)
            items[n++] = v;
    }
    if (type_unopt(f->type)->kind != TY_LIST)
        return n ? eval_coerce(ev, items[0], f->type, f->name) : NULL;
    unique_labels(ev, items, n, s->bdecl->name);
    const Value *list = value_list(ev->ar, s->blocks[0]->span, items, n);
    return eval_coerce(ev, list, f->type, f->name);
}

/* v as field f of r, described as "`f` of r" if a message needs it. */
static const Value *coerce_field(Eval *ev, const Rec *r, const Field *f, const Value *v)
{
    What w = {.kind = WHAT_FIELD, .text = r->owner, .name = f->name};
    return eval_coerce_as(ev, v, f->type, &w);
}

static void missing(Eval *ev, const Rec *r, const Field *f)
{
    /* `memroy = 4Gi` was reported with "did you mean `memory`?": saying
     * that memory is missing too would only repeat it. */
    for (size_t i = 0; i < r->nsuggested; i++)
        if (strcmp(r->suggested[i], f->name) == 0)
            return;
    /* The root is the site itself: its fields are the site's top-level
     * blocks, not attributes of something called "root". */
    bool top = strcmp(r->schema->name, "root") == 0;
    const Type *ft = type_unopt(f->type);
    Diag *d = top ? eval_error(ev, "E0204", r->at, "the site needs a `%s` block", f->name)
                  : eval_error(ev, "E0204", r->at, "%s needs `%s`", r->owner, f->name);
    StrBuf t;
    sb_init(&t);
    if (ft->kind == TY_RECORD) {
        sb_printf(&t, "`%s { ... }`", f->name);
    } else if (ft->kind == TY_UNION) {
        /* Written as `storage = ceph { ... }`, or as a block inside
         * another: `storage { ceph { ... } }`. */
        for (size_t i = 0; i < ft->decl->nvariants; i++)
            sb_printf(&t, "%s`%s = %s { ... }`", i == 0 ? "" : i + 1 < ft->decl->nvariants ? ", "
                                                                                        : " or ",
                      f->name, ft->decl->variants[i]->name);
    } else {
        sb_printf(&t, "`%s = ...` (", f->name);
        type_format(f->type, &t);
        sb_puts(&t, ")");
    }
    if (f->is_label)
        diag_set_hint(d, "write its name after the kind: `%s \"NAME\" { ... }`",
                      r->schema->name);
    else if (*f->doc)
        diag_set_hint(d, "add %s: %s", t.data, f->doc);
    else
        diag_set_hint(d, "add %s", t.data);
    sb_free(&t);
}

/* A default belongs to the library: it is evaluated among the record's
 * fields and then the library's scope (the root's fields and the
 * library's `let`s), which is what typecheck.c checked it against; never
 * in the scope of the block, where a site's `let` or loop variable of the
 * same name would change what the library meant. */
static Env *fields_env(Eval *ev, Env *fallback, size_t n)
{
    return env_new_sized(ev, ev->late_scope ? ev->late_scope : fallback, n);
}

static void bind_default(Eval *ev, Rec *r, const Field *f)
{
    if (f->bad_default) { /* reported once, by the static check */
        env_bind(ev, r->renv, f->name, NULL);
        return;
    }
    env_bind_lazy(ev, r->renv, f->name, f->def, r->renv, f->type);
    r->renv->b[r->renv->len - 1].owner = r->owner;
}

static void bind_field(Eval *ev, Rec *r, size_t i)
{
    const Field *f = &r->schema->fields[i];
    FieldSrc *s = &r->src[i];
    Binding *b;
    if (f->is_label && r->label) {
        const Value *v = r->label_value;
        env_bind(ev, r->renv, f->name, v ? coerce_field(ev, r, f, v) : NULL);
        return;
    }
    if (s->attr) {
        env_bind_lazy(ev, r->renv, f->name, s->attr->a, s->env, f->type);
    } else if (s->nblocks) {
        BlockThunk *t = arena_alloc(ev->ar, sizeof *t);
        *t = (BlockThunk){r, i};
        b = env_bind_thunk(ev, r->renv, f->name, blocks_value, t, s->blocks[0]);
        b->owner = r->owner;
        return;
    } else if (f->def) {
        bind_default(ev, r, f);
        return;
    } else if (f->type->kind == TY_OPTIONAL) {
        env_bind(ev, r->renv, f->name, value_null(ev->ar, r->at));
        return;
    } else {
        missing(ev, r, f);
        env_bind(ev, r->renv, f->name, NULL);
        return;
    }
    r->renv->b[r->renv->len - 1].owner = r->owner;
}

static void check_label(Eval *ev, const Rec *r)
{
    if (r->label && r->schema->label < 0) {
        Diag *d = eval_error(ev, "E0211", r->label->span, "%s takes no label", r->owner);
        diag_set_hint(d, "write `%s { ... }`", r->schema->name);
    }
}

/* fields_visible: the body's own expressions see the record's fields.
 * Only the root's are: a site may read `servers` or `persons` anywhere,
 * while inside an ordinary block a name never means a sibling field. */
/* A record's bookkeeping, its sources and its frame of fields: the
 * spare ones a finished record of the schema left, cleared, or new ones.
 * Thousands of people are thousands of records of one schema, one after
 * the other. */
static Rec *new_rec(Eval *ev, const Decl *schema, Env *env, bool fields_visible)
{
    size_t n = schema->nfields ? schema->nfields : 1;
    Rec *r = fields_visible ? NULL : schema->spare_record;
    if (!r) {
        r = arena_alloc(ev->ar, sizeof *r);
        r->src = arena_alloc(ev->ar, n * sizeof *r->src);
        /* The root's fields are the library's scope itself (eval_root
         * links late_scope to them), so they keep the scope they are
         * given. */
        r->renv = fields_visible ? env_new_sized(ev, env, schema->nfields)
                                 : fields_env(ev, env, schema->nfields);
        return r;
    }
    ((Decl *)schema)->spare_record = NULL;
    FieldSrc *src = r->src;
    Env *renv = r->renv;
    memset(r, 0, sizeof *r);
    memset(src, 0, n * sizeof *src);
    if (renv->cap) /* a schema of no fields has no bindings */
        memset(renv->b, 0, renv->cap * sizeof *renv->b);
    renv->len = 0;
    renv->parent = ev->late_scope ? ev->late_scope : env; /* as fields_env */
    r->src = src;
    r->renv = renv;
    return r;
}

/* After finish: every field is forced, and what the record computed is in
 * its value, so the next record of the schema can have the rest. */
static void spare_rec(Rec *r)
{
    Decl *schema = (Decl *)r->schema; /* the library's, as long as the build */
    if (!schema->spare_record)
        schema->spare_record = r;
}

static Rec *begin(Eval *ev, const Decl *schema, const NodeList *items, Env *env,
                  const Node *label, Span at, bool fields_visible)
{
    Rec *r = new_rec(ev, schema, env, fields_visible);
    r->schema = schema;
    r->label = label;
    r->at = at;
    r->label_value = label ? label_value(ev, label, env) : NULL;
    r->owner = describe_owner(ev, schema, r->label_value);
    check_label(ev, r);
    collect(ev, r, items, fields_visible ? r->renv : env);
    for (size_t i = 0; i < schema->nfields; i++)
        bind_field(ev, r, i);
    return r;
}

static const Value *finish(Eval *ev, Rec *r)
{
    size_t n = r->schema->nfields;
    /* The schema is the library's, and lives as long as the build. */
    Decl *schema = (Decl *)r->schema;
    if (!schema->field_names) {
        const char **keys = arena_alloc(ev->ar, (n ? n : 1) * sizeof *keys);
        for (size_t i = 0; i < n; i++)
            keys[i] = schema->fields[i].name;
        schema->field_names = keys;
    }
    const Value **vals = arena_alloc(ev->ar, (n ? n : 1) * sizeof *vals);
    for (size_t i = 0; i < n; i++) {
        const Value *v = binding_force(ev, &r->renv->b[i], NULL);
        vals[i] = v ? v : eval_poison(ev, r->at);
    }
    Value *rec = (Value *)value_object_shared(ev->ar, r->at, schema->field_names, vals, n,
                                              &schema->field_index);
    rec->kind = V_RECORD;
    rec->u.obj.decl = r->schema;
    /* in place of the index, which is the schema's */
    rec->u.obj.label = r->schema->label >= 0 && vals[r->schema->label]->kind == V_STRING
                           ? vals[r->schema->label]->u.str.s
                           : NULL;
    return rec;
}

const Value *eval_record(Eval *ev, const Decl *schema, const NodeList *items, Env *env,
                         const Node *label, Span at)
{
    Rec *r = begin(ev, schema, items, env, label, at, false);
    const Value *v = finish(ev, r);
    spare_rec(r);
    return v;
}

const Value *eval_root(Eval *ev, const Decl *root, const NodeList *items, Env *env, Span at)
{
    ev->root = root;
    Rec *r = begin(ev, root, items, env, NULL, at, true);
    ev->root_env = r->renv;
    if (ev->late_scope)
        ev->late_scope->parent = r->renv;
    return finish(ev, r);
}

/* The blocks of root field i by label, built at the first reference to
 * one of them: thousands of people referenced by hundreds of courses. */
static const HashIndex *labels_of(Eval *ev, size_t i, const Value *v)
{
    if (!ev->label_index)
        ev->label_index = arena_alloc(ev->ar, ev->root->nfields * sizeof *ev->label_index);
    if (!ev->label_index[i]) {
        size_t n = v->kind == V_LIST ? v->u.list.len : 1;
        HashIndex *x = hidx_new(ev->ar, n);
        for (size_t j = 0; j < n; j++) {
            const Value *r = v->kind == V_LIST ? v->u.list.items[j] : v;
            if (r->kind == V_RECORD && r->u.obj.label)
                hidx_add(ev->ar, x, hash_string(r->u.obj.label), (uint32_t)j);
        }
        ev->label_index[i] = x;
    }
    return ev->label_index[i];
}

/* Whether root field i holds blocks of schema. */
static bool holds_blocks_of(const Eval *ev, size_t i, const Decl *schema)
{
    const Type *e = elem_of(ev->root->fields[i].type);
    return e->kind == TY_RECORD && e->decl == schema;
}

/* Remembers which root fields hold blocks of schema, when they are few. */
static bool remember_fields(Eval *ev, const Decl *schema)
{
    uint32_t n = 0;
    for (size_t i = 0; i < ev->root->nfields; i++) {
        if (!holds_blocks_of(ev, i, schema))
            continue;
        if (n == sizeof ev->label_fields / sizeof ev->label_fields[0])
            return false;
        ev->label_fields[n++] = (uint32_t)i;
    }
    ev->label_schema = schema;
    ev->label_nfields = n;
    return true;
}

/* The block with label in root field i, or NULL. */
static const Value *labelled_in(Eval *ev, size_t i, const char *label, uint64_t h)
{
    const Value *v = binding_force(ev, &ev->root_env->b[i], NULL);
    if (!v || is_poison(v))
        return NULL;
    const HashIndex *x = labels_of(ev, i, v);
    uint32_t cursor = 0;
    int64_t first = -1;
    /* The first block with the label, as a scan would find it. */
    for (int64_t j; (j = hidx_next(x, h, &cursor)) >= 0;) {
        const Value *r = v->kind == V_LIST ? v->u.list.items[j] : v;
        if ((first < 0 || j < first) && strcmp(r->u.obj.label, label) == 0)
            first = j;
    }
    if (first < 0)
        return NULL;
    return v->kind == V_LIST ? v->u.list.items[first] : v;
}

const Value *record_find_labelled(Eval *ev, const Decl *schema, const char *label)
{
    if (!ev->root_env)
        return NULL;
    uint64_t h = hash_string(label);
    if (ev->label_schema == schema || remember_fields(ev, schema)) {
        for (uint32_t k = 0; k < ev->label_nfields; k++) {
            const Value *r = labelled_in(ev, ev->label_fields[k], label, h);
            if (r)
                return r;
        }
        return NULL;
    }
    for (size_t i = 0; i < ev->root->nfields; i++) {
        if (!holds_blocks_of(ev, i, schema))
            continue;
        const Value *r = labelled_in(ev, i, label, h);
        if (r)
            return r;
    }
    return NULL;
}

/* ---- objects ---- */

typedef struct Obj {
    ValueVec vals;
    const char **keys;
    size_t len, cap;
    const Type *elem;
    HashIndex *seen; /* the keys by hash, once there are HASHIDX_MIN */
} Obj;

static void obj_items(Eval *ev, Obj *o, const NodeList *items, Env *outer);

/* The object built, its arrays at their exact size. */
static const Value *obj_value(Eval *ev, Obj *o, Span at)
{
    const char **keys = arena_shrink(ev->ar, o->keys, o->len, o->cap, sizeof *o->keys);
    const Value **vals = vec_take(ev, &o->vals);
    const HashIndex *index = o->seen; /* the keys' places stay */
    return value_object_shared(ev->ar, at, keys, vals, o->len, &index);
}

/* The position of key among the object's keys so far, or -1: an object
 * built by a loop may have thousands. */
static int64_t obj_find(Eval *ev, Obj *o, const char *key)
{
    if (o->len < HASHIDX_MIN) {
        for (size_t i = 0; i < o->len; i++)
            if (strcmp(o->keys[i], key) == 0)
                return (int64_t)i;
        return -1;
    }
    if (!o->seen) {
        o->seen = hidx_new(ev->ar, 2 * o->len);
        for (size_t i = 0; i < o->len; i++)
            hidx_add(ev->ar, o->seen, hash_string(o->keys[i]), (uint32_t)i);
    }
    return hidx_find_string(o->seen, o->keys, key);
}

static void obj_put(Eval *ev, Obj *o, const char *key, const Value *v, const Node *at)
{
    int64_t first = obj_find(ev, o, key);
    if (first >= 0) {
        Diag *d = eval_error(ev, "E0205", at->span, "`%s` is set twice", key);
        diag_add_secondary(d, o->vals.at[first]->at, "first set here");
        return;
    }
    if (o->len == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 8;
        o->keys = arena_regrow(ev->ar, o->keys, o->len, cap, sizeof *o->keys);
        o->cap = cap;
    }
    if (o->seen)
        hidx_add(ev->ar, o->seen, hash_string(key), (uint32_t)o->len);
    o->keys[o->len++] = key;
    vec_push(ev, &o->vals, v ? v : eval_poison(ev, at->span));
}

typedef struct ObjLoop {
    Obj *o;
    const NodeList *items;
} ObjLoop;

static bool obj_step(Eval *ev, Env *env, void *p)
{
    ObjLoop *l = p;
    obj_items(ev, l->o, l->items, env);
    return true;
}

static void obj_item(Eval *ev, Obj *o, const Node *it, Env *env)
{
    switch (it->kind) {
    case N_ATTR:
        obj_put(ev, o, it->name.s, eval_expr(ev, it->a, env, o->elem), it);
        break;
    case N_BLOCK: {
        if (it->a || it->c) {
            eval_error(ev, "E0211", it->span, "a block inside an object takes no label or "
                       "`for`");
            break;
        }
        Obj inner = {{0}, NULL, 0, 0, NULL, NULL};
        obj_items(ev, &inner, &it->list, env);
        obj_put(ev, o, it->name.s, obj_value(ev, &inner, it->span), it);
        break;
    }
    case N_FOR: {
        ObjLoop l = {o, &it->list2};
        eval_for_eager(ev, &it->list, it->a, env, obj_step, &l);
        break;
    }
    case N_IF: {
        const Value *c = eval_bool(ev, it->a, env, "the condition of `if`");
        if (!c)
            break;
        if (c->u.b)
            obj_items(ev, o, &it->list, env);
        else if (it->b)
            obj_item(ev, o, it->b, env);
        else
            obj_items(ev, o, &it->list2, env);
        break;
    }
    default:
        break;
    }
}

static void obj_items(Eval *ev, Obj *o, const NodeList *items, Env *outer)
{
    Env *env = env_with_lets(ev, outer, items);
    for (uint32_t i = 0; i < items->len; i++)
        obj_item(ev, o, items->at[i], env);
}

const Value *eval_object(Eval *ev, const Node *n, Env *env, const Type *want)
{
    const Type *w = type_unopt(want);
    if (w && (w->kind == TY_RECORD || w->kind == TY_REF))
        return eval_record(ev, w->decl, &n->list, env, NULL, n->span);
    Obj o = {{0}, NULL, 0, 0, w && w->kind == TY_MAP ? w->elem : NULL, NULL};
    obj_items(ev, &o, &n->list, env);
    return obj_value(ev, &o, n->span);
}

const Value *record_from_object(Eval *ev, const Decl *schema, const Value *obj,
                                const char *what)
{
    Rec *r = arena_alloc(ev->ar, sizeof *r);
    r->schema = schema;
    r->at = obj->at;
    const Value *label = schema->label >= 0 ? value_get(obj, schema->fields[schema->label].name)
                                            : NULL;
    if (label && label->kind == V_STRING) {
        StrBuf b;
        sb_init(&b);
        sb_printf(&b, "%s \"%s\"", schema->name, label->u.str.s);
        r->owner = arena_strndup(ev->ar, b.data, b.len);
        sb_free(&b);
    } else {
        r->owner = (char *)(what ? what : schema->name);
    }
    r->src = arena_alloc(ev->ar, (schema->nfields ? schema->nfields : 1) * sizeof *r->src);
    r->renv = fields_env(ev, ev->globals, schema->nfields);
    bool ok = true;
    for (size_t i = 0; i < obj->u.obj.len; i++) {
        if (!decl_field(schema, obj->u.obj.keys[i])) {
            Diag *d = eval_error(ev, "E0203", obj->u.obj.vals[i]->at,
                                 "unknown field `%s` for %s", obj->u.obj.keys[i], schema->name);
            (void)d;
            ok = false;
        }
    }
    if (!ok)
        return NULL;
    for (size_t i = 0; i < schema->nfields; i++) {
        const Field *f = &schema->fields[i];
        const Value *v = value_get(obj, f->name);
        if (v) {
            env_bind(ev, r->renv, f->name, coerce_field(ev, r, f, v));
        } else if (f->def) {
            bind_default(ev, r, f);
        } else if (f->type->kind == TY_OPTIONAL) {
            env_bind(ev, r->renv, f->name, value_null(ev->ar, obj->at));
        } else {
            missing(ev, r, f);
            env_bind(ev, r->renv, f->name, NULL);
        }
    }
    return finish(ev, r);
}
