/* eval.c — expressions: literals, names, operators, comprehensions,
 * field access, calls, conditionals and match. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "eval_internal.h"
#include "hashidx.h"

/* ---- names ---- */

static const Value *enum_member(Eval *ev, const Decl *e, const Node *n)
{
    int i = decl_member(e, n->name.s);
    return i < 0 ? NULL : value_enum(ev->ar, n->span, e, i);
}

/* A bare variant name (`dns = manual`) where a union is expected. */
static const Value *bare_variant(Eval *ev, const Decl *u, const Node *n, Env *env)
{
    const Decl *v = decl_variant(u, n->name.s);
    if (!v)
        return NULL;
    NodeList none = {0};
    return eval_record(ev, v, &none, env, NULL, n->span);
}

static void unknown_name(Eval *ev, const Node *n, Env *env)
{
    const char *cands[256];
    size_t nc = 0;
    for (Env *e = env; e; e = e->parent)
        for (size_t i = 0; i < e->len && nc < 256; i++)
            cands[nc++] = e->b[i].name;
    const char *s = eval_suggest(n->name.s, cands, nc);
    Diag *d = eval_error(ev, "E0201", n->span, "unknown name `%s`", n->name.s);
    if (s)
        diag_set_hint(d, "did you mean `%s`?", s);
}

static const Value *ident(Eval *ev, const Node *n, Env *env, const Type *want)
{
    const Type *w = type_unopt(want);
    if (w && w->kind == TY_LIST)
        w = type_unopt(w->elem);
    if (w && w->kind == TY_ENUM) {
        const Value *v = enum_member(ev, w->decl, n);
        if (v)
            return v;
    }
    if (w && w->kind == TY_UNION) {
        const Value *v = bare_variant(ev, w->decl, n, env);
        if (v)
            return v;
    }
    if (w && (w->kind == TY_REF || w->kind == TY_RECORD) && w->decl->label >= 0) {
        const Value *v = record_find_labelled(ev, w->decl, n->name.s);
        if (v)
            return value_moved(ev->ar, v, n->span);
    }
    bool found;
    const Value *v = env_lookup(ev, env, n->name.s, n, &found);
    if (found)
        return v;
    if (w && w->kind == TY_REF) {
        Diag *d = eval_error(ev, "E0212", n->span, "no %s is named `%s`", w->decl->name,
                             n->name.s);
        diag_set_hint(d, "declare it with `%s \"%s\" { ... }`", w->decl->name, n->name.s);
        return NULL;
    }
    unknown_name(ev, n, env);
    return NULL;
}

/* ---- literals ---- */

/* A dimension as the object of "is not": "bytes", "cpu", "a duration". */
static const char *dim_name(QDim dim)
{
    return dim == Q_BYTES ? "bytes" : dim == Q_CPU ? "cpu" : "a duration";
}

static const Value *number(Eval *ev, const Node *n, const Type *want)
{
    QDim dim;
    const Type *w = type_unopt(want);
    if (w && type_dim(w, &dim)) {
        int64_t v;
        const char *why;
        if (!quantity_parse(n->name.s, "", dim, &v, &why)) {
            eval_error(ev, "E0202", n->span, "`%s` is not %s: %s", n->name.s, dim_name(dim),
                       why);
            return NULL;
        }
        return value_quantity(ev->ar, n->span, dim, v);
    }
    if (n->kind == N_INT)
        return eval_node_int(ev, n, n->ival);
    if (!n->memo[0])
        ((Node *)n)->memo[0] = value_float(ev->ar, n->span, strtod(n->name.s, NULL));
    return n->memo[0];
}

static const Value *quantity(Eval *ev, const Node *n, const Type *want)
{
    int dims = quantity_unit_dims(n->text.s);
    QDim dim;
    const Type *w = type_unopt(want);
    if (w && type_dim(w, &dim) && !(dims & QDIM_BIT(dim))) {
        static const char *const units[] = {
            "bytes are written with Ki Mi Gi Ti Pi Ei or k M G T P E: `512Mi`, `4Gi`",
            "cpu is written in cores or millicores: `2`, `0.5`, `500m`",
            "durations are written with s m h d: `30s`, `10m`, `4h`, `7d`",
        };
        Diag *d = eval_error(ev, "E0202", n->span, "`%s%s` is not %s", n->name.s, n->text.s,
                             dim_name(dim));
        diag_set_hint(d, "%s", units[dim]);
        return NULL;
    }
    if (w && !type_dim(w, &dim) && w->kind != TY_ANY && w->kind != TY_STRING) {
        StrBuf t;
        sb_init(&t);
        type_format(w, &t);
        eval_error(ev, "E0202", n->span, "expected %s, found the quantity `%s%s`", t.data,
                   n->name.s, n->text.s);
        sb_free(&t);
        return NULL;
    }
    if (!(w && type_dim(w, &dim))) {
        if (dims == QDIM_BIT(Q_BYTES))
            dim = Q_BYTES;
        else if (dims == QDIM_BIT(Q_CPU))
            dim = Q_CPU;
        else if (dims == QDIM_BIT(Q_DURATION))
            dim = Q_DURATION;
        else {
            Diag *d = eval_error(ev, "E0208", n->span,
                                 "`%s%s` could be millicores or minutes, and nothing here says "
                                 "which", n->name.s, n->text.s);
            diag_set_hint(d, "write cpu as cores (`0.5`) or durations in seconds or hours "
                             "(`300s`, `1h`), or use it where a cpu or a duration is expected");
            return NULL;
        }
    }
    int64_t v;
    const char *why;
    if (!quantity_parse(n->name.s, n->text.s, dim, &v, &why)) {
        eval_error(ev, "E0202", n->span, "`%s%s` is not %s: %s", n->name.s, n->text.s,
                   dim_name(dim), why);
        return NULL;
    }
    return value_quantity(ev->ar, n->span, dim, v);
}

