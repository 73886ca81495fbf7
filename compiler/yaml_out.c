/* yaml_out.c — the documents of yaml_out.h, written straight into the
 * caller's buffer in one walk of the value.
 *
 * Block layout depends on two things only: the indentation of the
 * entries of a node's parent, and what precedes the node on its first
 * line (see Lead). Each node ends its own last line, so the document
 * ends with exactly one newline. On a refusal the buffer is cut back to
 * where it was. */
#include "yaml_out.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* ---- characters ---------------------------------------------------------- */

/* How a code point can appear in the output. The set is libyaml 0.2.5's
 * idea of "printable" and "break", so that the text is spelt exactly as
 * libyaml's emitter, and the tools built on it, spell it. */
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

/* ---- when a plain scalar reads back as the same string ------------------- */

/* Words some YAML reader resolves to something else than a string: the
 * null, bool, infinity and NaN spellings of YAML 1.1 and 1.2 (matched in
 * every letter case, which costs nothing and covers lenient readers), the
 * 1.1 merge key `<<` and value key `=`. Kept by length: this is asked of
 * every scalar written, and most are longer than any of them. */
static bool is_reserved_word(const char *s, size_t len)
{
    enum { LONGEST = 5 };
    static const char *const words[LONGEST + 1][6] = {
        [1] = {"~", "y", "n", "="},
        [2] = {"no", "on", "<<"},
        [3] = {"yes", "off"},
        [4] = {"null", "true", ".inf", ".nan"},
        [5] = {"false", "+.inf", "-.inf", "+.nan", "-.nan"},
    };
    if (len == 0 || len > LONGEST)
        return false;
    char low[LONGEST];
    for (size_t i = 0; i < len; i++)
        low[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
    for (size_t k = 0; words[len][k]; k++)
        if (memcmp(low, words[len][k], len) == 0)
            return true;
    return false;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Anything that might be a YAML 1.1 or 1.2 int or float: decimal, octal
 * (`0755`, `0o17`), hex, binary, `_` separators, sexagesimal (`12:30`),
 * exponents, and YAML 1.1's odd `.`-only floats. Cautious: any string
 * starting with a digit (or a dot), after an optional sign, and made only
 * of the characters those forms use. */
static bool looks_numeric(const char *s, size_t len)
{
    size_t i = s[0] == '+' || s[0] == '-';
    if (i == len || !(is_digit(s[i]) || s[i] == '.'))
        return false;
    for (; i < len; i++)
        if (!strchr("0123456789abcdefABCDEFxXoObB_.:+-", s[i]))
            return false;
    return true;
}

/* YAML 1.1 timestamps start `yyyy-m`, and may go on with spaces. */
static bool looks_like_timestamp(const char *s, size_t len)
{
    return len >= 6 && is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2]) && is_digit(s[3]) &&
           s[4] == '-' && is_digit(s[5]);
}

/* Structure a plain scalar cannot hold: indicators at the start, a
 * mapping value or comment inside, a trailing colon. */
static bool has_indicator(const char *s, size_t len)
{
    if (strchr("-?:,[]{}#&*!|>'\"%@`", s[0]))
        return true;
    if (len >= 3 && memcmp(s, "...", 3) == 0)
        return true; /* a document end marker at the start of a line */
    if (s[len - 1] == ':')
        return true;
    for (size_t i = 0; i + 1 < len; i++)
        if ((s[i] == ':' && s[i + 1] == ' ') || (s[i] == ' ' && s[i + 1] == '#'))
            return true;
    return false;
}

bool yaml_plain_ok(const char *s, size_t len)
{
    if (len == 0 || s[0] == ' ' || s[len - 1] == ' ')
        return false;
    TextScan t = scan_text(s, len);
    if (!t.valid || t.escapes || t.newlines)
        return false;
    return !has_indicator(s, len) && !is_reserved_word(s, len) && !looks_numeric(s, len) &&
           !looks_like_timestamp(s, len);
}

/* A literal block reads back exactly (see the header for the rule). The
 * two trailing newlines case would need `|+`, and kept newlines at the
 * end of a document need a `...` end marker after them. */
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

/* ---- spelling of scalars ------------------------------------------------- */

