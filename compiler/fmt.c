#include "fmt.h"

#include <stdlib.h>
#include <string.h>

typedef struct Fmt {
    StrBuf *out;
    const Source *src;
    const CommentList *cm;
    size_t next;      /* first comment not yet printed */
    int indent;
    size_t base_col;  /* column where out starts (for trial renderings) */
    bool flat;        /* a trial rendering on one line: no comments */
} Fmt;

static void expr(Fmt *f, const Node *n);
/* Columns that align the items of a run: the width of the keys or field
 * names, and where the doc strings of fields start, counted from the
 * indentation (0: not aligned). */
typedef struct Pad {
    size_t key, doc;
} Pad;

static void item(Fmt *f, const Node *n, const Pad *pad);
static void body(Fmt *f, const NodeList *items, const Span *span);

/* ---- output primitives ---- */

static void put(Fmt *f, const char *s) { sb_puts(f->out, s); }
static void putn(Fmt *f, Str s) { sb_putn(f->out, s.s, s.len); }

static size_t col_of(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            c++;
    return c;
}

static size_t cur_col(const Fmt *f)
{
    const char *d = f->out->data;
    size_t n = f->out->len, i = n;
    while (i > 0 && d[i - 1] != '\n')
        i--;
    return col_of(d + i, n - i) + (i == 0 ? f->base_col : 0);
}

static void newline(Fmt *f)
{
    sb_rtrim(f->out);
    sb_putc(f->out, '\n');
    sb_repeat(f->out, ' ', (size_t)f->indent * 2);
}

/* ---- comments and blank lines ---- */

/* True when the source has an empty line just before offset. */
static bool blank_before(const Fmt *f, uint32_t offset)
{
    const char *t = f->src->text;
    size_t i = offset, newlines = 0;
    while (i > 0) {
        char c = t[i - 1];
        if (c == '\n') {
            if (++newlines == 2)
                return true;
        } else if (c != ' ' && c != '\t' && c != '\r') {
            return false;
        }
        i--;
    }
    return false;
}

static const Comment *pending(const Fmt *f)
{
    return f->next < f->cm->len ? &f->cm->at[f->next] : NULL;
}

static bool comment_within(const Fmt *f, const Span *sp)
{
    for (size_t i = f->next; i < f->cm->len; i++) {
        if (f->cm->at[i].span.start >= sp->end)
            return false;
        if (f->cm->at[i].span.start >= sp->start)
            return true;
    }
    return false;
}

/* Prints, each on its own line, the comments that start before offset.
 * first: nothing has been printed in this body yet (no blank line). */
static void own_line_comments(Fmt *f, uint32_t offset, bool *first)
{
    const Comment *c;
    while ((c = pending(f)) && c->span.start < offset) {
        if (!*first && blank_before(f, c->span.start))
            newline(f);
        if (!*first || f->out->len)
            newline(f);
        putn(f, c->text);
        f->next++;
        *first = false;
    }
}

/* A comment on the same source line as the end of what was just printed
 * stays at the end of that line. */
static void trailing_comment(Fmt *f, const Span *after)
{
    const Comment *c = pending(f);
    if (f->flat || !c || c->span.start < after->end ||
        !source_same_line(c->span.src, after->end, c->span.start))
        return;
    put(f, "  ");
    putn(f, c->text);
    f->next++;
}

/* ---- strings ---- */

static void escape_char(StrBuf *b, unsigned char c)
{
    switch (c) {
    case '\n': sb_puts(b, "\\n"); break;
    case '\t': sb_puts(b, "\\t"); break;
    case '\r': sb_puts(b, "\\r"); break;
    case '\\': sb_puts(b, "\\\\"); break;
    case '"': sb_puts(b, "\\\""); break;
    default: sb_printf(b, "\\u{%X}", c);
    }
}

static void plain_text(Fmt *f, Str t)
{
    for (uint32_t i = 0; i < t.len; i++) {
        unsigned char c = (unsigned char)t.s[i];
        if (c == '$' && i + 1 < t.len && t.s[i + 1] == '{')
            put(f, "\\$");
        else if (c < 0x20 || c == 0x7f || c == '"' || c == '\\')
            escape_char(f->out, c);
        else
            sb_putc(f->out, (char)c);
    }
}

