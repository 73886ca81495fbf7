/* test_yaml_out.c — canonical YAML output: exact text of a Kubernetes
 * object (key order, lists of objects, empty collections), every case
 * where a string must be quoted and where it may stay plain, number
 * spellings, multi-line strings, unicode, very long strings, hostile
 * strings that try to change the document's structure, and a round trip
 * through libyaml's parser checked against the YAML 1.1 and 1.2 implicit
 * typing rules, written here independently of the module (from the
 * YAML 1.1 type repository and the YAML 1.2 core schema). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <regex.h>
#include <yaml.h>

#include "arena.h"
#include "net.h"
#include "secret.h"
#include "strbuf.h"
#include "value.h"
#include "yaml_out.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- building values ------------------------------------------------------ */

static const Span AT = {0};

static const Value *str(Arena *ar, const char *s) { return value_string(ar, AT, s, strlen(s)); }

static const Value *strn(Arena *ar, const char *s, size_t n) { return value_string(ar, AT, s, n); }

static const Value *num(Arena *ar, int64_t i) { return value_int(ar, AT, i); }

/* A list of n values. */
static const Value *list(Arena *ar, size_t n, ...)
{
    const Value **items = arena_alloc(ar, (n ? n : 1) * sizeof *items);
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        items[i] = va_arg(ap, const Value *);
    va_end(ap);
    return value_list(ar, AT, items, n);
}

/* An object of n pairs: key, value, key, value ... */
static const Value *obj(Arena *ar, size_t n, ...)
{
    const char **keys = arena_alloc(ar, (n ? n : 1) * sizeof *keys);
    const Value **vals = arena_alloc(ar, (n ? n : 1) * sizeof *vals);
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++) {
        keys[i] = va_arg(ap, const char *);
        vals[i] = va_arg(ap, const Value *);
    }
    va_end(ap);
    return value_object(ar, AT, keys, vals, n);
}

static const Value *of_kind(Arena *ar, ValueKind k)
{
    Value *v = arena_alloc(ar, sizeof *v);
    v->kind = k;
    return v;
}

static IpAddr ip(const char *s)
{
    IpAddr a;
    const char *why = NULL;
    if (!ip_parse(s, strlen(s), &a, &why))
        fail_msg("%s: %s", s, why);
    return a;
}

/* ---- rendering ------------------------------------------------------------- */

static int setup(void **state)
{
    Arena *ar = malloc(sizeof *ar);
    arena_init(ar);
    *state = ar;
    return 0;
}

static int teardown(void **state)
{
    arena_free(*state);
    free(*state);
    return 0;
}

/* The rendering of v, which must succeed; free() it. */
static char *render_opt(const Value *v, const YamlOptions *opt)
{
    StrBuf b;
    sb_init(&b);
    YamlError err;
    if (!yaml_render(v, opt, &b, &err))
        fail_msg("render failed: %s", err.reason ? err.reason : "(no reason)");
    return sb_take(&b);
}

static char *render(const Value *v) { return render_opt(v, NULL); }

static void assert_renders(const Value *v, const char *want)
{
    char *got = render(v);
    if (strcmp(got, want) != 0)
        print_error("want:\n%s\ngot:\n%s\n", want, got);
    bool same = strcmp(got, want) == 0;
    free(got);
    assert_true(same);
}

/* The rendering of the one-item list [s]. */
static void assert_item(Arena *ar, const char *s, size_t len, const char *want)
{
    char *got = render(list(ar, 1, strn(ar, s, len)));
    if (strcmp(got, want) != 0)
        print_error("string of %zu bytes: want %s got %s", len, want, got);
    bool same = strcmp(got, want) == 0;
    free(got);
    assert_true(same);
}

/* ---- an independent reader: libyaml's parser and the typing rules ------- */

typedef enum Resolved { R_STR, R_NULL, R_BOOL, R_INT, R_FLOAT, R_OTHER } Resolved;

typedef struct Rule {
    Resolved as;
    const char *re;
} Rule;

/* YAML 1.1 type repository (yaml.org/type), plain scalars only. */
static const Rule YAML11[] = {
    {R_NULL, "^(~|null|Null|NULL|)$"},
    {R_BOOL, "^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$"},
    {R_INT, "^[-+]?0b[0-1_]+$"},
    {R_INT, "^[-+]?0[0-7_]+$"},
    {R_INT, "^[-+]?(0|[1-9][0-9_]*)$"},
    {R_INT, "^[-+]?0x[0-9a-fA-F_]+$"},
    {R_INT, "^[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+$"},
    {R_FLOAT, "^[-+]?([0-9][0-9_]*)?\\.[0-9.]*([eE][-+][0-9]+)?$"},
    {R_FLOAT, "^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\\.[0-9_]*$"},
    {R_FLOAT, "^[-+]?\\.(inf|Inf|INF)$"},
    {R_FLOAT, "^\\.(nan|NaN|NAN)$"},
    {R_OTHER, "^<<$"},
    {R_OTHER, "^=$"},
    {R_OTHER, "^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$"},
    {R_OTHER, "^[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?([Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:"
              "[0-9][0-9](\\.[0-9]*)?(([ \t]*)Z|[-+][0-9][0-9]?(:[0-9][0-9])?)?$"},
};

