#include "value.h"

#include "hashidx.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>

static Value *new_value(Arena *ar, ValueKind k, Span at)
{
    Value *v = arena_alloc(ar, sizeof *v);
    v->kind = k;
    v->at = at;
    return v;
}

const Value *value_null(Arena *ar, Span at) { return new_value(ar, V_NULL, at); }

const Value *value_bool(Arena *ar, Span at, bool b)
{
    Value *v = new_value(ar, V_BOOL, at);
    v->u.b = b;
    return v;
}

const Value *value_int(Arena *ar, Span at, int64_t i)
{
    Value *v = new_value(ar, V_INT, at);
    v->u.i = i;
    return v;
}

const Value *value_float(Arena *ar, Span at, double f)
{
    Value *v = new_value(ar, V_FLOAT, at);
    v->u.f = f;
    return v;
}

const Value *value_string(Arena *ar, Span at, const char *s, size_t len)
{
    Value *v = new_value(ar, V_STRING, at);
    v->u.str.s = arena_strndup(ar, s, len);
    v->u.str.len = len;
    v->u.str.text_type = TY_STRING;
    return v;
}

const Value *value_string_ref(Arena *ar, Span at, const char *s, size_t len)
{
    Value *v = new_value(ar, V_STRING, at);
    v->u.str.s = s;
    v->u.str.len = len;
    v->u.str.text_type = TY_STRING;
    return v;
}

const Value *value_quantity(Arena *ar, Span at, QDim dim, int64_t q)
{
    Value *v = new_value(ar, V_QUANTITY, at);
    v->u.q.dim = dim;
    v->u.q.v = q;
    return v;
}

const Value *value_ip(Arena *ar, Span at, IpAddr ip)
{
    Value *v = new_value(ar, V_IP, at);
    v->u.ip = ip;
    return v;
}

const Value *value_cidr(Arena *ar, Span at, Cidr c)
{
    Value *v = new_value(ar, V_CIDR, at);
    v->u.cidr = c;
    return v;
}

const Value *value_range(Arena *ar, Span at, IpRange r)
{
    Value *v = new_value(ar, V_RANGE, at);
    v->u.range = r;
    return v;
}

const Value *value_enum(Arena *ar, Span at, const Decl *e, int index)
{
    Value *v = new_value(ar, V_ENUM, at);
    v->u.en.decl = e;
    v->u.en.index = index;
    return v;
}

/* Empty lists and objects still get arrays, so that copying their
 * (zero) elements never passes NULL to memcpy. */
static void *never_null(Arena *ar, void *p, size_t elem)
{
    return p ? p : arena_alloc(ar, elem);
}

const Value *value_list(Arena *ar, Span at, const Value **items, size_t len)
{
    items = never_null(ar, items, sizeof *items);
    Value *v = new_value(ar, V_LIST, at);
    v->u.list.items = items;
    v->u.list.len = len;
    return v;
}

const Value *value_object(Arena *ar, Span at, const char **keys, const Value **vals, size_t len)
{
    keys = never_null(ar, keys, sizeof *keys);
    vals = never_null(ar, vals, sizeof *vals);
    Value *v = new_value(ar, V_OBJECT, at);
    v->u.obj.keys = keys;
    v->u.obj.vals = vals;
    v->u.obj.len = len;
    if (len >= HASHIDX_MIN)
        v->u.obj.index = hidx_of_strings(ar, keys, len);
    return v;
}

const Value *value_object_shared(Arena *ar, Span at, const char **keys, const Value **vals,
                                 size_t len, const HashIndex **index)
{
    vals = never_null(ar, vals, sizeof *vals);
    Value *v = new_value(ar, V_OBJECT, at);
    v->u.obj.keys = keys;
    v->u.obj.vals = vals;
    v->u.obj.len = len;
    if (len >= HASHIDX_MIN && !*index)
        *index = hidx_of_strings(ar, keys, len);
    v->u.obj.index = len >= HASHIDX_MIN ? *index : NULL;
    return v;
}

const Value *value_moved(Arena *ar, const Value *v, Span at)
{
    Value *c = arena_alloc(ar, sizeof *c);
    *c = *v;
    c->at = at;
    return c;
}

const HashIndex *value_keys_index(const Value *obj)
{
    if (obj->kind != V_RECORD)
        return obj->u.obj.index;
    return obj->u.obj.len >= HASHIDX_MIN ? obj->u.obj.decl->field_index : NULL;
}

