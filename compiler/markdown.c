#include "markdown.h"

#include <stdbool.h>
#include <string.h>

static size_t run_length(const char *s, size_t n, size_t at)
{
    size_t k = 0;
    while (at + k < n && s[at + k] == '`')
        k++;
    return k;
}

static size_t longest_backtick_run(const char *s, size_t n)
{
    size_t best = 0;
    for (size_t i = 0; i < n; i++) {
        size_t k = run_length(s, n, i);
        if (k > best)
            best = k;
        i += k;
    }
    return best;
}

static bool is_break(char c)
{
    return c == '\r' || c == '\n';
}

/* Appends s[0..n) with `|` escaped (GFM splits cells before it parses code
 * spans, so the escape is needed even inside one), each line break with
 * the indentation after it folded into one space, and, when escape is
 * set, `\` and `<` escaped. */
static void put_inline(StrBuf *out, const char *s, size_t n, bool escape)
{
    for (size_t i = 0; i < n; i++) {
        if (is_break(s[i])) {
            while (i + 1 < n && (is_break(s[i + 1]) || s[i + 1] == ' ' || s[i + 1] == '\t'))
                i++;
            sb_putc(out, ' ');
            continue;
        }
        if (s[i] == '|' || (escape && (s[i] == '\\' || s[i] == '<')))
            sb_putc(out, '\\');
        sb_putc(out, s[i]);
    }
}

void md_code(StrBuf *out, const char *s, size_t n)
{
    if (n == 0)
        return;
    size_t fence = longest_backtick_run(s, n) + 1;
    /* CommonMark strips one space from each end of a padded span, so a
     * leading or trailing backtick does not merge with the fence. */
    bool pad = s[0] == '`' || s[n - 1] == '`';
    sb_repeat(out, '`', fence);
    if (pad)
        sb_putc(out, ' ');
    put_inline(out, s, n, false);
    if (pad)
        sb_putc(out, ' ');
    sb_repeat(out, '`', fence);
}

/* The end of the code span opened by the run of k backticks at open: just
 * past a closing run of exactly k, or 0 when there is none (CommonMark
 * then shows the backticks as they are). */
static size_t span_end(const char *s, size_t n, size_t open, size_t k)
{
    for (size_t i = open + k; i < n;) {
        size_t r = run_length(s, n, i);
        if (r == k)
            return i + r;
        i += r ? r : 1;
    }
    return 0;
}

void md_text(StrBuf *out, const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        size_t k = run_length(s, n, i);
        size_t end = k ? span_end(s, n, i, k) : 0;
        if (end) {
            put_inline(out, s + i, end - i, false); /* a code span, kept as written */
            i = end;
        } else if (k) {
            sb_repeat(out, '`', k);
            i += k;
        } else {
            const char *tick = strchr(s + i, '`');
            size_t j = tick ? (size_t)(tick - s) : n;
            put_inline(out, s + i, j - i, true);
            i = j;
        }
    }
}