static bool has_newline(const Node *s)
{
    for (uint32_t i = 0; i < s->list.len; i++) {
        const Node *p = s->list.at[i];
        if (p->kind == N_TEXT && memchr(p->name.s, '\n', p->name.len))
            return true;
    }
    return false;
}

/* An interpolation stays on the string's line: breaking a call inside
 * `${...}` over lines because the line is long would only make it harder
 * to read. (One that holds a comment is printed as usual, to keep it.) */
static void interpolation(Fmt *f, const Node *p)
{
    put(f, "${");
    if (comment_within(f, &p->span)) {
        expr(f, p);
    } else {
        Fmt t = *f;
        t.flat = true;
        expr(&t, p);
    }
    put(f, "}");
}

static void plain_string(Fmt *f, const Node *s)
{
    put(f, "\"");
    for (uint32_t i = 0; i < s->list.len; i++) {
        const Node *p = s->list.at[i];
        if (p->kind == N_TEXT)
            plain_text(f, p->name);
        else
            interpolation(f, p);
    }
    put(f, "\"");
}

typedef struct TripleState {
    bool line_start;  /* at the start of a content line */
    int quotes;       /* unescaped '"' just written */
    bool escape_lead; /* lines would share leading blanks: escape the first */
} TripleState;

/* Leading blanks shared by every non-empty content line would be taken
 * for indentation when read back, so the printer escapes the first one. */
static bool lines_share_blank(const Node *s)
{
    bool any = false, line_start = true;
    for (uint32_t i = 0; i < s->list.len; i++) {
        const Node *p = s->list.at[i];
        if (p->kind != N_TEXT) {
            if (line_start)
                return false;
            continue;
        }
        for (uint32_t k = 0; k < p->name.len; k++) {
            char c = p->name.s[k];
            if (line_start && c != '\n') {
                if (c != ' ' && c != '\t')
                    return false;
                any = true;
            }
            line_start = c == '\n';
        }
    }
    return any;
}

/* True when t[i..] up to the next newline holds only blanks and the line
 * ends there (at a newline, or at the closing quotes when last). Read back,
 * such a line would be taken for a blank line and emptied, or its blanks
 * eaten with the closing quotes' indentation. */
static bool blank_rest(Str t, uint32_t i, bool last)
{
    for (; i < t.len && t.s[i] != '\n'; i++)
        if (t.s[i] != ' ' && t.s[i] != '\t')
            return false;
    return i < t.len || last;
}

static void triple_text(Fmt *f, TripleState *st, Str t, bool last)
{
    for (uint32_t i = 0; i < t.len; i++) {
        unsigned char c = (unsigned char)t.s[i];
        if (c == '\n') {
            sb_putc(f->out, '\n');
            st->line_start = true;
            st->quotes = 0;
            continue;
        }
        if (st->line_start) {
            sb_repeat(f->out, ' ', (size_t)f->indent * 2 + 2);
            st->line_start = false;
            bool blank = c == ' ' || c == '\t';
            if (blank && (st->escape_lead || blank_rest(t, i, last))) {
                sb_puts(f->out, c == ' ' ? "\\u{20}" : "\\t");
                continue;
            }
        }
        bool closing_soon = last && i + 1 == t.len;
        if (c == '"' && (st->quotes == 2 || closing_soon)) {
            put(f, "\\\"");
            st->quotes = 0;
        } else if (c == '$' && i + 1 < t.len && t.s[i + 1] == '{') {
            put(f, "\\$");
            st->quotes = 0;
        } else if (c == '\\' || c == '\r' || (c < 0x20 && c != '\t') || c == 0x7f) {
            escape_char(f->out, c);
            st->quotes = 0;
        } else {
            sb_putc(f->out, (char)c);
            st->quotes = c == '"' ? st->quotes + 1 : 0;
        }
    }
}

