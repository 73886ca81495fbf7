/* test_markdown.c — library text written into Markdown: code spans that
 * hold backticks, cells that hold pipes, prose whose code spans survive
 * while stray `<` and `\` are escaped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "markdown.h"
#include "strbuf.h"

static void expect_code(const char *in, const char *want)
{
    StrBuf b;
    sb_init(&b);
    md_code(&b, in, strlen(in));
    sb_putc(&b, '\0');
    assert_string_equal(b.data, want);
    sb_free(&b);
}

static void expect_text(const char *in, const char *want)
{
    StrBuf b;
    sb_init(&b);
    md_text(&b, in);
    sb_putc(&b, '\0');
    assert_string_equal(b.data, want);
    sb_free(&b);
}

static void test_code_plain(void **state)
{
    (void)state;
    expect_code("list(role)", "`list(role)`");
    expect_code("", "");
}

static void test_code_backticks(void **state)
{
    (void)state;
    expect_code("a`b", "``a`b``");
    expect_code("a``b`c", "```a``b`c```");
    expect_code("`x`", "`` `x` ``");
}

static void test_code_pipes_and_lines(void **state)
{
    (void)state;
    expect_code("\"a|b\"", "`\"a\\|b\"`");
    expect_code("[\n    a,\n    b,\n  ]", "`[ a, b, ]`");
}

static void test_text_keeps_code_spans(void **state)
{
    (void)state;
    expect_text("inside `network.nodes`.", "inside `network.nodes`.");
    expect_text("at auth.<domain>, `<x>`", "at auth.\\<domain>, `<x>`");
    expect_text("a\\b | c `d|e`", "a\\\\b \\| c `d\\|e`");
}

static void test_text_unmatched_backticks(void **state)
{
    (void)state;
    expect_text("one ` tick <", "one ` tick \\<");
    expect_text("``a` b``", "``a` b``");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_code_plain),
        cmocka_unit_test(test_code_backticks),
        cmocka_unit_test(test_code_pipes_and_lines),
        cmocka_unit_test(test_text_keeps_code_spans),
        cmocka_unit_test(test_text_unmatched_backticks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
