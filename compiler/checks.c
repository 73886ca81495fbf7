/* checks.c — runs the `check` declarations against the evaluated site.
 *
 * Every check runs, and every failed `require` or `warn` is reported, not
 * just the first. A check whose inputs failed to evaluate (already
 * reported) is skipped silently rather than adding a second message. A
 * failure points at the places named after `at`: the first is the
 * primary location, the others are shown as related. */
#include <string.h>

#include "program.h"

/* A check without a code of its own reports under this one. */
#define CHECK_DEFAULT_CODE "E0500"

typedef struct CheckRun {
    Program *p;
    const Decl *check;
} CheckRun;

static void body(CheckRun *r, const NodeList *items, Env *outer);

static Span place_span(const Value *v) { return v->at; }

static void report(CheckRun *r, const Node *req, const Value *msg, Env *env)
{
    Eval *ev = &r->p->ev;
    ValueVec places = {0};
    for (uint32_t i = 0; i < req->list.len; i++) {
        const Value *v = eval_expr(ev, req->list.at[i], env, NULL);
        if (!v || is_poison(v))
            return;
        if (v->kind == V_LIST) {
            for (size_t k = 0; k < v->u.list.len; k++)
                vec_push(ev, &places, v->u.list.items[k]);
        } else {
            vec_push(ev, &places, v);
        }
    }
    const Value *hint = NULL;
    if (req->c) {
        hint = eval_expr(ev, req->c, env, type_basic(TY_STRING));
        if (hint && hint->kind != V_STRING) {
            eval_type_error(ev, hint, type_basic(TY_STRING), "the hint of a check");
            return;
        }
    }
    const char *code = *r->check->code ? r->check->code : CHECK_DEFAULT_CODE;
    Span at = places.len ? place_span(places.at[0]) : r->p->units[0].parsed.root->span;
    if (!places.len)
        at = source_span(r->p->units[0].src, 0, 0);
    Diag *d = diag_add(r->p->diags, req->flag ? SEV_WARNING : SEV_ERROR, code, at, "%s",
                       msg->u.str.s);
    for (size_t i = 1; i < places.len; i++)
        diag_add_secondary(d, place_span(places.at[i]), "also involved");
    if (hint)
        diag_set_hint(d, "%s", hint->u.str.s);
    vec_free(ev, &places);
}

static void require(CheckRun *r, const Node *req, Env *env)
{
    Eval *ev = &r->p->ev;
    const Value *c = eval_bool(ev, req->a, env, "the condition of a check");
    if (!c || c->u.b)
        return;
    const Value *msg = eval_expr(ev, req->b, env, type_basic(TY_STRING));
    if (!msg || is_poison(msg))
        return;
    if (msg->kind != V_STRING) {
        eval_type_error(ev, msg, type_basic(TY_STRING), "the message of a check");
        return;
    }
    report(r, req, msg, env);
}

typedef struct Loop {
    CheckRun *r;
    const NodeList *items;
    Env *frame; /* the body's lets, one frame for every iteration */
} Loop;

static void statements(CheckRun *r, const NodeList *items, Env *env);

static bool step(Eval *ev, Env *env, void *p)
{
    Loop *l = p;
    statements(l->r, l->items, env_reuse_lets(ev, &l->frame, env, l->items));
    return true;
}

static void branch(CheckRun *r, const Node *it, Env *env)
{
    Eval *ev = &r->p->ev;
    const Value *c = eval_bool(ev, it->a, env, "the condition of `if`");
    if (!c)
        return;
    if (c->u.b)
        body(r, &it->list, env);
    else if (it->b)
        branch(r, it->b, env);
    else
        body(r, &it->list2, env);
}

static void body(CheckRun *r, const NodeList *items, Env *outer)
{
    statements(r, items, env_with_lets(&r->p->ev, outer, items));
}

/* The statements of items, in env, which holds their lets. */
static void statements(CheckRun *r, const NodeList *items, Env *env)
{
    Eval *ev = &r->p->ev;
    for (uint32_t i = 0; i < items->len; i++) {
        const Node *it = items->at[i];
        switch (it->kind) {
        case N_REQUIRE: require(r, it, env); break;
        case N_IF: branch(r, it, env); break;
        case N_FOR: {
            Loop l = {r, &it->list2, NULL};
            eval_for_eager(ev, &it->list, it->a, env, step, &l);
            break;
        }
        case N_ATTR:
            if (strcmp(it->name.s, "code") != 0) {
                Diag *d = diag_error(r->p->diags, "E0106", it->span,
                                     "a check sets only its `code`");
                diag_set_hint(d, "name a value with `let %s = ...`; a check reports with "
                                 "`require` and `warn`", it->name.s);
            }
            break;
        default: break;
        }
    }
}

void checks_run(Program *p, Env *env, bool library_ok)
{
    for (size_t i = 0; i < p->decls.len; i++) {
        const Decl *d = p->decls.at[i];
        if (d->kind != D_CHECK || d->ill_typed)
            continue;
        if (!library_ok && program_in_library(p, d->node->span))
            continue;
        CheckRun r = {p, d};
        body(&r, &d->node->list, env);
    }
}
