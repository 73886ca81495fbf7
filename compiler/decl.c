#include "decl.h"
#include "filename.h"
#include "hashidx.h"
#include "k8sname.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "value.h"

static const char *const keywords[] = {"schema", "enum", "union", "check", "component"};

bool decl_is_keyword(const char *kind)
{
    for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
        if (strcmp(kind, keywords[i]) == 0)
            return true;
    return false;
}

const char *decl_plain_string(Arena *ar, const Node *n)
{
    if (!n || n->kind != N_STRING)
        return NULL;
    if (n->list.len == 0)
        return "";
    if (n->list.len == 1 && n->list.at[0]->kind == N_TEXT)
        return n->list.at[0]->name.s;
    (void)ar;
    return NULL;
}

static const char *name_of(const Node *label)
{
    if (!label)
        return NULL;
    if (label->kind == N_IDENT)
        return label->name.s;
    if (label->kind == N_STRING && label->list.len == 1 && label->list.at[0]->kind == N_TEXT)
        return label->list.at[0]->name.s;
    return NULL;
}

static const char *doc_of(Arena *ar, const Node *n)
{
    const char *s = decl_plain_string(ar, n);
    return s ? s : "";
}

const Decl *decl_find(const DeclTable *t, const char *name)
{
    if (!t->index)
        return NULL;
    uint64_t h = hash_string(name);
    uint32_t cursor = 0;
    int64_t first = -1;
    for (int64_t i; (i = hidx_next(t->index, h, &cursor)) >= 0;)
        if (strcmp(t->at[i]->name, name) == 0 && (first < 0 || i < first))
            first = i;
    return first < 0 ? NULL : t->at[first];
}

const Field *decl_field(const Decl *s, const char *name)
{
    for (size_t i = 0; i < s->nfields; i++)
        if (strcmp(s->fields[i].name, name) == 0)
            return &s->fields[i];
    return NULL;
}

int decl_member(const Decl *e, const char *name)
{
    for (size_t i = 0; i < e->nmembers; i++)
        if (strcmp(e->members[i].name, name) == 0)
            return (int)i;
    return -1;
}

const Decl *decl_variant(const Decl *u, const char *name)
{
    for (size_t i = 0; i < u->nvariants; i++)
        if (strcmp(u->variants[i]->name, name) == 0)
            return u->variants[i];
    return NULL;
}

static void add(DeclTable *t, Arena *ar, Decl *d)
{
    if (t->len == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 32;
        t->at = arena_grow(ar, t->at, t->len, cap, sizeof *t->at);
        t->cap = cap;
    }
    if (!t->index)
        t->index = hidx_new(ar, 64);
    hidx_add(ar, t->index, hash_string(d->name), (uint32_t)t->len);
    t->at[t->len++] = d;
}

static Decl *new_decl(Arena *ar, DeclKind k, const char *name, const char *doc, const Node *n)
{
    Decl *d = arena_alloc(ar, sizeof *d);
    d->kind = k;
    d->name = name;
    d->doc = doc;
    d->node = n;
    d->label = -1;
    d->code = "";
    return d;
}

/* Fields are read now and typed in decl_resolve. */
static void collect_fields(Decl *d, Arena *ar, const NodeList *items, DiagList *diags)
{
    d->fields = arena_alloc(ar, (items->len ? items->len : 1) * sizeof *d->fields);
    for (uint32_t i = 0; i < items->len; i++) {
        const Node *f = items->at[i];
        if (f->kind != N_FIELD)
            continue;
        const Field *prev = decl_field(d, f->name.s);
        if (prev) {
            Diag *g = diag_error(diags, "E0104", f->span, "field `%s` is declared twice in `%s`",
                                 f->name.s, d->name);
            diag_add_secondary(g, prev->node->span, "first declared here");
            continue;
        }
        Field *out = &d->fields[d->nfields++];
        out->name = f->name.s;
        out->def = f->b;
        out->doc = doc_of(ar, f->c);
        out->node = f;
    }
}

static void collect_enum(Decl *d, Arena *ar, const NodeList *items, DiagList *diags)
{
    d->members = arena_alloc(ar, (items->len ? items->len : 1) * sizeof *d->members);
    for (uint32_t i = 0; i < items->len; i++) {
        const Node *m = items->at[i];
        if (m->kind != N_MEMBER)
            continue;
        int prev = decl_member(d, m->name.s);
        if (prev >= 0) {
            Diag *g = diag_error(diags, "E0104", m->span, "member `%s` is declared twice in `%s`",
                                 m->name.s, d->name);
            diag_add_secondary(g, d->members[prev].node->span, "first declared here");
            continue;
        }
        d->members[d->nmembers++] = (Member){m->name.s, doc_of(ar, m->a), m};
    }
}

