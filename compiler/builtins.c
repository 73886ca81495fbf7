/* builtins.c — the functions every crown file can call.
 *
 * Each builtin checks its own arguments and reports at the argument that
 * is wrong. Arguments are evaluated in order, positional ones only,
 * except for secret(), which takes named ones. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "eval_internal.h"
#include "hashidx.h"
#include "secret.h"
#include "yaml_out.h"

typedef struct Call {
    Eval *ev;
    const Node *n;
    const Value **args;
    size_t nargs;
    const Type *want;
} Call;

typedef const Value *(*BuiltinFn)(Call *c);

/* ---- argument checks ---- */

static const Value *fail_arg(Call *c, size_t i, const char *expected)
{
    const Value *v = c->args[i];
    eval_error(c->ev, "E0216", v->at, "argument %zu of %s() must be %s, not %s", i + 1,
               c->n->a->name.s, expected, value_kind_name(v));
    return NULL;
}

static bool is_text(const Value *v) { return v->kind == V_STRING; }

static Span here(const Call *c) { return c->n->span; }

/* Sizes of results, saturating: eval_reserve refuses SIZE_MAX. */
static size_t sat_add(size_t a, size_t b) { return a > SIZE_MAX - b ? SIZE_MAX : a + b; }
static size_t sat_mul(size_t a, size_t b) { return b && a > SIZE_MAX / b ? SIZE_MAX : a * b; }

static Arena *ar(const Call *c) { return c->ev->ar; }

static const Value *str(Call *c, const char *s, size_t n)
{
    return value_string(ar(c), here(c), s, n);
}

/* The text built in b, as the call's string; b is freed. */
static const Value *str_taken(Call *c, StrBuf *b)
{
    const Value *v = str(c, b->data ? b->data : "", b->len);
    sb_free(b);
    return v;
}

/* ---- collections ---- */

static const Value *b_len(Call *c)
{
    const Value *v = c->args[0];
    if (v->kind == V_LIST)
        return eval_node_int(c->ev, c->n, (int64_t)v->u.list.len);
    if (v->kind == V_OBJECT || v->kind == V_RECORD)
        return eval_node_int(c->ev, c->n, (int64_t)v->u.obj.len);
    if (v->kind != V_STRING)
        return fail_arg(c, 0, "a string, a list or an object");
    int64_t n = 0;
    for (size_t i = 0; i < v->u.str.len; i++)
        n += ((unsigned char)v->u.str.s[i] & 0xC0) != 0x80;
    return eval_node_int(c->ev, c->n, n);
}

/* acc + x for sum(), or NULL after a diagnostic. An int total becomes a
 * float when a float comes, as in `1 + 2.5`. */
static const Value *sum_step(Call *c, const Value *acc, const Value *x)
{
    if (acc->kind == V_INT && x->kind == V_FLOAT)
        acc = value_float(ar(c), here(c), (double)acc->u.i);
    if (acc->kind == V_FLOAT && (x->kind == V_FLOAT || x->kind == V_INT))
        return value_float(ar(c), here(c),
                           acc->u.f + (x->kind == V_INT ? (double)x->u.i : x->u.f));
    bool ints = acc->kind == V_INT && x->kind == V_INT;
    bool quantities = acc->kind == V_QUANTITY && x->kind == V_QUANTITY &&
                      x->u.q.dim == acc->u.q.dim;
    if (!ints && !quantities) {
        eval_error(c->ev, "E0216", x->at, "sum() cannot add %s to %s", value_kind_name(x),
                   value_kind_name(acc));
        return NULL;
    }
    int64_t r;
    if (!quantity_add(ints ? acc->u.i : acc->u.q.v, ints ? x->u.i : x->u.q.v, &r)) {
        eval_error(c->ev, "E0217", x->at, "the sum does not fit in 64 bits");
        return NULL;
    }
    return ints ? value_int(ar(c), here(c), r) : value_quantity(ar(c), here(c), acc->u.q.dim, r);
}

static const Value *b_sum(Call *c)
{
    const Value *l = c->args[0];
    if (l->kind != V_LIST)
        return fail_arg(c, 0, "a list");
    QDim dim;
    const Type *w = type_unopt(c->want);
    const Value *acc = w && type_dim(w, &dim) ? value_quantity(ar(c), here(c), dim, 0)
                                              : value_int(ar(c), here(c), 0);
    for (size_t i = 0; i < l->u.list.len && acc; i++) {
        const Value *x = l->u.list.items[i];
        if (i == 0 && x->kind == V_QUANTITY)
            acc = value_quantity(ar(c), here(c), x->u.q.dim, 0);
        acc = sum_step(c, acc, x);
    }
    return acc;
}

