#include "typecheck.h"

#include <string.h>

#include "eval_internal.h"

typedef struct Scope {
    const struct Scope *parent;
    const char *name;
    const Type *type;
} Scope;

typedef struct Tc {
    const DeclTable *decls;
    Arena *ar;
    DiagList *diags;
    size_t errors;
} Tc;

static const Type *infer(Tc *tc, const Node *n, const Scope *sc, const Type *want);
static void body(Tc *tc, const NodeList *items, const Scope *sc);

static const Type *any(void) { return type_basic(TY_ANY); }

static Diag *error(Tc *tc, const char *code, Span at, const char *fmt, const char *a,
                   const char *b)
{
    tc->errors++;
    return diag_error(tc->diags, code, at, fmt, a, b);
}

static const Scope *bind(Tc *tc, const Scope *parent, const char *name, const Type *t)
{
    Scope *s = arena_alloc(tc->ar, sizeof *s);
    s->parent = parent;
    s->name = name;
    s->type = t ? t : any();
    return s;
}

static const Type *lookup(const Scope *sc, const char *name)
{
    for (; sc; sc = sc->parent)
        if (strcmp(sc->name, name) == 0)
            return sc->type;
    return NULL;
}

static char *fmt_type(Tc *tc, const Type *t)
{
    StrBuf b;
    sb_init(&b);
    type_format(t, &b);
    char *s = arena_strndup(tc->ar, b.data, b.len);
    sb_free(&b);
    return s;
}

/* ---- kinds of types ---- */

static bool is_any(const Type *t) { return !t || t->kind == TY_ANY; }

static const Type *base(const Type *t) { return type_unopt(t); }

/* A reference reads like the record it points at. */
static bool is_record(const Type *t) { return t->kind == TY_RECORD || t->kind == TY_REF; }

static bool is_textual(const Type *t)
{
    return type_is_text(t) || t->kind == TY_ENUM;
}

static bool is_net(const Type *t)
{
    return t->kind == TY_IP || t->kind == TY_CIDR || t->kind == TY_IPRANGE;
}

static unsigned arg_kind(const Type *t)
{
    t = base(t);
    if (is_any(t))
        return BA_ANY;
    if (is_textual(t))
        return BA_STRING;
    if (t->kind == TY_LIST)
        return BA_LIST;
    if (t->kind == TY_MAP || t->kind == TY_OBJECT || is_record(t))
        return BA_OBJECT;
    if (t->kind == TY_INT || t->kind == TY_FLOAT || type_is_quantity(t))
        return BA_NUMBER;
    if (is_net(t))
        return BA_NET;
    if (t->kind == TY_SECRET)
        return BA_SECRET;
    return 0;
}

static const Type *elem(const Type *t)
{
    t = base(t);
    return t && (t->kind == TY_LIST || t->kind == TY_MAP) ? t->elem : any();
}

/* ---- names and fields ---- */

static const Type *ident(Tc *tc, const Node *n, const Scope *sc, const Type *want)
{
    const Type *w = base(want);
    if (w && w->kind == TY_LIST)
        w = base(w->elem);
    if (w && w->kind == TY_ENUM && decl_member(w->decl, n->name.s) >= 0)
        return w;
    if (w && w->kind == TY_UNION && decl_variant(w->decl, n->name.s))
        return w;
    const Type *t = lookup(sc, n->name.s);
    if (t)
        return t;
    if (w && is_record(w) && w->decl->label >= 0)
        return w; /* a reference by label, resolved when a site exists */
    error(tc, "E0201", n->span, "unknown name `%s`%s", n->name.s, "");
    return any();
}

static const Field *variant_field(const Decl *u, const char *name)
{
    for (size_t i = 0; i < u->nvariants; i++) {
        const Field *f = decl_field(u->variants[i], name);
        if (f)
            return f;
    }
    return NULL;
}

