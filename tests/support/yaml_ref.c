/* yaml_ref.c — the libyaml renderer that compiler/yaml_out.c replaced,
 * kept as the reference of test_yaml_diff (see yaml_ref.h). Test-only.
 *
 * The style of a scalar is chosen here as the module chooses it: plain by
 * the module's own yaml_plain_ok; a literal block by a copy of its rule,
 * frozen with the text helpers it needs. A change to the spelling of the
 * output has to be made in both places, on purpose. */
#include "yaml_ref.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include <yaml.h>

/* ---- characters ---------------------------------------------------------- */

/* How a code point can appear in the output. Mirrors libyaml 0.2.5's
 * idea of "printable" and "break", so that the style chosen here is the
 * style libyaml writes (otherwise it would silently fall back to single
 * quotes and the documented spelling would not hold). */
typedef enum CharClass {
    CH_TEXT,    /* written as is */
    CH_NEWLINE, /* '\n' */
    CH_ESCAPE,  /* needs a double-quoted escape */
} CharClass;

static CharClass char_class(uint32_t cp)
{
    if (cp == '\n')
        return CH_NEWLINE;
    if (cp < 0x20 || cp == 0x7f)
        return CH_ESCAPE; /* controls, tab and CR included */
    if (cp >= 0x80 && cp <= 0x9f)
        return CH_ESCAPE; /* C1 controls, NEL (a YAML 1.1 line break) among them */
    if (cp == 0x2028 || cp == 0x2029)
        return CH_ESCAPE; /* YAML 1.1 line breaks */
    if (cp == 0xfeff || cp == 0xfffe || cp == 0xffff)
        return CH_ESCAPE;
    if (cp > 0xffff)
        return CH_ESCAPE; /* libyaml 0.2.5 does not count these as printable */
    return CH_TEXT;
}

/* Decodes the code point at s[*i] and moves past it. False on anything
 * that is not strict UTF-8 (overlong forms, surrogates, past U+10FFFF),
 * which libyaml would refuse too. */
static bool utf8_next(const unsigned char *s, size_t len, size_t *i, uint32_t *cp)
{
    unsigned char c = s[*i];
    size_t n = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3
             : (c & 0xf8) == 0xf0 ? 4 : 0;
    if (n == 0 || *i + n > len)
        return false;
    uint32_t v = n == 1 ? c : n == 2 ? c & 0x1fu : n == 3 ? c & 0x0fu : c & 0x07u;
    for (size_t k = 1; k < n; k++) {
        if ((s[*i + k] & 0xc0) != 0x80)
            return false;
        v = (v << 6) | (s[*i + k] & 0x3fu);
    }
    static const uint32_t least[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < least[n] || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return false;
    *i += n;
    *cp = v;
    return true;
}

/* What a string is made of, in one pass. */
typedef struct TextScan {
    bool valid;    /* strict UTF-8 */
    bool escapes;  /* some character needs an escape */
    bool newlines; /* some '\n' */
} TextScan;

static TextScan scan_text(const char *s, size_t len)
{
    TextScan t = {true, false, false};
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        if (!utf8_next(u, len, &i, &cp)) {
            t.valid = false;
            return t;
        }
        CharClass c = char_class(cp);
        t.escapes |= c == CH_ESCAPE;
        t.newlines |= c == CH_NEWLINE;
    }
    return t;
}

/* A literal block reads back exactly (see the header for the rule). The
 * two trailing newlines case would need `|+`, after which libyaml ends
 * the document with `...`. */
static bool literal_ok(const char *s, size_t len)
{
    if (len < 2 || s[0] == ' ' || s[0] == '\n' || s[len - 1] == ' ')
        return false;
    if (s[len - 1] == '\n' && s[len - 2] == '\n')
        return false;
    for (size_t i = 0; i + 1 < len; i++)
        if (s[i] == ' ' && s[i + 1] == '\n')
            return false;
    TextScan t = scan_text(s, len);
    return t.valid && t.newlines && !t.escapes;
}

/* ---- the emitter ---------------------------------------------------------- */

/* Keys written first, in this order, when present. */
typedef struct KeyOrder {
    const char *const *first;
    size_t nfirst;
    const char *nested_key;         /* the value under this key ... */
    const struct KeyOrder *nested;  /* ... is ordered by this */
} KeyOrder;

static const char *const K8S_META_FIRST[] = {"name", "namespace", "labels", "annotations"};
static const char *const K8S_TOP_FIRST[] = {"apiVersion", "kind", "metadata"};
static const KeyOrder K8S_META = {K8S_META_FIRST, 4, NULL, NULL};
static const KeyOrder K8S_TOP = {K8S_TOP_FIRST, 3, "metadata", &K8S_META};