static const Value *string(Eval *ev, const Node *n, Env *env)
{
    bool literal = n->list.len == 0 || (n->list.len == 1 && n->list.at[0]->kind == N_TEXT);
    if (literal && n->memo[0])
        return n->memo[0];
    StrBuf b;
    sb_init(&b);
    bool ok = true;
    for (uint32_t i = 0; i < n->list.len && ok; i++) {
        const Node *p = n->list.at[i];
        if (p->kind == N_TEXT) {
            sb_putn(&b, p->name.s, p->name.len);
            continue;
        }
        const Value *v = eval_expr(ev, p, env, NULL);
        if (!v) {
            ok = false;
        } else if (v->kind == V_SECRET) {
            Diag *d = eval_error(ev, "E0222", p->span, "a secret cannot be put into a string");
            diag_set_hint(d, "secrets reach manifests only as Secret references, never as "
                             "text");
            ok = false;
        } else if (!value_to_text(v, &b)) {
            eval_error(ev, "E0202", p->span, "%s cannot be put into a string",
                       value_kind_name(v));
            ok = false;
        }
    }
    ok = ok && eval_reserve(ev, b.len, n->span);
    const Value *v = ok ? value_string(ev->ar, n->span, b.data ? b.data : "", b.len) : NULL;
    sb_free(&b);
    if (literal)
        ((Node *)n)->memo[0] = v;
    return v;
}

static const Value *list(Eval *ev, const Node *n, Env *env, const Type *want)
{
    if (n->list.len == 0) /* `[]`: one for every evaluation of the node */
        return n->memo[0] ? n->memo[0] : (((Node *)n)->memo[0] = value_list(ev->ar, n->span, NULL, 0));
    const Type *w = type_unopt(want);
    const Type *elem = w && w->kind == TY_LIST ? w->elem : NULL;
    const Value **items = arena_alloc(ev->ar, (n->list.len ? n->list.len : 1) * sizeof *items);
    bool ok = true;
    for (uint32_t i = 0; i < n->list.len; i++) {
        items[i] = eval_expr(ev, n->list.at[i], env, elem);
        ok = ok && items[i];
    }
    return ok ? value_list(ev->ar, n->span, items, n->list.len) : NULL;
}

const Value *eval_node_bool(Eval *ev, const Node *n, bool b)
{
    Node *m = (Node *)n;
    if (!m->memo[b] || m->memo[b]->kind != V_BOOL)
        m->memo[b] = value_bool(ev->ar, n->span, b);
    return m->memo[b];
}


const Value *eval_node_int(Eval *ev, const Node *n, int64_t i)
{
    Node *m = (Node *)n;
    if (!m->memo[0] || m->memo[0]->kind != V_INT || m->memo[0]->u.i != i)
        m->memo[0] = value_int(ev->ar, n->span, i);
    return m->memo[0];
}

/* ---- loops ---- */

typedef struct Loop {
    const NodeList *bindings;
    const Node *filter;
    LoopFn fn;
    void *ctx;
    /* an element was skipped because it reads a value that failed (and
     * was reported), or a list looped over had lost some: a list built by
     * the loop is partial too, or len() of it would count wrong */
    bool lost;
    /* eval_for_eager: one frame per binding, rebound for each element */
    Env **frames;
} Loop;

static bool loop_from(Eval *ev, Loop *lp, uint32_t i, Env *env);

static bool step(Eval *ev, Loop *lp, uint32_t i, Env *env, const char *k, const Value *kv,
                 const char *x, const Value *xv)
{
    Env *e;
    if (lp->frames) {
        if (!lp->frames[i])
            lp->frames[i] = env_new_sized(ev, env, 2);
        e = lp->frames[i];
        e->parent = env;
        e->len = 0;
    } else {
        e = env_new_sized(ev, env, x ? 2 : 1);
    }
    env_bind(ev, e, k, kv);
    if (x)
        env_bind(ev, e, x, xv);
    return loop_from(ev, lp, i + 1, e);
}

static bool loop_from(Eval *ev, Loop *lp, uint32_t i, Env *env)
{
    if (i == lp->bindings->len) {
        if (lp->filter) {
            size_t before = ev->diags->errors;
            const Value *c = eval_expr(ev, lp->filter, env, type_basic(TY_BOOL));
            if (!c) {
                lp->lost = true;
                return ev->diags->errors == before;
            }
            if (c->kind != V_BOOL) {
                eval_type_error(ev, c, type_basic(TY_BOOL), "the filter of `for`");
                return false;
            }
            if (!c->u.b)
                return true;
        }
        return lp->fn(ev, env, lp->ctx);
    }
    const Node *b = lp->bindings->at[i];
    const Value *src = eval_expr(ev, b->a, env, NULL);
    if (!src)
        return false;
    const char *first = b->name.s, *second = b->text.s;
    bool ok = true;
    if (src->kind == V_LIST) {
        lp->lost = lp->lost || src->u.list.partial;
        for (size_t j = 0; j < src->u.list.len && ok; j++) {
            const Value *item = src->u.list.items[j];
            if (second)
                ok = step(ev, lp, i, env, first, value_int(ev->ar, item->at, (int64_t)j),
                          second, item);
            else
                ok = step(ev, lp, i, env, first, item, NULL, NULL);
        }
        return ok;
    }
    if (src->kind == V_OBJECT || src->kind == V_RECORD) {
        for (size_t j = 0; j < src->u.obj.len && ok; j++) {
            const char *key = src->u.obj.keys[j];
            const Value *val = src->u.obj.vals[j];
            if (second)
                ok = step(ev, lp, i, env, first,
                          value_string_ref(ev->ar, val->at, key, strlen(key)), second, val);
            else
                ok = step(ev, lp, i, env, first, val, NULL, NULL);
        }
        return ok;
    }
    Diag *d = eval_error(ev, "E0202", b->a->span, "`for` needs a list or an object, not %s",
                         value_kind_name(src));
    (void)d;
    return false;
}