static void triple_string(Fmt *f, const Node *s)
{
    TripleState st = {true, 0, lines_share_blank(s)};
    put(f, "\"\"\"\n");
    for (uint32_t i = 0; i < s->list.len; i++) {
        const Node *p = s->list.at[i];
        if (p->kind == N_TEXT) {
            triple_text(f, &st, p->name, i + 1 == s->list.len);
            continue;
        }
        if (st.line_start) {
            sb_repeat(f->out, ' ', (size_t)f->indent * 2 + 2);
            st.line_start = false;
        }
        interpolation(f, p);
        st.quotes = 0;
    }
    if (st.line_start)
        sb_repeat(f->out, ' ', (size_t)f->indent * 2);
    put(f, "\"\"\"");
}

static void string(Fmt *f, const Node *s)
{
    if (s->flag && has_newline(s))
        triple_string(f, s);
    else
        plain_string(f, s);
}

/* ---- separated lists: inline, or one element per line ---- */

typedef void (*ElemFn)(Fmt *f, const Node *n);

typedef struct SeqStyle {
    const char *open, *close;
    const char *pad;  /* inside the brackets when inline: "" or " " */
    ElemFn elem;      /* NULL: body items, aligned, one per line */
    bool commas;      /* a comma after each element when one per line */
} SeqStyle;

static const SeqStyle LIST = {"[", "]", "", NULL, true};
static const SeqStyle ARGS = {"(", ")", "", NULL, true};
static const SeqStyle BODY = {"{", "}", " ", NULL, false};
static const SeqStyle ARMS = {"{", "}", " ", NULL, false};

static void alignment(const Fmt *f, const NodeList *items, Pad *pads);

static bool single_line(const Span *sp)
{
    return !sp->src || source_same_line(sp->src, sp->start, sp->end);
}

static void elem_at(Fmt *f, const SeqStyle *st, const Node *n, const Pad *pad)
{
    if (st->elem)
        st->elem(f, n);
    else
        item(f, n, pad);
}

static void seq_lines(Fmt *f, const Span *sp, const NodeList *l, const SeqStyle *st)
{
    Pad *pads = NULL;
    if (!st->elem) {
        pads = calloc(l->len ? l->len : 1, sizeof *pads);
        if (!pads)
            abort();
        alignment(f, l, pads);
    }
    f->indent++;
    bool first = true;
    for (uint32_t i = 0; i < l->len; i++) {
        const Node *n = l->at[i];
        own_line_comments(f, n->span.start, &first);
        if (!first && blank_before(f, n->span.start))
            newline(f);
        newline(f);
        elem_at(f, st, n, pads ? &pads[i] : NULL);
        if (st->commas)
            put(f, ",");
        trailing_comment(f, &n->span);
        first = false;
    }
    own_line_comments(f, sp->end, &first);
    f->indent--;
    newline(f);
    put(f, st->close);
    free(pads);
}

/* Renders l between brackets. Inline when the construct was on one line
 * in the source, holds no comment and fits in FMT_WIDTH; otherwise one
 * element per line. A construct written over several lines stays so:
 * that choice is the author's, and keeping it makes formatting stable. */
static void seq(Fmt *f, const Span *sp, const NodeList *l, const SeqStyle *st)
{
    bool inline_ok = f->flat || (single_line(sp) && !comment_within(f, sp));
    if (inline_ok && !f->flat) {
        StrBuf tmp;
        sb_init(&tmp);
        Fmt t = *f;
        t.out = &tmp;
        t.base_col = cur_col(f);
        t.flat = true;
        seq(&t, sp, l, st);
        inline_ok = !memchr(tmp.data, '\n', tmp.len) &&
                    t.base_col + col_of(tmp.data, tmp.len) <= FMT_WIDTH;
        sb_free(&tmp);
    }
    put(f, st->open);
    if (l->len == 0 && (inline_ok || !comment_within(f, sp))) {
        put(f, st->close);
        return;
    }
    if (!inline_ok) {
        seq_lines(f, sp, l, st);
        return;
    }
    put(f, st->pad);
    for (uint32_t i = 0; i < l->len; i++) {
        if (i)
            put(f, ", ");
        elem_at(f, st, l->at[i], NULL);
    }
    put(f, st->pad);
    put(f, st->close);
}

static void seq_with(Fmt *f, const Span *sp, const NodeList *l, const SeqStyle *st, ElemFn fn)
{
    SeqStyle s = *st;
    s.elem = fn;
    seq(f, sp, l, &s);
}