static void collect_union(Decl *d, Arena *ar, const NodeList *items, DiagList *diags)
{
    d->variants = arena_alloc(ar, (items->len ? items->len : 1) * sizeof *d->variants);
    for (uint32_t i = 0; i < items->len; i++) {
        const Node *v = items->at[i];
        if (v->kind != N_BLOCK && v->kind != N_MEMBER)
            continue;
        const Decl *prev = decl_variant(d, v->name.s);
        if (prev) {
            Diag *g = diag_error(diags, "E0104", v->span,
                                 "variant `%s` is declared twice in `%s`", v->name.s, d->name);
            diag_add_secondary(g, prev->node->span, "first declared here");
            continue;
        }
        /* `tag "doc" { fields }` parses with the doc in the label slot. */
        const Node *doc = v->kind == N_BLOCK ? (v->b ? v->b : v->a) : v->a;
        Decl *var = new_decl(ar, D_VARIANT, v->name.s, doc_of(ar, doc), v);
        var->parent = d;
        if (v->kind == N_BLOCK)
            collect_fields(var, ar, &v->list, diags);
        d->variants[d->nvariants++] = var;
    }
}

static void collect_check(Decl *d, Arena *ar, const NodeList *items, DiagList *diags)
{
    for (uint32_t i = 0; i < items->len; i++) {
        const Node *it = items->at[i];
        if (it->kind != N_ATTR || strcmp(it->name.s, "code") != 0)
            continue;
        const char *code = decl_plain_string(ar, it->a);
        if (!code || strlen(code) != 5 || code[0] != 'E' ||
            strspn(code + 1, "0123456789") != 4) {
            Diag *g = diag_error(diags, "E0106", it->a->span,
                                 "a check's code is a string like \"E0601\"");
            diag_set_hint(g, "codes are E followed by four digits, stable once released");
            continue;
        }
        d->code = code;
    }
}

void decl_collect(DeclTable *t, Arena *ar, const NodeList *items, DiagList *diags)
{
    static const DeclKind kinds[] = {D_SCHEMA, D_ENUM, D_UNION, D_CHECK, D_COMPONENT};
    for (uint32_t i = 0; i < items->len; i++) {
        const Node *b = items->at[i];
        if (b->kind != N_BLOCK || !decl_is_keyword(b->name.s))
            continue;
        const char *name = name_of(b->a);
        if (!name) {
            diag_error(diags, "E0031", b->a ? b->a->span : b->span,
                       "a declaration's name is a plain name");
            continue;
        }
        const Decl *prev = decl_find(t, name);
        if (prev) {
            Diag *g = diag_error(diags, "E0101", b->a->span, "`%s` is declared twice", name);
            diag_add_secondary(g, prev->node->span, "first declared here");
            continue;
        }
        if (type_builtin(name) || strcmp(name, "label") == 0 || strcmp(name, "list") == 0 ||
            strcmp(name, "map") == 0 || strcmp(name, "ref") == 0) {
            diag_error(diags, "E0101", b->a->span, "`%s` is a builtin type", name);
            continue;
        }
        DeclKind k = D_SCHEMA;
        for (size_t j = 0; j < 5; j++)
            if (strcmp(b->name.s, keywords[j]) == 0)
                k = kinds[j];
        /* A component's name becomes a directory, a release and a part of
         * the gitops objects' names: it is a Kubernetes label itself. */
        if (k == D_COMPONENT && !k8s_label(name, strlen(name))) {
            Diag *g = diag_error(diags, "E0107", b->a->span, "`%s` cannot name a component",
                                 name);
            diag_set_hint(g, "a component's name is lowercase letters, digits and inner '-', "
                             "at most 63 characters, like `lab-probe`");
            continue;
        }
        /* Its directory and its Application's file must check out on any
         * system; a namespace would be renamed (filename.h), but a name
         * the author chooses is better chosen again. */
        if (k == D_COMPONENT && filename_reserved(name)) {
            Diag *g = diag_error(diags, "E0107", b->a->span, "`%s` cannot name a component: "
                                 "it is a device name on Windows", name);
            diag_set_hint(g, "its directory could not be checked out there; choose another "
                             "name, like `%s-probe`", name);
            continue;
        }
        Decl *d = new_decl(ar, k, name, doc_of(ar, b->b), b);
        switch (k) {
        case D_SCHEMA: collect_fields(d, ar, &b->list, diags); break;
        case D_ENUM: collect_enum(d, ar, &b->list, diags); break;
        case D_UNION: collect_union(d, ar, &b->list, diags); break;
        case D_CHECK: collect_check(d, ar, &b->list, diags); break;
        default: break;
        }
        add(t, ar, d);
    }
}