bool eval_for(Eval *ev, const NodeList *bindings, const Node *filter, Env *env, LoopFn fn,
              void *ctx)
{
    Loop lp = {bindings, filter, fn, ctx, false, NULL};
    return loop_from(ev, &lp, 0, env);
}

bool eval_for_eager(Eval *ev, const NodeList *bindings, const Node *filter, Env *env,
                    LoopFn fn, void *ctx)
{
    Loop lp = {bindings, filter, fn, ctx, false, NULL};
    lp.frames = arena_alloc(ev->ar, (bindings->len ? bindings->len : 1) * sizeof *lp.frames);
    return loop_from(ev, &lp, 0, env);
}

typedef struct CompCtx {
    const Node *n;
    const Type *elem;
    ValueVec out;
    ValueVec keys;
    bool partial;
    HashIndex *seen;   /* the keys so far, for the duplicate check */
} CompCtx;

/* An element that fails only because it reads a value that already
 * failed (and was reported) is left out, so that a rule over a thousand
 * people still runs when one of them has a bad address. A new error stops
 * the comprehension. */
static bool list_step(Eval *ev, Env *env, void *p)
{
    CompCtx *c = p;
    size_t before = ev->diags->errors;
    const Value *v = eval_expr(ev, c->n->a, env, c->elem);
    if (!v) {
        c->partial = true;
        return ev->diags->errors == before;
    }
    vec_push(ev, &c->out, v);
    return true;
}

static const Value *listcomp(Eval *ev, const Node *n, Env *env, const Type *want)
{
    const Type *w = type_unopt(want);
    CompCtx c = {n, w && w->kind == TY_LIST ? w->elem : NULL, {0}, {0}, false, NULL};
    Loop lp = {&n->list, n->b, list_step, &c, false, NULL};
    lp.frames = arena_alloc(ev->ar, (n->list.len ? n->list.len : 1) * sizeof *lp.frames);
    if (!loop_from(ev, &lp, 0, env))
        return NULL;
    const Value **items = vec_take(ev, &c.out);
    Value *v = (Value *)value_list(ev->ar, n->span, items, c.out.len);
    v->u.list.partial = c.partial || lp.lost;
    return v;
}

static bool obj_step(Eval *ev, Env *env, void *p)
{
    CompCtx *c = p;
    const Value *k = eval_expr(ev, c->n->a, env, type_basic(TY_STRING));
    const Value *v = k ? eval_expr(ev, c->n->b, env, c->elem) : NULL;
    if (!v)
        return false;
    if (k->kind != V_STRING) {
        eval_type_error(ev, k, type_basic(TY_STRING), "an object key");
        return false;
    }
    if (!c->seen)
        c->seen = hidx_new(ev->ar, 16);
    uint64_t h = value_hash(k);
    uint32_t cursor = 0;
    for (int64_t i; (i = hidx_next(c->seen, h, &cursor)) >= 0;) {
        if (value_equal(c->keys.at[i], k)) {
            eval_error(ev, "E0220", k->at, "key \"%s\" is produced twice", k->u.str.s);
            return false;
        }
    }
    hidx_add(ev->ar, c->seen, h, (uint32_t)c->keys.len);
    vec_push(ev, &c->keys, k);
    vec_push(ev, &c->out, v);
    return true;
}

static const Value *objcomp(Eval *ev, const Node *n, Env *env, const Type *want)
{
    const Type *w = type_unopt(want);
    CompCtx c = {n, w && w->kind == TY_MAP ? w->elem : NULL, {0}, {0}, false, NULL};
    if (!eval_for_eager(ev, &n->list, n->c, env, obj_step, &c))
        return NULL;
    const char **keys = arena_alloc(ev->ar, (c.keys.len ? c.keys.len : 1) * sizeof *keys);
    for (size_t i = 0; i < c.keys.len; i++)
        keys[i] = c.keys.at[i]->u.str.s;
    vec_free(ev, &c.keys);
    const Value **vals = vec_take(ev, &c.out);
    /* the duplicate check's index is the object's: same keys, same places */
    const HashIndex *index = c.seen;
    return value_object_shared(ev->ar, n->span, keys, vals, c.out.len, &index);
}

/* ---- field access ---- */

/* o.NAME: for a record, the field's position remembered at n from the
 * last record of the same schema read here. */
static const Value *field_of(const Node *n, const Value *o)
{
    Node *m = (Node *)n;
    const Decl *d = o->kind == V_RECORD ? o->u.obj.decl : NULL;
    if (d && m->field_decl == d && m->field_at < o->u.obj.len)
        return o->u.obj.vals[m->field_at];
    const struct HashIndex *index = d ? value_keys_index(o) : NULL;
    for (size_t i = 0; d && !index && i < o->u.obj.len; i++)
        if (strcmp(o->u.obj.keys[i], n->name.s) == 0) {
            m->field_decl = d;
            m->field_at = (uint32_t)i;
            return o->u.obj.vals[i];
        }
    return d && !index ? NULL : value_get(o, n->name.s);
}