/* ---- expressions ---- */

static void bindings(Fmt *f, const NodeList *l, const Node *filter)
{
    for (uint32_t i = 0; i < l->len; i++) {
        const Node *b = l->at[i];
        put(f, i ? ", " : "");
        putn(f, b->name);
        if (b->text.s) {
            put(f, ", ");
            putn(f, b->text);
        }
        put(f, " in ");
        expr(f, b->a);
    }
    if (filter) {
        put(f, " if ");
        expr(f, filter);
    }
}

static void arg(Fmt *f, const Node *n)
{
    if (n->name.s) {
        putn(f, n->name);
        put(f, " = ");
    }
    expr(f, n->a);
}

static void arm(Fmt *f, const Node *n)
{
    putn(f, n->name);
    if (n->text.s) {
        put(f, " as ");
        putn(f, n->text);
    }
    put(f, " => ");
    expr(f, n->a);
}

static void type(Fmt *f, const Node *n);

static void targ(Fmt *f, const Node *n)
{
    if (n->kind == N_TYPE) {
        type(f, n);
        return;
    }
    if (n->name.s) {
        putn(f, n->name);
        put(f, " ");
    }
    if (n->op == OP_RANGE) {
        expr(f, n->a);
        put(f, " .. ");
        expr(f, n->b);
    } else if (n->op == OP_NONE) {
        expr(f, n->a);
    } else {
        put(f, op_spelling(n->op));
        put(f, " ");
        expr(f, n->a);
    }
}

static void type(Fmt *f, const Node *n)
{
    putn(f, n->name);
    if (n->list.len) {
        Fmt t = *f;
        t.flat = true;
        seq_with(&t, &n->span, &n->list, &ARGS, targ);
    }
    if (n->flag)
        put(f, "?");
}

static void expr(Fmt *f, const Node *n)
{
    switch (n->kind) {
    case N_NULL: put(f, "null"); break;
    case N_BOOL: put(f, n->flag ? "true" : "false"); break;
    case N_INT: case N_FLOAT: case N_IDENT: putn(f, n->name); break;
    case N_QUANTITY: putn(f, n->name); putn(f, n->text); break;
    case N_STRING: string(f, n); break;
    case N_LIST: seq_with(f, &n->span, &n->list, &LIST, expr); break;
    case N_OBJECT: body(f, &n->list, &n->span); break;
    case N_VARIANT: putn(f, n->name); put(f, " "); body(f, &n->list, &n->span); break;
    case N_LISTCOMP:
        put(f, "[for ");
        bindings(f, &n->list, n->b);
        put(f, ": ");
        expr(f, n->a);
        put(f, "]");
        break;
    case N_OBJCOMP:
        put(f, "{for ");
        bindings(f, &n->list, n->c);
        put(f, ": ");
        expr(f, n->a);
        put(f, " => ");
        expr(f, n->b);
        put(f, "}");
        break;
    case N_GET: expr(f, n->a); put(f, "."); putn(f, n->name); break;
    case N_INDEX: expr(f, n->a); put(f, "["); expr(f, n->b); put(f, "]"); break;
    case N_CALL: expr(f, n->a); seq_with(f, &n->span, &n->list, &ARGS, arg); break;
    case N_UNARY: put(f, op_spelling(n->op)); expr(f, n->a); break;
    case N_BINARY:
        expr(f, n->a);
        put(f, " ");
        put(f, op_spelling(n->op));
        put(f, " ");
        expr(f, n->b);
        break;
    case N_IS: expr(f, n->a); put(f, " is "); putn(f, n->name); break;
    case N_COND:
        put(f, "if ");
        expr(f, n->a);
        put(f, " then ");
        expr(f, n->b);
        put(f, " else ");
        expr(f, n->c);
        break;
    case N_MATCH:
        put(f, "match ");
        expr(f, n->a);
        put(f, " ");
        seq_with(f, &n->span, &n->list, &ARMS, arm);
        break;
    case N_PAREN: put(f, "("); expr(f, n->a); put(f, ")"); break;
    default: break;
    }
}

/* ---- items ---- */

