#include "diag_render.h"
#include "utf8.h"

#include <stdio.h>
#include <string.h>

#include "codes.h"

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_RED "\033[1;31m"
#define C_YELLOW "\033[1;33m"
#define C_BLUE "\033[1;34m"
#define C_CYAN "\033[1;36m"

/* Lines wider than this are shown as a window around the span. */
enum { SNIPPET_WIDTH = 100, TAB_WIDTH = 4 };

typedef struct Painter {
    StrBuf *out;
    bool color;
} Painter;

static void paint(Painter *p, const char *style, const char *text)
{
    if (p->color)
        sb_puts(p->out, style);
    sb_puts(p->out, text);
    if (p->color)
        sb_puts(p->out, C_RESET);
}

/* Code points a terminal acts on or that reorder or break what it shows:
 * C0 and C1 controls (CSI is U+009B), DEL, the line and paragraph
 * separators and the bidirectional overrides and isolates. */
static bool drives_terminal(long cp)
{
    return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029 ||
           (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
           cp == 0x200e || cp == 0x200f || cp == 0x061c;
}

/* Copies text, replacing control characters (and bytes that are not
 * UTF-8) so that nothing in a source file or message can drive the
 * terminal. */
void term_clean(StrBuf *out, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t len;
        long cp = utf8_decode(u + i, n - i, &len);
        if (cp == '\t')
            sb_repeat(out, ' ', TAB_WIDTH);
        else if (cp < 0 || drives_terminal(cp))
            sb_putc(out, '?');
        else
            sb_putn(out, s + i, len);
        i += len;
    }
}

static size_t cells(unsigned char c) { return c == '\t' ? TAB_WIDTH : 1; }

/* Display columns of s[0..n), counting code points. */
static size_t width(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            w += cells((unsigned char)s[i]);
    return w;
}

/* Byte offset in s[0..n) where display column col (0-based) starts. */
static size_t byte_at_width(const char *s, size_t n, size_t col)
{
    size_t w = 0, i = 0;
    while (i < n && w < col) {
        w += cells((unsigned char)s[i]);
        i++;
        while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
    }
    return i;
}

/* Byte offset of 1-based column col in line[0..n). */
static size_t byte_of_col(const char *line, size_t n, uint32_t col)
{
    size_t i = 0;
    for (uint32_t c = 1; c < col && i < n; c++) {
        i++;
        while (i < n && ((unsigned char)line[i] & 0xC0) == 0x80)
            i++;
    }
    return i;
}

static int digits(uint32_t n)
{
    int d = 1;
    while (n >= 10) {
        n /= 10;
        d++;
    }
    return d;
}

static void gutter(Painter *p, int w, const char *mark)
{
    sb_repeat(p->out, ' ', (size_t)w + 1);
    paint(p, C_BLUE, mark);
}