static const Type *field_of(Tc *tc, const Node *n, const Type *on)
{
    const Type *t = base(on);
    const char *name = n->name.s;
    if (is_any(t) || t->kind == TY_OBJECT)
        return any();
    if (t->kind == TY_MAP)
        return t->elem;
    const Field *f = NULL;
    if (is_record(t))
        f = decl_field(t->decl, name);
    else if (t->kind == TY_UNION)
        f = variant_field(t->decl, name);
    else {
        error(tc, "E0214", n->span, "%s has no fields (looking for `%s`)", fmt_type(tc, on), name);
        return any();
    }
    if (f)
        return f->type;
    const Decl *d = t->decl;
    Diag *g = error(tc, "E0214", n->span, "`%s` has no field `%s`", d->name, name);
    const char *names[128];
    size_t k = 0;
    for (size_t i = 0; i < d->nfields && k < 128; i++)
        names[k++] = d->fields[i].name;
    for (size_t v = 0; v < d->nvariants; v++)
        for (size_t i = 0; i < d->variants[v]->nfields && k < 128; i++)
            names[k++] = d->variants[v]->fields[i].name;
    const char *s = eval_suggest(name, names, k);
    if (s)
        diag_set_hint(g, "did you mean `%s`?", s);
    return any();
}

static const Type *get(Tc *tc, const Node *n, const Scope *sc)
{
    if (n->a->kind == N_IDENT && !lookup(sc, n->a->name.s)) {
        const Decl *d = decl_find(tc->decls, n->a->name.s);
        if (d && d->kind == D_ENUM) {
            if (decl_member(d, n->name.s) < 0)
                error(tc, "E0201", n->span, "`%s` has no member `%s`", d->name, n->name.s);
            return type_decl(tc->ar, TY_ENUM, d);
        }
    }
    return field_of(tc, n, infer(tc, n->a, sc, NULL));
}

/* ---- operators ---- */

static QDim dim_of(const Type *t)
{
    QDim d = Q_BYTES;
    type_dim(t, &d);
    return d;
}

static const Type *arith(Tc *tc, const Node *n, const Type *a, const Type *b)
{
    const Type *x = base(a), *y = base(b);
    if (is_any(x) || is_any(y))
        return is_any(x) ? y : x;
    bool qa = type_is_quantity(x), qb = type_is_quantity(y);
    bool ok;
    const Type *r = x;
    switch (n->op) {
    case OP_ADD: case OP_SUB:
        ok = (qa && qb && dim_of(x) == dim_of(y)) ||
             (arg_kind(x) == BA_NUMBER && !qa && arg_kind(y) == BA_NUMBER && !qb) ||
             (n->op == OP_ADD && ((is_textual(x) && is_textual(y)) ||
                                  (x->kind == TY_LIST && y->kind == TY_LIST)));
        if (x->kind == TY_FLOAT || y->kind == TY_FLOAT)
            r = type_basic(TY_FLOAT);
        break;
    case OP_MUL:
        ok = (qa && y->kind == TY_INT) || (x->kind == TY_INT && qb) ||
             (!qa && !qb && arg_kind(x) == BA_NUMBER && arg_kind(y) == BA_NUMBER);
        r = qb ? y : (x->kind == TY_FLOAT || y->kind == TY_FLOAT) ? type_basic(TY_FLOAT) : x;
        break;
    case OP_DIV:
        ok = (qa && (y->kind == TY_INT || (qb && dim_of(x) == dim_of(y)))) ||
             (!qa && !qb && arg_kind(x) == BA_NUMBER && arg_kind(y) == BA_NUMBER);
        r = qa && qb ? type_basic(TY_FLOAT)
            : (x->kind == TY_FLOAT || y->kind == TY_FLOAT) ? type_basic(TY_FLOAT) : x;
        break;
    default: /* OP_MOD */
        ok = x->kind == TY_INT && y->kind == TY_INT;
        break;
    }
    if (!ok) {
        Diag *d = error(tc, "E0209", n->span, "cannot compute %s with %s", fmt_type(tc, a),
                        fmt_type(tc, b));
        if (qa || qb)
            diag_set_hint(d, "quantities combine only with quantities of the same kind (bytes "
                             "with bytes) and scale by plain numbers");
        return any();
    }
    return r;
}