static void body(Fmt *f, const NodeList *items, const Span *span)
{
    seq(f, span, items, &BODY);
}

/* Attribute keys that are not plain identifiers keep their quotes. */
static void key(Fmt *f, const Node *n)
{
    if (!n->flag) {
        putn(f, n->name);
        return;
    }
    put(f, "\"");
    plain_text(f, n->name);
    put(f, "\"");
}

static size_t key_width(const Node *n)
{
    if (n->kind != N_ATTR)
        return 0;
    StrBuf b;
    sb_init(&b);
    Fmt t = {.out = &b};
    key(&t, n);
    size_t w = col_of(b.data, b.len);
    sb_free(&b);
    return w;
}

static void if_item(Fmt *f, const Node *n)
{
    put(f, "if ");
    expr(f, n->a);
    put(f, " ");
    body(f, &n->list, &n->span);
    if (n->b) {
        put(f, " else ");
        if_item(f, n->b);
    } else if (n->list2.len) {
        put(f, " else ");
        body(f, &n->list2, &n->span);
    }
}

/* Width of n rendered on one line by fn; "too wide" when it cannot be. */
static size_t flat_render_width(const Fmt *f, ElemFn fn, const Node *n)
{
    StrBuf tmp;
    sb_init(&tmp);
    Fmt t = *f;
    t.out = &tmp;
    t.flat = true;
    t.base_col = 0;
    fn(&t, n);
    size_t w = memchr(tmp.data ? tmp.data : "", '\n', tmp.len) ? FMT_WIDTH * 2
                                                               : col_of(tmp.data, tmp.len);
    sb_free(&tmp);
    return w;
}

static size_t flat_width(const Fmt *f, const Node *n) { return flat_render_width(f, expr, n); }

/* Starts a clause of a statement on a line of its own, one level deeper. */
static void clause(Fmt *f, size_t width, const char *word)
{
    if (cur_col(f) + 1 + strlen(word) + width <= FMT_WIDTH) {
        put(f, " ");
    } else {
        f->indent++;
        newline(f);
        f->indent--;
    }
    put(f, word);
}

/* `require COND else MSG at PLACES hint HINT`, with each clause after the
 * condition moved to a continuation line when the line would be too long. */
static void require_item(Fmt *f, const Node *n)
{
    put(f, n->flag ? "warn " : "require ");
    expr(f, n->a);
    clause(f, flat_width(f, n->b), "else ");
    expr(f, n->b);
    if (n->list.len) {
        size_t w = 0;
        for (uint32_t i = 0; i < n->list.len; i++)
            w += flat_width(f, n->list.at[i]) + (i ? 2 : 0);
        clause(f, w, "at ");
        for (uint32_t i = 0; i < n->list.len; i++) {
            put(f, i ? ", " : "");
            expr(f, n->list.at[i]);
        }
    }
    if (n->c) {
        clause(f, flat_width(f, n->c), "hint ");
        expr(f, n->c);
    }
}

/* Pads the doc string of a field to its column in the run (see alignment). */
static void field_doc(Fmt *f, const Node *n, size_t line_start, size_t doc_col)
{
    bool one_line = !memchr(f->out->data + line_start, '\n', f->out->len - line_start);
    size_t col = cur_col(f);
    doc_col += doc_col ? (size_t)f->indent * 2 : 0;
    sb_repeat(f->out, ' ', one_line && doc_col > col ? doc_col - col : 1);
    expr(f, n->c);
}

static void field_head(Fmt *f, const Node *n)
{
    type(f, n->a);
    if (n->b) {
        put(f, " = ");
        expr(f, n->b);
    }
}