/* The declaration an identifier names, if any, remembered at the node:
 * `p.username` asks at every read whether `p` is an enum. */
static const Decl *ident_decl(Eval *ev, const Node *id)
{
    Node *m = (Node *)id;
    if (!m->decl_known) {
        m->decl = decl_find(ev->decls, id->name.s);
        m->decl_known = true;
    }
    return m->decl;
}

static const Value *get(Eval *ev, const Node *n, Env *env)
{
    const Node *on = n->a;
    const Decl *en = on->kind == N_IDENT ? ident_decl(ev, on) : NULL;
    if (en && en->kind == D_ENUM) {
        /* `role.worker`: a member of an enum, named in full, unless a
         * local name hides the enum. */
        bool found = false;
        for (Env *e = env; e && !found; e = e->parent)
            found = env_find_local(e, on->name.s) != NULL;
        const Decl *d = found ? NULL : en;
        if (d) {
            const Value *v = enum_member(ev, d, n);
            if (!v)
                eval_error(ev, "E0201", n->span, "`%s` has no member `%s`", d->name, n->name.s);
            return v;
        }
    }
    const Value *o = eval_expr(ev, on, env, NULL);
    if (!o || is_poison(o))
        return NULL;
    if (o->kind != V_OBJECT && o->kind != V_RECORD) {
        eval_error(ev, "E0214", n->span, "%s has no fields (looking for `%s`)",
                   value_kind_name(o), n->name.s);
        return NULL;
    }
    const Value *v = field_of(n, o);
    if (v)
        return is_poison(v) ? NULL : v;
    const Decl *d = o->kind == V_RECORD ? o->u.obj.decl : NULL;
    Diag *g;
    if (d && d->kind == D_VARIANT)
        g = eval_error(ev, "E0214", n->span, "this %s is `%s`, which has no field `%s`",
                       d->parent->name, d->name, n->name.s);
    else
        g = eval_error(ev, "E0214", n->span, "%s has no field `%s`", value_kind_name(o),
                       n->name.s);
    const char *s = eval_suggest(n->name.s, o->u.obj.keys, o->u.obj.len);
    if (s)
        diag_set_hint(g, "did you mean `%s`?", s);
    return NULL;
}

static const Value *index_of(Eval *ev, const Node *n, Env *env)
{
    const Value *o = eval_expr(ev, n->a, env, NULL);
    const Value *k = o ? eval_expr(ev, n->b, env, NULL) : NULL;
    if (!k)
        return NULL;
    if (o->kind == V_LIST && k->kind == V_INT) {
        if (k->u.i < 0 || (uint64_t)k->u.i >= o->u.list.len) {
            eval_error(ev, "E0215", n->b->span, "index %" PRId64 " is outside the list (%zu "
                       "elements)", k->u.i, o->u.list.len);
            return NULL;
        }
        return o->u.list.items[k->u.i];
    }
    if ((o->kind == V_OBJECT || o->kind == V_RECORD) && k->kind == V_STRING) {
        const Value *v = value_get_str(o, k);
        if (!v)
            eval_error(ev, "E0215", n->b->span, "no key \"%s\"", k->u.str.s);
        return v;
    }
    eval_error(ev, "E0202", n->span, "%s cannot be indexed with %s", value_kind_name(o),
               value_kind_name(k));
    return NULL;
}

/* ---- operators ---- */

static const Value *arith_error(Eval *ev, const Node *n, const Value *a, const Value *b)
{
    Diag *d = eval_error(ev, "E0209", n->span, "cannot compute %s %s %s", value_kind_name(a),
                         op_spelling(n->op), value_kind_name(b));
    if (a->kind == V_QUANTITY || b->kind == V_QUANTITY)
        diag_set_hint(d, "quantities combine only with quantities of the same kind (bytes "
                         "with bytes) and scale by plain numbers");
    return NULL;
}

static const Value *overflow(Eval *ev, const Node *n)
{
    eval_error(ev, "E0217", n->span, "the result does not fit in 64 bits");
    return NULL;
}

static bool checked(int op, int64_t a, int64_t b, int64_t *out)
{
    switch (op) {
    case OP_ADD: return quantity_add(a, b, out);
    case OP_SUB: return quantity_sub(a, b, out);
    case OP_MUL: return quantity_mul(a, b, out);
    default: return false;
    }
}

static const Value *divide(Eval *ev, const Node *n, const Value *a, const Value *b)
{
    bool zero = (b->kind == V_INT && b->u.i == 0) || (b->kind == V_QUANTITY && b->u.q.v == 0) ||
                (b->kind == V_FLOAT && b->u.f == 0);
    if (zero) {
        eval_error(ev, "E0217", n->span, "division by zero");
        return NULL;
    }
    if (n->op == OP_MOD) {
        if (a->kind == V_INT && b->kind == V_INT)
            return value_int(ev->ar, n->span, b->u.i == -1 ? 0 : a->u.i % b->u.i);
        return arith_error(ev, n, a, b);
    }
    if (a->kind == V_INT && b->kind == V_INT) {
        if (a->u.i == INT64_MIN && b->u.i == -1)
            return overflow(ev, n);
        return value_int(ev->ar, n->span, a->u.i / b->u.i);
    }
    if (a->kind == V_QUANTITY && b->kind == V_INT) {
        if (a->u.q.v == INT64_MIN && b->u.i == -1)
            return overflow(ev, n);
        return value_quantity(ev->ar, n->span, a->u.q.dim, a->u.q.v / b->u.i);
    }
    if (a->kind == V_QUANTITY && b->kind == V_QUANTITY && a->u.q.dim == b->u.q.dim)
        return value_float(ev->ar, n->span, (double)a->u.q.v / (double)b->u.q.v);
    if ((a->kind == V_INT || a->kind == V_FLOAT) && (b->kind == V_INT || b->kind == V_FLOAT))
        return value_float(ev->ar, n->span, (a->kind == V_INT ? (double)a->u.i : a->u.f) /
                                                (b->kind == V_INT ? (double)b->u.i : b->u.f));
    return arith_error(ev, n, a, b);
}

