/* test_yaml_diff.c — yaml_render against the libyaml renderer it replaced
 * (tests/support/yaml_ref.h): identical bytes, identical refusals (the
 * same reason and the same offending value), the buffer left as it was
 * on a refusal, with and without the Kubernetes key order.
 *
 * The values come from a seeded generator, so every run compares the
 * same documents: hostile strings (blanks at the ends, `: ` and ` #`,
 * quotes, backslashes, newlines anywhere, tabs, controls, C1, U+2028,
 * the BOM, characters beyond U+FFFF, invalid UTF-8, NULs, reserved words
 * and numbers), multi-line strings shaped for literal blocks, keys at and
 * past 128 bytes and keys with line breaks, every scalar kind, lists,
 * objects and records nested six deep, empty ones, and Kubernetes objects
 * with their keys scrambled. Every string of a pool is also put in each
 * place a scalar can stand (document, item, value, key, explicit key and
 * its value, deep in lists of lists). A mismatch prints the case number
 * and both texts. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../support/yaml_ref.h"
#include "arena.h"
#include "decl.h"
#include "net.h"
#include "secret.h"
#include "strbuf.h"
#include "value.h"
#include "yaml_out.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

enum {
    TREES = 20000,      /* random documents, each rendered with and without k8s order */
    POOL = 4000,        /* strings put in every place */
    MAX_DEPTH = 6,
    BATCH = 500,        /* documents per arena */
};

/* ---- a seeded generator ------------------------------------------------------ */

/* The documents must be the same whatever the compiler: no expression
 * below draws twice, as C leaves the order of the draws open. */

typedef struct Rng {
    uint64_t s;
} Rng;