/* YAML 1.2 core schema. */
static const Rule YAML12[] = {
    {R_NULL, "^(~|null|Null|NULL|)$"},
    {R_BOOL, "^(true|True|TRUE|false|False|FALSE)$"},
    {R_INT, "^[-+]?[0-9]+$"},
    {R_INT, "^0o[0-7]+$"},
    {R_INT, "^0x[0-9a-fA-F]+$"},
    {R_FLOAT, "^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$"},
    {R_FLOAT, "^[-+]?\\.(inf|Inf|INF)$"},
    {R_FLOAT, "^\\.(nan|NaN|NAN)$"},
};

static Resolved resolve_with(const Rule *rules, size_t n, const char *text)
{
    for (size_t i = 0; i < n; i++) {
        regex_t re;
        assert_int_equal(regcomp(&re, rules[i].re, REG_EXTENDED | REG_NOSUB), 0);
        int m = regexec(&re, text, 0, NULL, 0);
        regfree(&re);
        if (m == 0)
            return rules[i].as;
    }
    return R_STR;
}

/* How a scalar node reads under one schema: quoted and block scalars are
 * strings; plain ones go through the rules. Only plain, double-quoted and
 * literal styles may appear in our output at all. */
static Resolved resolve(const yaml_node_t *n, bool v12)
{
    yaml_scalar_style_t st = n->data.scalar.style;
    assert_true(st == YAML_PLAIN_SCALAR_STYLE || st == YAML_DOUBLE_QUOTED_SCALAR_STYLE ||
                st == YAML_LITERAL_SCALAR_STYLE);
    if (st != YAML_PLAIN_SCALAR_STYLE)
        return R_STR;
    const char *text = (const char *)n->data.scalar.value;
    if (strlen(text) != n->data.scalar.length)
        return R_OTHER; /* a plain scalar with a NUL cannot be */
    return v12 ? resolve_with(YAML12, N_OF(YAML12), text) : resolve_with(YAML11, N_OF(YAML11), text);
}

/* Parses text, which must be exactly one document, into doc. */
static void load(const char *text, yaml_document_t *doc)
{
    yaml_parser_t p;
    assert_true(yaml_parser_initialize(&p));
    yaml_parser_set_input_string(&p, (const unsigned char *)text, strlen(text));
    if (!yaml_parser_load(&p, doc))
        fail_msg("the output does not parse: %s\n%s", p.problem ? p.problem : "?", text);
    assert_non_null(yaml_document_get_root_node(doc));
    yaml_document_t next;
    assert_true(yaml_parser_load(&p, &next));
    assert_null(yaml_document_get_root_node(&next)); /* no second document */
    yaml_document_delete(&next);
    yaml_parser_delete(&p);
}

static double float_of(const char *t)
{
    if (strcmp(t, ".nan") == 0)
        return NAN;
    if (strcmp(t, ".inf") == 0)
        return INFINITY;
    if (strcmp(t, "-.inf") == 0)
        return -INFINITY;
    return strtod(t, NULL);
}

/* The text v has as a string scalar. */
static void string_text(const Value *v, StrBuf *b)
{
    assert_true(value_to_text(v, b));
}