enum { MAX_FIRST = 4 };

/* Where a scalar goes: a key and the whole document never take a block. */
typedef enum Place { AT_ROOT, AT_KEY, AT_VALUE } Place;

typedef struct Emit {
    yaml_emitter_t em;
    YamlError *err;
    StrBuf text; /* scratch for value_to_text */
} Emit;

static bool fail(Emit *e, const char *reason, const Value *v)
{
    if (e->err && !e->err->reason) {
        e->err->reason = reason;
        e->err->value = v;
    }
    return false;
}

/* Sends an initialized event; libyaml frees it either way. */
static bool send(Emit *e, yaml_event_t *ev, bool init_ok)
{
    if (!init_ok)
        return fail(e, "the YAML emitter could not take an event", NULL);
    if (!yaml_emitter_emit(&e->em, ev))
        return fail(e, e->em.problem ? e->em.problem : "the YAML emitter failed", NULL);
    return true;
}

/* A scalar the reader must type (null, bool, number): always plain. */
static bool emit_typed(Emit *e, const char *text)
{
    yaml_event_t ev;
    int ok = yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)text, (int)strlen(text),
                                          1, 0, YAML_PLAIN_SCALAR_STYLE);
    return send(e, &ev, ok);
}

static yaml_scalar_style_t string_style(const char *s, size_t len, Place at)
{
    if (yaml_plain_ok(s, len))
        return YAML_PLAIN_SCALAR_STYLE;
    if (at == AT_VALUE && literal_ok(s, len))
        return YAML_LITERAL_SCALAR_STYLE;
    return YAML_DOUBLE_QUOTED_SCALAR_STYLE;
}

/* Both "implicit" flags set and no tag: the reader takes the scalar as a
 * string by its style, never by a `!!str` tag. */
static bool emit_string(Emit *e, const char *s, size_t len, Place at, const Value *v)
{
    if (!scan_text(s, len).valid)
        return fail(e, "a string that is not valid UTF-8 cannot be written to YAML", v);
    if (len > INT32_MAX)
        return fail(e, "a string is too long for the YAML emitter", v);
    yaml_scalar_style_t style = string_style(s, len, at);
    yaml_event_t ev;
    int ok = yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)len, 1, 1, style);
    return send(e, &ev, ok);
}

/* YAML spelling of a float: `.inf`/`.nan`, and a dot always in the
 * mantissa, because YAML 1.1 reads `1e+20` as a string. */
static void float_text(double f, StrBuf *out)
{
    if (isnan(f)) {
        sb_puts(out, ".nan");
        return;
    }
    if (isinf(f)) {
        sb_puts(out, f > 0 ? ".inf" : "-.inf");
        return;
    }
    StrBuf t;
    sb_init(&t);
    Value v = {.kind = V_FLOAT, .u.f = f};
    value_to_text(&v, &t);
    char *exp = strchr(t.data, 'e');
    if (exp && !memchr(t.data, '.', (size_t)(exp - t.data))) {
        sb_putn(out, t.data, (size_t)(exp - t.data));
        sb_puts(out, ".0");
        sb_puts(out, exp);
    } else {
        sb_puts(out, t.data);
    }
    sb_free(&t);
}

static bool emit_scalar(Emit *e, const Value *v, Place at)
{
    sb_reset(&e->text);
    switch (v->kind) {
    case V_NULL: return emit_typed(e, "null");
    case V_BOOL: return emit_typed(e, v->u.b ? "true" : "false");
    case V_INT: value_to_text(v, &e->text); return emit_typed(e, e->text.data);
    case V_FLOAT: float_text(v->u.f, &e->text); return emit_typed(e, e->text.data);
    case V_STRING: return emit_string(e, v->u.str.s, v->u.str.len, at, v);
    default:
        if (!value_to_text(v, &e->text))
            return fail(e, "this value has no YAML spelling", v);
        return emit_string(e, e->text.data, e->text.len, at, v);
    }
}

static bool emit_value(Emit *e, const Value *v, Place at, const KeyOrder *order);

static bool emit_list(Emit *e, const Value *v)
{
    yaml_event_t ev;
    if (!send(e, &ev, yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
                                                           YAML_BLOCK_SEQUENCE_STYLE)))
        return false;
    for (size_t i = 0; i < v->u.list.len; i++)
        if (!emit_value(e, v->u.list.items[i], AT_VALUE, NULL))
            return false;
    return send(e, &ev, yaml_sequence_end_event_initialize(&ev));
}