static const Value *concat(Eval *ev, const Node *n, const Value *a, const Value *b)
{
    size_t n_a = a->kind == V_STRING ? a->u.str.len : a->u.list.len * sizeof(Value *);
    size_t n_b = b->kind == V_STRING ? b->u.str.len : b->u.list.len * sizeof(Value *);
    if (!eval_reserve(ev, n_a + n_b, n->span))
        return NULL;
    if (a->kind == V_STRING) {
        size_t len = a->u.str.len + b->u.str.len;
        char *s = arena_alloc(ev->ar, len + 1);
        memcpy(s, a->u.str.s, a->u.str.len);
        memcpy(s + a->u.str.len, b->u.str.s, b->u.str.len);
        return value_string(ev->ar, n->span, s, len);
    }
    size_t len = a->u.list.len + b->u.list.len;
    const Value **items = arena_alloc(ev->ar, (len ? len : 1) * sizeof *items);
    memcpy(items, a->u.list.items, a->u.list.len * sizeof *items);
    memcpy(items + a->u.list.len, b->u.list.items, b->u.list.len * sizeof *items);
    Value *v = (Value *)value_list(ev->ar, n->span, items, len);
    v->u.list.partial = a->u.list.partial || b->u.list.partial;
    return v;
}

static const Value *arith(Eval *ev, const Node *n, const Value *a, const Value *b)
{
    int op = n->op;
    if (op == OP_DIV || op == OP_MOD)
        return divide(ev, n, a, b);
    if (op == OP_ADD && a->kind == b->kind && (a->kind == V_STRING || a->kind == V_LIST))
        return concat(ev, n, a, b);
    int64_t r;
    if (a->kind == V_INT && b->kind == V_INT)
        return checked(op, a->u.i, b->u.i, &r) ? value_int(ev->ar, n->span, r) : overflow(ev, n);
    if ((a->kind == V_INT || a->kind == V_FLOAT) && (b->kind == V_INT || b->kind == V_FLOAT)) {
        double x = a->kind == V_INT ? (double)a->u.i : a->u.f;
        double y = b->kind == V_INT ? (double)b->u.i : b->u.f;
        return value_float(ev->ar, n->span, op == OP_ADD ? x + y : op == OP_SUB ? x - y : x * y);
    }
    if (a->kind == V_QUANTITY && b->kind == V_QUANTITY && a->u.q.dim == b->u.q.dim &&
        op != OP_MUL)
        return checked(op, a->u.q.v, b->u.q.v, &r)
                   ? value_quantity(ev->ar, n->span, a->u.q.dim, r) : overflow(ev, n);
    if (op == OP_MUL && a->kind == V_QUANTITY && b->kind == V_INT)
        return checked(op, a->u.q.v, b->u.i, &r)
                   ? value_quantity(ev->ar, n->span, a->u.q.dim, r) : overflow(ev, n);
    if (op == OP_MUL && a->kind == V_INT && b->kind == V_QUANTITY)
        return checked(op, a->u.i, b->u.q.v, &r)
                   ? value_quantity(ev->ar, n->span, b->u.q.dim, r) : overflow(ev, n);
    return arith_error(ev, n, a, b);
}

/* An enum member equals the string of its name, so that values read from
 * CSV or YAML compare with members. */
static bool equal(const Value *a, const Value *b)
{
    if (a->kind == V_ENUM && b->kind == V_STRING)
        return strcmp(a->u.en.decl->members[a->u.en.index].name, b->u.str.s) == 0;
    if (a->kind == V_STRING && b->kind == V_ENUM)
        return equal(b, a);
    return value_equal(a, b);
}

/* `x in list` over a long list: by hash, the index built at the first
 * question and kept with the list (values never change). */
static bool list_contains(Eval *ev, const Value *list, const Value *x)
{
    if (!list->u.list.index && list->u.list.scans < 4) {
        ((Value *)list)->u.list.scans++;
        for (size_t i = 0; i < list->u.list.len; i++)
            if (equal(x, list->u.list.items[i]))
                return true;
        return false;
    }
    if (!list->u.list.index) {
        HashIndex *idx = hidx_new(ev->ar, list->u.list.len);
        for (size_t i = 0; i < list->u.list.len; i++)
            hidx_add(ev->ar, idx, value_hash(list->u.list.items[i]), (uint32_t)i);
        ((Value *)list)->u.list.index = idx;
    }
    uint64_t h = value_hash(x);
    uint32_t cursor = 0;
    for (int64_t i; (i = hidx_next(list->u.list.index, h, &cursor)) >= 0;)
        if (equal(x, list->u.list.items[i]))
            return true;
    return false;
}