/* Fails unless node is what v was, read under both schemas. */
static void check_scalar(const yaml_node_t *n, const Value *v)
{
    assert_int_equal(n->type, YAML_SCALAR_NODE);
    const char *t = (const char *)n->data.scalar.value;
    Resolved r11 = resolve(n, false), r12 = resolve(n, true);
    switch (v->kind) {
    case V_NULL:
        assert_int_equal(r11, R_NULL);
        assert_int_equal(r12, R_NULL);
        return;
    case V_BOOL:
        assert_int_equal(r11, R_BOOL);
        assert_int_equal(r12, R_BOOL);
        assert_string_equal(t, v->u.b ? "true" : "false");
        return;
    case V_INT:
        assert_int_equal(r11, R_INT);
        assert_int_equal(r12, R_INT);
        assert_true(strtoll(t, NULL, 10) == v->u.i);
        return;
    case V_FLOAT: {
        assert_int_equal(r11, R_FLOAT);
        assert_int_equal(r12, R_FLOAT);
        double f = float_of(t);
        assert_true(isnan(v->u.f) ? isnan(f) : memcmp(&f, &v->u.f, sizeof f) == 0);
        return;
    }
    default: {
        if (r11 != R_STR || r12 != R_STR)
            fail_msg("plain scalar \"%s\" does not read as a string (1.1: %d, 1.2: %d)", t, r11, r12);
        StrBuf want;
        sb_init(&want);
        string_text(v, &want);
        bool same = n->data.scalar.length == want.len &&
                    memcmp(n->data.scalar.value, want.data, want.len) == 0;
        if (!same)
            print_error("scalar read back as \"%s\", want \"%s\"\n", t, want.data);
        sb_free(&want);
        assert_true(same);
    }
    }
}

/* Fails unless the parsed node is v, all the way down. */
static void check_node(yaml_document_t *doc, const yaml_node_t *n, const Value *v)
{
    if (v->kind == V_LIST) {
        assert_int_equal(n->type, YAML_SEQUENCE_NODE);
        yaml_node_item_t *it = n->data.sequence.items.start;
        assert_int_equal(n->data.sequence.items.top - it, v->u.list.len);
        for (size_t i = 0; i < v->u.list.len; i++)
            check_node(doc, yaml_document_get_node(doc, it[i]), v->u.list.items[i]);
        return;
    }
    if (v->kind == V_OBJECT || v->kind == V_RECORD) {
        assert_int_equal(n->type, YAML_MAPPING_NODE);
        yaml_node_pair_t *p = n->data.mapping.pairs.start;
        assert_int_equal(n->data.mapping.pairs.top - p, v->u.obj.len);
        for (size_t i = 0; i < v->u.obj.len; i++) {
            const char *k = v->u.obj.keys[i];
            Value key = {.kind = V_STRING, .u.str = {k, strlen(k), TY_STRING}};
            check_scalar(yaml_document_get_node(doc, p[i].key), &key);
            check_node(doc, yaml_document_get_node(doc, p[i].value), v->u.obj.vals[i]);
        }
        return;
    }
    check_scalar(n, v);
}

/* Renders v without reordering, parses it back and compares. */
static void assert_round_trip(const Value *v)
{
    YamlOptions keep = {.k8s_order = false};
    char *text = render_opt(v, &keep);
    yaml_document_t doc;
    load(text, &doc);
    check_node(&doc, yaml_document_get_root_node(&doc), v);
    yaml_document_delete(&doc);
    free(text);
}

/* ---- strings that must be quoted, strings that may stay plain ---------- */

static const char *const MUST_QUOTE[] = {
    "", "null", "Null", "NULL", "nUlL", "~",
    "y", "Y", "yes", "Yes", "YES", "yEs", "n", "N", "no", "No", "NO", "nO",
    "true", "True", "TRUE", "tRuE", "false", "False", "FALSE", "fAlSe",
    "on", "On", "ON", "oN", "off", "Off", "OFF", "oFf",
    "0", "42", "-1", "+1", "0755", "0o17", "0x1F", "0X1f", "0b101", "1_000", "1e3", "1E3",
    "1e+3", "-1.5e-3", "3.14", ".5", "5.", "1.2.3", "10.0.0.1", ".", "-.", "12:30", "1:20:30",
    "190:20:30.15", ".inf", ".Inf", "-.inf", "+.INF", ".nan", ".NaN", "-inf",
    "2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "2001-1-1",
    " a", "a ", " ", "\t", "a\tb", "\x01", "a\x7f", "\x1b[31m", "a\rb",
    "- a", "-", "-x", "?", "? x", ":", ":x", ",x", "[x", "]x", "{x", "}x", "#x", "&x", "*x",
    "!x", "|x", ">x", "'x", "\"x", "%x", "@x", "`x",
    "a: b", "a #b", "a:", "key:",
    "<<", "=", "...", "...x", "---", "--- x",
    "\xe2\x80\xa8", "a\xe2\x80\xa9", "\xc2\x85", "\xef\xbb\xbfx", "\xf0\x9f\x98\x80",
};

static const char *const PLAIN_OK[] = {
    "hello", "hello world", "a:b", "a#b", "a-b", "a,b", "a[b]", "a{b}", "a?b", "a'b", "a\"b",
    "http://example.com/x?y=1#frag", "nginx:1.25", "web-1", "café", "日本語 テキスト",
    ".dockerconfigjson", ".hidden", "500m", "128Mi", "fd00::1", "10.0.0.0/8", "on-call",
    "nullable", "yes!", "True-ish", "offline", "x{{ y }}", "a/../b", "$(HOME)", "a~b",
    "v1", "apps/v1", "RollingUpdate", "kubernetes.io/hostname", "x0", "1a.b/c",
    "_1", "a.b", "+", "a-", "a=", "<a>", "a<<",
};