const Value *value_get(const Value *obj, const char *key)
{
    if (obj->kind != V_OBJECT && obj->kind != V_RECORD)
        return NULL;
    const HashIndex *index = value_keys_index(obj);
    if (index) {
        int64_t i = hidx_find_string(index, obj->u.obj.keys, key);
        return i < 0 ? NULL : obj->u.obj.vals[i];
    }
    for (size_t i = 0; i < obj->u.obj.len; i++)
        if (strcmp(obj->u.obj.keys[i], key) == 0)
            return obj->u.obj.vals[i];
    return NULL;
}

const Value *value_get_str(const Value *obj, const Value *key)
{
    if (obj->kind != V_OBJECT && obj->kind != V_RECORD)
        return NULL;
    const HashIndex *index = value_keys_index(obj);
    if (index) {
        int64_t i = hidx_find_str(index, obj->u.obj.keys, key->u.str.s,
                                  key->u.str.len, value_hash(key));
        return i < 0 ? NULL : obj->u.obj.vals[i];
    }
    return value_get(obj, key->u.str.s);
}

bool value_truthy(const Value *v) { return v->kind == V_BOOL && v->u.b; }

static bool objects_equal(const Value *a, const Value *b)
{
    if (a->u.obj.len != b->u.obj.len || a->u.obj.decl != b->u.obj.decl)
        return false;
    /* Labelled records are blocks, unique per kind by their label: that is
     * their identity, and comparing it is much cheaper than every field
     * (`p in c.students` over thousands of people). */
    if (a->kind == V_RECORD && a->u.obj.label && b->u.obj.label)
        return strcmp(a->u.obj.label, b->u.obj.label) == 0;
    for (size_t i = 0; i < a->u.obj.len; i++) {
        const Value *bv = value_get(b, a->u.obj.keys[i]);
        if (!bv || !value_equal(a->u.obj.vals[i], bv))
            return false;
    }
    return true;
}

bool value_equal(const Value *a, const Value *b)
{
    if (a == b)
        return true;
    if (a->kind == V_INT && b->kind == V_FLOAT)
        return (double)a->u.i == b->u.f;
    if (a->kind == V_FLOAT && b->kind == V_INT)
        return a->u.f == (double)b->u.i;
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
    case V_NULL: return true;
    case V_BOOL: return a->u.b == b->u.b;
    case V_INT: return a->u.i == b->u.i;
    case V_FLOAT: return a->u.f == b->u.f;
    case V_STRING:
        return a->u.str.len == b->u.str.len && memcmp(a->u.str.s, b->u.str.s, a->u.str.len) == 0;
    case V_QUANTITY: return a->u.q.dim == b->u.q.dim && a->u.q.v == b->u.q.v;
    case V_IP: return ip_equal(a->u.ip, b->u.ip);
    case V_CIDR:
        return a->u.cidr.prefix == b->u.cidr.prefix && ip_equal(a->u.cidr.net, b->u.cidr.net);
    case V_RANGE:
        return ip_equal(a->u.range.first, b->u.range.first) &&
               ip_equal(a->u.range.last, b->u.range.last);
    case V_LIST:
        if (a->u.list.len != b->u.list.len)
            return false;
        for (size_t i = 0; i < a->u.list.len; i++)
            if (!value_equal(a->u.list.items[i], b->u.list.items[i]))
                return false;
        return true;
    case V_OBJECT:
    case V_RECORD: return objects_equal(a, b);
    case V_ENUM: return a->u.en.decl == b->u.en.decl && a->u.en.index == b->u.en.index;
    case V_SECRET: return a->u.secret == b->u.secret;
    case V_POISON: return false;
    }
    return false;
}

static int sign64(int64_t a, int64_t b) { return (a > b) - (a < b); }

static int sign_double(double a, double b) { return (a > b) - (a < b); }

static int compare_bytes(const char *a, size_t an, const char *b, size_t bn)
{
    int c = memcmp(a, b, an < bn ? an : bn);
    return c ? (c > 0) - (c < 0) : sign64((int64_t)an, (int64_t)bn);
}

bool value_compare(const Value *a, const Value *b, int *cmp)
{
    if ((a->kind == V_INT || a->kind == V_FLOAT) && (b->kind == V_INT || b->kind == V_FLOAT)) {
        if (a->kind == V_INT && b->kind == V_INT)
            *cmp = sign64(a->u.i, b->u.i);
        else
            *cmp = sign_double(a->kind == V_INT ? (double)a->u.i : a->u.f,
                               b->kind == V_INT ? (double)b->u.i : b->u.f);
        return true;
    }
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
    case V_STRING:
        *cmp = compare_bytes(a->u.str.s, a->u.str.len, b->u.str.s, b->u.str.len);
        return true;
    case V_QUANTITY:
        if (a->u.q.dim != b->u.q.dim)
            return false;
        *cmp = sign64(a->u.q.v, b->u.q.v);
        return true;
    case V_IP:
        *cmp = ip_compare(a->u.ip, b->u.ip);
        return true;
    case V_BOOL:
        *cmp = (int)a->u.b - (int)b->u.b;
        return true;
    case V_ENUM:
        if (a->u.en.decl != b->u.en.decl)
            return false;
        *cmp = sign64(a->u.en.index, b->u.en.index);
        return true;
    default:
        return false;
    }
}