/* The short escapes of a double-quoted scalar, as libyaml writes them;
 * 0 where the character takes a numeric escape. U+00A0 has one although
 * it is written as is: the table is YAML's. */
static char short_escape(uint32_t cp)
{
    switch (cp) {
    case 0x00: return '0';
    case 0x07: return 'a';
    case 0x08: return 'b';
    case 0x09: return 't';
    case 0x0a: return 'n';
    case 0x0b: return 'v';
    case 0x0c: return 'f';
    case 0x0d: return 'r';
    case 0x1b: return 'e';
    case '"': return '"';
    case '\\': return '\\';
    case 0x85: return 'N';
    case 0xa0: return '_';
    case 0x2028: return 'L';
    case 0x2029: return 'P';
    default: return 0;
    }
}

/* `\xXX` up to U+00FF, `\uXXXX` up to U+FFFF, `\UXXXXXXXX` beyond, in
 * upper-case hex, the shortest form that holds the code point. */
static void put_escape(StrBuf *out, uint32_t cp)
{
    char e[10] = {'\\', short_escape(cp)};
    if (e[1]) {
        sb_putn(out, e, 2);
        return;
    }
    int digits = cp <= 0xff ? 2 : cp <= 0xffff ? 4 : 8;
    e[1] = digits == 2 ? 'x' : digits == 4 ? 'u' : 'U';
    for (int k = 0; k < digits; k++)
        e[2 + k] = "0123456789ABCDEF"[(cp >> (4 * (digits - 1 - k))) & 0xfu];
    sb_putn(out, e, (size_t)(2 + digits));
}

/* Between double quotes every character char_class does not let through
 * is escaped, and so are the newline, the quote and the backslash.
 * Everything else, spaces at the ends included, is copied: with no line
 * width there is never a fold to protect. s must be valid UTF-8. */
static void put_double_quoted(StrBuf *out, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    sb_putc(out, '"');
    size_t copied = 0;
    for (size_t i = 0; i < len;) {
        if (u[i] >= 0x20 && u[i] < 0x7f && u[i] != '"' && u[i] != '\\') {
            i++; /* the common case, kept out of the decoder */
            continue;
        }
        size_t at = i;
        uint32_t cp = 0;
        if (!utf8_next(u, len, &i, &cp))
            break; /* cannot happen: the callers check the text first */
        if (char_class(cp) == CH_TEXT && cp != '"' && cp != '\\')
            continue;
        sb_putn(out, s + copied, at - copied);
        put_escape(out, cp);
        copied = i;
    }
    sb_putn(out, s + copied, len - copied);
    sb_putc(out, '"');
}

/* A scalar that fits on its line: plain when it reads back as itself
 * (plain, from yaml_plain_ok), else double-quoted. */
static void put_flat(StrBuf *out, const char *s, size_t len, bool plain)
{
    if (plain)
        sb_putn(out, s, len);
    else
        put_double_quoted(out, s, len);
}

/* The header (`|` keeps the final newline, `|-` says there is none:
 * literal_ok leaves no other case), then each line at indent. An empty
 * line gets no indentation, so that no line ends in a space. */
static void put_literal(StrBuf *out, const char *s, size_t len, size_t indent)
{
    bool final_newline = s[len - 1] == '\n';
    sb_puts(out, final_newline ? "|\n" : "|-\n");
    size_t end = final_newline ? len - 1 : len;
    for (size_t i = 0;;) {
        const char *nl = memchr(s + i, '\n', end - i);
        size_t n = nl ? (size_t)(nl - (s + i)) : end - i;
        if (n) {
            sb_repeat(out, ' ', indent);
            sb_putn(out, s + i, n);
        }
        sb_putc(out, '\n');
        if (!nl)
            return;
        i += n + 1;
    }
}

/* A key libyaml writes as `key:`, not as `? key` then `: value`: at most
 * 128 bytes and no line break — to libyaml CR, NEL, U+2028 and U+2029
 * break lines too, though they are written escaped. */
static bool simple_key(const char *s, size_t len)
{
    if (len > 128)
        return false;
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len; i++) {
        if (u[i] == '\n' || u[i] == '\r')
            return false;
        if (u[i] == 0xc2 && i + 1 < len && u[i + 1] == 0x85)
            return false;
        if (u[i] == 0xe2 && i + 2 < len && u[i + 1] == 0x80 &&
            (u[i + 2] == 0xa8 || u[i + 2] == 0xa9))
            return false;
    }
    return true;
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