static void test_quoting_required(void **state)
{
    Arena *ar = *state;
    for (size_t i = 0; i < N_OF(MUST_QUOTE); i++) {
        const char *s = MUST_QUOTE[i];
        if (yaml_plain_ok(s, strlen(s)))
            fail_msg("\"%s\" was judged plain", s);
        char *got = render(list(ar, 1, str(ar, s)));
        if (strncmp(got, "- \"", 3) != 0)
            fail_msg("\"%s\" was written %s", s, got);
        free(got);
    }
}

static void test_plain_kept(void **state)
{
    Arena *ar = *state;
    for (size_t i = 0; i < N_OF(PLAIN_OK); i++) {
        const char *s = PLAIN_OK[i];
        if (!yaml_plain_ok(s, strlen(s)))
            fail_msg("\"%s\" was quoted", s);
        StrBuf want;
        sb_init(&want);
        sb_printf(&want, "%s: %s\n", s, s);
        char *got = render(obj(ar, 1, s, str(ar, s)));
        assert_string_equal(got, want.data);
        free(got);
        sb_free(&want);
    }
}

/* Every string of both tables, as a value and as a key, reads back the
 * same and as a string under both schemas. */
static void test_quoting_round_trip(void **state)
{
    Arena *ar = *state;
    const char *const *tables[] = {MUST_QUOTE, PLAIN_OK};
    size_t sizes[] = {N_OF(MUST_QUOTE), N_OF(PLAIN_OK)};
    for (size_t t = 0; t < 2; t++)
        for (size_t i = 0; i < sizes[t]; i++) {
            const char *s = tables[t][i];
            assert_round_trip(obj(ar, 2, s, str(ar, s), "next", list(ar, 1, str(ar, s))));
        }
}

static void test_quoted_spelling(void **state)
{
    Arena *ar = *state;
    assert_item(ar, "", 0, "- \"\"\n");
    assert_item(ar, "on", 2, "- \"on\"\n");
    assert_item(ar, "0755", 4, "- \"0755\"\n");
    assert_item(ar, "a: b", 4, "- \"a: b\"\n");
    assert_item(ar, "\"hi\" \\", 6, "- \"\\\"hi\\\" \\\\\"\n");
    assert_item(ar, "a\tb", 3, "- \"a\\tb\"\n");
    assert_item(ar, "a\0b", 3, "- \"a\\0b\"\n");
    assert_item(ar, "\xe2\x80\xa8", 3, "- \"\\L\"\n");
    assert_item(ar, "\xf0\x9f\x98\x80", 4, "- \"\\U0001F600\"\n");
    assert_item(ar, " lead", 5, "- \" lead\"\n");
}

static void test_unicode(void **state)
{
    Arena *ar = *state;
    assert_renders(obj(ar, 2, "città", str(ar, "café ☕ 日本語"), "ключ", str(ar, "é: x")),
                   "città: café ☕ 日本語\nключ: \"é: x\"\n");
    assert_round_trip(obj(ar, 1, "emoji 😀", str(ar, "snow ❄ and 😀")));
}

/* ---- exact documents ------------------------------------------------------- */

/* A Deployment with its keys in no particular order. */
static const Value *deployment(Arena *ar)
{
    const Value *container = obj(
        ar, 6, "name", str(ar, "web"), "image", str(ar, "nginx:1.25"), "args", list(ar, 0),
        "ports", list(ar, 2, obj(ar, 2, "containerPort", num(ar, 80), "protocol", str(ar, "TCP")),
                      obj(ar, 2, "containerPort", num(ar, 443), "protocol", str(ar, "TCP"))),
        "resources",
        obj(ar, 2, "requests",
            obj(ar, 2, "cpu", value_quantity(ar, AT, Q_CPU, 500), "memory",
                value_quantity(ar, AT, Q_BYTES, 128 * 1024 * 1024)),
            "limits", obj(ar, 1, "cpu", value_quantity(ar, AT, Q_CPU, 1000))),
        "env", list(ar, 2, obj(ar, 2, "name", str(ar, "DEBUG"), "value", str(ar, "false")),
                    obj(ar, 2, "name", str(ar, "RATIO"), "value", str(ar, "0.5"))));
    const Value *spec = obj(
        ar, 4, "replicas", num(ar, 3), "selector",
        obj(ar, 1, "matchLabels", obj(ar, 1, "app", str(ar, "web"))), "template",
        obj(ar, 2, "metadata", obj(ar, 1, "labels", obj(ar, 1, "app", str(ar, "web"))), "spec",
            obj(ar, 3, "containers", list(ar, 1, container), "nodeSelector", obj(ar, 0),
                "hostNetwork", value_bool(ar, AT, false))),
        "paused", value_null(ar, AT));
    const Value *meta = obj(ar, 5, "uid", str(ar, "1234"), "annotations",
                            obj(ar, 1, "crownlabs.polito.it/note", str(ar, "a #not-a-comment")),
                            "labels", obj(ar, 1, "app", str(ar, "web")), "namespace",
                            str(ar, "lab"), "name", str(ar, "web"));
    return obj(ar, 5, "spec", spec, "status", obj(ar, 0), "metadata", meta, "kind",
               str(ar, "Deployment"), "apiVersion", str(ar, "apps/v1"));
}