const char *value_kind_name(const Value *v)
{
    switch (v->kind) {
    case V_NULL: return "null";
    case V_BOOL: return "a bool";
    case V_INT: return "an int";
    case V_FLOAT: return "a float";
    case V_STRING:
        return v->u.str.text_type == TY_STRING ? "a string" : type_kind_name(v->u.str.text_type);
    case V_QUANTITY:
        return v->u.q.dim == Q_BYTES ? "bytes" : v->u.q.dim == Q_CPU ? "cpu" : "a duration";
    case V_IP: return "an ip";
    case V_CIDR: return "a cidr";
    case V_RANGE: return "an iprange";
    case V_LIST: return "a list";
    case V_OBJECT: return "an object";
    case V_RECORD: return v->u.obj.decl ? v->u.obj.decl->name : "a record";
    case V_ENUM: return v->u.en.decl->name;
    case V_SECRET: return "a secret";
    case V_POISON: return "an invalid value";
    }
    return "a value";
}

/* Shortest decimal text that reads back as the same double. */
static void put_float(double f, StrBuf *out)
{
    if (!isfinite(f)) {
        sb_puts(out, isnan(f) ? "nan" : f > 0 ? "inf" : "-inf");
        return;
    }
    char buf[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, f);
        if (strtod(buf, NULL) == f)
            break;
    }
    sb_puts(out, buf);
    if (!strpbrk(buf, ".en"))
        sb_puts(out, ".0");
}

bool value_to_text(const Value *v, StrBuf *out)
{
    switch (v->kind) {
    case V_NULL: sb_puts(out, "null"); return true;
    case V_BOOL: sb_puts(out, v->u.b ? "true" : "false"); return true;
    case V_INT: sb_printf(out, "%" PRId64, v->u.i); return true;
    case V_FLOAT: put_float(v->u.f, out); return true;
    case V_STRING: sb_putn(out, v->u.str.s, v->u.str.len); return true;
    case V_QUANTITY: quantity_format(v->u.q.dim, v->u.q.v, out); return true;
    case V_IP: ip_format(v->u.ip, out); return true;
    case V_CIDR: cidr_format(v->u.cidr, out); return true;
    case V_RANGE: iprange_format(v->u.range, out); return true;
    case V_ENUM: sb_puts(out, v->u.en.decl->members[v->u.en.index].name); return true;
    default: return false;
    }
}

/* Values share their parts, so a few `let`s make a list of 4^20 leaves:
 * a description shows a few items of a few levels, never the whole. */
enum { DESCRIBE_ITEMS = 4, DESCRIBE_TEXT = 60, DESCRIBE_DEPTH = 2 };

static void describe_string(const Value *v, StrBuf *out)
{
    sb_putc(out, '"');
    size_t n = v->u.str.len > DESCRIBE_TEXT ? DESCRIBE_TEXT : v->u.str.len;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v->u.str.s[i];
        if (c == '"' || c == '\\')
            sb_printf(out, "\\%c", c);
        else if (c < 0x20 || c == 0x7f)
            sb_printf(out, "\\u{%x}", c);
        else
            sb_putc(out, (char)c);
    }
    sb_puts(out, n < v->u.str.len ? "...\"" : "\"");
}

static void describe(const Value *v, StrBuf *out, int depth)
{
    switch (v->kind) {
    case V_STRING: describe_string(v, out); return;
    case V_LIST:
        if (depth >= DESCRIBE_DEPTH && v->u.list.len) {
            sb_puts(out, "[...]");
            return;
        }
        sb_putc(out, '[');
        for (size_t i = 0; i < v->u.list.len && i < DESCRIBE_ITEMS; i++) {
            if (i)
                sb_puts(out, ", ");
            describe(v->u.list.items[i], out, depth + 1);
        }
        sb_puts(out, v->u.list.len > DESCRIBE_ITEMS ? ", ...]" : "]");
        return;
    case V_RECORD:
        if (v->u.obj.decl && v->u.obj.label) {
            sb_printf(out, "%s \"%s\"", v->u.obj.decl->name, v->u.obj.label);
            return;
        }
        /* fall through */
    case V_OBJECT:
        if (v->kind == V_RECORD && v->u.obj.decl)
            sb_printf(out, "%s ", v->u.obj.decl->name);
        if (depth >= DESCRIBE_DEPTH && v->u.obj.len) {
            sb_puts(out, "{ ... }");
            return;
        }
        sb_puts(out, "{ ");
        for (size_t i = 0; i < v->u.obj.len && i < DESCRIBE_ITEMS; i++) {
            if (i)
                sb_puts(out, ", ");
            sb_printf(out, "%s = ", v->u.obj.keys[i]);
            describe(v->u.obj.vals[i], out, depth + 1);
        }
        sb_puts(out, v->u.obj.len > DESCRIBE_ITEMS ? ", ... }" : " }");
        return;
    case V_SECRET: sb_puts(out, "<secret>"); return;
    default:
        value_to_text(v, out);
        return;
    }
}