/* ---- types ---- */

typedef struct Resolver {
    const DeclTable *t;
    Arena *ar;
    DiagList *diags;
} Resolver;

static const Type *resolve_type(Resolver *r, const Node *n, bool *is_label);

/* A bound is a literal: a number, or a quantity of the constrained type's
 * dimension. */
static const Value *bound(Resolver *r, const Node *n, const Type *base, bool on_len)
{
    bool neg = false;
    if (n->kind == N_UNARY) {
        neg = true;
        n = n->a;
    }
    int64_t sign = neg ? -1 : 1;
    if (n->kind == N_INT)
        return value_int(r->ar, n->span, sign * n->ival);
    if (n->kind == N_FLOAT)
        return value_float(r->ar, n->span, (double)sign * strtod(n->name.s, NULL));
    if (n->kind == N_QUANTITY && !on_len && type_is_quantity(base)) {
        QDim dim = base->kind == TY_BYTES ? Q_BYTES : base->kind == TY_CPU ? Q_CPU : Q_DURATION;
        int64_t v;
        const char *why;
        if (quantity_parse(n->name.s, n->text.s, dim, &v, &why))
            return value_quantity(r->ar, n->span, dim, sign * v);
        diag_error(r->diags, "E0105", n->span, "bound `%s%s` is not %s: %s", n->name.s,
                   n->text.s, type_kind_name(base->kind), why);
        return NULL;
    }
    diag_error(r->diags, "E0105", n->span, "a bound of %s must be %s",
               on_len ? "a length" : type_kind_name(base->kind),
               on_len || !type_is_quantity(base) ? "a number" : "a quantity");
    return NULL;
}

static bool orderable(const Type *t)
{
    return t->kind == TY_INT || t->kind == TY_FLOAT || type_is_quantity(t);
}

static bool has_length(const Type *t)
{
    return type_is_text(t) || t->kind == TY_LIST || t->kind == TY_MAP;
}

static bool constraint(Resolver *r, const Node *c, const Type *base, Constraint *out)
{
    memset(out, 0, sizeof *out);
    out->at = c;
    if (c->name.s && strcmp(c->name.s, "len") != 0) {
        diag_error(r->diags, "E0103", c->span, "unknown constraint subject `%s`", c->name.s);
        return false;
    }
    out->on_len = c->name.s != NULL;
    if (c->op == OP_NONE) {
        const char *re = decl_plain_string(r->ar, c->a);
        if (!re || !type_is_text(base)) {
            diag_error(r->diags, "E0103", c->span,
                       "a pattern constrains a string type with a plain string");
            return false;
        }
        regex_t rx;
        if (regcomp(&rx, re, REG_EXTENDED | REG_NOSUB) != 0) {
            diag_error(r->diags, "E0105", c->a->span, "invalid regular expression");
            return false;
        }
        regfree(&rx);
        out->kind = CONS_REGEX;
        out->regex = re;
        return true;
    }
    if (out->on_len ? !has_length(base) : !orderable(base)) {
        Diag *d = diag_error(r->diags, "E0103", c->span, "`%s` cannot be bounded%s",
                             type_kind_name(base->kind), out->on_len ? " by length" : "");
        diag_set_hint(d, "numbers and quantities take bounds; strings and lists take "
                         "`len` bounds");
        return false;
    }
    out->lo = bound(r, c->a, base, out->on_len);
    if (c->op == OP_RANGE) {
        out->kind = CONS_RANGE;
        out->hi = bound(r, c->b, base, out->on_len);
        return out->lo && out->hi;
    }
    out->kind = CONS_CMP;
    out->op = c->op;
    return out->lo != NULL;
}

static Type *copy_type(Resolver *r, const Type *t)
{
    Type *c = arena_alloc(r->ar, sizeof *c);
    *c = *t;
    return c;
}