static const char DEPLOYMENT[] =
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata:\n"
    "  name: web\n"
    "  namespace: lab\n"
    "  labels:\n"
    "    app: web\n"
    "  annotations:\n"
    "    crownlabs.polito.it/note: \"a #not-a-comment\"\n"
    "  uid: \"1234\"\n"
    "spec:\n"
    "  replicas: 3\n"
    "  selector:\n"
    "    matchLabels:\n"
    "      app: web\n"
    "  template:\n"
    "    metadata:\n"
    "      labels:\n"
    "        app: web\n"
    "    spec:\n"
    "      containers:\n"
    "      - name: web\n"
    "        image: nginx:1.25\n"
    "        args: []\n"
    "        ports:\n"
    "        - containerPort: 80\n"
    "          protocol: TCP\n"
    "        - containerPort: 443\n"
    "          protocol: TCP\n"
    "        resources:\n"
    "          requests:\n"
    "            cpu: 500m\n"
    "            memory: 128Mi\n"
    "          limits:\n"
    "            cpu: \"1\"\n"
    "        env:\n"
    "        - name: DEBUG\n"
    "          value: \"false\"\n"
    "        - name: RATIO\n"
    "          value: \"0.5\"\n"
    "      nodeSelector: {}\n"
    "      hostNetwork: false\n"
    "  paused: null\n"
    "status: {}\n";

static void test_deployment(void **state)
{
    assert_renders(deployment(*state), DEPLOYMENT);
}

/* Without k8s_order, or below the top level, or without both apiVersion
 * and kind, keys keep their order. */
static void test_key_order_kept(void **state)
{
    Arena *ar = *state;
    YamlOptions keep = {.k8s_order = false};
    const Value *o = obj(ar, 3, "kind", str(ar, "K"), "metadata", obj(ar, 2, "labels", obj(ar, 0),
                         "name", str(ar, "web")), "apiVersion", str(ar, "v1"));
    char *got = render_opt(o, &keep);
    assert_string_equal(got, "kind: K\nmetadata:\n  labels: {}\n  name: web\napiVersion: v1\n");
    free(got);
    assert_renders(obj(ar, 2, "metadata", obj(ar, 1, "x", num(ar, 1)), "kind", str(ar, "K")),
                   "metadata:\n  x: 1\nkind: K\n");
    assert_renders(list(ar, 1, o),
                   "- kind: K\n  metadata:\n    labels: {}\n    name: web\n  apiVersion: v1\n");
    assert_renders(obj(ar, 2, "items", list(ar, 1, o), "apiVersion", str(ar, "v1")),
                   "items:\n- kind: K\n  metadata:\n    labels: {}\n    name: web\n"
                   "  apiVersion: v1\napiVersion: v1\n");
}

static void test_scalars(void **state)
{
    Arena *ar = *state;
    struct { double f; const char *want; } floats[] = {
        {0.5, "0.5"}, {2.0, "2.0"}, {-0.0, "-0.0"}, {1e20, "1.0e+20"}, {1e-7, "1.0e-07"},
        {1.5e300, "1.5e+300"}, {0.1, "0.1"}, {INFINITY, ".inf"}, {-INFINITY, "-.inf"},
        {NAN, ".nan"},
    };
    for (size_t i = 0; i < N_OF(floats); i++) {
        StrBuf want;
        sb_init(&want);
        sb_printf(&want, "- %s\n", floats[i].want);
        assert_renders(list(ar, 1, value_float(ar, AT, floats[i].f)), want.data);
        sb_free(&want);
    }
    assert_renders(list(ar, 5, value_null(ar, AT), value_bool(ar, AT, true),
                        value_bool(ar, AT, false), num(ar, INT64_MIN), num(ar, INT64_MAX)),
                   "- null\n- true\n- false\n- -9223372036854775808\n- 9223372036854775807\n");
}