static const Value *extreme(Call *c, int sign)
{
    const Value *const *items = c->args;
    size_t n = c->nargs;
    if (n == 1 && c->args[0]->kind == V_LIST) {
        items = c->args[0]->u.list.items;
        n = c->args[0]->u.list.len;
    }
    if (n == 0) {
        eval_error(c->ev, "E0216", here(c), "%s() of an empty list", c->n->a->name.s);
        return NULL;
    }
    const Value *best = items[0];
    for (size_t i = 1; i < n; i++) {
        int cmp;
        if (!value_compare(items[i], best, &cmp)) {
            eval_error(c->ev, "E0216", items[i]->at, "%s() cannot compare %s with %s",
                       c->n->a->name.s, value_kind_name(items[i]), value_kind_name(best));
            return NULL;
        }
        if (cmp * sign > 0)
            best = items[i];
    }
    return best;
}

static const Value *b_min(Call *c) { return extreme(c, -1); }
static const Value *b_max(Call *c) { return extreme(c, 1); }

/* Stable merge sort by value_compare, which the caller has made sure
 * succeeds on every pair: n log n, for lists of thousands of people. */
static void merge_sort(const Value **a, const Value **tmp, size_t n)
{
    if (n < 2)
        return;
    size_t half = n / 2, i = 0, j = half, k = 0;
    merge_sort(a, tmp, half);
    merge_sort(a + half, tmp, n - half);
    while (i < half && j < n) {
        int cmp = 0;
        value_compare(a[j], a[i], &cmp);
        tmp[k++] = cmp < 0 ? a[j++] : a[i++];
    }
    while (i < half)
        tmp[k++] = a[i++];
    while (j < n)
        tmp[k++] = a[j++];
    memcpy(a, tmp, n * sizeof *a);
}

static const Value *b_sort(Call *c)
{
    const Value *l = c->args[0];
    if (l->kind != V_LIST)
        return fail_arg(c, 0, "a list");
    size_t n = l->u.list.len;
    /* Values that compare with one compare with each other (numbers with
     * numbers, bytes with bytes, ...): checking against the first is
     * checking every pair. */
    for (size_t i = 1; i < n; i++) {
        int cmp;
        const Value *x = l->u.list.items[i], *first = l->u.list.items[0];
        if (!value_compare(first, x, &cmp)) {
            eval_error(c->ev, "E0216", x->at, "sort() cannot compare %s with %s",
                       value_kind_name(x), value_kind_name(first));
            return NULL;
        }
    }
    const Value **items = arena_alloc(ar(c), (n ? n : 1) * sizeof *items);
    const Value **tmp = arena_alloc(ar(c), (n ? n : 1) * sizeof *tmp);
    memcpy(items, l->u.list.items, n * sizeof *items);
    merge_sort(items, tmp, n);
    return value_list(ar(c), here(c), items, n);
}

typedef struct Indexed {
    const Value *v;
    size_t i;
} Indexed;

