/* test_udiff.c — unified diffs: exact output for the usual shapes (one
 * change, changes near and far apart, empty sides, a missing final
 * newline, no context, colour), equal texts giving nothing, the fallback
 * past UDIFF_MAX_EDITS, and for random texts a diff that is minimal (as
 * many removed and added lines as an LCS leaves) and that, applied to the
 * old text, gives the new one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "strbuf.h"
#include "udiff.h"

/* The diff of two NUL-terminated texts, as a string to free; the number
 * of hunks in *hunks when it is not NULL. */
static char *diff_of(const char *a, const char *b, unsigned context, bool color,
                     size_t *hunks)
{
    StrBuf out;
    sb_init(&out);
    UdiffText old = {"a/f", a, strlen(a)}, new_ = {"b/f", b, strlen(b)};
    size_t n = udiff(&out, &old, &new_, &(UdiffOptions){context, color});
    if (hunks)
        *hunks = n;
    sb_putc(&out, '\0'); /* an empty diff is "" rather than NULL */
    return sb_take(&out);
}

static void expect_diff(const char *a, const char *b, const char *want)
{
    char *got = diff_of(a, b, 3, false, NULL);
    assert_string_equal(got, want);
    free(got);
}

static void test_equal_texts(void **state)
{
    (void)state;
    size_t hunks = 1;
    char *got = diff_of("a\nb\n", "a\nb\n", 3, false, &hunks);
    assert_int_equal(hunks, 0);
    assert_string_equal(got, "");
    free(got);
    got = diff_of("", "", 3, false, &hunks);
    assert_int_equal(hunks, 0);
    free(got);
}

static void test_one_change(void **state)
{
    (void)state;
    expect_diff("1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nfive\n6\n7\n8\n9\n",
                "--- a/f\n+++ b/f\n"
                "@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
}

static void test_change_at_the_edges(void **state)
{
    (void)state;
    expect_diff("1\n2\n3\n4\n5\n", "0\n1\n2\n3\n4\n",
                "--- a/f\n+++ b/f\n"
                "@@ -1,5 +1,5 @@\n+0\n 1\n 2\n 3\n 4\n-5\n");
    expect_diff("1\n", "2\n", "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-1\n+2\n");
}

static void test_empty_sides(void **state)
{
    (void)state;
    expect_diff("", "x\ny\n", "--- a/f\n+++ b/f\n@@ -0,0 +1,2 @@\n+x\n+y\n");
    expect_diff("x\ny\n", "", "--- a/f\n+++ b/f\n@@ -1,2 +0,0 @@\n-x\n-y\n");
}

static void test_no_final_newline(void **state)
{
    (void)state;
    expect_diff("a\nb", "a\nb\n",
                "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n");
    expect_diff("a\n", "a\nc",
                "--- a/f\n+++ b/f\n@@ -1 +1,2 @@\n a\n+c\n\\ No newline at end of file\n");
}

/* Changes 6 unchanged lines apart share a hunk (their contexts touch);
 * 7 apart, they do not. */
static void test_hunks_merge_and_split(void **state)
{
    (void)state;
    size_t hunks;
    char *got = diff_of("x\n1\n2\n3\n4\n5\n6\nx\n", "y\n1\n2\n3\n4\n5\n6\ny\n", 3, false,
                        &hunks);
    assert_int_equal(hunks, 1);
    assert_non_null(strstr(got, "@@ -1,8 +1,8 @@\n"));
    free(got);
    got = diff_of("x\n1\n2\n3\n4\n5\n6\n7\nx\n", "y\n1\n2\n3\n4\n5\n6\n7\ny\n", 3, false,
                  &hunks);
    assert_int_equal(hunks, 2);
    assert_string_equal(got, "--- a/f\n+++ b/f\n"
                             "@@ -1,4 +1,4 @@\n-x\n+y\n 1\n 2\n 3\n"
                             "@@ -6,4 +6,4 @@\n 5\n 6\n 7\n-x\n+y\n");
    free(got);
}

static void test_no_context(void **state)
{
    (void)state;
    char *got = diff_of("a\nb\nc\n", "a\nB\nc\n", 0, false, NULL);
    assert_string_equal(got, "--- a/f\n+++ b/f\n@@ -2 +2 @@\n-b\n+B\n");
    free(got);
}

static void test_color(void **state)
{
    (void)state;
    char *got = diff_of("a\n", "b\n", 3, true, NULL);
    assert_string_equal(got, "\033[1m--- a/f\033[0m\n\033[1m+++ b/f\033[0m\n"
                             "\033[36m@@ -1 +1 @@\033[0m\n"
                             "\033[31m-a\033[0m\n\033[32m+b\033[0m\n");
    free(got);
}

/* ---- applying a diff ---------------------------------------------------- */

typedef struct Text {
    char **line; /* without their newlines */
    size_t n;
} Text;

static Text lines_of(const char *s)
{
    Text t = {NULL, 0};
    while (*s) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        t.line = realloc(t.line, (t.n + 1) * sizeof *t.line);
        t.line[t.n++] = strndup(s, len);
        s += len + (nl != NULL);
    }
    return t;
}

static void text_free(Text *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->line[i]);
    free(t->line);
}