/* Quantities, addresses and enum members are strings, quoted by the
 * same rule. */
static void test_text_scalars(void **state)
{
    Arena *ar = *state;
    Member members[] = {{.name = "Always"}, {.name = "on"}};
    Decl e = {.kind = D_ENUM, .name = "Policy", .members = members, .nmembers = 2};
    Cidr c = {.net = ip("10.0.0.0"), .prefix = 8};
    assert_renders(list(ar, 7, value_quantity(ar, AT, Q_CPU, 2000),
                        value_quantity(ar, AT, Q_BYTES, 1536LL * 1024 * 1024),
                        value_quantity(ar, AT, Q_DURATION, 5400), value_ip(ar, AT, ip("10.0.0.1")),
                        value_ip(ar, AT, ip("fd00::1")), value_cidr(ar, AT, c),
                        value_enum(ar, AT, &e, 0)),
                   "- \"2\"\n- 1536Mi\n- 90m\n- \"10.0.0.1\"\n- fd00::1\n- 10.0.0.0/8\n- Always\n");
    assert_renders(obj(ar, 1, "p", value_enum(ar, AT, &e, 1)), "p: \"on\"\n");
    assert_renders(list(ar, 1, value_ip(ar, AT, ip("::1"))), "- \"::1\"\n");
}

static void test_root_documents(void **state)
{
    Arena *ar = *state;
    assert_renders(str(ar, "hello"), "hello\n");
    assert_renders(str(ar, "yes"), "\"yes\"\n");
    assert_renders(str(ar, "a\nb\n"), "\"a\\nb\\n\"\n");
    assert_renders(num(ar, 42), "42\n");
    assert_renders(list(ar, 0), "[]\n");
    assert_renders(obj(ar, 0), "{}\n");
    assert_renders(list(ar, 2, list(ar, 1, num(ar, 1)), list(ar, 0)), "- - 1\n- []\n");
}

/* ---- multi-line and long strings ------------------------------------------ */

static void test_multiline(void **state)
{
    Arena *ar = *state;
    assert_renders(obj(ar, 1, "k", str(ar, "line1\nline2\n")), "k: |\n  line1\n  line2\n");
    assert_renders(obj(ar, 1, "k", str(ar, "line1\n  indented\n\nlast")),
                   "k: |-\n  line1\n    indented\n\n  last\n");
    assert_renders(list(ar, 1, str(ar, "a\nb\n")), "- |\n  a\n  b\n");
    assert_renders(obj(ar, 1, "k", str(ar, "two\n\n")), "k: \"two\\n\\n\"\n");
    assert_renders(obj(ar, 1, "k", str(ar, "\nlead")), "k: \"\\nlead\"\n");
    assert_renders(obj(ar, 1, "k", str(ar, " lead\nx")), "k: \" lead\\nx\"\n");
    assert_renders(obj(ar, 1, "k", str(ar, "trail \nx")), "k: \"trail \\nx\"\n");
    assert_renders(obj(ar, 1, "k", str(ar, "a\tb\nc")), "k: \"a\\tb\\nc\"\n");
    assert_renders(obj(ar, 1, "k", str(ar, "a\r\nb")), "k: \"a\\r\\nb\"\n");
    assert_renders(obj(ar, 1, "a\nb", num(ar, 1)), "? \"a\\nb\"\n: 1\n");
    const char *cases[] = {"line1\nline2\n", "x\n", "x\n\n", "x\n\n\n", "\n", "\n\n", "a\n b\n",
                           "a\n\tb\n", "---\n...\n", "#\n- x\n? y\n", "é\n日本\n", "a \n"};
    for (size_t i = 0; i < N_OF(cases); i++)
        assert_round_trip(obj(ar, 2, "k", str(ar, cases[i]), "l", list(ar, 1, str(ar, cases[i]))));
}