static void snippet(Painter *p, const DiagLabel *lab, int gw, bool primary, Severity sev)
{
    const SpanPos at = span_pos(&lab->span);
    const SpanPos *sp = &at;
    size_t n;
    const char *line = source_line(lab->span.src, sp->line, &n);
    if (sp->line == 1 && n >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
        line += 3;
        n -= 3;
    }
    size_t b0 = byte_of_col(line, n, sp->col);
    size_t b1 = sp->end_line == sp->line ? byte_of_col(line, n, sp->end_col) : n;
    if (b1 < b0)
        b1 = b0;
    size_t start_w = width(line, b0);
    size_t mark_w = width(line + b0, b1 - b0);
    if (mark_w == 0)
        mark_w = 1;
    /* window a long line around the span */
    size_t from = 0, to = n;
    bool cut_left = false, cut_right = false;
    if (width(line, n) > SNIPPET_WIDTH) {
        size_t left = start_w > SNIPPET_WIDTH / 3 ? start_w - SNIPPET_WIDTH / 3 : 0;
        from = byte_at_width(line, n, left);
        to = byte_at_width(line, n, left + SNIPPET_WIDTH);
        cut_left = from > 0;
        cut_right = to < n;
        start_w -= width(line, from);
        if (mark_w > SNIPPET_WIDTH)
            mark_w = SNIPPET_WIDTH;
    }
    char num[16];
    snprintf(num, sizeof num, "%*u ", gw, sp->line);
    paint(p, C_BLUE, num);
    paint(p, C_BLUE, "| ");
    if (cut_left)
        sb_puts(p->out, "...");
    term_clean(p->out, line + from, to - from);
    if (cut_right)
        sb_puts(p->out, "...");
    sb_rtrim(p->out);
    sb_putc(p->out, '\n');
    gutter(p, gw, "| ");
    sb_repeat(p->out, ' ', start_w + (cut_left ? 3 : 0));
    StrBuf marks;
    sb_init(&marks);
    sb_repeat(&marks, primary ? '^' : '-', mark_w);
    if (lab->message) {
        sb_putc(&marks, ' ');
        term_clean(&marks, lab->message, strlen(lab->message));
    }
    paint(p, primary ? (sev == SEV_ERROR ? C_RED : C_YELLOW) : C_BLUE, marks.data);
    sb_free(&marks);
    sb_putc(p->out, '\n');
}

static void location(Painter *p, const Span *sp, int gw, const char *arrow)
{
    sb_repeat(p->out, ' ', (size_t)gw);
    paint(p, C_BLUE, arrow);
    SpanPos at = span_pos(sp);
    sb_printf(p->out, " %s:%u:%u\n", sp->src ? sp->src->path : "<unknown>", at.line, at.col);
}

static void render_human_one(Painter *p, const Diag *d)
{
    uint32_t maxline = span_line(&d->primary.span);
    for (size_t i = 0; i < d->nsecondary; i++)
        if (span_line(&d->secondary[i].span) > maxline)
            maxline = span_line(&d->secondary[i].span);
    int gw = digits(maxline);
    const char *sev = d->severity == SEV_ERROR ? "error" : "warning";
    char head[64];
    snprintf(head, sizeof head, "%s[%s]", sev, d->code);
    paint(p, d->severity == SEV_ERROR ? C_RED : C_YELLOW, head);
    if (p->color)
        sb_puts(p->out, C_BOLD);
    sb_puts(p->out, ": ");
    term_clean(p->out, d->message, strlen(d->message));
    if (p->color)
        sb_puts(p->out, C_RESET);
    sb_putc(p->out, '\n');
    location(p, &d->primary.span, gw + 1, "-->");
    if (d->primary.span.src) {
        gutter(p, gw, "|");
        sb_putc(p->out, '\n');
        snippet(p, &d->primary, gw, true, d->severity);
    }
    for (size_t i = 0; i < d->nsecondary; i++) {
        const DiagLabel *s = &d->secondary[i];
        location(p, &s->span, gw + 1, ":::");
        if (s->span.src)
            snippet(p, s, gw, false, d->severity);
    }
    if (d->hint) {
        gutter(p, gw, "= ");
        paint(p, C_CYAN, "hint");
        sb_puts(p->out, ": ");
        term_clean(p->out, d->hint, strlen(d->hint));
        sb_putc(p->out, '\n');
    }
    sb_putc(p->out, '\n');
}

void json_string(StrBuf *out, const char *s, size_t n)
{
    sb_putc(out, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': sb_puts(out, "\\\""); break;
        case '\\': sb_puts(out, "\\\\"); break;
        case '\n': sb_puts(out, "\\n"); break;
        case '\t': sb_puts(out, "\\t"); break;
        case '\r': sb_puts(out, "\\r"); break;
        default:
            if (c < 0x20 || c == 0x7f)
                sb_printf(out, "\\u%04x", c);
            else
                sb_putc(out, (char)c);
        }
    }
    sb_putc(out, '"');
}

static void json_str(StrBuf *out, const char *s)
{
    if (s)
        json_string(out, s, strlen(s));
    else
        sb_puts(out, "null");
}