/* ---- the document ---------------------------------------------------------- */

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

/* What stands before a node on its first line, which decides where the
 * node starts: nothing (the node is the document); an indicator the node
 * follows on the same line (the `-` of an item, the `:` after an explicit
 * key); or a simple key's `key:`, after which a collection starts on the
 * next line. */
typedef enum Lead { LEAD_NONE, LEAD_INDICATOR, LEAD_KEY } Lead;

typedef struct Writer {
    StrBuf *out;
    YamlError *err;
    StrBuf text; /* scratch for value_to_text */
} Writer;

static bool fail(Writer *w, const char *reason, const Value *v)
{
    if (w->err && !w->err->reason) {
        w->err->reason = reason;
        w->err->value = v;
    }
    return false;
}

/* yaml_plain_ok and literal_ok accept valid UTF-8 only, so the text is
 * checked on its own only when neither style applies, which spares the
 * common plain string a pass. */
static bool check_utf8(Writer *w, const char *s, size_t len, const Value *v)
{
    return scan_text(s, len).valid ||
           fail(w, "a string that is not valid UTF-8 cannot be written to YAML", v);
}

/* A string value. A block needs a line of its own, so the document
 * itself is never one. */
static bool write_string(Writer *w, const char *s, size_t len, size_t indent, Lead lead,
                         const Value *v)
{
    bool plain = yaml_plain_ok(s, len);
    bool block = !plain && lead != LEAD_NONE && literal_ok(s, len);
    if (!plain && !block && !check_utf8(w, s, len, v))
        return false;
    if (lead != LEAD_NONE)
        sb_putc(w->out, ' ');
    if (block) {
        put_literal(w->out, s, len, indent + 2);
        return true;
    }
    put_flat(w->out, s, len, plain);
    sb_putc(w->out, '\n');
    return true;
}

/* A null, bool or number: always plain, so that the reader types it. */
static bool write_typed(Writer *w, const char *text, size_t len, Lead lead)
{
    if (lead != LEAD_NONE)
        sb_putc(w->out, ' ');
    sb_putn(w->out, text, len);
    sb_putc(w->out, '\n');
    return true;
}

static bool write_scalar(Writer *w, const Value *v, size_t indent, Lead lead)
{
    StrBuf *t = &w->text;
    sb_reset(t);
    switch (v->kind) {
    case V_NULL: return write_typed(w, "null", 4, lead);
    case V_BOOL: return v->u.b ? write_typed(w, "true", 4, lead) : write_typed(w, "false", 5, lead);
    case V_INT: value_to_text(v, t); return write_typed(w, t->data, t->len, lead);
    case V_FLOAT: float_text(v->u.f, t); return write_typed(w, t->data, t->len, lead);
    case V_STRING: return write_string(w, v->u.str.s, v->u.str.len, indent, lead, v);
    default:
        if (!value_to_text(v, t))
            return fail(w, "this value has no YAML spelling", v);
        return write_string(w, t->data, t->len, indent, lead, v);
    }
}

/* `[]` and `{}`, which stay on the line that introduces them. */
static bool write_empty(Writer *w, const char *text, Lead lead)
{
    if (lead != LEAD_NONE)
        sb_putc(w->out, ' ');
    sb_puts(w->out, text);
    sb_putc(w->out, '\n');
    return true;
}

/* Starts a non-empty collection and returns the indentation of its
 * entries; *first_inline says whether the first one goes on the current
 * line. After an indicator the entries are one step in and the first
 * shares the indicator's line (`- - x`, `- key: x`); after a key they
 * start on the next line, a sequence at the key's own indentation. */
static size_t open_collection(Writer *w, size_t indent, Lead lead, bool sequence,
                              bool *first_inline)
{
    *first_inline = lead == LEAD_INDICATOR;
    switch (lead) {
    case LEAD_NONE: return indent;
    case LEAD_INDICATOR: sb_putc(w->out, ' '); return indent + 2;
    case LEAD_KEY: sb_putc(w->out, '\n'); return sequence ? indent : indent + 2;
    }
    return indent;
}