static const Type *want_bool(Tc *tc, const Node *n, const Scope *sc, const char *what)
{
    const Type *t = base(infer(tc, n, sc, type_basic(TY_BOOL)));
    if (!is_any(t) && t->kind != TY_BOOL)
        error(tc, "E0202", n->span, "%s must be a bool, not %s", what, fmt_type(tc, t));
    return type_basic(TY_BOOL);
}

/* As in the evaluator: plain numbers in a sum stay numbers. */
static bool plain_number(const Node *n)
{
    while (n->kind == N_PAREN || (n->kind == N_UNARY && n->op == OP_NEG))
        n = n->a;
    return n->kind == N_INT || n->kind == N_FLOAT;
}

static const Type *binary(Tc *tc, const Node *n, const Scope *sc, const Type *want)
{
    if (n->op == OP_AND || n->op == OP_OR) {
        want_bool(tc, n->a, sc, "an operand of && and ||");
        return want_bool(tc, n->b, sc, "an operand of && and ||");
    }
    bool arithmetic = n->op == OP_ADD || n->op == OP_SUB;
    const Type *a = infer(tc, n->a, sc, arithmetic && !plain_number(n->a) ? want : NULL);
    const Type *wb = arithmetic ? (plain_number(n->b) ? NULL : want)
                     : n->op == OP_IN ? NULL : base(a);
    const Type *b = infer(tc, n->b, sc, wb);
    switch (n->op) {
    case OP_EQ: case OP_NE: case OP_IN:
        return type_basic(TY_BOOL);
    case OP_LT: case OP_LE: case OP_GT: case OP_GE: {
        const Type *x = base(a), *y = base(b);
        bool q = type_is_quantity(x) || type_is_quantity(y);
        if (!is_any(x) && !is_any(y) && q && (x->kind != y->kind))
            error(tc, "E0202", n->span, "cannot order %s and %s", fmt_type(tc, a), fmt_type(tc, b));
        return type_basic(TY_BOOL);
    }
    default:
        return arith(tc, n, a, b);
    }
}

/* ---- strings ---- */

static void interpolation(Tc *tc, const Node *p, const Scope *sc)
{
    const Type *t = base(infer(tc, p, sc, NULL));
    if (is_any(t))
        return;
    if (t->kind == TY_SECRET)
        error(tc, "E0222", p->span, "a secret cannot be put into a string%s%s", "", "");
    else if (t->kind == TY_LIST || t->kind == TY_MAP || t->kind == TY_OBJECT ||
             is_record(t) || t->kind == TY_UNION)
        error(tc, "E0202", p->span, "%s cannot be put into a string%s", fmt_type(tc, t), "");
}

static const Type *string(Tc *tc, const Node *n, const Scope *sc)
{
    for (uint32_t i = 0; i < n->list.len; i++)
        if (n->list.at[i]->kind != N_TEXT)
            interpolation(tc, n->list.at[i], sc);
    return type_basic(TY_STRING);
}

/* ---- loops ---- */

static const Scope *bindings(Tc *tc, const NodeList *l, const Scope *sc)
{
    for (uint32_t i = 0; i < l->len; i++) {
        const Node *b = l->at[i];
        const Type *src = base(infer(tc, b->a, sc, NULL));
        const Type *k = any(), *v = any();
        if (src->kind == TY_LIST) {
            k = type_basic(TY_INT);
            v = src->elem;
        } else if (src->kind == TY_MAP) {
            k = type_basic(TY_STRING);
            v = src->elem;
        } else if (src->kind == TY_OBJECT || is_record(src)) {
            k = type_basic(TY_STRING);
        } else if (!is_any(src)) {
            error(tc, "E0202", b->a->span, "`for` needs a list or an object, not %s",
                  fmt_type(tc, src), "");
        }
        if (b->text.s) {
            sc = bind(tc, sc, b->name.s, k);
            sc = bind(tc, sc, b->text.s, v);
        } else {
            sc = bind(tc, sc, b->name.s, v);
        }
    }
    return sc;
}