void value_describe(const Value *v, StrBuf *out) { describe(v, out, 0); }

const Value *value_object_of(Arena *ar, Span at, ...)
{
    const char *keys[32];
    const Value *vals[32];
    size_t n = 0;
    va_list ap;
    va_start(ap, at);
    for (const char *k = va_arg(ap, const char *); k; k = va_arg(ap, const char *)) {
        const Value *v = va_arg(ap, const Value *);
        if (v && n == 32)
            abort(); /* a caller's mistake: the objects built here are small */
        if (v) {
            keys[n] = k;
            vals[n++] = v;
        }
    }
    va_end(ap);
    const char **ks = arena_alloc(ar, (n ? n : 1) * sizeof *ks);
    const Value **vs = arena_alloc(ar, (n ? n : 1) * sizeof *vs);
    memcpy(ks, keys, n * sizeof *ks);
    memcpy(vs, vals, n * sizeof *vs);
    return value_object(ar, at, ks, vs, n);
}

/* n elements of elem bytes, the first k copied from at, the rest zero. */
static void *copy_prefix(Arena *ar, const void *at, size_t n, size_t k, size_t elem)
{
    void *p = arena_alloc(ar, n * elem);
    if (k)
        memcpy(p, at, k * elem);
    return p;
}

const Value *value_without_nulls(Arena *ar, const Value *v)
{
    if (v->kind == V_LIST) {
        size_t n = v->u.list.len;
        const Value **items = NULL; /* made at the first item that changes */
        for (size_t i = 0; i < n; i++) {
            const Value *x = value_without_nulls(ar, v->u.list.items[i]);
            if (!items && x != v->u.list.items[i])
                items = copy_prefix(ar, v->u.list.items, n, i, sizeof *items);
            if (items)
                items[i] = x;
        }
        return items ? value_list(ar, v->at, items, n) : v;
    }
    if (v->kind != V_OBJECT && v->kind != V_RECORD)
        return v;
    size_t n = v->u.obj.len, k = 0;
    const char **keys = NULL; /* made at the first attribute that changes */
    const Value **vals = NULL;
    for (size_t i = 0; i < n; i++) {
        const Value *x = v->u.obj.vals[i];
        const Value *y = x->kind == V_NULL ? NULL : value_without_nulls(ar, x);
        if (!vals && y != x) {
            keys = copy_prefix(ar, v->u.obj.keys, n, i, sizeof *keys);
            vals = copy_prefix(ar, v->u.obj.vals, n, i, sizeof *vals);
            k = i;
        }
        if (vals && y) {
            keys[k] = v->u.obj.keys[i];
            vals[k++] = y;
        }
    }
    if (vals)
        return value_object(ar, v->at, keys, vals, k);
    return v->kind == V_OBJECT ? v : value_object(ar, v->at, v->u.obj.keys, v->u.obj.vals, n);
}


const Value *value_with_key(Arena *ar, const Value *obj, const char *key, const Value *v)
{
    size_t n = obj->u.obj.len, i = 0;
    while (i < n && strcmp(obj->u.obj.keys[i], key) != 0)
        i++;
    const Value **vals = arena_alloc(ar, (i < n ? n : n + 1) * sizeof *vals);
    if (n)
        memcpy(vals, obj->u.obj.vals, n * sizeof *vals);
    vals[i] = v;
    if (i < n) {
        /* Same keys: the object's own, and its index. */
        const HashIndex *index = value_keys_index(obj);
        return value_object_shared(ar, obj->at, obj->u.obj.keys, vals, n, &index);
    }
    const char **keys = arena_alloc(ar, (n + 1) * sizeof *keys);
    if (n)
        memcpy(keys, obj->u.obj.keys, n * sizeof *keys);
    keys[n] = key;
    return value_object(ar, obj->at, keys, vals, n + 1);
}
