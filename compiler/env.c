/* env.c — lexical frames, lazy bindings and the evaluator's diagnostics. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "eval_internal.h"

Env *env_new(Eval *ev, Env *parent) { return env_new_sized(ev, parent, 0); }

Env *env_new_sized(Eval *ev, Env *parent, size_t n)
{
    Env *e = arena_alloc(ev->ar, sizeof *e);
    e->parent = parent;
    if (n) {
        e->b = arena_alloc(ev->ar, n * sizeof *e->b);
        e->cap = n;
    }
    return e;
}

static Binding *add(Eval *ev, Env *env, const char *name)
{
    if (env->len == env->cap) {
        size_t cap = env->cap ? env->cap * 2 : 4;
        env->b = arena_grow(ev->ar, env->b, env->len, cap, sizeof *env->b);
        env->cap = cap;
    }
    Binding *b = &env->b[env->len++];
    memset(b, 0, sizeof *b);
    b->name = name;
    return b;
}

void env_bind(Eval *ev, Env *env, const char *name, const Value *v)
{
    Binding *b = add(ev, env, name);
    b->state = v ? B_VALUE : B_FAILED;
    b->val = v;
}

void env_bind_lazy(Eval *ev, Env *env, const char *name, const Node *expr, Env *in,
                   const Type *type)
{
    Binding *b = add(ev, env, name);
    b->state = B_LAZY;
    b->expr = expr;
    b->in = in;
    b->type = type;
}

Binding *env_bind_thunk(Eval *ev, Env *env, const char *name, Thunk fn, void *ctx,
                        const Node *at)
{
    Binding *b = add(ev, env, name);
    b->state = B_LAZY;
    b->is_thunk = true;
    b->thunk = fn;
    b->thunk_ctx = ctx;
    b->expr = at;
    return b;
}

Env *env_with_lets(Eval *ev, Env *outer, const NodeList *items)
{
    size_t n = 0;
    for (uint32_t i = 0; i < items->len; i++)
        n += items->at[i]->kind == N_LET;
    /* A frame with nothing in it would only lengthen every lookup. */
    if (n == 0 && outer)
        return outer;
    Env *env = env_new_sized(ev, outer, n);
    for (uint32_t i = 0; i < items->len; i++)
        if (items->at[i]->kind == N_LET)
            env_bind_lazy(ev, env, items->at[i]->name.s, items->at[i]->a, env, NULL);
    return env;
}

Env *env_reuse_lets(Eval *ev, Env **frame, Env *outer, const NodeList *items)
{
    if (!*frame) {
        Env *env = env_with_lets(ev, outer, items);
        if (env != outer) /* a body without lets has no frame of its own */
            *frame = env;
        return env;
    }
    Env *env = *frame;
    env->parent = outer;
    env->len = 0;
    for (uint32_t i = 0; i < items->len; i++)
        if (items->at[i]->kind == N_LET)
            env_bind_lazy(ev, env, items->at[i]->name.s, items->at[i]->a, env, NULL);
    return env;
}

Binding *env_find_local(Env *env, const char *name)
{
    /* The first byte first: most names in a frame differ there, and a
     * lookup walks every frame out to the globals. */
    for (size_t i = 0; i < env->len; i++)
        if (env->b[i].name[0] == name[0] && strcmp(env->b[i].name, name) == 0)
            return &env->b[i];
    return NULL;
}

const Value *binding_force(Eval *ev, Binding *b, const Node *at)
{
    switch (b->state) {
    case B_VALUE: return b->val;
    case B_FAILED: return NULL;
    case B_BUSY: {
        Diag *d = eval_error(ev, "E0213", at ? at->span : b->expr->span,
                             "`%s` is defined in terms of itself", b->name);
        if (b->expr && at)
            diag_add_secondary(d, b->expr->span, "`%s` is defined here", b->name);
        diag_set_hint(d, "break the cycle: one of the values must not depend on the other");
        b->state = B_FAILED;
        return NULL;
    }
    case B_LAZY: break;
    }
    b->state = B_BUSY;
    const Value *v;
    if (b->is_thunk) {
        v = b->thunk(ev, b->thunk_ctx);
    } else {
        v = eval_expr(ev, b->expr, b->in, b->type);
        if (v && b->type && !eval_already(v, b->type)) {
            What w = {.kind = WHAT_FIELD, .text = b->owner, .name = b->name};
            v = eval_coerce_as(ev, v, b->type, &w);
        }
    }
    if (b->state == B_FAILED) /* a cycle through this binding was reported */
        return NULL;
    b->state = v ? B_VALUE : B_FAILED;
    b->val = v;
    return v;
}

const Value *env_lookup(Eval *ev, Env *env, const char *name, const Node *at, bool *found)
{
    for (Env *e = env; e; e = e->parent) {
        Binding *b = env_find_local(e, name);
        if (b) {
            *found = true;
            return binding_force(ev, b, at);
        }
    }
    *found = false;
    return NULL;
}

Diag *eval_error(Eval *ev, const char *code, Span at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    StrBuf b;
    sb_init(&b);
    sb_vprintf(&b, fmt, ap);
    va_end(ap);
    Diag *d = diag_error(ev->diags, code, at, "%s", b.data ? b.data : "");
    sb_free(&b);
    return d;
}

Diag *eval_type_error(Eval *ev, const Value *v, const Type *want, const char *what)
{
    StrBuf t, s;
    sb_init(&t);
    sb_init(&s);
    type_format(want, &t);
    value_describe(v, &s);
    Diag *d = eval_error(ev, "E0202", v->at, "%s%sexpected %s, found %s %s", what ? what : "",
                         what ? ": " : "", t.data, value_kind_name(v), s.data);
    sb_free(&t);
    sb_free(&s);
    return d;
}

static size_t distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > 64 || m > 64)
        return 64;
    size_t row[65];
    for (size_t j = 0; j <= m; j++)
        row[j] = j;
    for (size_t i = 1; i <= n; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t up = row[j];
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = diag + cost;
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[m];
}

const char *eval_suggest(const char *word, const char *const *cands, size_t n)
{
    const char *best = NULL;
    size_t bestd = (size_t)-1;
    size_t limit = strlen(word) / 3 + 1;
    for (size_t i = 0; i < n; i++) {
        size_t d = distance(word, cands[i]);
        if (d <= limit && d < bestd && d > 0) {
            bestd = d;
            best = cands[i];
        }
    }
    return best;
}

void vec_push(Eval *ev, ValueVec *v, const Value *x)
{
    if (v->len == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 8;
        v->at = arena_regrow(ev->ar, v->at, v->len, cap, sizeof *v->at);
        v->cap = cap;
    }
    v->at[v->len++] = x;
}

void *arena_copy(Arena *ar, const void *at, size_t n, size_t k, size_t elem)
{
    void *p = arena_alloc(ar, (n ? n : 1) * elem);
    if (k)
        memcpy(p, at, k * elem);
    return p;
}

const Value **vec_take(Eval *ev, ValueVec *v)
{
    const Value **items = arena_shrink(ev->ar, v->at, v->len, v->cap, sizeof *v->at);
    v->at = NULL;
    v->cap = 0;
    return items;
}

void vec_free(Eval *ev, ValueVec *v)
{
    arena_release(ev->ar, v->at, v->cap * sizeof *v->at);
    *v = (ValueVec){0};
}

bool type_dim(const Type *t, QDim *out)
{
    switch (t->kind) {
    case TY_BYTES: *out = Q_BYTES; return true;
    case TY_CPU: *out = Q_CPU; return true;
    case TY_DURATION: *out = Q_DURATION; return true;
    default: return false;
    }
}