static void test_long_strings(void **state)
{
    Arena *ar = *state;
    enum { LONG = 10 * 1024 };
    char *words = arena_alloc(ar, LONG + 1);
    for (size_t i = 0; i < LONG; i++)
        words[i] = i % 6 == 5 ? ' ' : "abcde"[i % 6];
    words[LONG - 1] = 'z';
    char *text = render(obj(ar, 1, "k", strn(ar, words, LONG)));
    assert_int_equal(strlen(text), 3 + LONG + 1); /* "k: " and one line */
    assert_memory_equal(text + 3, words, LONG);
    free(text);

    char *quoted = arena_alloc(ar, LONG + 1);
    memcpy(quoted, words, LONG);
    quoted[100] = '#';
    quoted[LONG / 2] = '\t';
    text = render(list(ar, 1, strn(ar, quoted, LONG)));
    assert_ptr_equal(strchr(text, '\n'), text + strlen(text) - 1); /* one line, not folded */
    assert_true(strncmp(text, "- \"", 3) == 0);
    free(text);

    char *lines = arena_alloc(ar, LONG + 1);
    for (size_t i = 0; i < LONG; i++)
        lines[i] = i % 80 == 79 ? '\n' : 'x';
    assert_round_trip(obj(ar, 3, words, strn(ar, words, LONG), "q", strn(ar, quoted, LONG), "l",
                          strn(ar, lines, LONG)));
    text = render(obj(ar, 1, "x", strn(ar, lines, LONG)));
    assert_true(strncmp(text, "x: |\n", 5) == 0);
    free(text);
}

/* ---- hostile strings -------------------------------------------------------- */

static const char *const HOSTILE[] = {
    "\n---\napiVersion: v1\nkind: Secret\n",
    "x\n---\n",
    "x\n...\n",
    "---",
    "...",
    "{{ .Values.password }}",
    "{{",
    "}}",
    "../../etc/passwd",
    "../",
    "a: b",
    "a: b\nc: d",
    "key:\n  nested: 1",
    "x #y",
    "# comment",
    "- item",
    "-\n- b",
    "[a, b]",
    "{a: b}",
    "&anchor x",
    "*alias",
    "!!binary AAAA",
    "!secret x",
    "%YAML 1.1",
    "|\n  block",
    "> folded",
    "'single'",
    "\"double\"",
    "\\",
    "\\n",
    "\r\n",
    "a\rb",
    "\t",
    " ",
    "  \n  ",
    "a\n\n\n",
    "|+\n",
    "? key\n: value",
    ": value",
    "@at",
    "`tick`",
    "${HOME}",
    "$(rm -rf /)",
    "<<",
    "=",
    "\xef\xbb\xbf---",
    "\xe2\x80\xa8---\xe2\x80\xa8",
    "\xc2\x85kind: x",
    "a\x0b\x0c" "b",
    "\x1b[2J",
};

/* {h: h, after: end} and [h, end]: two pairs and two items come back,
 * whatever h is, and no line of the text starts a new document. */
static void check_hostile(Arena *ar, const char *h, size_t len)
{
    const Value *hv = strn(ar, h, len);
    const Value *v = obj(ar, 3, arena_strndup(ar, h, len), hv, "after", str(ar, "end"), "list",
                         list(ar, 2, hv, str(ar, "end")));
    assert_round_trip(v);
    char *text = render(v);
    for (const char *line = text; *line; line = strchr(line, '\n') + 1)
        assert_false(strncmp(line, "---", 3) == 0 || strncmp(line, "...", 3) == 0);
    free(text);
}

static void test_hostile(void **state)
{
    Arena *ar = *state;
    for (size_t i = 0; i < N_OF(HOSTILE); i++)
        check_hostile(ar, HOSTILE[i], strlen(HOSTILE[i]));
    check_hostile(ar, "a\0b", 3);
    check_hostile(ar, "\0", 1);
}

/* ---- everything together ------------------------------------------------------ */

static void test_round_trip(void **state)
{
    Arena *ar = *state;
    const Value *scalars[] = {
        value_null(ar, AT), value_bool(ar, AT, true), value_bool(ar, AT, false), num(ar, 0),
        num(ar, -1), num(ar, INT64_MIN), num(ar, INT64_MAX), value_float(ar, AT, 0.1),
        value_float(ar, AT, -0.0), value_float(ar, AT, 1e20), value_float(ar, AT, 1e-7),
        value_float(ar, AT, 5e-324), value_float(ar, AT, 1.7976931348623157e308),
        value_float(ar, AT, 3.0), value_float(ar, AT, INFINITY), value_float(ar, AT, -INFINITY),
        value_float(ar, AT, NAN), value_quantity(ar, AT, Q_CPU, 1000),
        value_quantity(ar, AT, Q_CPU, 250), value_quantity(ar, AT, Q_BYTES, 1000000001),
        value_quantity(ar, AT, Q_DURATION, 0), value_ip(ar, AT, ip("192.168.1.1")),
        value_ip(ar, AT, ip("2001:db8::1")),
    };
    size_t n = N_OF(scalars) + N_OF(HOSTILE) + N_OF(MUST_QUOTE) + N_OF(PLAIN_OK);
    const char **keys = arena_alloc(ar, n * sizeof *keys);
    const Value **vals = arena_alloc(ar, n * sizeof *vals);
    size_t k = 0;
    for (size_t i = 0; i < N_OF(scalars); i++)
        vals[k++] = scalars[i];
    for (size_t i = 0; i < N_OF(HOSTILE); i++)
        vals[k++] = str(ar, HOSTILE[i]);
    for (size_t i = 0; i < N_OF(MUST_QUOTE); i++)
        vals[k++] = str(ar, MUST_QUOTE[i]);
    for (size_t i = 0; i < N_OF(PLAIN_OK); i++)
        vals[k++] = str(ar, PLAIN_OK[i]);
    for (size_t i = 0; i < n; i++) {
        StrBuf b;
        sb_init(&b);
        sb_printf(&b, "k%zu", i);
        keys[i] = arena_strndup(ar, b.data, b.len);
        sb_free(&b);
    }
    const Value *o = value_object(ar, AT, keys, vals, n);
    const Value *l = value_list(ar, AT, vals, n);
    assert_round_trip(obj(ar, 3, "object", o, "list", l, "nested", list(ar, 2, o, l)));
}