static bool write_node(Writer *w, const Value *v, size_t indent, Lead lead, const KeyOrder *order);

static bool write_list(Writer *w, const Value *v, size_t indent, Lead lead)
{
    bool first_inline;
    size_t at = open_collection(w, indent, lead, true, &first_inline);
    for (size_t i = 0; i < v->u.list.len; i++) {
        if (i > 0 || !first_inline)
            sb_repeat(w->out, ' ', at);
        sb_putc(w->out, '-');
        if (!write_node(w, v->u.list.items[i], at, LEAD_INDICATOR, NULL))
            return false;
    }
    return true;
}

/* The key's line, then the value: `key: value`, or for a key that is not
 * simple `? key`, then `: value` on the next line. */
static bool write_pair(Writer *w, const Value *obj, size_t i, size_t indent, const KeyOrder *order)
{
    const char *key = obj->u.obj.keys[i];
    size_t len = strlen(key);
    bool plain = yaml_plain_ok(key, len);
    if (!plain && !check_utf8(w, key, len, obj))
        return false;
    const KeyOrder *inner = order && order->nested_key && strcmp(key, order->nested_key) == 0
                                ? order->nested
                                : NULL;
    const Value *val = obj->u.obj.vals[i];
    if (simple_key(key, len)) {
        put_flat(w->out, key, len, plain);
        sb_putc(w->out, ':');
        return write_node(w, val, indent, LEAD_KEY, inner);
    }
    sb_puts(w->out, "? ");
    put_flat(w->out, key, len, plain);
    sb_putc(w->out, '\n');
    sb_repeat(w->out, ' ', indent);
    sb_putc(w->out, ':');
    return write_node(w, val, indent, LEAD_INDICATOR, inner);
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
static bool write_object(Writer *w, const Value *v, size_t indent, Lead lead, const KeyOrder *order)
{
    bool first_inline;
    size_t at = open_collection(w, indent, lead, false, &first_inline);
    size_t front[MAX_FIRST], nfront = 0, written = 0;
    for (size_t k = 0; order && k < order->nfirst && k < MAX_FIRST; k++) {
        size_t i = key_index(v, order->first[k]);
        if (i == SIZE_MAX)
            continue;
        front[nfront++] = i;
        if (written++ > 0 || !first_inline)
            sb_repeat(w->out, ' ', at);
        if (!write_pair(w, v, i, at, order))
            return false;
    }
    for (size_t i = 0; i < v->u.obj.len; i++) {
        if (among(i, front, nfront))
            continue;
        if (written++ > 0 || !first_inline)
            sb_repeat(w->out, ' ', at);
        if (!write_pair(w, v, i, at, order))
            return false;
    }
    return true;
}

/* Writes v, whose parent's entries are at indent, from where lead left
 * the line, through the end of v's last line. */
static bool write_node(Writer *w, const Value *v, size_t indent, Lead lead, const KeyOrder *order)
{
    switch (v->kind) {
    case V_LIST:
        return v->u.list.len ? write_list(w, v, indent, lead) : write_empty(w, "[]", lead);
    case V_OBJECT:
    case V_RECORD:
        return v->u.obj.len ? write_object(w, v, indent, lead, order) : write_empty(w, "{}", lead);
    case V_SECRET:
        return fail(w, "a secret cannot be written as plain YAML: it must be sealed", v);
    case V_POISON: return fail(w, "an invalid value cannot be written to YAML", v);
    default: return write_scalar(w, v, indent, lead);
    }
}

static bool is_k8s_object(const Value *v)
{
    return (v->kind == V_OBJECT || v->kind == V_RECORD) && value_get(v, "apiVersion") &&
           value_get(v, "kind");
}

bool yaml_render(const Value *doc, const YamlOptions *opt, StrBuf *out, YamlError *err)
{
    bool k8s = opt ? opt->k8s_order : true;
    if (err)
        *err = (YamlError){NULL, NULL};
    Writer w = {.out = out, .err = err};
    sb_init(&w.text);
    size_t start = out->len;
    bool ok = write_node(&w, doc, 0, LEAD_NONE, k8s && is_k8s_object(doc) ? &K8S_TOP : NULL);
    sb_free(&w.text);
    if (!ok && out->data) {
        out->len = start;
        out->data[start] = '\0';
    }
    return ok;
}