static void item(Fmt *f, const Node *n, const Pad *pads)
{
    Pad none = {0, 0};
    const Pad *p = pads ? pads : &none;
    size_t pad = p->key;
    switch (n->kind) {
    case N_ATTR: {
        size_t w = key_width(n);
        key(f, n);
        sb_repeat(f->out, ' ', pad > w ? pad - w : 0);
        put(f, " = ");
        expr(f, n->a);
        break;
    }
    case N_LET: put(f, "let "); putn(f, n->name); put(f, " = "); expr(f, n->a); break;
    case N_IMPORT: put(f, "import "); expr(f, n->a); break;
    case N_BLOCK:
        putn(f, n->name);
        if (n->a) {
            put(f, " ");
            expr(f, n->a);
        }
        if (n->b) {
            put(f, " ");
            expr(f, n->b);
        }
        if (n->c) {
            put(f, " for ");
            bindings(f, &n->c->list, n->c->a);
        }
        put(f, " ");
        body(f, &n->list, &n->span);
        break;
    case N_FIELD: {
        size_t line_start = f->out->len;
        putn(f, n->name);
        put(f, ":");
        sb_repeat(f->out, ' ', pad > n->name.len ? pad - n->name.len + 1 : 1);
        field_head(f, n);
        if (n->c)
            field_doc(f, n, line_start, p->doc);
        break;
    }
    case N_MEMBER:
        putn(f, n->name);
        if (n->a) {
            put(f, " ");
            expr(f, n->a);
        }
        break;
    case N_FOR:
        put(f, "for ");
        bindings(f, &n->list, n->a);
        put(f, " ");
        body(f, &n->list2, &n->span);
        break;
    case N_IF: if_item(f, n); break;
    case N_REQUIRE: require_item(f, n); break;
    default: break;
    }
}

/* The width to which the key (attribute) or name (field) of each item is
 * padded: items of the same kind on consecutive lines are aligned. */
/* Doc strings of a run of fields start in one column, unless that would
 * push a line past FMT_WIDTH. */
static size_t doc_column(const Fmt *f, const NodeList *items, uint32_t i, uint32_t j,
                         size_t key)
{
    size_t head = 0;
    for (uint32_t m = i; m < j; m++) {
        if (!items->at[m]->c)
            continue; /* fields without a doc do not widen the column */
        size_t w = flat_render_width(f, field_head, items->at[m]);
        if (w > head)
            head = w;
    }
    size_t col = key + 2 + head + 1;
    for (uint32_t m = i; m < j; m++) {
        const Node *doc = items->at[m]->c;
        if (doc && (size_t)(f->indent + 1) * 2 + col + flat_width(f, doc) > FMT_WIDTH)
            return 0;
    }
    return col;
}

static void alignment(const Fmt *f, const NodeList *items, Pad *pads)
{
    uint32_t i = 0;
    while (i < items->len) {
        NodeKind k = items->at[i]->kind;
        uint32_t j = i + 1;
        if (k == N_ATTR || k == N_FIELD)
            while (j < items->len && items->at[j]->kind == k &&
                   !blank_before(f, items->at[j]->span.start))
                j++;
        size_t w = 0;
        for (uint32_t m = i; m < j; m++) {
            size_t mw = k == N_ATTR ? key_width(items->at[m]) : items->at[m]->name.len;
            if (mw > w)
                w = mw;
        }
        size_t doc = k == N_FIELD ? doc_column(f, items, i, j, w) : 0;
        for (uint32_t m = i; m < j; m++)
            pads[m] = (Pad){(k == N_ATTR || k == N_FIELD) ? w : 0, doc};
        i = j;
    }
}

/* Items of a multi-line body, with alignment: used for the file and,
 * through seq's per-line path, for blocks. */
static void top_items(Fmt *f, const NodeList *items)
{
    Pad *pads = calloc(items->len ? items->len : 1, sizeof *pads);
    if (!pads)
        abort();
    alignment(f, items, pads);
    bool first = true;
    for (uint32_t i = 0; i < items->len; i++) {
        const Node *n = items->at[i];
        own_line_comments(f, n->span.start, &first);
        if (!first && blank_before(f, n->span.start))
            newline(f);
        if (!first)
            newline(f);
        item(f, n, &pads[i]);
        trailing_comment(f, &n->span);
        first = false;
    }
    own_line_comments(f, (uint32_t)f->src->len + 1, &first);
    free(pads);
}

void fmt_file(const Source *src, const ParseOutput *parsed, StrBuf *out)
{
    Fmt f = {.out = out, .src = src, .cm = &parsed->comments};
    size_t start = out->len;
    top_items(&f, &parsed->root->list);
    sb_rtrim(out);
    if (out->len > start)
        sb_putc(out, '\n');
}