static void json_span(StrBuf *out, const Span *sp)
{
    sb_puts(out, "\"file\": ");
    json_str(out, sp->src ? sp->src->path : NULL);
    SpanPos at = span_pos(sp);
    sb_printf(out, ", \"line\": %u, \"column\": %u, \"end_line\": %u, \"end_column\": %u",
              at.line, at.col, at.end_line, at.end_col);
}

static void render_json(const DiagList *l, StrBuf *out)
{
    sb_puts(out, "{\"diagnostics\": [");
    for (size_t i = 0; i < l->len; i++) {
        const Diag *d = &l->items[i];
        sb_puts(out, i ? ",\n  {" : "\n  {");
        sb_printf(out, "\"code\": \"%s\", \"severity\": \"%s\", \"message\": ", d->code,
                  d->severity == SEV_ERROR ? "error" : "warning");
        json_str(out, d->message);
        sb_puts(out, ", ");
        json_span(out, &d->primary.span);
        sb_puts(out, ", \"label\": ");
        json_str(out, d->primary.message);
        sb_puts(out, ", \"hint\": ");
        json_str(out, d->hint);
        sb_puts(out, ", \"related\": [");
        for (size_t j = 0; j < d->nsecondary; j++) {
            sb_puts(out, j ? ", {" : "{");
            json_span(out, &d->secondary[j].span);
            sb_puts(out, ", \"label\": ");
            json_str(out, d->secondary[j].message);
            sb_putc(out, '}');
        }
        sb_puts(out, "]}");
    }
    sb_printf(out, "%s], \"errors\": %zu, \"warnings\": %zu}\n", l->len ? "\n" : "", l->errors,
              l->warnings);
}

/* GitHub workflow commands: data escapes %, CR and LF; properties also
 * escape ':' and ','. */
static void gh_escape(StrBuf *out, const char *s, bool property)
{
    for (; *s; s++) {
        switch (*s) {
        case '%': sb_puts(out, "%25"); break;
        case '\r': sb_puts(out, "%0D"); break;
        case '\n': sb_puts(out, "%0A"); break;
        case ':': sb_puts(out, property ? "%3A" : ":"); break;
        case ',': sb_puts(out, property ? "%2C" : ","); break;
        default: sb_putc(out, *s);
        }
    }
}

static void render_github_one(const Diag *d, StrBuf *out)
{
    const Span *sp = &d->primary.span;
    sb_puts(out, d->severity == SEV_ERROR ? "::error " : "::warning ");
    if (sp->src) {
        sb_puts(out, "file=");
        gh_escape(out, sp->src->path, true);
        SpanPos at = span_pos(sp);
        sb_printf(out, ",line=%u,col=%u,endLine=%u,endColumn=%u,", at.line, at.col,
                  at.end_line, at.end_col);
    }
    sb_puts(out, "title=");
    gh_escape(out, d->code, true);
    sb_puts(out, "::");
    gh_escape(out, d->message, false);
    if (d->hint) {
        sb_puts(out, "%0Ahint: ");
        gh_escape(out, d->hint, false);
    }
    sb_putc(out, '\n');
}

void diag_render(const DiagList *l, const RenderOptions *opt, StrBuf *out)
{
    if (opt->format == FORMAT_JSON) {
        render_json(l, out);
        return;
    }
    Painter p = {out, opt->color};
    size_t shown = l->len < opt->max_shown ? l->len : opt->max_shown;
    for (size_t i = 0; i < shown; i++) {
        if (opt->format == FORMAT_GITHUB)
            render_github_one(&l->items[i], out);
        else
            render_human_one(&p, &l->items[i]);
    }
    if (shown < l->len) {
        if (opt->format == FORMAT_GITHUB)
            sb_printf(out, "::notice title=crownc::and %zu more diagnostics not shown\n",
                      l->len - shown);
        else
            sb_printf(out, "... and %zu more (use --max-errors to see them)\n\n",
                      l->len - shown);
    }
}