static const Value *membership(Eval *ev, const Node *n, const Value *x, const Value *in)
{
    bool r = false;
    if (in->kind == V_LIST && in->u.list.len >= HASHIDX_MIN) {
        r = list_contains(ev, in, x);
    } else if (in->kind == V_LIST) {
        for (size_t i = 0; i < in->u.list.len && !r; i++)
            r = equal(x, in->u.list.items[i]);
    } else if ((in->kind == V_OBJECT || in->kind == V_RECORD) && x->kind == V_STRING) {
        r = value_get_str(in, x) != NULL;
    } else if (in->kind == V_STRING && x->kind == V_STRING) {
        r = x->u.str.len == 0 || strstr(in->u.str.s, x->u.str.s) != NULL;
    } else {
        eval_error(ev, "E0202", n->span, "cannot look for %s in %s", value_kind_name(x),
                   value_kind_name(in));
        return NULL;
    }
    return eval_node_bool(ev, n, r);
}

static const Value *compare(Eval *ev, const Node *n, const Value *a, const Value *b)
{
    if (n->op == OP_EQ || n->op == OP_NE)
        return eval_node_bool(ev, n, equal(a, b) == (n->op == OP_EQ));
    int c;
    if (!value_compare(a, b, &c)) {
        eval_error(ev, "E0202", n->span, "cannot order %s and %s", value_kind_name(a),
                   value_kind_name(b));
        return NULL;
    }
    bool r = n->op == OP_LT ? c < 0 : n->op == OP_LE ? c <= 0 : n->op == OP_GT ? c > 0 : c >= 0;
    return eval_node_bool(ev, n, r);
}

const Value *eval_bool(Eval *ev, const Node *n, Env *env, const char *what)
{
    const Value *v = eval_expr(ev, n, env, type_basic(TY_BOOL));
    if (v && v->kind != V_BOOL) {
        eval_type_error(ev, v, type_basic(TY_BOOL), what);
        return NULL;
    }
    return v;
}

static const Value *logic(Eval *ev, const Node *n, Env *env)
{
    const Value *a = eval_bool(ev, n->a, env, op_spelling(n->op));
    if (!a)
        return NULL;
    if (a->u.b == (n->op == OP_OR))
        return eval_node_bool(ev, n, a->u.b);
    const Value *b = eval_bool(ev, n->b, env, op_spelling(n->op));
    return b ? eval_node_bool(ev, n, b->u.b) : NULL;
}

static bool plain_number(const Node *n)
{
    while (n->kind == N_PAREN || (n->kind == N_UNARY && n->op == OP_NEG))
        n = n->a;
    return n->kind == N_INT || n->kind == N_FLOAT;
}

/* The type a value suggests for the other side of a comparison, so that
 * `env.cpu <= 500m` reads 500m as cpu and `r == worker` finds the member. */
static const Type *suggested(Eval *ev, const Value *v)
{
    switch (v->kind) {
    case V_QUANTITY:
        return type_basic(v->u.q.dim == Q_BYTES ? TY_BYTES
                          : v->u.q.dim == Q_CPU ? TY_CPU : TY_DURATION);
    case V_ENUM: return type_decl(ev->ar, TY_ENUM, v->u.en.decl);
    default: return NULL;
    }
}

static const Value *binary(Eval *ev, const Node *n, Env *env, const Type *want)
{
    if (n->op == OP_AND || n->op == OP_OR)
        return logic(ev, n, env);
    /* Addition passes the expected type down to its quantities, so that
     * `t + 30m` where a duration is expected reads minutes; a plain number
     * stays a number, so `4Gi + 2` is the error it looks like. */
    bool arithmetic = n->op == OP_ADD || n->op == OP_SUB;
    const Value *a = eval_expr(ev, n->a, env, arithmetic && !plain_number(n->a) ? want : NULL);
    if (!a)
        return NULL;
    const Type *wb = arithmetic ? (plain_number(n->b) ? NULL : want)
                     : n->op == OP_IN ? NULL : suggested(ev, a);
    const Value *b = eval_expr(ev, n->b, env, wb);
    if (!b)
        return NULL;
    switch (n->op) {
    case OP_EQ: case OP_NE: case OP_LT: case OP_LE: case OP_GT: case OP_GE:
        return compare(ev, n, a, b);
    case OP_IN:
        return membership(ev, n, a, b);
    default:
        return arith(ev, n, a, b);
    }
}

static const Value *unary(Eval *ev, const Node *n, Env *env, const Type *want)
{
    if (n->op == OP_NOT) {
        const Value *v = eval_bool(ev, n->a, env, "`!`");
        return v ? eval_node_bool(ev, n, !v->u.b) : NULL;
    }
    const Value *v = eval_expr(ev, n->a, env, want);
    if (!v)
        return NULL;
    if (v->kind == V_INT && v->u.i != INT64_MIN)
        return value_int(ev->ar, n->span, -v->u.i);
    if (v->kind == V_FLOAT)
        return value_float(ev->ar, n->span, -v->u.f);
    if (v->kind == V_QUANTITY && v->u.q.v != INT64_MIN)
        return value_quantity(ev->ar, n->span, v->u.q.dim, -v->u.q.v);
    if (v->kind == V_INT || v->kind == V_QUANTITY)
        return overflow(ev, n);
    eval_error(ev, "E0209", n->span, "cannot negate %s", value_kind_name(v));
    return NULL;
}

/* ---- variants ---- */

static const Decl *variant_of(const Value *v)
{
    if (v->kind != V_RECORD || !v->u.obj.decl || v->u.obj.decl->kind != D_VARIANT)
        return NULL;
    return v->u.obj.decl;
}