static const Type *comprehension(Tc *tc, const Node *n, const Scope *sc)
{
    const Node *filter = n->kind == N_LISTCOMP ? n->b : n->c;
    const Scope *in = bindings(tc, &n->list, sc);
    if (filter)
        want_bool(tc, filter, in, "the filter of `for`");
    const Type *e = infer(tc, n->a, in, NULL);
    if (n->kind == N_LISTCOMP)
        return type_list(tc->ar, e);
    infer(tc, n->b, in, NULL);
    return type_basic(TY_OBJECT);
}

/* ---- variants ---- */

static const Decl *union_of(Tc *tc, const Node *at, const Type *t, const char *what)
{
    t = base(t);
    if (is_any(t))
        return NULL;
    if (is_record(t) && t->decl->kind == D_VARIANT)
        return t->decl->parent;
    if (t->kind != TY_UNION) {
        error(tc, "E0202", at->span, "%s looks at a union's variant, not %s", what,
              fmt_type(tc, t));
        return NULL;
    }
    return t->decl;
}

static const Type *is(Tc *tc, const Node *n, const Scope *sc)
{
    const Decl *u = union_of(tc, n->a, infer(tc, n->a, sc, NULL), "`is`");
    if (u && !decl_variant(u, n->name.s))
        error(tc, "E0219", n->span, "`%s` has no variant `%s`", u->name, n->name.s);
    return type_basic(TY_BOOL);
}

static bool covered(const Node *n, const char *tag)
{
    for (uint32_t i = 0; i < n->list.len; i++) {
        const char *p = n->list.at[i]->name.s;
        if (strcmp(p, "_") == 0 || strcmp(p, tag) == 0)
            return true;
    }
    return false;
}

static const Type *match(Tc *tc, const Node *n, const Scope *sc, const Type *want)
{
    const Type *subject = infer(tc, n->a, sc, NULL);
    const Decl *u = union_of(tc, n->a, subject, "`match`");
    const Type *result = NULL;
    for (uint32_t i = 0; i < n->list.len; i++) {
        const Node *arm = n->list.at[i];
        const char *p = arm->name.s;
        const Decl *v = u ? decl_variant(u, p) : NULL;
        if (u && !v && strcmp(p, "_") != 0 && strcmp(p, "null") != 0)
            error(tc, "E0219", arm->span, "`%s` has no variant `%s`", u->name, p);
        const Scope *in = sc;
        if (arm->text.s)
            in = bind(tc, sc, arm->text.s, v ? type_decl(tc->ar, TY_RECORD, v) : subject);
        const Type *t = infer(tc, arm->a, in, want);
        if (!result)
            result = t;
    }
    for (size_t i = 0; u && i < u->nvariants; i++) {
        if (!covered(n, u->variants[i]->name)) {
            Diag *d = error(tc, "E0218", n->span, "this `match` does not handle `%s` of `%s`",
                            u->variants[i]->name, u->name);
            diag_set_hint(d, "add an arm `%s => ...`, or `_ => ...` for every other case",
                          u->variants[i]->name);
        }
    }
    return result ? result : any();
}

/* ---- calls ---- */