static bool emit_pair(Emit *e, const Value *obj, size_t i, const KeyOrder *order)
{
    const char *key = obj->u.obj.keys[i];
    if (!emit_string(e, key, strlen(key), AT_KEY, obj))
        return false;
    const KeyOrder *inner = order && order->nested_key && strcmp(key, order->nested_key) == 0
                                ? order->nested
                                : NULL;
    return emit_value(e, obj->u.obj.vals[i], AT_VALUE, inner);
}

static size_t key_index(const Value *obj, const char *key)
{
    for (size_t i = 0; i < obj->u.obj.len; i++)
        if (strcmp(obj->u.obj.keys[i], key) == 0)
            return i;
    return SIZE_MAX;
}

static bool among(size_t i, const size_t *set, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (set[k] == i)
            return true;
    return false;
}

/* The keys of order->first that are present, then every other key in the
 * object's order. Nothing is dropped, duplicates included. */
static bool emit_object(Emit *e, const Value *v, const KeyOrder *order)
{
    yaml_event_t ev;
    if (!send(e, &ev, yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
                                                          YAML_BLOCK_MAPPING_STYLE)))
        return false;
    size_t front[MAX_FIRST], nfront = 0;
    for (size_t k = 0; order && k < order->nfirst && k < MAX_FIRST; k++) {
        size_t i = key_index(v, order->first[k]);
        if (i != SIZE_MAX) {
            front[nfront++] = i;
            if (!emit_pair(e, v, i, order))
                return false;
        }
    }
    for (size_t i = 0; i < v->u.obj.len; i++)
        if (!among(i, front, nfront) && !emit_pair(e, v, i, order))
            return false;
    return send(e, &ev, yaml_mapping_end_event_initialize(&ev));
}

static bool emit_value(Emit *e, const Value *v, Place at, const KeyOrder *order)
{
    switch (v->kind) {
    case V_LIST: return emit_list(e, v);
    case V_OBJECT:
    case V_RECORD: return emit_object(e, v, order);
    case V_SECRET:
        return fail(e, "a secret cannot be written as plain YAML: it must be sealed", v);
    case V_POISON: return fail(e, "an invalid value cannot be written to YAML", v);
    default: return emit_scalar(e, v, at);
    }
}

static bool is_k8s_object(const Value *v)
{
    return (v->kind == V_OBJECT || v->kind == V_RECORD) && value_get(v, "apiVersion") &&
           value_get(v, "kind");
}

static int to_strbuf(void *data, unsigned char *buf, size_t n)
{
    sb_putn(data, (const char *)buf, n);
    return 1;
}

static bool emit_document(Emit *e, const Value *doc, const KeyOrder *order)
{
    yaml_event_t ev;
    return send(e, &ev, yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING)) &&
           send(e, &ev, yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1)) &&
           emit_value(e, doc, AT_ROOT, order) &&
           send(e, &ev, yaml_document_end_event_initialize(&ev, 1)) &&
           send(e, &ev, yaml_stream_end_event_initialize(&ev)) &&
           (yaml_emitter_flush(&e->em) || fail(e, "the YAML emitter could not flush", NULL));
}

/* libyaml ends a document with its last line's newline; a bare scalar
 * document may lack it. Exactly one, whatever happened. */
static void one_final_newline(StrBuf *out, size_t start)
{
    while (out->len > start && out->data[out->len - 1] == '\n')
        out->len--;
    out->data[out->len] = '\0';
    sb_putc(out, '\n');
}

bool yaml_render_libyaml(const Value *doc, const YamlOptions *opt, StrBuf *out, YamlError *err)
{
    bool k8s = opt ? opt->k8s_order : true;
    if (err)
        *err = (YamlError){NULL, NULL};
    Emit e = {.err = err};
    sb_init(&e.text);
    size_t start = out->len;
    if (!yaml_emitter_initialize(&e.em)) {
        sb_free(&e.text);
        return fail(&e, "the YAML emitter could not start", NULL);
    }
    yaml_emitter_set_output(&e.em, to_strbuf, out);
    yaml_emitter_set_encoding(&e.em, YAML_UTF8_ENCODING);
    yaml_emitter_set_unicode(&e.em, 1);
    yaml_emitter_set_indent(&e.em, 2);
    yaml_emitter_set_width(&e.em, -1); /* never fold */
    yaml_emitter_set_break(&e.em, YAML_LN_BREAK);
    bool ok = emit_document(&e, doc, k8s && is_k8s_object(doc) ? &K8S_TOP : NULL);
    yaml_emitter_delete(&e.em);
    sb_free(&e.text);
    if (!ok) {
        if (out->data) {
            out->len = start;
            out->data[start] = '\0';
        }
        return false;
    }
    one_final_newline(out, start);
    return true;
}