/* The old start of a hunk header "@@ -S[,C] ...": the index of its first
 * line, or for an empty range the number of lines before it. */
static size_t old_start(const char *header)
{
    char *end;
    unsigned long s = strtoul(header + 4, &end, 10);
    unsigned long c = *end == ',' ? strtoul(end + 1, NULL, 10) : 1;
    return c ? s - 1 : s;
}

/* Applies diff (of texts whose lines all end with a newline) to old. */
static char *apply(const char *old, const char *diff)
{
    Text a = lines_of(old), d = lines_of(diff);
    StrBuf out;
    sb_init(&out);
    size_t pos = 0;
    for (size_t i = 2; i < d.n; i++) {
        const char *l = d.line[i];
        if (l[0] == '@') {
            for (size_t to = old_start(l); pos < to; pos++)
                sb_printf(&out, "%s\n", a.line[pos]);
        } else if (l[0] == '+') {
            sb_printf(&out, "%s\n", l + 1);
        } else {
            assert_true(pos < a.n);
            assert_string_equal(l + 1, a.line[pos]);
            if (l[0] == ' ')
                sb_printf(&out, "%s\n", l + 1);
            pos++;
        }
    }
    for (; pos < a.n; pos++)
        sb_printf(&out, "%s\n", a.line[pos]);
    sb_putc(&out, '\0');
    text_free(&a);
    text_free(&d);
    return sb_take(&out);
}

static size_t lcs(const Text *a, const Text *b)
{
    size_t *row = calloc((a->n + 1) * (b->n + 1), sizeof *row);
    size_t w = b->n + 1;
    for (size_t i = 1; i <= a->n; i++)
        for (size_t j = 1; j <= b->n; j++)
            row[i * w + j] = strcmp(a->line[i - 1], b->line[j - 1]) == 0
                                 ? row[(i - 1) * w + j - 1] + 1
                                 : (row[(i - 1) * w + j] > row[i * w + j - 1]
                                        ? row[(i - 1) * w + j]
                                        : row[i * w + j - 1]);
    size_t n = row[a->n * w + b->n];
    free(row);
    return n;
}

static void count_edits(const char *diff, size_t *del, size_t *add)
{
    Text d = lines_of(diff);
    *del = *add = 0;
    for (size_t i = 2; i < d.n; i++) {
        *del += d.line[i][0] == '-';
        *add += d.line[i][0] == '+';
    }
    text_free(&d);
}

static char *random_text(unsigned *seed, size_t n, int alphabet)
{
    StrBuf s;
    sb_init(&s);
    for (size_t i = 0; i < n; i++)
        sb_printf(&s, "%c\n", 'a' + (int)(rand_r(seed) % (unsigned)alphabet));
    sb_putc(&s, '\0');
    return sb_take(&s);
}

static void test_random_texts(void **state)
{
    (void)state;
    unsigned seed = 12345;
    for (int round = 0; round < 400; round++) {
        int alphabet = 2 + round % 5;
        char *a = random_text(&seed, (size_t)(rand_r(&seed) % 30), alphabet);
        char *b = random_text(&seed, (size_t)(rand_r(&seed) % 30), alphabet);
        char *d = diff_of(a, b, (unsigned)(round % 4), false, NULL);
        char *back = apply(a, d);
        assert_string_equal(back, b);
        Text ta = lines_of(a), tb = lines_of(b);
        size_t common = lcs(&ta, &tb), del, add;
        count_edits(d, &del, &add);
        assert_int_equal(del, ta.n - common);
        assert_int_equal(add, tb.n - common);
        text_free(&ta);
        text_free(&tb);
        free(back);
        free(d);
        free(b);
        free(a);
    }
}

/* Past the limit the middle is replaced whole: still a correct diff. */
static void test_past_the_limit(void **state)
{
    (void)state;
    StrBuf a, b;
    sb_init(&a);
    sb_init(&b);
    sb_puts(&a, "head\n");
    sb_puts(&b, "head\n");
    for (int i = 0; i < UDIFF_MAX_EDITS; i++) {
        sb_printf(&a, "old %d\n", i);
        sb_printf(&b, "new %d\n", i);
    }
    sb_puts(&a, "tail\n");
    sb_puts(&b, "tail\n");
    size_t hunks;
    char *d = diff_of(a.data, b.data, 3, false, &hunks);
    assert_int_equal(hunks, 1);
    char want[64];
    snprintf(want, sizeof want, "@@ -1,%d +1,%d @@\n", UDIFF_MAX_EDITS + 2,
             UDIFF_MAX_EDITS + 2);
    assert_non_null(strstr(d, want));
    char *back = apply(a.data, d);
    assert_string_equal(back, b.data);
    free(back);
    free(d);
    sb_free(&a);
    sb_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_equal_texts),
        cmocka_unit_test(test_one_change),
        cmocka_unit_test(test_change_at_the_edges),
        cmocka_unit_test(test_empty_sides),
        cmocka_unit_test(test_no_final_newline),
        cmocka_unit_test(test_hunks_merge_and_split),
        cmocka_unit_test(test_no_context),
        cmocka_unit_test(test_color),
        cmocka_unit_test(test_random_texts),
        cmocka_unit_test(test_past_the_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