static const Value *is(Eval *ev, const Node *n, Env *env)
{
    const Value *v = eval_expr(ev, n->a, env, NULL);
    if (!v)
        return NULL;
    if (v->kind == V_NULL)
        return eval_node_bool(ev, n, false);
    const Decl *var = variant_of(v);
    if (!var) {
        eval_error(ev, "E0202", n->a->span, "`is` tests a union's variant, not %s",
                   value_kind_name(v));
        return NULL;
    }
    if (!decl_variant(var->parent, n->name.s)) {
        eval_error(ev, "E0219", n->span, "`%s` has no variant `%s`", var->parent->name,
                   n->name.s);
        return NULL;
    }
    return eval_node_bool(ev, n, strcmp(var->name, n->name.s) == 0);
}

static const Value *variant(Eval *ev, const Node *n, Env *env, const Type *want)
{
    const Type *w = type_unopt(want);
    if (!w || w->kind != TY_UNION) {
        Diag *d = eval_error(ev, "E0219", n->span, "`%s { ... }` is a variant of a union, and "
                             "no union is expected here", n->name.s);
        (void)d;
        return NULL;
    }
    const Decl *v = decl_variant(w->decl, n->name.s);
    if (!v) {
        const char *names[64];
        size_t k = 0;
        for (size_t i = 0; i < w->decl->nvariants && k < 64; i++)
            names[k++] = w->decl->variants[i]->name;
        Diag *d = eval_error(ev, "E0219", n->span, "`%s` has no variant `%s`", w->decl->name,
                             n->name.s);
        const char *s = eval_suggest(n->name.s, names, k);
        if (s)
            diag_set_hint(d, "did you mean `%s`?", s);
        return NULL;
    }
    return eval_record(ev, v, &n->list, env, NULL, n->span);
}

static bool arm_matches(const Node *arm, const Value *v)
{
    const char *p = arm->name.s;
    if (strcmp(p, "_") == 0)
        return true;
    if (strcmp(p, "null") == 0)
        return v->kind == V_NULL;
    const Decl *var = variant_of(v);
    return var && strcmp(var->name, p) == 0;
}

static const Value *match(Eval *ev, const Node *n, Env *env, const Type *want)
{
    const Value *v = eval_expr(ev, n->a, env, NULL);
    if (!v)
        return NULL;
    const Decl *var = variant_of(v);
    if (!var && v->kind != V_NULL) {
        eval_error(ev, "E0202", n->a->span, "`match` looks at a union's variant, not %s",
                   value_kind_name(v));
        return NULL;
    }
    for (uint32_t i = 0; i < n->list.len; i++) {
        const Node *arm = n->list.at[i];
        if (!arm_matches(arm, v))
            continue;
        Env *e = env;
        if (arm->text.s) {
            e = env_new_sized(ev, env, 1);
            env_bind(ev, e, arm->text.s, v);
        }
        return eval_expr(ev, arm->a, e, want);
    }
    Diag *d = eval_error(ev, "E0218", n->span, "no arm of this `match` handles %s",
                         var ? var->name : "null");
    diag_set_hint(d, "add an arm `%s => ...`, or `_ => ...` for every other case",
                  var ? var->name : "null");
    return NULL;
}

/* ---- calls ---- */

static const Value *construct(Eval *ev, const Node *n, const Decl *schema, Env *env)
{
    if (n->list.len != 1 || n->list.at[0]->name.s) {
        Diag *d = eval_error(ev, "E0216", n->span, "`%s(...)` takes one object", schema->name);
        diag_set_hint(d, "write `%s(row)` or `%s({ field = value })`", schema->name,
                      schema->name);
        return NULL;
    }
    const Type *t = type_decl(ev->ar, TY_RECORD, schema);
    const Value *v = eval_expr(ev, n->list.at[0]->a, env, t);
    return v ? eval_coerce(ev, v, t, NULL) : NULL;
}

static const Value *call(Eval *ev, const Node *n, Env *env, const Type *want)
{
    if (n->a->kind != N_IDENT) {
        eval_error(ev, "E0216", n->a->span, "only builtins and schemas can be called");
        return NULL;
    }
    const char *name = n->a->name.s;
    const Value *out = NULL;
    if (builtin_call(ev, name, n, env, want, &out))
        return out;
    const Decl *d = decl_find(ev->decls, name);
    if (d && d->kind == D_SCHEMA)
        return construct(ev, n, d, env);
    Diag *g = eval_error(ev, "E0216", n->a->span, "no function is named `%s`", name);
    diag_set_hint(g, "the builtins are listed in docs/language.md; a schema's name builds "
                     "a record: `person(row)`");
    return NULL;
}

/* ---- dispatch ---- */

static const Value *cond(Eval *ev, const Node *n, Env *env, const Type *want)
{
    const Value *c = eval_bool(ev, n->a, env, "the condition of `if`");
    if (!c)
        return NULL;
    return eval_expr(ev, c->u.b ? n->b : n->c, env, want);
}