static const Type *ret_type(Tc *tc, const BuiltinSig *sig, const Type *first)
{
    switch (sig->ret) {
    case BR_INT: return type_basic(TY_INT);
    case BR_BOOL: return type_basic(TY_BOOL);
    case BR_STRING: return type_basic(TY_STRING);
    case BR_IP: return type_basic(TY_IP);
    case BR_SECRET: return type_basic(TY_SECRET);
    case BR_SAME: return first ? first : any();
    case BR_ELEM: return first && base(first)->kind == TY_LIST ? elem(first) : first ? first : any();
    case BR_VALUES: return type_list(tc->ar, first ? elem(first) : any());
    case BR_LIST_STRING: return type_list(tc->ar, type_basic(TY_STRING));
    case BR_LIST_INT: return type_list(tc->ar, type_basic(TY_INT));
    case BR_ROWS: return type_list(tc->ar, type_basic(TY_OBJECT));
    default: return any();
    }
}

static const Type *builtin(Tc *tc, const Node *n, const BuiltinSig *sig, const Scope *sc)
{
    const char *name = n->a->name.s;
    size_t k = n->list.len;
    bool named = strcmp(name, "secret") == 0;
    const Type *first = NULL;
    for (size_t i = 0; i < k; i++) {
        const Node *a = n->list.at[i];
        if (named && a->name.s && builtin_secret_word(a->name.s) && a->a->kind == N_IDENT)
            continue;
        const Type *t = infer(tc, a->a, sc, NULL);
        if (i == 0)
            first = t;
        unsigned accepts = i < 3 ? sig->args[i] : BA_ANY;
        if (!named && accepts && !(arg_kind(t) & accepts))
            error(tc, "E0216", a->span, "%s() cannot take %s here", name, fmt_type(tc, t));
    }
    if (!named && (k < sig->min || k > sig->max)) {
        tc->errors++;
        builtin_arity_error(tc->diags, name, sig, k, n->span);
    }
    return ret_type(tc, sig, first);
}

static const Type *call(Tc *tc, const Node *n, const Scope *sc)
{
    if (n->a->kind != N_IDENT) {
        error(tc, "E0216", n->a->span, "only builtins and schemas can be called%s%s", "", "");
        return any();
    }
    BuiltinSig sig;
    if (builtin_signature(n->a->name.s, &sig))
        return builtin(tc, n, &sig, sc);
    const Decl *d = decl_find(tc->decls, n->a->name.s);
    if (d && d->kind == D_SCHEMA) {
        for (uint32_t i = 0; i < n->list.len; i++)
            infer(tc, n->list.at[i]->a, sc, NULL);
        return type_decl(tc->ar, TY_RECORD, d);
    }
    error(tc, "E0216", n->a->span, "no function is named `%s`%s", n->a->name.s, "");
    return any();
}

/* ---- dispatch ---- */

static const Type *quantity_literal(const Node *n, const Type *want)
{
    int dims = quantity_unit_dims(n->text.s);
    QDim d;
    const Type *w = base(want);
    if (w && type_dim(w, &d) && (dims & QDIM_BIT(d)))
        return w;
    if (dims == QDIM_BIT(Q_BYTES))
        return type_basic(TY_BYTES);
    if (dims == QDIM_BIT(Q_CPU))
        return type_basic(TY_CPU);
    if (dims == QDIM_BIT(Q_DURATION))
        return type_basic(TY_DURATION);
    return any();
}

static const Type *list(Tc *tc, const Node *n, const Scope *sc, const Type *want)
{
    const Type *e = NULL;
    const Type *w = base(want);
    for (uint32_t i = 0; i < n->list.len; i++) {
        const Type *t = infer(tc, n->list.at[i], sc, w && w->kind == TY_LIST ? w->elem : NULL);
        if (!e)
            e = t;
    }
    return type_list(tc->ar, e ? e : any());
}

static const Type *object(Tc *tc, const Node *n, const Scope *sc)
{
    for (uint32_t i = 0; i < n->list.len; i++) {
        const Node *it = n->list.at[i];
        if (it->kind == N_ATTR || it->kind == N_LET)
            infer(tc, it->a, sc, NULL);
    }
    return type_basic(TY_OBJECT);
}

