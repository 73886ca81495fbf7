/* coerce.c — values into the types that schemas declare.
 *
 * Where a typed value is expected, a string becomes an address, a name,
 * a hostname ... and is validated then, at the string's own location; an
 * int becomes a float, bytes or cpu; an object becomes a record. Then the
 * type's constraints are checked. */
#include <ctype.h>
#include <inttypes.h>
#include <regex.h>
#include <string.h>

#include "eval_internal.h"
#include "hashidx.h"
#include "k8sname.h"

/* ---- text scalars ---- */

static bool alnum_lower(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

/* A DNS-1123 label: what Kubernetes accepts as most object names. */
static const char *check_name(const char *s, size_t n)
{
    if (k8s_label(s, n))
        return NULL;
    if (n == 0)
        return "a name cannot be empty";
    if (n > 63)
        return "a name has at most 63 characters";
    for (size_t i = 0; i < n; i++)
        if (!alnum_lower(s[i]) && s[i] != '-')
            return "a name holds only lowercase letters, digits and '-'";
    return "a name starts and ends with a letter or a digit";
}

static const char *check_hostname(const char *s, size_t n)
{
    if (n == 0 || n > 253)
        return "a hostname has 1 to 253 characters";
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != '.')
            continue;
        char label[64];
        size_t len = i - start;
        if (len == 0)
            return "a hostname has no empty labels (two dots, or a dot at an end)";
        if (len > 63)
            return "each label of a hostname has at most 63 characters";
        for (size_t k = 0; k < len; k++)
            label[k] = (char)tolower((unsigned char)s[start + k]);
        const char *why = check_name(label, len);
        if (why)
            return "each label of a hostname holds letters, digits and inner '-'";
        start = i + 1;
    }
    return NULL;
}

static const char *check_email(const char *s, size_t n)
{
    const char *at = memchr(s, '@', n);
    if (!at || at == s)
        return "an email address is local-part@domain";
    for (const char *p = s; p < at; p++)
        if (!isalnum((unsigned char)*p) && !strchr(".!#$%&'*+/=?^_`{|}~-", *p))
            return "the local part of an email address has an invalid character";
    size_t dn = n - (size_t)(at + 1 - s);
    if (!memchr(at + 1, '.', dn))
        return "the domain of an email address has a dot";
    return check_hostname(at + 1, dn) ? "the domain of an email address is not a hostname"
                                      : NULL;
}

static const char *check_url(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.'))
        i++;
    if (i == 0 || !isalpha((unsigned char)s[0]) || n - i < 4 || memcmp(s + i, "://", 3) != 0)
        return "a URL starts with a scheme and `://`, such as https://";
    if (s[i + 3] == '/' || s[i + 3] == '\0')
        return "a URL names a host after `://`";
    for (size_t k = 0; k < n; k++)
        if ((unsigned char)s[k] <= ' ' || s[k] == 0x7f || s[k] == '"' || s[k] == '\\')
            return "a URL has no blanks, quotes or control characters";
    return NULL;
}

/* Paths name files and directories inside trees the compiler writes or
 * reads: a `..` segment could leave them, and control characters have no
 * business in a path. */
static const char *check_path(const char *s, size_t n)
{
    if (n == 0)
        return "a path cannot be empty";
    for (size_t k = 0; k < n; k++)
        if ((unsigned char)s[k] < ' ' || s[k] == 0x7f)
            return "a path has no control characters";
    for (size_t k = 0; k + 1 < n; k++)
        if (s[k] == '.' && s[k + 1] == '.' && (k == 0 || s[k - 1] == '/') &&
            (k + 2 == n || s[k + 2] == '/'))
            return "a path has no `..` segments";
    return NULL;
}

static const char *check_text(TypeKind k, const char *s, size_t n)
{
    switch (k) {
    case TY_NAME: return check_name(s, n);
    case TY_HOSTNAME: return check_hostname(s, n);
    case TY_EMAIL: return check_email(s, n);
    case TY_URL: return check_url(s, n);
    case TY_PATH: return check_path(s, n);
    default: return NULL;
    }
}