static void test_deterministic(void **state)
{
    (void)state;
    Arena a, b;
    arena_init(&a);
    arena_init(&b);
    char *t1 = render(deployment(&a));
    char *t2 = render(deployment(&b));
    char *t3 = render(deployment(&a));
    assert_string_equal(t1, t2);
    assert_string_equal(t1, t3);
    free(t1);
    free(t2);
    free(t3);
    arena_free(&a);
    arena_free(&b);
}

/* Output is appended; a document ends with exactly one newline and has
 * no markers. */
static void test_appends(void **state)
{
    Arena *ar = *state;
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, "# head\n");
    assert_true(yaml_render(obj(ar, 1, "k", str(ar, "v\n")), NULL, &b, NULL));
    assert_string_equal(b.data, "# head\nk: |\n  v\n");
    assert_true(yaml_render(list(ar, 1, str(ar, "x")), NULL, &b, NULL));
    assert_string_equal(b.data, "# head\nk: |\n  v\n- x\n");
    sb_free(&b);
}

/* ---- refusals ---------------------------------------------------------------- */

static void assert_refused(const Value *doc, const Value *bad, const char *reason_part)
{
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, "kept\n");
    YamlError err = {0};
    assert_false(yaml_render(doc, NULL, &b, &err));
    assert_string_equal(b.data, "kept\n");
    assert_non_null(err.reason);
    if (!strstr(err.reason, reason_part))
        fail_msg("reason \"%s\" does not mention \"%s\"", err.reason, reason_part);
    assert_ptr_equal(err.value, bad);
    assert_false(yaml_render(doc, NULL, &b, NULL)); /* no error record: still refused */
    assert_string_equal(b.data, "kept\n");
    sb_free(&b);
}

static void test_refusals(void **state)
{
    Arena *ar = *state;
    Secret sec = {.kind = SECRET_INPUT, .input = "DB_PASSWORD"};
    Value *s = arena_alloc(ar, sizeof *s);
    s->kind = V_SECRET;
    s->u.secret = &sec;
    assert_refused(s, s, "secret");
    /* deep, after a long prefix that libyaml may already have flushed */
    char big[8192];
    memset(big, 'x', sizeof big);
    const Value *deep = obj(ar, 2, "pad", strn(ar, big, sizeof big), "spec",
                            obj(ar, 1, "env", list(ar, 2, str(ar, "ok"), obj(ar, 1, "value", s))));
    assert_refused(deep, s, "secret");
    const Value *p = of_kind(ar, V_POISON);
    assert_refused(list(ar, 2, num(ar, 1), p), p, "invalid");
    const Value *bad = strn(ar, "\xff\xfe", 2);
    assert_refused(obj(ar, 1, "k", bad), bad, "UTF-8");
    const Value *o = obj(ar, 1, "\xc0\xaf", num(ar, 1)); /* overlong '/' */
    assert_refused(o, o, "UTF-8");
    const Value *surrogate = str(ar, "\xed\xa0\x80");
    assert_refused(list(ar, 1, surrogate), surrogate, "UTF-8");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_deployment, setup, teardown),
        cmocka_unit_test_setup_teardown(test_key_order_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quoting_required, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plain_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quoting_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quoted_spelling, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unicode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scalars, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_scalars, setup, teardown),
        cmocka_unit_test_setup_teardown(test_root_documents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_multiline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_strings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hostile, setup, teardown),
        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deterministic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_appends, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