static const Type *dispatch(Tc *tc, const Node *n, const Scope *sc, const Type *want)
{
    switch (n->kind) {
    case N_NULL: return type_basic(TY_NULL);
    case N_BOOL: return type_basic(TY_BOOL);
    case N_INT: {
        QDim d;
        const Type *w = base(want);
        return w && type_dim(w, &d) && d != Q_DURATION ? w : type_basic(TY_INT);
    }
    case N_FLOAT: return type_basic(TY_FLOAT);
    case N_QUANTITY: return quantity_literal(n, want);
    case N_STRING: return string(tc, n, sc);
    case N_IDENT: return ident(tc, n, sc, want);
    case N_LIST: return list(tc, n, sc, want);
    case N_OBJECT: return object(tc, n, sc);
    case N_VARIANT: return base(want) && base(want)->kind == TY_UNION ? want : any();
    case N_LISTCOMP: case N_OBJCOMP: return comprehension(tc, n, sc);
    case N_GET: return get(tc, n, sc);
    case N_INDEX: {
        const Type *o = infer(tc, n->a, sc, NULL);
        infer(tc, n->b, sc, NULL);
        return elem(o);
    }
    case N_CALL: return call(tc, n, sc);
    case N_UNARY:
        if (n->op == OP_NOT)
            return want_bool(tc, n->a, sc, "the operand of `!`");
        return infer(tc, n->a, sc, want);
    case N_BINARY: return binary(tc, n, sc, want);
    case N_IS: return is(tc, n, sc);
    case N_COND: {
        want_bool(tc, n->a, sc, "the condition of `if`");
        const Type *t = infer(tc, n->b, sc, want);
        infer(tc, n->c, sc, want);
        return t;
    }
    case N_MATCH: return match(tc, n, sc, want);
    case N_PAREN: return infer(tc, n->a, sc, want);
    default: return any();
    }
}

static const Type *infer(Tc *tc, const Node *n, const Scope *sc, const Type *want)
{
    const Type *t = dispatch(tc, n, sc, want);
    return t ? t : any();
}

/* ---- bodies ---- */

static void require(Tc *tc, const Node *r, const Scope *sc)
{
    want_bool(tc, r->a, sc, "the condition of a check");
    const Type *m = base(infer(tc, r->b, sc, type_basic(TY_STRING)));
    if (!is_any(m) && !is_textual(m))
        error(tc, "E0202", r->b->span, "the message of a check must be a string, not %s",
              fmt_type(tc, m), "");
    for (uint32_t i = 0; i < r->list.len; i++)
        infer(tc, r->list.at[i], sc, NULL);
    if (r->c) {
        const Type *h = base(infer(tc, r->c, sc, type_basic(TY_STRING)));
        if (!is_any(h) && !is_textual(h))
            error(tc, "E0202", r->c->span, "the hint of a check must be a string, not %s",
                  fmt_type(tc, h), "");
    }
}

static void branch(Tc *tc, const Node *it, const Scope *sc)
{
    want_bool(tc, it->a, sc, "the condition of `if`");
    body(tc, &it->list, sc);
    if (it->b)
        branch(tc, it->b, sc);
    else
        body(tc, &it->list2, sc);
}

static void body(Tc *tc, const NodeList *items, const Scope *sc)
{
    for (uint32_t i = 0; i < items->len; i++) {
        const Node *it = items->at[i];
        switch (it->kind) {
        case N_LET: sc = bind(tc, sc, it->name.s, infer(tc, it->a, sc, NULL)); break;
        case N_REQUIRE: require(tc, it, sc); break;
        case N_IF: branch(tc, it, sc); break;
        case N_FOR: body(tc, &it->list2, bindings(tc, &it->list, sc)); break;
        default: break;
        }
    }
}

/* ---- components ---- */

/* A component's body and its blocks are objects: every value in them is
 * typed, with `for` variables and `let`s in scope. */