static const Value *dispatch(Eval *ev, const Node *n, Env *env, const Type *want)
{
    switch (n->kind) {
    case N_NULL: return n->memo[0] ? n->memo[0] : (((Node *)n)->memo[0] = value_null(ev->ar, n->span));
    case N_BOOL: return eval_node_bool(ev, n, n->flag);
    case N_INT: case N_FLOAT: return number(ev, n, want);
    case N_QUANTITY: return quantity(ev, n, want);
    case N_STRING: return string(ev, n, env);
    case N_IDENT: return ident(ev, n, env, want);
    case N_LIST: return list(ev, n, env, want);
    case N_OBJECT: return eval_object(ev, n, env, want);
    case N_VARIANT: return variant(ev, n, env, want);
    case N_LISTCOMP: return listcomp(ev, n, env, want);
    case N_OBJCOMP: return objcomp(ev, n, env, want);
    case N_GET: return get(ev, n, env);
    case N_INDEX: return index_of(ev, n, env);
    case N_CALL: return call(ev, n, env, want);
    case N_UNARY: return unary(ev, n, env, want);
    case N_BINARY: return binary(ev, n, env, want);
    case N_IS: return is(ev, n, env);
    case N_COND: return cond(ev, n, env, want);
    case N_MATCH: return match(ev, n, env, want);
    case N_PAREN: return eval_expr(ev, n->a, env, want);
    default:
        eval_error(ev, "E0202", n->span, "this is not an expression");
        return NULL;
    }
}

EvalLimits eval_limits_default(void)
{
    return (EvalLimits){EVAL_DEFAULT_STEPS, EVAL_DEFAULT_BYTES, EVAL_DEFAULT_DEPTH};
}

/* A limit crossed inside the library is the site's doing: the note names
 * the site's expression being evaluated, when one is. */
static void limit_error(Eval *ev, const char *code, Span at, const char *hint, const char *msg)
{
    Diag *d = eval_error(ev, code, at, "%s", msg);
    diag_set_hint(d, "%s", hint);
    if (at.src && at.src->id >= ev->nsite && ev->site_at.src)
        diag_add_secondary(d, ev->site_at, "while evaluating this expression of the site");
    ev->stopped = true;
    ev->stop_diag = ev->diags->len;
}

static void over_memory(Eval *ev, Span at)
{
    char msg[96];
    uint64_t b = ev->limits.bytes;
    bool gib = b % (1u << 30) == 0;
    snprintf(msg, sizeof msg, "evaluation needs more than %llu %s of memory",
             (unsigned long long)(gib ? b >> 30 : b >> 20), gib ? "GiB" : "MiB");
    limit_error(ev, "E0224", at, "a string or a list grows without bound; if the site is "
                "really this large, raise the limit with --max-memory SIZE", msg);
}

bool eval_reserve(Eval *ev, size_t bytes, Span at)
{
    if (ev->stopped)
        return false;
    if (ev->limits.bytes && (ev->ar->total > ev->limits.bytes ||
                             bytes > ev->limits.bytes - ev->ar->total)) {
        over_memory(ev, at);
        return false;
    }
    return true;
}

void eval_stack_guard(Eval *ev, const void *base)
{
    /* The stack limit less room for what runs below the evaluator
     * (builtins, libyaml, the C library); 8 MiB when it is unlimited. */
    struct rlimit rl;
    size_t limit = 8u << 20;
    if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        rl.rlim_cur < (rlim_t)1 << 32)
        limit = (size_t)rl.rlim_cur;
    ev->stack_base = (uintptr_t)base;
    ev->stack_budget = limit > (2u << 20) ? limit - (1u << 20) : limit / 2;
}

static size_t stack_used(const Eval *ev)
{
    char here;
    uintptr_t at = (uintptr_t)&here;
    return at < ev->stack_base ? ev->stack_base - at : at - ev->stack_base;
}

static bool too_deep(Eval *ev, const Node *n, uint32_t max_depth)
{
    if (ev->depth < max_depth && (!ev->stack_base || stack_used(ev) < ev->stack_budget))
        return false;
    if (!ev->too_deep) {
        Diag *d = ev->depth >= max_depth
            ? eval_error(ev, "E0221", n->span, "evaluation nested deeper than %u levels",
                         max_depth)
            : eval_error(ev, "E0221", n->span, "evaluation nested %u levels deep fills the "
                         "stack", ev->depth);
        diag_set_hint(d, ev->depth >= max_depth
                             ? "a value probably depends on itself through a long chain of "
                               "names; if it really is this deep, raise the limit with "
                               "--max-depth N"
                             : "a value probably depends on itself through a long chain of "
                               "names; a larger stack (ulimit -s) holds more levels");
        ev->too_deep = true;
    }
    return true;
}

/* Counts the step and checks the limits; false stops the evaluation. */
static bool within_limits(Eval *ev, const Node *n)
{
    if (ev->stopped)
        return false;
    if (ev->limits.steps && ++ev->steps > ev->limits.steps) {
        char msg[96];
        snprintf(msg, sizeof msg, "evaluation takes more than %llu steps",
                 (unsigned long long)ev->limits.steps);
        limit_error(ev, "E0223", n->span, "a comprehension probably runs over a product of "
                    "long lists; if the site is really this large, raise the limit with "
                    "--max-steps N", msg);
        return false;
    }
    if (ev->limits.bytes && ev->ar->total > ev->limits.bytes) {
        over_memory(ev, n->span);
        return false;
    }
    if (too_deep(ev, n, ev->limits.depth ? ev->limits.depth : EVAL_DEFAULT_DEPTH))
        return false;
    return true;
}

const Value *eval_expr(Eval *ev, const Node *n, Env *env, const Type *want)
{
    if (!within_limits(ev, n))
        return NULL;
    Span outer = ev->site_at;
    if (n->span.src && n->span.src->id < ev->nsite)
        ev->site_at = n->span;
    ev->depth++;
    const Value *v = dispatch(ev, n, env, want);
    ev->depth--;
    ev->site_at = outer;
    /* A failed field read from a record, a list or a loop variable was
     * reported where it failed: here it is just a failure. */
    return is_poison(v) ? NULL : v;
}