/* By value, then by position: equal values end up together, in order. */
static int by_value(const void *a, const void *b)
{
    const Indexed *x = a, *y = b;
    int c = 0;
    value_compare(x->v, y->v, &c);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* Lists of strings, or of ints, where comparing is testing equality. */
static bool sortable(const Value *l)
{
    for (size_t i = 0; i < l->u.list.len; i++) {
        ValueKind k = l->u.list.items[i]->kind;
        if ((k != V_STRING && k != V_INT) || k != l->u.list.items[0]->kind)
            return false;
    }
    return true;
}

/* rank[i]: how many elements before i equal it (0 for a first occurrence,
 * 1 for a second ...). Strings and ints are sorted so that equal ones meet
 * (n log n: uniqueness checks run over thousands of people); other values
 * are compared pairwise. */
static void rank_repeats(Call *c, const Value *l, size_t *rank)
{
    size_t n = l->u.list.len;
    if (sortable(l)) {
        Indexed *s = arena_alloc(ar(c), (n ? n : 1) * sizeof *s);
        for (size_t i = 0; i < n; i++)
            s[i] = (Indexed){l->u.list.items[i], i};
        qsort(s, n, sizeof *s, by_value);
        for (size_t i = 1; i < n; i++)
            if (value_equal(s[i].v, s[i - 1].v))
                rank[s[i].i] = rank[s[i - 1].i] + 1;
        return;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = i; j-- > 0;)
            if (value_equal(l->u.list.items[i], l->u.list.items[j])) {
                rank[i] = rank[j] + 1;
                break;
            }
}

/* The elements whose rank is `want`, in the list's order. */
static const Value *with_rank(Call *c, size_t want)
{
    const Value *l = c->args[0];
    if (l->kind != V_LIST)
        return fail_arg(c, 0, "a list");
    size_t n = l->u.list.len;
    size_t *rank = arena_alloc(ar(c), (n ? n : 1) * sizeof *rank);
    rank_repeats(c, l, rank);
    ValueVec out = {0};
    for (size_t i = 0; i < n; i++)
        if (rank[i] == want)
            vec_push(c->ev, &out, l->u.list.items[i]);
    const Value **items = vec_take(c->ev, &out);
    return value_list(ar(c), here(c), items, out.len);
}

/* unique(xs): the first occurrence of every value. */
static const Value *b_unique(Call *c) { return with_rank(c, 0); }

/* duplicates(xs): the values that occur more than once, each once, in the
 * order of their second occurrence. */
static const Value *b_duplicates(Call *c) { return with_rank(c, 1); }

static const Value *b_flatten(Call *c)
{
    const Value *l = c->args[0];
    if (l->kind != V_LIST)
        return fail_arg(c, 0, "a list of lists");
    size_t n = 0;
    for (size_t i = 0; i < l->u.list.len; i++) {
        const Value *x = l->u.list.items[i];
        if (x->kind != V_LIST) {
            eval_error(c->ev, "E0216", x->at, "flatten() needs lists, not %s", value_kind_name(x));
            return NULL;
        }
        n += x->u.list.len;
    }
    if (!eval_reserve(c->ev, sat_mul(n, sizeof(Value *)), here(c)))
        return NULL;
    const Value **items = arena_alloc(ar(c), (n ? n : 1) * sizeof *items);
    size_t k = 0;
    for (size_t i = 0; i < l->u.list.len; i++)
        for (size_t j = 0; j < l->u.list.items[i]->u.list.len; j++)
            items[k++] = l->u.list.items[i]->u.list.items[j];
    return value_list(ar(c), here(c), items, n);
}

/* The key an element is grouped under: its field's text (a string, an
 * enum member's name, a number), or NULL after reporting. An element
 * whose field failed (and was reported) is left out: *skip. */
static const char *group_key(Call *c, const Value *x, const char *field, StrBuf *tmp, bool *skip)
{
    *skip = is_poison(x);
    if (*skip)
        return NULL;
    if (x->kind != V_OBJECT && x->kind != V_RECORD) {
        eval_error(c->ev, "E0216", x->at, "group_by() needs objects or records, not %s",
                   value_kind_name(x));
        return NULL;
    }
    const Value *k = value_get(x, field);
    if (!k) {
        eval_error(c->ev, "E0216", x->at, "group_by(): this element has no field `%s`", field);
        return NULL;
    }
    if (is_poison(k)) {
        *skip = true;
        return NULL;
    }
    if (k->kind == V_STRING)
        return k->u.str.s;
    if (k->kind == V_ENUM)
        return k->u.en.decl->members[k->u.en.index].name;
    sb_reset(tmp);
    if (k->kind == V_SECRET || !value_to_text(k, tmp)) {
        eval_error(c->ev, "E0216", k->at, "group_by() cannot group by %s", value_kind_name(k));
        return NULL;
    }
    return arena_strndup(ar(c), tmp->data, tmp->len);
}

/* group_by(list, "field"): an object from each value of the field to the
 * elements that have it, keys in the order they first appear and elements
 * in list order; linear, by hash. */
static const Value *b_group_by(Call *c)
{
    const Value *l = c->args[0], *f = c->args[1];
    if (l->kind != V_LIST)
        return fail_arg(c, 0, "a list of objects");
    if (!is_text(f))
        return fail_arg(c, 1, "a field name");
    size_t n = l->u.list.len, ngroups = 0;
    uint32_t *group = arena_alloc(ar(c), (n ? n : 1) * sizeof *group);
    const char **keys = arena_alloc(ar(c), (n ? n : 1) * sizeof *keys);
    size_t *count = arena_alloc(ar(c), (n ? n : 1) * sizeof *count);
    HashIndex *x = hidx_new(ar(c), 16);
    StrBuf tmp;
    sb_init(&tmp);
    for (size_t i = 0; i < n; i++) {
        bool skip;
        const char *k = group_key(c, l->u.list.items[i], f->u.str.s, &tmp, &skip);
        if (skip) {
            group[i] = UINT32_MAX;
            continue;
        }
        if (!k) {
            sb_free(&tmp);
            return NULL;
        }
        uint64_t h = hash_string(k);
        uint32_t cursor = 0;
        int64_t g;
        while ((g = hidx_next(x, h, &cursor)) >= 0 && strcmp(keys[g], k) != 0)
            ;
        if (g < 0) {
            g = (int64_t)ngroups++;
            keys[g] = k;
            hidx_add(ar(c), x, h, (uint32_t)g);
        }
        group[i] = (uint32_t)g;
        count[g]++;
    }
    sb_free(&tmp);
    const Value ***items = arena_alloc(ar(c), (ngroups ? ngroups : 1) * sizeof *items);
    for (size_t g = 0; g < ngroups; g++) {
        items[g] = arena_alloc(ar(c), count[g] * sizeof **items);
        count[g] = 0;
    }
    for (size_t i = 0; i < n; i++)
        if (group[i] != UINT32_MAX)
            items[group[i]][count[group[i]]++] = l->u.list.items[i];
    const Value **vals = arena_alloc(ar(c), (ngroups ? ngroups : 1) * sizeof *vals);
    for (size_t g = 0; g < ngroups; g++)
        vals[g] = value_list(ar(c), here(c), items[g], count[g]);
    const HashIndex *index = x; /* the groups' keys, in their places */
    return value_object_shared(ar(c), here(c), keys, vals, ngroups, &index);
}

static const Value *keys_or_values(Call *c, bool keys)
{
    const Value *o = c->args[0];
    if (o->kind != V_OBJECT && o->kind != V_RECORD)
        return fail_arg(c, 0, "an object");
    size_t n = o->u.obj.len;
    const Value **items = arena_alloc(ar(c), (n ? n : 1) * sizeof *items);
    for (size_t i = 0; i < n; i++)
        items[i] = keys ? value_string_ref(ar(c), here(c), o->u.obj.keys[i],
                                           strlen(o->u.obj.keys[i]))
                        : o->u.obj.vals[i];
    return value_list(ar(c), here(c), items, n);
}

static const Value *b_keys(Call *c) { return keys_or_values(c, true); }
static const Value *b_values(Call *c) { return keys_or_values(c, false); }

static const Value *b_range(Call *c)
{
    const Value *n = c->args[0];
    if (n->kind != V_INT || n->u.i < 0 || n->u.i > 100000)
        return fail_arg(c, 0, "an int from 0 to 100000");
    const Value **items = arena_alloc(ar(c), (n->u.i ? (size_t)n->u.i : 1) * sizeof *items);
    for (int64_t i = 0; i < n->u.i; i++)
        items[i] = value_int(ar(c), here(c), i);
    return value_list(ar(c), here(c), items, (size_t)n->u.i);
}

/* ---- strings ---- */

/* ASCII letters only: the case of other letters depends on a locale. */
static char ascii_case(char ch, bool upper)
{
    if (upper)
        return ch >= 'a' && ch <= 'z' ? (char)(ch - 'a' + 'A') : ch;
    return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
}

static const Value *change_case(Call *c, bool upper)
{
    const Value *s = c->args[0];
    if (!is_text(s))
        return fail_arg(c, 0, "a string");
    /* Nothing to change (addresses mostly are lowercase already): the
     * argument itself, as values are never changed; remembered, as a
     * person's address is lowered by several checks. */
    uint8_t none = upper ? STR_NO_LOWER : STR_NO_UPPER;
    if (s->u.str.cases & none)
        return s;
    size_t i = 0;
    for (; i < s->u.str.len; i++)
        if (ascii_case(s->u.str.s[i], upper) != s->u.str.s[i])
            break;
    if (i == s->u.str.len) {
        ((Value *)s)->u.str.cases |= none;
        return s;
    }
    char *out = arena_strndup(ar(c), s->u.str.s, s->u.str.len);
    for (; i < s->u.str.len; i++)
        out[i] = ascii_case(out[i], upper);
    return str(c, out, s->u.str.len);
}

static const Value *b_lower(Call *c) { return change_case(c, false); }
static const Value *b_upper(Call *c) { return change_case(c, true); }

static const Value *b_join(Call *c)
{
    const Value *l = c->args[0], *sep = c->args[1];
    if (l->kind != V_LIST)
        return fail_arg(c, 0, "a list");
    if (!is_text(sep))
        return fail_arg(c, 1, "a string");
    /* Strings are the long items: what they add is known before copying. */
    size_t need = sat_mul(l->u.list.len, sep->u.str.len);
    for (size_t i = 0; i < l->u.list.len; i++)
        if (is_text(l->u.list.items[i]))
            need = sat_add(need, l->u.list.items[i]->u.str.len);
    if (!eval_reserve(c->ev, need, here(c)))
        return NULL;
    StrBuf b;
    sb_init(&b);
    for (size_t i = 0; i < l->u.list.len; i++) {
        if (i)
            sb_putn(&b, sep->u.str.s, sep->u.str.len);
        if (l->u.list.items[i]->kind == V_SECRET || !value_to_text(l->u.list.items[i], &b)) {
            eval_error(c->ev, "E0216", l->u.list.items[i]->at, "join() cannot put %s into a "
                       "string", value_kind_name(l->u.list.items[i]));
            sb_free(&b);
            return NULL;
        }
    }
    return str_taken(c, &b);
}

/* A value as the text of one YAML document, in the spelling of the tree's
 * own files, for files outside the tree's objects (bootstrap/): built from
 * values, never from text, so no string of the site can add a key to it.
 * An attribute set to null is left out, as in the objects of the tree. */
static const Value *b_to_yaml(Call *c)
{
    StrBuf b;
    sb_init(&b);
    YamlError err = {0};
    if (!yaml_render(value_without_nulls(ar(c), c->args[0]), NULL, &b, &err)) {
        const Value *at = err.value ? err.value : c->args[0];
        Diag *d = at->kind == V_SECRET
                      ? eval_error(c->ev, "E0222", here(c), "a secret cannot be put into a string")
                      : eval_error(c->ev, "E0216", here(c), "to_yaml() cannot write this value: %s",
                                   err.reason ? err.reason : "?");
        if (d)
            diag_add_secondary(d, at->at, at->kind == V_SECRET ? "this secret" : "this value");
        sb_free(&b);
        return NULL;
    }
    return str_taken(c, &b);
}

/* The SHA-256 of a string's bytes, in lower-case hex, or its first
 * digits: a name that changes when what it names does (a Job per version
 * of its configuration), short enough for a Kubernetes name. */
static const Value *b_sha256(Call *c)
{
    const Value *s = c->args[0];
    if (!is_text(s))
        return fail_arg(c, 0, "a string");
    int64_t digits = 64;
    if (c->nargs > 1) {
        const Value *d = c->args[1];
        if (d->kind != V_INT || d->u.i < 8 || d->u.i > 64)
            return fail_arg(c, 1, "a number of hex digits from 8 to 64");
        digits = d->u.i;
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (!EVP_Digest(s->u.str.s, s->u.str.len, md, &n, EVP_sha256(), NULL)) {
        eval_error(c->ev, "E0216", here(c), "sha256() failed in OpenSSL");
        return NULL;
    }
    static const char hex[] = "0123456789abcdef";
    char out[2 * EVP_MAX_MD_SIZE];
    for (unsigned int i = 0; i < n; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    return str(c, out, (size_t)digits < 2 * (size_t)n ? (size_t)digits : 2 * (size_t)n);
}

static const Value *b_split(Call *c)
{
    const Value *s = c->args[0], *sep = c->args[1];
    if (!is_text(s))
        return fail_arg(c, 0, "a string");
    if (!is_text(sep) || sep->u.str.len == 0)
        return fail_arg(c, 1, "a non-empty string");
    ValueVec out = {0};
    const char *p = s->u.str.s, *end = p + s->u.str.len;
    for (;;) {
        const char *q = strstr(p, sep->u.str.s);
        if (!q || q > end) {
            vec_push(c->ev, &out, str(c, p, (size_t)(end - p)));
            break;
        }
        vec_push(c->ev, &out, str(c, p, (size_t)(q - p)));
        p = q + sep->u.str.len;
    }
    const Value **items = vec_take(c->ev, &out);
    return value_list(ar(c), here(c), items, out.len);
}

static const Value *b_replace(Call *c)
{
    const Value *s = c->args[0], *old = c->args[1], *new = c->args[2];
    for (size_t i = 0; i < 3; i++)
        if (!is_text(c->args[i]))
            return fail_arg(c, i, "a string");
    if (old->u.str.len == 0)
        return fail_arg(c, 1, "a non-empty string");
    size_t count = 0;
    for (const char *p = s->u.str.s; (p = strstr(p, old->u.str.s)); p += old->u.str.len)
        count++;
    if (count == 0)
        return s; /* nothing to replace: the string itself, as values never change */
    if (new->u.str.len > old->u.str.len &&
        !eval_reserve(c->ev, sat_add(s->u.str.len,
                                     sat_mul(count, new->u.str.len - old->u.str.len)),
                      here(c)))
        return NULL;
    StrBuf b;
    sb_init(&b);
    const char *p = s->u.str.s;
    const char *q;
    while ((q = strstr(p, old->u.str.s))) {
        sb_putn(&b, p, (size_t)(q - p));
        sb_putn(&b, new->u.str.s, new->u.str.len);
        p = q + old->u.str.len;
    }
    sb_puts(&b, p);
    return str_taken(c, &b);
}

static const Value *b_contains(Call *c)
{
    const Value *in = c->args[0], *x = c->args[1];
    if (in->kind == V_LIST) {
        for (size_t i = 0; i < in->u.list.len; i++)
            if (value_equal(in->u.list.items[i], x))
                return eval_node_bool(c->ev, c->n, true);
        return eval_node_bool(c->ev, c->n, false);
    }
    if (!is_text(in))
        return fail_arg(c, 0, "a string or a list");
    if (!is_text(x))
        return fail_arg(c, 1, "a string");
    return eval_node_bool(c->ev, c->n, strstr(in->u.str.s, x->u.str.s) != NULL);
}

static const Value *affix(Call *c, bool start)
{
    const Value *s = c->args[0], *a = c->args[1];
    if (!is_text(s))
        return fail_arg(c, 0, "a string");
    if (!is_text(a))
        return fail_arg(c, 1, "a string");
    bool r = a->u.str.len <= s->u.str.len &&
             memcmp(start ? s->u.str.s : s->u.str.s + s->u.str.len - a->u.str.len, a->u.str.s,
                    a->u.str.len) == 0;
    return eval_node_bool(c->ev, c->n, r);
}

static const Value *b_starts_with(Call *c) { return affix(c, true); }
static const Value *b_ends_with(Call *c) { return affix(c, false); }

/* matches(text, pattern): POSIX extended regex, the dialect of string("...")
 * constraints, so that checks can test a rule and still report it with a
 * code, message and hint of their own. */
static const Value *b_matches(Call *c)
{
    const Value *s = c->args[0], *p = c->args[1];
    if (!is_text(s))
        return fail_arg(c, 0, "a string");
    if (!is_text(p))
        return fail_arg(c, 1, "a string");
    const regex_t *rx = regex_cached(&c->ev->regexes, p->u.str.s);
    if (!rx) {
        eval_error(c->ev, "E0216", p->at, "\"%s\" is not a valid regular expression",
                   p->u.str.s);
        return NULL;
    }
    return eval_node_bool(c->ev, c->n, regexec(rx, s->u.str.s, 0, NULL, 0) == 0);
}

static const Value *b_string(Call *c)
{
    const Value *s = c->args[0];
    if (s->kind == V_STRING && s->u.str.text_type == TY_STRING)
        return s; /* already a plain string, which never changes */
    if (s->kind == V_STRING) {
        /* An address or a name as plain text: the same bytes. */
        Value *v = (Value *)value_moved(ar(c), s, here(c));
        v->u.str.text_type = TY_STRING;
        return v;
    }
    StrBuf b;
    sb_init(&b);
    if (c->args[0]->kind == V_SECRET || !value_to_text(c->args[0], &b)) {
        sb_free(&b);
        return fail_arg(c, 0, "a scalar (not a list, an object or a secret)");
    }
    return str_taken(c, &b);
}

static const Value *b_int(Call *c)
{
    const Value *v = c->args[0];
    if (v->kind == V_INT)
        return v;
    if (v->kind == V_QUANTITY)
        return value_int(ar(c), here(c), v->u.q.v);
    if (v->kind == V_FLOAT && v->u.f >= -9.2e18 && v->u.f <= 9.2e18)
        return value_int(ar(c), here(c), (int64_t)v->u.f);
    if (v->kind == V_STRING) {
        errno = 0;
        char *end;
        long long x = strtoll(v->u.str.s, &end, 10);
        if (v->u.str.len && *end == '\0' && errno == 0)
            return value_int(ar(c), here(c), x);
        eval_error(c->ev, "E0216", v->at, "\"%s\" is not an integer", v->u.str.s);
        return NULL;
    }
    return fail_arg(c, 0, "a number, a quantity or a string of digits");
}

/* ---- network ---- */

/* An address argument as a range: a CIDR, a range or a single address;
 * strings are read as whichever of those they spell. */
static bool as_range(Call *c, size_t i, IpRange *out)
{
    const Value *v = c->args[i];
    const char *why;
    switch (v->kind) {
    case V_RANGE: *out = v->u.range; return true;
    case V_CIDR: *out = cidr_to_range(v->u.cidr); return true;
    case V_IP: out->first = out->last = v->u.ip; return true;
    case V_STRING: {
        IpAddr a;
        if (ip_parse(v->u.str.s, v->u.str.len, &a, &why)) {
            out->first = out->last = a;
            return true;
        }
        if (iprange_parse(v->u.str.s, v->u.str.len, out, &why))
            return true;
        eval_error(c->ev, "E0207", v->at, "\"%s\" is not an address, a CIDR or a range: %s",
                   v->u.str.s, why);
        return false;
    }
    default:
        fail_arg(c, i, "an address, a CIDR or a range");
        return false;
    }
}

static const Value *b_cidr_contains(Call *c)
{
    IpRange outer, inner;
    if (!as_range(c, 0, &outer) || !as_range(c, 1, &inner))
        return NULL;
    return eval_node_bool(c->ev, c->n, range_contains_range(outer, inner));
}

static const Value *b_cidr_overlaps(Call *c)
{
    IpRange a, b;
    if (!as_range(c, 0, &a) || !as_range(c, 1, &b))
        return NULL;
    return eval_node_bool(c->ev, c->n, range_overlaps(a, b));
}

static const Value *b_range_size(Call *c)
{
    IpRange r;
    if (!as_range(c, 0, &r))
        return NULL;
    uint64_t n = range_size(r);
    return value_int(ar(c), here(c), n > INT64_MAX ? INT64_MAX : (int64_t)n);
}

static const Value *b_ip_add(Call *c)
{
    IpRange r;
    if (!as_range(c, 0, &r))
        return NULL;
    if (c->args[1]->kind != V_INT)
        return fail_arg(c, 1, "an int");
    IpAddr out;
    if (!ip_add(r.first, c->args[1]->u.i, &out)) {
        eval_error(c->ev, "E0217", here(c), "the address falls outside its family's space");
        return NULL;
    }
    return value_ip(ar(c), here(c), out);
}

/* ---- data and secrets ---- */

static const Value *b_csv(Call *c)
{
    return is_text(c->args[0]) ? data_csv(c->ev, c->args[0], c->n) : fail_arg(c, 0, "a path");
}

static const Value *b_yaml(Call *c)
{
    return is_text(c->args[0]) ? data_yaml(c->ev, c->args[0], c->n) : fail_arg(c, 0, "a path");
}

static const Value *b_file(Call *c)
{
    return is_text(c->args[0]) ? data_file(c->ev, c->args[0], c->n) : fail_arg(c, 0, "a path");
}

static const Value *secret_value(Call *c, Secret *s)
{
    s->at = here(c);
    Value *v = (Value *)value_null(ar(c), here(c));
    v->kind = V_SECRET;
    v->u.secret = s;
    return v;
}

static const Value *b_input_secret(Call *c)
{
    const Value *name = c->args[0];
    bool ok = is_text(name) && name->u.str.len > 0;
    for (size_t i = 0; ok && i < name->u.str.len; i++) {
        char ch = name->u.str.s[i];
        ok = (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
    }
    if (!ok)
        return fail_arg(c, 0, "a NAME of capital letters, digits and '_'");
    Secret *s = arena_alloc(ar(c), sizeof *s);
    s->kind = SECRET_INPUT;
    s->input = name->u.str.s;
    return secret_value(c, s);
}

/* public_key(k): the public half of an ssh-ed25519 key pair. It is not
 * secret, but it travels with the pair, so it stays a reference that the
 * secrets stage fills in. */
static const Value *b_public_key(Call *c)
{
    const Value *k = c->args[0];
    if (k->kind != V_SECRET || k->u.secret->kind != SECRET_SSH_ED25519 || k->u.secret->pair)
        return fail_arg(c, 0, "a key pair: secret(kind = ssh-ed25519)");
    Secret *s = arena_alloc(ar(c), sizeof *s);
    *s = *k->u.secret;
    s->pair = k->u.secret;
    return secret_value(c, s);
}

/* ---- the table ---- */

void builtin_arity_error(DiagList *diags, const char *name, const BuiltinSig *sig, size_t k,
                         Span at)
{
    if (sig->min == sig->max)
        diag_error(diags, "E0216", at, "%s() takes %u argument%s, not %zu", name, sig->min,
                   sig->min == 1 ? "" : "s", k);
    else
        diag_error(diags, "E0216", at, "%s() takes %u to %u arguments, not %zu", name, sig->min,
                   sig->max, k);
}

typedef struct Builtin {
    const char *name;
    BuiltinFn fn;
    BuiltinSig sig;
} Builtin;

/* Argument kinds, for the static checker. */
#define A_STR BA_STRING
#define A_LIST BA_LIST
#define A_OBJ BA_OBJECT
#define A_NUM BA_NUMBER
#define A_NET BA_NET
#define A_ANY BA_ANY

static const Builtin builtins[] = {
    {"len", b_len, {1, 1, BR_INT, {A_STR | A_LIST | A_OBJ}}},
    {"sum", b_sum, {1, 1, BR_ELEM, {A_LIST}}},
    {"min", b_min, {1, 64, BR_ELEM, {A_ANY, A_ANY}}},
    {"max", b_max, {1, 64, BR_ELEM, {A_ANY, A_ANY}}},
    {"sort", b_sort, {1, 1, BR_SAME, {A_LIST}}},
    {"unique", b_unique, {1, 1, BR_SAME, {A_LIST}}},
    {"flatten", b_flatten, {1, 1, BR_ELEM, {A_LIST}}},
    {"duplicates", b_duplicates, {1, 1, BR_SAME, {A_LIST}}},
    {"keys", b_keys, {1, 1, BR_LIST_STRING, {A_OBJ}}},
    {"group_by", b_group_by, {2, 2, BR_ANY, {A_LIST, A_STR}}},
    {"values", b_values, {1, 1, BR_VALUES, {A_OBJ}}},
    {"range", b_range, {1, 1, BR_LIST_INT, {A_NUM}}},
    {"lower", b_lower, {1, 1, BR_STRING, {A_STR}}},
    {"upper", b_upper, {1, 1, BR_STRING, {A_STR}}},
    {"join", b_join, {2, 2, BR_STRING, {A_LIST, A_STR}}},
    {"to_yaml", b_to_yaml, {1, 1, BR_STRING, {A_ANY}}},
    {"sha256", b_sha256, {1, 2, BR_STRING, {A_STR, A_NUM}}},
    {"split", b_split, {2, 2, BR_LIST_STRING, {A_STR, A_STR}}},
    {"replace", b_replace, {3, 3, BR_STRING, {A_STR, A_STR, A_STR}}},
    {"contains", b_contains, {2, 2, BR_BOOL, {A_STR | A_LIST, A_ANY}}},
    {"starts_with", b_starts_with, {2, 2, BR_BOOL, {A_STR, A_STR}}},
    {"ends_with", b_ends_with, {2, 2, BR_BOOL, {A_STR, A_STR}}},
    {"matches", b_matches, {2, 2, BR_BOOL, {A_STR, A_STR}}},
    {"string", b_string, {1, 1, BR_STRING, {A_STR | A_NUM | A_NET}}},
    {"int", b_int, {1, 1, BR_INT, {A_STR | A_NUM}}},
    {"cidr_contains", b_cidr_contains, {2, 2, BR_BOOL, {A_NET | A_STR, A_NET | A_STR}}},
    {"cidr_overlaps", b_cidr_overlaps, {2, 2, BR_BOOL, {A_NET | A_STR, A_NET | A_STR}}},
    {"range_size", b_range_size, {1, 1, BR_INT, {A_NET | A_STR}}},
    {"ip_add", b_ip_add, {2, 2, BR_IP, {A_NET | A_STR, A_NUM}}},
    {"csv", b_csv, {1, 1, BR_ROWS, {A_STR}}},
    {"yaml", b_yaml, {1, 1, BR_ANY, {A_STR}}},
    {"file", b_file, {1, 1, BR_STRING, {A_STR}}},
    {"input_secret", b_input_secret, {1, 1, BR_SECRET, {A_STR}}},
    {"public_key", b_public_key, {1, 1, BR_SECRET, {BA_SECRET}}},
};

static const Builtin *find(const char *name)
{
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        if (builtins[i].name[0] == name[0] && strcmp(builtins[i].name, name) == 0)
            return &builtins[i];
    return NULL;
}

bool builtin_exists(const char *name) { return find(name) || strcmp(name, "secret") == 0; }

bool builtin_signature(const char *name, BuiltinSig *out)
{
    static const BuiltinSig secret = {0, 64, BR_SECRET, {0}};
    const Builtin *b = find(name);
    if (!b && strcmp(name, "secret") != 0)
        return false;
    *out = b ? b->sig : secret;
    return true;
}

/* Arguments of secret() that are words: `kind = tsig` needs no quotes. */
bool builtin_secret_word(const char *arg)
{
    return strcmp(arg, "kind") == 0 || strcmp(arg, "encoding") == 0 ||
           strcmp(arg, "algorithm") == 0;
}

/* secret(kind = password, length = 32, ...): named arguments only,
 * checked here (secret_from_params) so that `check` reports them. */
static const Value *call_secret(Eval *ev, const Node *n, Env *env)
{
    size_t k = n->list.len;
    const char **keys = arena_alloc(ev->ar, (k ? k : 1) * sizeof *keys);
    const Value **vals = arena_alloc(ev->ar, (k ? k : 1) * sizeof *vals);
    for (size_t i = 0; i < k; i++) {
        const Node *a = n->list.at[i];
        if (!a->name.s) {
            eval_error(ev, "E0216", a->span, "secret() takes named arguments: "
                       "secret(kind = password, length = 32)");
            return NULL;
        }
        keys[i] = a->name.s;
        vals[i] = a->a->kind == N_IDENT && builtin_secret_word(a->name.s)
                      ? value_string(ev->ar, a->a->span, a->a->name.s, a->a->name.len)
                      : eval_expr(ev, a->a, env, NULL);
        if (!vals[i] || vals[i]->kind == V_POISON)
            return vals[i];
    }
    Secret *s = arena_alloc(ev->ar, sizeof *s);
    if (!secret_from_params(s, keys, vals, k, n->span, ev->diags))
        return NULL;
    Value *v = (Value *)value_null(ev->ar, n->span);
    v->kind = V_SECRET;
    v->u.secret = s;
    return v;
}

bool builtin_call(Eval *ev, const char *name, const Node *n, Env *env, const Type *want,
                  const Value **out)
{
    if (strcmp(name, "secret") == 0) {
        *out = call_secret(ev, n, env);
        return true;
    }
    const Builtin *b = find(name);
    if (!b)
        return false;
    *out = NULL;
    size_t k = n->list.len;
    if (k < b->sig.min || k > b->sig.max) {
        builtin_arity_error(ev->diags, name, &b->sig, k, n->span);
        return true;
    }
    /* The arguments live as long as the call: no builtin keeps the array. */
    const Value *few[8];
    const Value **args = k <= 8 ? few : arena_alloc(ev->ar, k * sizeof *args);
    for (size_t i = 0; i < k; i++) {
        const Node *a = n->list.at[i];
        if (a->name.s) {
            eval_error(ev, "E0216", a->span, "%s() takes no named arguments", name);
            return true;
        }
        args[i] = eval_expr(ev, a->a, env, NULL);
        if (!args[i] || is_poison(args[i]))
            return true;
    }
    /* Counting or adding up a list that lost failed elements would give a
     * wrong number, and a wrong number in a capacity message is worse than
     * none: the failure is already reported. */
    bool counts = b->fn == b_len || b->fn == b_sum || b->fn == b_min || b->fn == b_max;
    if (counts && args[0]->kind == V_LIST && args[0]->u.list.partial)
        return true;
    Call c = {ev, n, args, k, want};
    *out = b->fn(&c);
    bool partial = false;
    for (size_t i = 0; i < k; i++)
        partial = partial || (args[i]->kind == V_LIST && args[i]->u.list.partial);
    if (partial && *out && (*out)->kind == V_LIST && !(*out)->u.list.partial) {
        /* A list made from one that lost elements lost them too. */
        Value *copy = (Value *)value_list(ev->ar, (*out)->at, (*out)->u.list.items,
                                          (*out)->u.list.len);
        copy->u.list.partial = true;
        *out = copy;
    }
    return true;
}