static const Value *text(Eval *ev, const Value *v, const Type *t, const What *what)
{
    if (v->kind == V_ENUM && t->kind == TY_STRING) {
        const char *m = v->u.en.decl->members[v->u.en.index].name;
        return value_string(ev->ar, v->at, m, strlen(m));
    }
    if (v->kind != V_STRING) {
        eval_type_error(ev, v, t, what_text(ev, what));
        return NULL;
    }
    if (v->u.str.text_type == t->kind || t->kind == TY_STRING)
        return v;
    const char *why = check_text(t->kind, v->u.str.s, v->u.str.len);
    if (why) {
        StrBuf s;
        sb_init(&s);
        value_describe(v, &s);
        Diag *d = eval_error(ev, "E0207", v->at, "%s is not a valid %s", s.data,
                             type_kind_name(t->kind));
        diag_set_hint(d, "%s", why);
        const char *w = what_text(ev, what);
        if (w)
            diag_set_label(d, "for %s", w);
        sb_free(&s);
        return NULL;
    }
    Value *c = (Value *)value_moved(ev->ar, v, v->at);
    c->u.str.text_type = t->kind;
    return c;
}

/* ---- addresses ---- */

static void bad_address(Eval *ev, const Value *v, const Type *t, const char *why,
                        const char *suggest, const What *what)
{
    StrBuf s;
    sb_init(&s);
    value_describe(v, &s);
    Diag *d = eval_error(ev, "E0207", v->at, "%s is not a valid %s: %s", s.data,
                         type_kind_name(t->kind), why);
    if (suggest)
        diag_set_hint(d, "did you mean \"%s\"?", suggest);
    const char *w = what_text(ev, what);
    if (w)
        diag_set_label(d, "for %s", w);
    sb_free(&s);
}

static const Value *address(Eval *ev, const Value *v, const Type *t, const What *what)
{
    if ((t->kind == TY_IP && v->kind == V_IP) || (t->kind == TY_CIDR && v->kind == V_CIDR) ||
        (t->kind == TY_IPRANGE && v->kind == V_RANGE))
        return v;
    if (t->kind == TY_IPRANGE && v->kind == V_CIDR)
        return value_range(ev->ar, v->at, cidr_to_range(v->u.cidr));
    if (v->kind != V_STRING) {
        eval_type_error(ev, v, t, what_text(ev, what));
        return NULL;
    }
    const char *why = NULL;
    const char *s = v->u.str.s;
    size_t n = v->u.str.len;
    if (t->kind == TY_IP) {
        IpAddr a;
        if (ip_parse(s, n, &a, &why))
            return value_ip(ev->ar, v->at, a);
    } else {
        Cidr c;
        IpRange r;
        bool ok = t->kind == TY_CIDR ? cidr_parse(s, n, &c, &why) : iprange_parse(s, n, &r, &why);
        if (ok)
            return t->kind == TY_CIDR ? value_cidr(ev->ar, v->at, c) : value_range(ev->ar, v->at, r);
        if (cidr_parse(s, n, &c, &why) == false && c.net.family) {
            StrBuf fixed;
            sb_init(&fixed);
            cidr_format(c, &fixed);
            bad_address(ev, v, t, why, fixed.data, what);
            sb_free(&fixed);
            return NULL;
        }
        if (t->kind == TY_IPRANGE)
            iprange_parse(s, n, &r, &why);
    }
    bad_address(ev, v, t, why, NULL, what);
    return NULL;
}

/* ---- quantities ---- */

static const Value *quantity(Eval *ev, const Value *v, const Type *t, const What *what)
{
    QDim dim;
    type_dim(t, &dim);
    if (v->kind == V_QUANTITY && v->u.q.dim == dim)
        return v;
    if (v->kind == V_INT && dim != Q_DURATION) {
        int64_t q;
        if (dim == Q_BYTES)
            return value_quantity(ev->ar, v->at, dim, v->u.i);
        if (quantity_mul(v->u.i, 1000, &q))
            return value_quantity(ev->ar, v->at, dim, q);
    }
    eval_type_error(ev, v, t, what_text(ev, what));
    return NULL;
}

/* ---- constraints ---- */