/* splitmix64: small, fast, and the same sequence on every platform. */
static uint64_t rnd(Rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static size_t below(Rng *r, size_t n) { return (size_t)(rnd(r) % n); }

/* True one time in n. */
static bool one_in(Rng *r, size_t n) { return below(r, n) == 0; }

static const char *pick(Rng *r, const char *const *set, size_t n) { return set[below(r, n)]; }

#define PICK(r, set) pick((r), (set), N_OF(set))

static const Span AT = {0};

/* ---- strings ------------------------------------------------------------------ */

/* Pieces of hostile strings, all valid UTF-8. */
static const char *const PIECES[] = {
    "a", "web", "x", "Z", "hello world", "nginx:1.25", "kubernetes.io/name", "v1", "500m",
    "0", "42", "-1", "+1", "3.14", ".5", "1e3", "1_000", "0x1F", "0o17", "0755", "12:30",
    "2001-12-14", "null", "Null", "~", "yes", "No", "y", "N", "on", "OFF", "true", "False",
    ".inf", "-.Inf", ".nan", "<<", "=", " ", "  ", ": ", ":", " #", "#", "- ", "-", "? ", "?",
    ",", "[", "]", "{", "}", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`", "\\", "\\n",
    "---", "...", "--- ", "/", ".", "_", "$", "+", "{{ .x }}", "\n", "\n", "\n\n", "\n \n",
    "\t", "\r", "\r\n", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f",
    "\xc2\x80", "\xc2\x85", "\xc2\x9f", "\xc2\xa0", "\xc2\xa9", "\xc3\xa9", "\xc3\x9f",
    "\xe6\x97\xa5\xe6\x9c\xac", "\xd0\xba\xd0\xbb\xd1\x8e\xd1\x87", "\xe2\x80\xa8",
    "\xe2\x80\xa9", "\xef\xbb\xbf", "\xef\xbf\xbd", "\xef\xbf\xbe", "\xef\xbf\xbf",
    "\xee\x80\x80", "\xed\x9f\xbf", "\xf0\x9f\x98\x80", "\xf4\x8f\xbf\xbf", "\xf0\x90\x80\x80",
    "\xe2\x98\x95", "\xe2\x9d\x84",
};

/* Not UTF-8: a stray continuation, overlong, surrogate, past U+10FFFF,
 * truncated, a byte that never starts anything. */
static const char *const INVALID[] = {
    "\x80", "\xff", "\xfe", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xed\xbf\xbf",
    "\xf4\x90\x80\x80", "\xf8\x88\x80\x80\x80", "\xe2\x80", "\xc3", "\xf0\x9f\x98",
};

/* Words for lines of a block, names and identifiers. */
static const char *const WORDS[] = {
    "server", "listen", "80;", "location", "/", "{", "}", "proxy_pass", "http://web:8080;",
    "#", "comment", "key:", "value", "- item", "? q", "\"quoted\"", "'single'", "a\\b",
    "caf\xc3\xa9", "\xe6\x97\xa5\xe6\x9c\xac", "---", "...", "|", ">", "null", "yes", "0755",
    "%YAML", "&a", "*a", "!tag", "\xe2\x98\x95",
};

static const char *const NAMES[] = {
    "name", "image", "ports", "env", "value", "spec", "data", "items", "args", "labels",
    "app.kubernetes.io/name", "containerPort", "x", "a b", "k8s", "on", "yes", "null", "",
    "0", "1.5", "-", "- x", "a: b", "#", "key:", "\"", "'", "\\", "caf\xc3\xa9", "\xf0\x9f\x98\x80",
    "\xe2\x80\xa8", "a\tb", " lead", "trail ", "...", "---", "<<", "=", "?", "a\x01",
};

/* What spoils a block: at the start of a text, at the end of a line. */
static const char *const BAD_STARTS[] = {" ", "\n", "\t", "  "};
static const char *const BAD_ENDS[] = {" ", "\r", "\xc2\x85", "\xe2\x80\xa8"};
static const char *const INDENTS[] = {"  ", "    ", " ", "\t"};
/* What libyaml takes for a line break, alone and in pairs. */
static const char *const BREAKS[] = {"\n", "\r", "\xc2\x85", "\xe2\x80\xa8", "\xe2\x80\xa9", "\r\n",
                                     "\n\n"};
static const char *const FILLERS[] = {"a", "ab ", "x"};

typedef struct Text {
    char buf[4096];
    size_t len;
} Text;

static void put(Text *t, const char *s, size_t n)
{
    if (t->len + n > sizeof t->buf)
        n = sizeof t->buf - t->len;
    memcpy(t->buf + t->len, s, n);
    t->len += n;
}

static void puts_(Text *t, const char *s) { put(t, s, strlen(s)); }

/* Pieces end to end, now and then a NUL or a piece that is not UTF-8. */
static void pieces(Rng *r, Text *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (one_in(r, 2000))
            puts_(t, PICK(r, INVALID));
        else if (one_in(r, 80))
            put(t, "", 1);
        else
            puts_(t, PICK(r, PIECES));
    }
}

/* Lines of words, the shape of a config file: indented lines, empty
 * lines, a final newline or not; sometimes one defect that rules a block
 * out (a space before a newline, a tab, a leading newline...). */
static void lines(Rng *r, Text *t)
{
    size_t n = 2 + below(r, 6);
    if (one_in(r, 12))
        puts_(t, PICK(r, BAD_STARTS));
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && one_in(r, 3))
            puts_(t, PICK(r, INDENTS));
        size_t words = 1 + below(r, 4);
        for (size_t k = 0; k < words; k++) {
            if (k > 0)
                puts_(t, " ");
            puts_(t, PICK(r, WORDS));
        }
        if (one_in(r, 20))
            puts_(t, PICK(r, BAD_ENDS));
        if (i + 1 < n)
            puts_(t, one_in(r, 5) ? "\n\n" : "\n");
    }
    if (!one_in(r, 3))
        puts_(t, "\n");
    if (one_in(r, 10))
        puts_(t, "\n");
}

/* Random characters of printable ASCII, or raw bytes. */
static void noise(Rng *r, Text *t, bool raw)
{
    size_t n = below(r, 24);
    for (size_t i = 0; i < n; i++) {
        char c = raw ? (char)below(r, 256) : (char)(0x20 + below(r, 0x5f));
        put(t, &c, 1);
    }
}

/* A string of len bytes or so, made of one piece repeated. */
static void long_text(Rng *r, Text *t, size_t len)
{
    const char *p = one_in(r, 3) ? PICK(r, PIECES) : PICK(r, FILLERS);
    size_t n = strlen(p);
    while (t->len + n <= len)
        put(t, p, n);
    while (t->len < len)
        put(t, "z", 1);
}

static void gen_text(Rng *r, Text *t)
{
    t->len = 0;
    switch (below(r, 16)) {
    case 0: case 1: case 2: case 3: case 4: pieces(r, t, below(r, 7)); break;
    case 5: case 6: case 7: lines(r, t); break;
    case 8: case 9: puts_(t, PICK(r, NAMES)); break;
    case 10: puts_(t, PICK(r, PIECES)); break;
    case 11: noise(r, t, false); break;
    case 12: noise(r, t, one_in(r, 40)); break;
    case 13: long_text(r, t, 100 + below(r, 200)); break;
    case 14:
        puts_(t, PICK(r, NAMES));
        puts_(t, PICK(r, PIECES));
        puts_(t, PICK(r, NAMES));
        break;
    default:
        pieces(r, t, 1);
        lines(r, t);
        pieces(r, t, 1);
        break;
    }
}

static const Value *gen_string(Arena *ar, Rng *r)
{
    Text t;
    gen_text(r, &t);
    return value_string(ar, AT, t.buf, t.len);
}

/* A key: mostly a name, else anything a string can be (cut at a NUL, as
 * keys are C strings), 128 or 129 bytes, longer, or with a line break. */
static const char *gen_key(Arena *ar, Rng *r)
{
    Text t = {.len = 0};
    switch (below(r, 12)) {
    case 0: case 1: case 2: case 3: case 4: puts_(&t, PICK(r, NAMES)); break;
    case 5: case 6: gen_text(r, &t); break;
    case 7: long_text(r, &t, 127 + below(r, 4)); break;
    case 8: long_text(r, &t, 129 + below(r, 300)); break;
    case 9:
        puts_(&t, PICK(r, NAMES));
        puts_(&t, PICK(r, BREAKS));
        puts_(&t, PICK(r, NAMES));
        break;
    case 10: pieces(r, &t, 1 + below(r, 3)); break;
    default:
        puts_(&t, PICK(r, NAMES));
        puts_(&t, "-");
        puts_(&t, PICK(r, NAMES));
        break;
    }
    return arena_strndup(ar, t.buf, t.len);
}

/* ---- other scalars ------------------------------------------------------------- */

static const Value *gen_float(Arena *ar, Rng *r)
{
    static const double nice[] = {0.0, -0.0, 0.5, 2.0, 0.1, 1e20, 1e-7, 1.5e300, 5e-324,
                                  1.7976931348623157e308, 3.0, -2.5, 100.0, 1e16, 123456789.125};
    double f;
    switch (below(r, 6)) {
    case 0: f = INFINITY; break;
    case 1: f = -INFINITY; break;
    case 2: f = NAN; break;
    case 3: {
        uint64_t bits = rnd(r);
        memcpy(&f, &bits, sizeof f);
        break;
    }
    case 4: {
        double num = (double)(int64_t)rnd(r);
        f = num / (double)(1 + below(r, 1000000));
        break;
    }
    default: f = nice[below(r, N_OF(nice))]; break;
    }
    return value_float(ar, AT, f);
}

static const Value *gen_int(Arena *ar, Rng *r)
{
    static const int64_t edge[] = {0, 1, -1, 42, 80, 443, INT64_MIN, INT64_MAX, 1000000};
    if (one_in(r, 2))
        return value_int(ar, AT, edge[below(r, N_OF(edge))]);
    int64_t i = (int64_t)rnd(r);
    return value_int(ar, AT, i >> below(r, 63));
}

static const Value *gen_address(Arena *ar, Rng *r)
{
    static const char *const ips[] = {"10.0.0.1", "::1", "fd00::1", "2001:db8::", "0.0.0.0", "::",
                                      "::ffff:1.2.3.4", "192.168.1.255", "fe80::1:2"};
    static const char *const nets[] = {"10.0.0.0/8", "fd00::/64", "::/0", "0.0.0.0/0",
                                       "192.168.0.0/16"};
    static const char *const ranges[] = {"10.0.0.1-10.0.0.9", "fd00::1-fd00::ff", "10.0.0.0/30"};
    const char *why = NULL;
    switch (below(r, 3)) {
    case 0: {
        const char *s = PICK(r, ips);
        IpAddr a;
        assert_true(ip_parse(s, strlen(s), &a, &why));
        return value_ip(ar, AT, a);
    }
    case 1: {
        const char *s = PICK(r, nets);
        Cidr c;
        assert_true(cidr_parse(s, strlen(s), &c, &why));
        return value_cidr(ar, AT, c);
    }
    default: {
        const char *s = PICK(r, ranges);
        IpRange g;
        assert_true(iprange_parse(s, strlen(s), &g, &why));
        return value_range(ar, AT, g);
    }
    }
}

static Member MEMBERS[] = {{.name = "Always"}, {.name = "on"}, {.name = "a: b"}, {.name = ""},
                           {.name = "x\ny\n"}, {.name = "caf\xc3\xa9"}, {.name = "null"}};
static const Decl ENUM = {
    .kind = D_ENUM, .name = "E", .members = MEMBERS, .nmembers = N_OF(MEMBERS)};
static const Secret SECRET = {.kind = SECRET_INPUT, .input = "DB_PASSWORD"};

static const Value *of_kind(Arena *ar, ValueKind k)
{
    Value *v = arena_alloc(ar, sizeof *v);
    v->kind = k;
    if (k == V_SECRET)
        v->u.secret = &SECRET;
    return v;
}

static const Value *gen_scalar(Arena *ar, Rng *r)
{
    if (one_in(r, 3000))
        return of_kind(ar, one_in(r, 2) ? V_SECRET : V_POISON);
    switch (below(r, 20)) {
    case 0: return value_null(ar, AT);
    case 1: return value_bool(ar, AT, one_in(r, 2));
    case 2: case 3: return gen_int(ar, r);
    case 4: case 5: return gen_float(ar, r);
    case 6: {
        QDim d = (QDim)below(r, 3);
        return value_quantity(ar, AT, d, gen_int(ar, r)->u.i);
    }
    case 7: return gen_address(ar, r);
    case 8: return value_enum(ar, AT, &ENUM, (int)below(r, N_OF(MEMBERS)));
    default: return gen_string(ar, r);
    }
}

/* ---- collections ------------------------------------------------------------------ */

static const Value *gen_value(Arena *ar, Rng *r, int depth);

static size_t gen_len(Rng *r)
{
    if (one_in(r, 6))
        return 0;
    return one_in(r, 16) ? 5 + below(r, 12) : 1 + below(r, 3);
}

static const Value *gen_list(Arena *ar, Rng *r, int depth)
{
    size_t n = gen_len(r);
    const Value **items = arena_alloc(ar, (n ? n : 1) * sizeof *items);
    for (size_t i = 0; i < n; i++)
        items[i] = gen_value(ar, r, depth + 1);
    return value_list(ar, AT, items, n);
}

static bool has_key(const char **keys, size_t n, const char *k)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(keys[i], k) == 0)
            return true;
    return false;
}

/* Keys are unique, as the evaluator makes them. */
static const Value *gen_object(Arena *ar, Rng *r, int depth)
{
    size_t n = gen_len(r);
    const char **keys = arena_alloc(ar, (n ? n : 1) * sizeof *keys);
    const Value **vals = arena_alloc(ar, (n ? n : 1) * sizeof *vals);
    for (size_t i = 0; i < n; i++) {
        const char *k = gen_key(ar, r);
        for (int again = 0; has_key(keys, i, k); again++) {
            char suffix[24];
            snprintf(suffix, sizeof suffix, "%s%d", k[0] ? "-" : "k", again);
            size_t kl = strlen(k);
            char *both = arena_alloc(ar, kl + strlen(suffix) + 1);
            memcpy(both, k, kl);
            strcpy(both + kl, suffix);
            k = both;
        }
        keys[i] = k;
        vals[i] = gen_value(ar, r, depth + 1);
    }
    return value_object(ar, AT, keys, vals, n);
}

/* A record is an object to the writer; only its kind differs. */
static const Value *as_record(Arena *ar, const Value *obj)
{
    Value *v = arena_alloc(ar, sizeof *v);
    *v = *obj;
    v->kind = V_RECORD;
    return v;
}

static void shuffle(Rng *r, const char **keys, const Value **vals, size_t n)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = below(r, i);
        const char *k = keys[i - 1];
        const Value *v = vals[i - 1];
        keys[i - 1] = keys[j];
        vals[i - 1] = vals[j];
        keys[j] = k;
        vals[j] = v;
    }
}

/* Each of names with probability 3/4 (some value from make), then a few
 * other keys, all in a random order. */
static const Value *scrambled(Arena *ar, Rng *r, int depth, const char *const *names, size_t nn,
                              const Value *(*make)(Arena *, Rng *, int, const char *))
{
    size_t cap = nn + 4, n = 0;
    const char **keys = arena_alloc(ar, cap * sizeof *keys);
    const Value **vals = arena_alloc(ar, cap * sizeof *vals);
    for (size_t i = 0; i < nn; i++)
        if (!one_in(r, 4)) {
            keys[n] = names[i];
            vals[n++] = make(ar, r, depth, names[i]);
        }
    for (size_t extra = below(r, 4); extra > 0; extra--) {
        const char *k = gen_key(ar, r);
        if (!has_key(keys, n, k)) {
            keys[n] = k;
            vals[n++] = gen_value(ar, r, depth + 1);
        }
    }
    shuffle(r, keys, vals, n);
    const Value *o = value_object(ar, AT, keys, vals, n);
    return one_in(r, 4) ? as_record(ar, o) : o;
}

static const Value *meta_field(Arena *ar, Rng *r, int depth, const char *name)
{
    if (strcmp(name, "labels") == 0 || strcmp(name, "annotations") == 0)
        return one_in(r, 5) ? gen_value(ar, r, depth + 1) : gen_object(ar, r, MAX_DEPTH - 1);
    return one_in(r, 4) ? gen_scalar(ar, r) : value_string(ar, AT, "web-1", 5);
}

static const Value *k8s_field(Arena *ar, Rng *r, int depth, const char *name)
{
    static const char *const meta[] = {"name", "namespace", "labels", "annotations", "uid"};
    if (strcmp(name, "metadata") == 0)
        return one_in(r, 8) ? gen_value(ar, r, depth + 1)
                            : scrambled(ar, r, depth + 1, meta, N_OF(meta), meta_field);
    if (strcmp(name, "apiVersion") == 0 || strcmp(name, "kind") == 0)
        return one_in(r, 6) ? gen_scalar(ar, r) : value_string(ar, AT, "apps/v1", 7);
    return gen_value(ar, r, depth + 1);
}

/* apiVersion, kind, metadata and the usual others, in any order, one of
 * them missing now and then (then nothing is reordered). */
static const Value *gen_k8s(Arena *ar, Rng *r, int depth)
{
    static const char *const top[] = {"apiVersion", "kind", "metadata", "spec", "status", "data",
                                      "items"};
    return scrambled(ar, r, depth, top, N_OF(top), k8s_field);
}

static const Value *gen_value(Arena *ar, Rng *r, int depth)
{
    if (depth >= MAX_DEPTH)
        return gen_scalar(ar, r);
    switch (below(r, 20)) {
    case 0: case 1: case 2: case 3: return gen_list(ar, r, depth);
    case 4: case 5: case 6: case 7: return gen_object(ar, r, depth);
    case 8: return as_record(ar, gen_object(ar, r, depth));
    case 9: return gen_k8s(ar, r, depth);
    default: return gen_scalar(ar, r);
    }
}

static const Value *gen_document(Arena *ar, Rng *r)
{
    switch (below(r, 10)) {
    case 0: case 1: case 2: case 3: return gen_k8s(ar, r, 0);
    case 4: case 5: return gen_object(ar, r, 0);
    case 6: return gen_list(ar, r, 0);
    case 7: return gen_scalar(ar, r);
    default: return gen_value(ar, r, 0);
    }
}

/* ---- comparing ------------------------------------------------------------------------ */

typedef struct Tally {
    size_t documents, refused, literals, explicit_keys, bytes;
} Tally;

/* The text with its controls visible, for a failure message. */
static void show(const char *what, const StrBuf *b)
{
    StrBuf v;
    sb_init(&v);
    for (size_t i = 0; i < b->len; i++) {
        unsigned char c = (unsigned char)b->data[i];
        if (c == '\n')
            sb_puts(&v, "\\n\n");
        else if (c < 0x20 || c == 0x7f)
            sb_printf(&v, "<%02X>", c);
        else
            sb_putc(&v, (char)c);
    }
    print_error("%s (%zu bytes):\n%s\n", what, b->len, v.data ? v.data : "");
    sb_free(&v);
}

static const char PREFIX[] = "# kept\n";

/* One document both ways, into buffers that already hold a line. */
static void compare(const Value *doc, const YamlOptions *opt, size_t id, Tally *tally)
{
    StrBuf want, got;
    sb_init(&want);
    sb_init(&got);
    sb_puts(&want, PREFIX);
    sb_puts(&got, PREFIX);
    YamlError werr, gerr;
    bool wok = yaml_render_libyaml(doc, opt, &want, &werr);
    bool gok = yaml_render(doc, opt, &got, &gerr);
    bool same = wok == gok && want.len == got.len && memcmp(want.data, got.data, want.len) == 0;
    if (same && !wok)
        same = gerr.reason && werr.reason && strcmp(gerr.reason, werr.reason) == 0 &&
               gerr.value == werr.value && got.len == sizeof PREFIX - 1;
    if (!same) {
        print_error("case %zu (k8s order %s): libyaml %s, yaml_render %s\n", id,
                    opt ? "off" : "on", wok ? "wrote" : werr.reason, gok ? "wrote" : gerr.reason);
        show("libyaml", &want);
        show("yaml_render", &got);
    }
    tally->documents++;
    tally->refused += !wok;
    tally->bytes += want.len - (sizeof PREFIX - 1);
    tally->literals += wok && (strstr(want.data, " |\n") || strstr(want.data, " |-\n"));
    tally->explicit_keys += wok && (strstr(want.data, "\n? ") || strstr(want.data, "- ? ") ||
                                    strncmp(want.data + sizeof PREFIX - 1, "? ", 2) == 0);
    sb_free(&want);
    sb_free(&got);
    assert_true(same);
}

static void compare_both_orders(const Value *doc, size_t id, Tally *tally)
{
    static const YamlOptions keep = {.k8s_order = false};
    compare(doc, NULL, id, tally);
    compare(doc, &keep, id, tally);
}

static void report(const char *what, const Tally *t)
{
    printf("%s: %zu documents identical, %zu bytes (%zu refused by both, %zu with a literal "
           "block, %zu with an explicit key)\n",
           what, t->documents, t->bytes, t->refused, t->literals, t->explicit_keys);
}

/* Enough of each kind of case to mean something. */
static void assert_spread(const Tally *t)
{
    assert_true(t->refused > 0);
    assert_true(t->refused < t->documents / 4);
    assert_true(t->literals > t->documents / 50);
    assert_true(t->explicit_keys > t->documents / 50);
}

/* How many collections deep v goes. */
static int depth_of(const Value *v)
{
    int d = 0;
    if (v->kind == V_LIST)
        for (size_t i = 0; i < v->u.list.len; i++) {
            int k = depth_of(v->u.list.items[i]);
            d = k > d ? k : d;
        }
    if (v->kind == V_OBJECT || v->kind == V_RECORD)
        for (size_t i = 0; i < v->u.obj.len; i++) {
            int k = depth_of(v->u.obj.vals[i]);
            d = k > d ? k : d;
        }
    return v->kind == V_LIST || v->kind == V_OBJECT || v->kind == V_RECORD ? d + 1 : 0;
}

static void test_random_documents(void **state)
{
    (void)state;
    Rng r = {20251203};
    Tally tally = {0};
    size_t deep = 0;
    Arena ar;
    arena_init(&ar);
    for (size_t i = 0; i < TREES; i++) {
        if (i % BATCH == 0) {
            arena_free(&ar);
            arena_init(&ar);
        }
        const Value *doc = gen_document(&ar, &r);
        deep += depth_of(doc) >= MAX_DEPTH;
        compare_both_orders(doc, i, &tally);
    }
    arena_free(&ar);
    report("random documents", &tally);
    printf("random documents: %zu of %d nested %d deep\n", deep, TREES, MAX_DEPTH);
    assert_spread(&tally);
    assert_true(deep > TREES / 50);
}

/* ---- every string in every place ----------------------------------------------------- */

static const Value *list_of(Arena *ar, size_t n, ...)
{
    const Value **items = arena_alloc(ar, n * sizeof *items);
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        items[i] = va_arg(ap, const Value *);
    va_end(ap);
    return value_list(ar, AT, items, n);
}

static const Value *object_of(Arena *ar, const char *k, const Value *v)
{
    const char **keys = arena_alloc(ar, sizeof *keys);
    const Value **vals = arena_alloc(ar, sizeof *vals);
    keys[0] = k;
    vals[0] = v;
    return value_object(ar, AT, keys, vals, 1);
}

static const Value *pair_of(Arena *ar, const char *k1, const Value *v1, const char *k2,
                            const Value *v2)
{
    const char **keys = arena_alloc(ar, 2 * sizeof *keys);
    const Value **vals = arena_alloc(ar, 2 * sizeof *vals);
    keys[0] = k1;
    vals[0] = v1;
    keys[1] = k2;
    vals[1] = v2;
    return value_object(ar, AT, keys, vals, 2);
}

/* s as the document, an item, a value, a key (simple or explicit, by
 * what s is), the value of an explicit key, and deep inside lists and
 * objects, next to empty collections. */
static void places(Arena *ar, const Value *s, size_t id, Tally *tally)
{
    const char *k = arena_strndup(ar, s->u.str.s, s->u.str.len);
    const char *longkey = "a-key-of-more-than-128-bytes-a-key-of-more-than-128-bytes-"
                          "a-key-of-more-than-128-bytes-a-key-of-more-than-128-bytes-"
                          "a-key-of-more-than-128-bytes";
    const Value *one = value_int(ar, AT, 1);
    const Value *empty_list = value_list(ar, AT, NULL, 0);
    const Value *empty_obj = value_object(ar, AT, NULL, NULL, 0);
    const Value *docs[] = {
        s,
        list_of(ar, 2, s, s),
        object_of(ar, "k", s),
        pair_of(ar, "k", s, "next", one),
        object_of(ar, k, one),
        pair_of(ar, k, list_of(ar, 2, s, empty_list), "k", object_of(ar, k, s)),
        list_of(ar, 3, list_of(ar, 2, s, list_of(ar, 1, s)), object_of(ar, k, list_of(ar, 1, s)),
                s),
        object_of(ar, longkey, s),
        pair_of(ar, longkey, list_of(ar, 2, s, object_of(ar, "k", s)), "a\nb",
                object_of(ar, k, s)),
        list_of(ar, 2, object_of(ar, longkey, object_of(ar, k, s)), object_of(ar, "a\rb", s)),
        object_of(ar, "k",
                  list_of(ar, 2, list_of(ar, 2, s, empty_obj), pair_of(ar, "a", s, "b", s))),
        list_of(ar, 1,
                object_of(ar, "a", list_of(ar, 1, object_of(ar, "b", object_of(ar, "c", s))))),
        object_of(ar, k, pair_of(ar, longkey, empty_list, k, list_of(ar, 1, empty_obj))),
    };
    for (size_t i = 0; i < N_OF(docs); i++)
        compare(docs[i], NULL, id * 100 + i, tally);
}

static void test_every_place(void **state)
{
    (void)state;
    Rng r = {4242};
    Tally tally = {0};
    Arena ar;
    arena_init(&ar);
    for (size_t i = 0; i < POOL; i++) {
        if (i % BATCH == 0) {
            arena_free(&ar);
            arena_init(&ar);
        }
        places(&ar, gen_string(&ar, &r), i, &tally);
    }
    arena_free(&ar);
    report("strings in every place", &tally);
    assert_spread(&tally);
}

/* s where a scalar is written in each of its styles: the document, an
 * item, a value, a key. */
static void four_places(Arena *ar, const Value *s, size_t id, Tally *tally)
{
    const char *k = arena_strndup(ar, s->u.str.s, s->u.str.len);
    const Value *docs[] = {s, list_of(ar, 1, s), object_of(ar, "k", s),
                           object_of(ar, k, value_null(ar, AT))};
    for (size_t i = 0; i < N_OF(docs); i++)
        compare(docs[i], NULL, id * 100 + i, tally);
}

/* Each piece alone and between letters in every place, and each pair of
 * pieces in the four places: the cases a random draw could miss. */
static void test_every_piece(void **state)
{
    (void)state;
    Tally tally = {0};
    Arena ar;
    arena_init(&ar);
    size_t id = 0;
    for (size_t i = 0; i < N_OF(PIECES); i++) {
        for (size_t j = 0; j <= N_OF(PIECES); j++) {
            Text t = {.len = 0};
            if (j == N_OF(PIECES)) {
                puts_(&t, "x");
                puts_(&t, PIECES[i]);
                puts_(&t, "y");
            } else {
                puts_(&t, PIECES[i]);
                puts_(&t, PIECES[j]);
            }
            const Value *s = value_string(&ar, AT, t.buf, t.len);
            if (j == N_OF(PIECES))
                places(&ar, s, id++, &tally);
            else
                four_places(&ar, s, id++, &tally);
        }
        places(&ar, value_string(&ar, AT, PIECES[i], strlen(PIECES[i])), id++, &tally);
        arena_free(&ar);
        arena_init(&ar);
    }
    for (size_t i = 0; i < N_OF(INVALID); i++)
        places(&ar, value_string(&ar, AT, INVALID[i], strlen(INVALID[i])), id++, &tally);
    places(&ar, value_string(&ar, AT, "a\0b", 3), id++, &tally);
    arena_free(&ar);
    report("pieces in every place", &tally);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_piece),
        cmocka_unit_test(test_every_place),
        cmocka_unit_test(test_random_documents),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