static const Type *with_constraints(Resolver *r, const Type *base, const NodeList *args,
                                    uint32_t from)
{
    if (from >= args->len)
        return base;
    Type *t = copy_type(r, base);
    Constraint *cs = arena_alloc(r->ar, (args->len - from) * sizeof *cs);
    size_t n = 0;
    for (uint32_t i = from; i < args->len; i++) {
        const Node *a = args->at[i];
        if (a->kind == N_TYPE && strcmp(a->name.s, "unique") == 0 && !a->list.len &&
            base->kind == TY_LIST) {
            cs[n++] = (Constraint){.kind = CONS_UNIQUE, .at = a};
        } else if (a->kind == N_CONSTRAINT) {
            if (constraint(r, a, base, &cs[n]))
                n++;
        } else {
            diag_error(r->diags, "E0103", a->span, "unexpected type argument");
        }
    }
    t->cons = cs;
    t->ncons = n;
    return t;
}

static const Type *element(Resolver *r, const Node *n, const char *what)
{
    if (n->list.len == 0 || n->list.at[0]->kind != N_TYPE) {
        Diag *d = diag_error(r->diags, "E0103", n->span, "`%s` needs an element type", what);
        diag_set_hint(d, "write `%s(string)`", what);
        return NULL;
    }
    bool lab = false;
    return resolve_type(r, n->list.at[0], &lab);
}

static const Type *named_type(Resolver *r, const Node *n)
{
    const char *name = n->name.s;
    if (strcmp(name, "list") == 0 || strcmp(name, "map") == 0) {
        const Type *e = element(r, n, name);
        if (!e)
            return NULL;
        const Type *t = name[0] == 'l' ? type_list(r->ar, e) : type_map(r->ar, e);
        return with_constraints(r, t, &n->list, 1);
    }
    if (strcmp(name, "ref") == 0) {
        const Node *a = n->list.len == 1 ? n->list.at[0] : NULL;
        const Decl *d = a && a->kind == N_TYPE ? decl_find(r->t, a->name.s) : NULL;
        if (!d || d->kind != D_SCHEMA) {
            diag_error(r->diags, "E0103", n->span, "`ref` takes the name of a schema");
            return NULL;
        }
        return type_decl(r->ar, TY_REF, d);
    }
    const Type *b = type_builtin(name);
    if (b)
        return with_constraints(r, b, &n->list, 0);
    const Decl *d = decl_find(r->t, name);
    if (d && (d->kind == D_SCHEMA || d->kind == D_ENUM || d->kind == D_UNION)) {
        if (n->list.len) {
            diag_error(r->diags, "E0103", n->span, "`%s` takes no arguments", name);
            return NULL;
        }
        TypeKind k = d->kind == D_SCHEMA ? TY_RECORD : d->kind == D_ENUM ? TY_ENUM : TY_UNION;
        return type_decl(r->ar, k, d);
    }
    Diag *g = diag_error(r->diags, "E0102", n->span, "unknown type `%s`", name);
    diag_set_hint(g, "types are the builtins (string, int, bytes, ip, ...), list(T), map(T), "
                     "ref(KIND), and the schemas, enums and unions of the standard library");
    return NULL;
}

static const Type *resolve_type(Resolver *r, const Node *n, bool *is_label)
{
    const Type *t;
    if (strcmp(n->name.s, "label") == 0) {
        /* A label is a name, possibly with constraints of its own. */
        *is_label = true;
        t = with_constraints(r, type_basic(TY_NAME), &n->list, 0);
    } else {
        t = named_type(r, n);
    }
    if (t && n->flag)
        t = type_optional(r->ar, t);
    return t;
}

static void resolve_fields(Resolver *r, Decl *d)
{
    for (size_t i = 0; i < d->nfields; i++) {
        Field *f = &d->fields[i];
        bool lab = false;
        f->type = resolve_type(r, f->node->a, &lab);
        if (!f->type)
            f->type = type_basic(TY_ANY);
        if (!lab)
            continue;
        if (d->label >= 0) {
            Diag *g = diag_error(r->diags, "E0103", f->node->span,
                                 "`%s` has two label fields", d->name);
            diag_add_secondary(g, d->fields[d->label].node->span, "the first one");
            continue;
        }
        f->is_label = true;
        d->label = (int)i;
    }
}

void decl_resolve(DeclTable *t, Arena *ar, DiagList *diags)
{
    Resolver r = {t, ar, diags};
    for (size_t i = 0; i < t->len; i++) {
        Decl *d = t->at[i];
        if (d->kind == D_SCHEMA)
            resolve_fields(&r, d);
        for (size_t j = 0; j < d->nvariants; j++)
            resolve_fields(&r, d->variants[j]);
    }
}