static size_t length(const Value *v)
{
    if (v->kind == V_LIST)
        return v->u.list.len;
    if (v->kind == V_OBJECT || v->kind == V_RECORD)
        return v->u.obj.len;
    size_t n = 0;
    for (size_t i = 0; i < v->u.str.len; i++)
        if (((unsigned char)v->u.str.s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

static bool holds(int op, int c)
{
    switch (op) {
    case OP_LT: return c < 0;
    case OP_LE: return c <= 0;
    case OP_GT: return c > 0;
    case OP_GE: return c >= 0;
    case OP_EQ: return c == 0;
    case OP_NE: return c != 0;
    default: return true;
    }
}

static void violated(Eval *ev, const Value *v, const Constraint *c, const What *what,
                     const char *subject)
{
    StrBuf s, b;
    sb_init(&s);
    sb_init(&b);
    value_describe(v, &s);
    Span at = c->at->span;
    StrBuf rule;
    sb_init(&rule);
    sb_putn(&rule, at.src->text + at.start, at.end - at.start);
    const char *w = what_text(ev, what);
    Diag *d = eval_error(ev, "E0206", v->at, "%s%s%s does not satisfy `%s`%s%s",
                         subject ? subject : "", subject ? " of " : "", s.data, rule.data,
                         w ? " for " : "", w ? w : "");
    diag_add_secondary(d, at, "required here");
    sb_free(&s);
    sb_free(&b);
    sb_free(&rule);
}

/* The first item before i equal to item i, or -1: pairwise for a short
 * list, through an index (made at i == 0) for a long one. */
static int64_t earlier_equal(Eval *ev, const Value *list, size_t i, HashIndex **seen)
{
    const Value *const *items = list->u.list.items;
    if (list->u.list.len < HASHIDX_MIN) {
        for (size_t j = 0; j < i; j++)
            if (value_equal(items[i], items[j]))
                return (int64_t)j;
        return -1;
    }
    if (!*seen)
        *seen = hidx_new(ev->ar, list->u.list.len);
    uint64_t h = value_hash(items[i]);
    uint32_t cursor = 0;
    int64_t first = -1;
    for (int64_t j; (j = hidx_next(*seen, h, &cursor)) >= 0;)
        if (value_equal(items[i], items[j]) && (first < 0 || j < first))
            first = j;
    hidx_add(ev->ar, *seen, h, (uint32_t)i);
    return first;
}

static bool unique_ok(Eval *ev, const Value *v, const Constraint *c, const What *what)
{
    HashIndex *seen = NULL;
    for (size_t i = 0; i < v->u.list.len; i++) {
        int64_t j = earlier_equal(ev, v, i, &seen);
        if (j < 0)
            continue;
        StrBuf s;
        sb_init(&s);
        value_describe(v->u.list.items[i], &s);
        const char *w = what_text(ev, what);
        Diag *d = eval_error(ev, "E0206", v->u.list.items[i]->at, "%s appears twice in %s",
                             s.data, w ? w : "the list");
        diag_add_secondary(d, v->u.list.items[j]->at, "first here");
        diag_add_secondary(d, c->at->span, "the list must be unique");
        sb_free(&s);
        return false;
    }
    return true;
}

static bool constraint_ok(Eval *ev, const Value *v, const Constraint *c, const What *what)
{
    if (c->kind == CONS_UNIQUE)
        return v->kind != V_LIST || unique_ok(ev, v, c, what);
    if (c->kind == CONS_REGEX) {
        const regex_t *rx = v->kind == V_STRING ? regex_cached(&ev->regexes, c->regex) : NULL;
        if (!rx)
            return true;
        bool ok = regexec(rx, v->u.str.s, 0, NULL, 0) == 0;
        if (!ok)
            violated(ev, v, c, what, NULL);
        return ok;
    }
    const Value *x = v;
    Value len = {.kind = V_INT, .at = v->at};
    if (c->on_len) {
        len.u.i = (int64_t)length(v);
        x = &len;
    }
    int lo = 0, hi = 0;
    if (!value_compare(x, c->lo, &lo) || (c->kind == CONS_RANGE && !value_compare(x, c->hi, &hi)))
        return true;
    bool ok = c->kind == CONS_RANGE ? lo >= 0 && hi <= 0 : holds(c->op, lo);
    if (!ok)
        violated(ev, v, c, what, c->on_len ? "the length" : NULL);
    return ok;
}

static bool constraints_ok(Eval *ev, const Value *v, const Type *t, const What *what)
{
    bool ok = true;
    for (size_t i = 0; i < t->ncons; i++)
        ok = constraint_ok(ev, v, &t->cons[i], what) && ok;
    return ok;
}

/* ---- compound ---- */

const char *what_text(Eval *ev, const What *w)
{
    if (!w)
        return NULL;
    if (w->kind == WHAT_TEXT)
        return w->text;
    const char *of = w->kind == WHAT_FIELD ? w->text : what_text(ev, w->of);
    if (w->kind == WHAT_FIELD && !of)
        return w->name;
    StrBuf b;
    sb_init(&b);
    if (w->kind == WHAT_KEY)
        sb_printf(&b, "\"%s\" of %s", w->name, of ? of : "the map");
    else if (w->kind == WHAT_FIELD)
        sb_printf(&b, "`%s` of %s", w->name, of);
    else
        sb_printf(&b, "element %zu of %s", w->index + 1, of ? of : "the list");
    char *s = arena_strndup(ev->ar, b.data, b.len);
    sb_free(&b);
    return s;
}

/* Whether v is already of type t, so that coercing it can report nothing:
 * then the element's description for messages is not worth writing
 * (lists of thousands of people). */
bool eval_already(const Value *v, const Type *t)
{
    if (t->ncons || is_poison(v))
        return false;
    switch (t->kind) {
    case TY_RECORD: case TY_REF: return v->kind == V_RECORD && v->u.obj.decl == t->decl;
    case TY_STRING: return v->kind == V_STRING;
    case TY_HOSTNAME: case TY_EMAIL: case TY_URL: case TY_NAME: case TY_PATH:
        return v->kind == V_STRING && v->u.str.text_type == t->kind;
    case TY_ENUM: return v->kind == V_ENUM && v->u.en.decl == t->decl;
    case TY_BOOL: return v->kind == V_BOOL;
    case TY_INT: return v->kind == V_INT;
    default: return false;
    }
}

/* Coerces each of n values (a list's items or a map's values, keys NULL
 * for a list) to elem. *out is NULL when none changed, else a new array;
 * false if one failed. */
static bool each_coerced(Eval *ev, const Value *const *in, const char *const *keys, size_t n,
                         const Type *elem, const What *what, const Value ***out)
{
    const Value **changed = NULL; /* made at the first value that changes */
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        What w = keys ? (What){.kind = WHAT_KEY, .of = what, .name = keys[i]}
                      : (What){.kind = WHAT_ELEMENT, .of = what, .index = i};
        const Value *c = eval_already(in[i], elem) ? in[i] : eval_coerce_as(ev, in[i], elem, &w);
        if (!changed && c != in[i])
            changed = arena_copy(ev->ar, in, n, i, sizeof *changed);
        if (changed)
            changed[i] = c;
        ok = ok && c;
    }
    *out = changed;
    return ok;
}

static const Value *list(Eval *ev, const Value *v, const Type *t, const What *what)
{
    if (v->kind != V_LIST) {
        eval_type_error(ev, v, t, what_text(ev, what));
        return NULL;
    }
    size_t n = v->u.list.len;
    const Value **items;
    if (!each_coerced(ev, v->u.list.items, NULL, n, t->elem, what, &items))
        return NULL;
    /* Nothing changed: the list itself (a partial one is copied, so that
     * what follows counts it as it always has). */
    if (!items && !v->u.list.partial)
        return v;
    if (!items)
        items = arena_copy(ev->ar, v->u.list.items, n, n, sizeof *items);
    return value_list(ev->ar, v->at, items, n);
}

static const Value *map(Eval *ev, const Value *v, const Type *t, const What *what)
{
    if (v->kind != V_OBJECT) {
        eval_type_error(ev, v, t, what_text(ev, what));
        return NULL;
    }
    const Value **vals;
    if (!each_coerced(ev, v->u.obj.vals, v->u.obj.keys, v->u.obj.len, t->elem, what, &vals))
        return NULL;
    return vals ? value_object(ev->ar, v->at, v->u.obj.keys, vals, v->u.obj.len) : v;
}

static const Value *record(Eval *ev, const Value *v, const Type *t, const What *what)
{
    const Decl *d = t->decl;
    if (v->kind == V_RECORD && v->u.obj.decl == d)
        return v;
    if (v->kind == V_OBJECT && t->kind == TY_RECORD)
        return record_from_object(ev, d, v, what_text(ev, what));
    if (t->kind == TY_REF && v->kind == V_STRING && d->label >= 0) {
        const Value *r = record_find_labelled(ev, d, v->u.str.s);
        if (r)
            return value_moved(ev->ar, r, v->at);
        Diag *g = eval_error(ev, "E0212", v->at, "no %s is named \"%s\"", d->name, v->u.str.s);
        diag_set_hint(g, "declare it with `%s \"%s\" { ... }`", d->name, v->u.str.s);
        return NULL;
    }
    eval_type_error(ev, v, t, what_text(ev, what));
    return NULL;
}

static const Value *enumeration(Eval *ev, const Value *v, const Type *t, const What *what)
{
    if (v->kind == V_ENUM && v->u.en.decl == t->decl)
        return v;
    if (v->kind == V_STRING) {
        int i = decl_member(t->decl, v->u.str.s);
        if (i >= 0)
            return value_enum(ev->ar, v->at, t->decl, i);
        StrBuf s;
        sb_init(&s);
        for (size_t k = 0; k < t->decl->nmembers; k++)
            sb_printf(&s, "%s%s", k ? ", " : "", t->decl->members[k].name);
        Diag *d = eval_error(ev, "E0207", v->at, "\"%s\" is not a %s", v->u.str.s, t->decl->name);
        diag_set_hint(d, "one of: %s", s.data);
        sb_free(&s);
        return NULL;
    }
    eval_type_error(ev, v, t, what_text(ev, what));
    return NULL;
}

static const Value *union_value(Eval *ev, const Value *v, const Type *t, const What *what)
{
    if (v->kind == V_RECORD && v->u.obj.decl && v->u.obj.decl->parent == t->decl)
        return v;
    Diag *d = eval_type_error(ev, v, t, what_text(ev, what));
    diag_set_hint(d, "write a variant: %s%s { ... }", t->decl->nvariants ?
                  t->decl->variants[0]->name : "tag", t->decl->nvariants > 1 ? " (or another)" : "");
    return NULL;
}

static const Value *convert(Eval *ev, const Value *v, const Type *t, const What *what)
{
    switch (t->kind) {
    case TY_ANY: return v;
    case TY_OPTIONAL: return v->kind == V_NULL ? v : eval_coerce_as(ev, v, t->elem, what);
    case TY_NULL:
    case TY_BOOL:
    case TY_INT:
    case TY_SECRET: {
        ValueKind k = t->kind == TY_NULL ? V_NULL : t->kind == TY_BOOL ? V_BOOL
                      : t->kind == TY_INT ? V_INT : V_SECRET;
        if (v->kind == k)
            return v;
        break;
    }
    case TY_FLOAT:
        if (v->kind == V_FLOAT)
            return v;
        if (v->kind == V_INT)
            return value_float(ev->ar, v->at, (double)v->u.i);
        break;
    case TY_STRING: case TY_HOSTNAME: case TY_EMAIL: case TY_URL: case TY_NAME: case TY_PATH:
        return text(ev, v, t, what);
    case TY_BYTES: case TY_CPU: case TY_DURATION: return quantity(ev, v, t, what);
    case TY_IP: case TY_CIDR: case TY_IPRANGE: return address(ev, v, t, what);
    case TY_LIST: return list(ev, v, t, what);
    case TY_MAP: return map(ev, v, t, what);
    case TY_OBJECT:
        if (v->kind == V_OBJECT || v->kind == V_RECORD)
            return v;
        break;
    case TY_RECORD: case TY_REF: return record(ev, v, t, what);
    case TY_ENUM: return enumeration(ev, v, t, what);
    case TY_UNION: return union_value(ev, v, t, what);
    case TY_KIND_COUNT: break;
    }
    eval_type_error(ev, v, t, what_text(ev, what));
    return NULL;
}

const Value *eval_coerce_as(Eval *ev, const Value *v, const Type *t, const What *what)
{
    if (!v || !t || is_poison(v))
        return v;
    const Value *c = convert(ev, v, t, what);
    if (c && c->kind != V_NULL && !constraints_ok(ev, c, t, what))
        return NULL;
    return c;
}

const Value *eval_coerce(Eval *ev, const Value *v, const Type *t, const char *what)
{
    What w = {.kind = WHAT_TEXT, .text = what};
    return eval_coerce_as(ev, v, t, &w);
}