static void object_items(Tc *tc, const NodeList *items, const Scope *sc)
{
    for (uint32_t i = 0; i < items->len; i++) {
        const Node *it = items->at[i];
        switch (it->kind) {
        case N_LET: sc = bind(tc, sc, it->name.s, infer(tc, it->a, sc, NULL)); break;
        case N_ATTR: infer(tc, it->a, sc, NULL); break;
        case N_BLOCK: {
            if (it->a)
                infer(tc, it->a, sc, NULL);
            const Scope *in = it->c ? bindings(tc, &it->c->list, sc) : sc;
            if (it->c && it->c->a)
                want_bool(tc, it->c->a, in, "the filter of `for`");
            object_items(tc, &it->list, in);
            break;
        }
        case N_FOR: {
            const Scope *in = bindings(tc, &it->list, sc);
            if (it->a)
                want_bool(tc, it->a, in, "the filter of `for`");
            object_items(tc, &it->list2, in);
            break;
        }
        case N_IF:
            want_bool(tc, it->a, sc, "the condition of `if`");
            object_items(tc, &it->list, sc);
            object_items(tc, &it->list2, sc);
            break;
        default: break;
        }
    }
}

/* ---- defaults ---- */

/* A literal default is checked like a site's value would be: an invalid
 * address or a value out of range is a bug in the library, found now. */
static void literal_default(Tc *tc, const Field *f)
{
    const Node *d = f->def;
    bool literal = d->kind == N_INT || d->kind == N_FLOAT || d->kind == N_QUANTITY ||
                   d->kind == N_BOOL || (d->kind == N_STRING && d->list.len <= 1 &&
                                         (d->list.len == 0 || d->list.at[0]->kind == N_TEXT));
    if (!literal)
        return;
    Eval ev = {0};
    ev.ar = tc->ar;
    ev.diags = tc->diags;
    ev.decls = tc->decls;
    size_t before = tc->diags->errors;
    const Value *v = eval_expr(&ev, d, NULL, f->type);
    if (v)
        eval_coerce(&ev, v, f->type, f->name);
    regex_cache_free(&ev.regexes);
    tc->errors += tc->diags->errors - before;
}

static void defaults(Tc *tc, const Decl *s, const Scope *globals)
{
    const Scope *sc = globals;
    for (size_t i = 0; i < s->nfields; i++)
        sc = bind(tc, sc, s->fields[i].name, s->fields[i].type);
    for (size_t i = 0; i < s->nfields; i++) {
        Field *f = &s->fields[i];
        if (!f->def)
            continue;
        size_t before = tc->errors;
        infer(tc, f->def, sc, f->type);
        literal_default(tc, f);
        f->bad_default = tc->errors > before;
    }
}

size_t typecheck_decls(const DeclTable *decls, const Decl *root, const NodeList *lets,
                       Arena *ar, DiagList *diags)
{
    Tc tc = {decls, ar, diags, 0};
    const Scope *globals = NULL;
    for (size_t i = 0; root && i < root->nfields; i++)
        globals = bind(&tc, globals, root->fields[i].name, root->fields[i].type);
    for (uint32_t i = 0; i < lets->len; i++)
        globals = bind(&tc, globals, lets->at[i]->name.s, NULL);
    for (uint32_t i = 0; i < lets->len; i++)
        globals = bind(&tc, globals, lets->at[i]->name.s, infer(&tc, lets->at[i]->a, globals, NULL));
    for (size_t i = 0; i < decls->len; i++) {
        const Decl *d = decls->at[i];
        if (d->kind == D_CHECK) {
            size_t before = tc.errors;
            body(&tc, &d->node->list, globals);
            decls->at[i]->ill_typed = tc.errors > before;
        } else if (d->kind == D_COMPONENT)
            object_items(&tc, &d->node->list, globals);
        else if (d->kind == D_SCHEMA)
            defaults(&tc, d, globals);
        for (size_t v = 0; v < d->nvariants; v++)
            defaults(&tc, d->variants[v], globals);
    }
    return tc.errors;
}
