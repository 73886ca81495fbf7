/* test_fmt.c — the formatter is idempotent, keeps the meaning (the tree
 * of its output equals the tree of its input), keeps every comment, and
 * lays out the cases below exactly so. */
#include "helpers.h"

#include <stdio.h>

/* Formats text and checks the three properties; returns the output. */
static char *check_fmt(const char *text)
{
    Parsed *in = parse_text(text);
    assert_clean(in);
    StrBuf b;
    sb_init(&b);
    fmt_file(in->src, &in->out, &b);
    char *once = sb_take(&b);

    Parsed *re = parse_text(once);
    if (re->diags.len) {
        char *s = diags_summary(re);
        print_error("formatted text does not parse:\n%s\n%s", once, s);
        free(s);
        fail();
    }
    if (!ast_equal(in->out.root, re->out.root)) {
        char *d1 = dump_of(in->out.root), *d2 = dump_of(re->out.root);
        print_error("meaning changed:\n%s\n--- before\n%s--- after\n%s", once, d1, d2);
        free(d1);
        free(d2);
        fail();
    }
    assert_int_equal(in->out.comments.len, re->out.comments.len);
    for (size_t i = 0; i < in->out.comments.len; i++)
        assert_string_equal(in->out.comments.at[i].text.s, re->out.comments.at[i].text.s);

    fmt_file(re->src, &re->out, &b);
    char *twice = sb_take(&b);
    if (strcmp(once, twice) != 0) {
        print_error("not idempotent:\n--- once\n%s--- twice\n%s", once, twice);
        fail();
    }
    free(twice);
    parsed_free(re);
    parsed_free(in);
    return once;
}

static void assert_fmt(const char *text, const char *want)
{
    char *got = check_fmt(text);
    bool same = strcmp(got, want) == 0;
    if (!same)
        print_error("source:\n%s\n--- want\n%s--- got\n%s", text, want, got);
    free(got);
    assert_true(same);
}

/* ---- properties over many snippets ---- */

static const char *const snippets[] = {
    "",
    "# only a comment",
    "let a = 1",
    "let a=1+2*3-(4/5)%6\nlet b = !x && y || z\n",
    "import \"a.crown\"   # why\nlet x = [1,2 ,3]\n",
    "server \"node-1\" {\n  address = \"10.0.0.1\"\n  roles = [control-plane, worker]\n"
    "  cpu = 32\n  memory = 256Gi\n}\n",
    "x { a { b = 1 } c = 2 }\n",
    "x {\n  a = 1 # end of line\n  # before close\n}\n",
    "let xs = [\n  1, # one\n  # before two\n  2,\n  3 # three\n]\n",
    "let xs = [1, 2,\n 3]\n",
    "x {\n\n\n  a = 1\n\n\n\n  b = 2\n\n}\n",
    "# a\n# b\n\n# c\nlet a = 1\n\n\n# d\n",
    "let s = \"a${ \"b${c}\" }d \\${x} \\u{1F600} \\t\"\n",
    "let s = \"\"\"\n    one\n      two ${x}\n\n    three \"quoted\" \\\\\n    \"\"\"\n",
    "let s = \"\"\"\n  \\u{20} leading\n  \\tx\n  \"\"\"\n",
    "let s = \"\"\"\n  ends with quote\\\"\"\"\"\n",
    "let s = \"\"\"single line\"\"\"\n",
    "let c = [for x in xs if x > 1: x * 2]\nlet m = {for k, v in src: k => v}\n",
    "let v = if c then 1 else 2\nlet w = match lb { l2 as v => v.pools, bgp => [], null => 0 }\n",
    "let m = match lb {\n  l2 => 1 # small\n  bgp => 2\n}\n",
    "schema server \"A machine.\" {\n  address: ip \"Primary.\"\n  roles: list(role) = [worker]\n"
    "  cpu: int(>= 1) \"Cores.\"\n  port: int(1 .. 65535)?\n  id: string(\"^[a-z]+$\")\n}\n",
    "enum role { worker \"Runs pods.\", storage }\n",
    "union lb {\n  l2 { pools: list(pool) }\n  bgp { asn: int(1 .. 4294967295), pools: list(pool) }\n"
    "  none\n}\n",
    "check \"c\" {\n  for p in pools, s in servers {\n"
    "    require !contains(p, s) else \"pool ${p.name}\" at p, s hint \"h\"\n"
    "    warn x else \"m\"\n  }\n}\n",
    "component metallb \"MetalLB.\" {\n  when = network.lb != null\n"
    "  manifest for p in pools {\n    kind = \"X\", spec { a = [for a in p.xs: string(a)] }\n"
    "  }\n}\n",
    "x {\n  if a { b = 1 } else if c { b = 2 } else { b = 3 }\n  for s in ss { y = s }\n}\n",
    "labels { \"crownlabs.polito.it/sel\" = \"a\", b = 1, \"c d\" = 2 }\n",
    "net { lb = l2 { pool \"p\" { addresses = [\"10.0.0.1-10.0.0.9\"] } } }\n",
    "let f = call(1, name = \"x\",\n  other = [])\n",
    "let e = {}\nlet l = []\nlet o = {\n}\nlet q = {\n  # inside\n}\n",
    "let a = x.y[0].z(1)[\"k\"]\nlet b = -x + -(1)\n",
    "let x = 1 # c1\n# c2\nlet y = 2 # c3",
    "x {\r\n  a = 1\r\n  s = \"\"\"\r\n    crlf\r\n    \"\"\"\r\n}\r\n",
    "\xEF\xBB\xBFlet a = 1\n",
    /* comments in odd places */
    "schema s {\n  a: int(\n    >= 1 # min\n  )\n  b: int\n}\n",
    "let a = \"x${ f(1, # c\n 2) }y\"\n",
    "x {\n  a = # c\n    1\n}\n",
    "x {\n  if a {\n    b = 1\n  } # c\n  else {\n    b = 2\n  }\n}\n",
    "let a = f(\n  # only\n)\n",
    "let m = match x {\n  # first\n  a => 1, # after a\n  b => 2\n  # last\n}\n",
    "let l = [for x in xs: # c\n  x]\n",
    "let a = [ # c\n]\n",
    "let a = [1,\n  [2, # inner\n   3]]\n",
    "x {\n  a = l2 { # c\n    b = 1\n  }\n}\n",
    "x { a = 1 # c\n}\n",
    "let a = [1 # c\n]\n",
    "let a = 1\n  # indented comment\nlet b = 2\n",
    "let a = \"\"\"\n  # not a comment\n  \"\"\"\n",
    "let a = 1 +\n  # between\n  2\n",
};

static void test_snippets_stable(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof snippets / sizeof snippets[0]; i++)
        free(check_fmt(snippets[i]));
}

/* ---- exact layout ---- */

static void test_spacing_and_alignment(void **state)
{
    (void)state;
    assert_fmt("server \"n\" {\n  address=\"10.0.0.1\"\n  cpu=32\n\n  memory   =  8Gi\n}\n",
               "server \"n\" {\n"
               "  address = \"10.0.0.1\"\n"
               "  cpu     = 32\n"
               "\n"
               "  memory = 8Gi\n"
               "}\n");
}

static void test_comments_kept_in_place(void **state)
{
    (void)state;
    assert_fmt("# header\n\nx {   # on the brace line\n  a = 1   # trailing\n"
               "  # before close\n}\nlet l = [\n  1, # one\n  # between\n  2\n]\n# end",
               "# header\n"
               "\n"
               "x {\n"
               "  # on the brace line\n"
               "  a = 1  # trailing\n"
               "  # before close\n"
               "}\n"
               "let l = [\n"
               "  1,  # one\n"
               "  # between\n"
               "  2,\n"
               "]\n"
               "# end\n");
}

static void test_blank_lines_collapse(void **state)
{
    (void)state;
    assert_fmt("\n\nlet a = 1\n\n\n\nlet b = 2\nlet c = 3\n\n\n",
               "let a = 1\n\nlet b = 2\nlet c = 3\n");
}

static void test_one_line_and_multi_line_kept(void **state)
{
    (void)state;
    assert_fmt("x { a = 1, b = [1,2] }\ny {\n  a = 1 }\n",
               "x { a = 1, b = [1, 2] }\n"
               "y {\n"
               "  a = 1\n"
               "}\n");
}

static void test_long_list_wraps(void **state)
{
    (void)state;
    /* 10 names of 9 characters: 119 columns on one line */
    StrBuf in, want;
    sb_init(&in);
    sb_init(&want);
    sb_puts(&in, "let hosts = [");
    sb_puts(&want, "let hosts = [\n");
    for (int i = 0; i < 10; i++) {
        sb_printf(&in, "%s\"host-%02d\"", i ? ", " : "", i);
        sb_printf(&want, "  \"host-%02d\",\n", i);
    }
    sb_puts(&in, "]\n");
    sb_puts(&want, "]\n");
    assert_fmt(in.data, want.data);

    /* exactly FMT_WIDTH columns stays on one line */
    sb_reset(&in);
    sb_puts(&in, "let a = [\"");
    sb_repeat(&in, 'x', FMT_WIDTH - 12);
    sb_puts(&in, "\"]\n");
    char *got = check_fmt(in.data);
    assert_string_equal(got, in.data);
    assert_int_equal(strlen(got), FMT_WIDTH + 1);
    free(got);

    /* one more column and it wraps */
    sb_reset(&in);
    sb_puts(&in, "let a = [\"");
    sb_repeat(&in, 'x', FMT_WIDTH - 11);
    sb_puts(&in, "\"]\n");
    got = check_fmt(in.data);
    assert_non_null(strstr(got, "[\n  \"x"));
    free(got);
    sb_free(&in);
    sb_free(&want);
}

static void test_nested_wrap_indents(void **state)
{
    (void)state;
    assert_fmt("x {\n  args = f(\"aaaaaaaaaaaaaaaaaaaa\", \"bbbbbbbbbbbbbbbbbbbb\", "
               "\"cccccccccccccccccccc\", \"dddddddddddddddddddd\")\n}\n",
               "x {\n"
               "  args = f(\n"
               "    \"aaaaaaaaaaaaaaaaaaaa\",\n"
               "    \"bbbbbbbbbbbbbbbbbbbb\",\n"
               "    \"cccccccccccccccccccc\",\n"
               "    \"dddddddddddddddddddd\",\n"
               "  )\n"
               "}\n");
}

static void test_strings_normalised(void **state)
{
    (void)state;
    assert_fmt("let a = \"\"\"one line\"\"\"\nlet b = \"\\u{41}\\$x\"\n",
               "let a = \"one line\"\nlet b = \"A$x\"\n");
    assert_fmt("x {\n  motd = \"\"\"\n      Welcome to ${site}.\n        Enjoy.\n      \"\"\"\n}\n",
               "x {\n"
               "  motd = \"\"\"\n"
               "    Welcome to ${site}.\n"
               "      Enjoy.\n"
               "  \"\"\"\n"
               "}\n");
}

static void test_long_lines_of_checks(void **state)
{
    (void)state;
    /* A require that does not fit moves its clauses to continuation lines. */
    assert_fmt("check c {\n  require some_long_condition_name && another_long_condition_name else "
               "\"a message that is long enough\" at place_one, place_two hint \"fix it\"\n}\n",
               "check c {\n"
               "  require some_long_condition_name && another_long_condition_name\n"
               "    else \"a message that is long enough\" at place_one, place_two hint \"fix it\"\n"
               "}\n");
    /* An interpolation is never broken over lines, however long the line. */
    assert_fmt("let x = \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa "
               "${join([\"a\", \"b\"], \",\")}\"\n",
               "let x = \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa "
               "${join([\"a\", \"b\"], \",\")}\"\n");
    /* Doc strings of a run of fields share a column. */
    assert_fmt("schema s {\n  a: int \"one\"\n  bbb: list(string) = [] \"two\"\n}\n",
               "schema s {\n"
               "  a:   int               \"one\"\n"
               "  bbb: list(string) = [] \"two\"\n"
               "}\n");
}

static void test_large_inputs(void **state)
{
    (void)state;
    StrBuf in;
    sb_init(&in);
    sb_puts(&in, "let a = ");
    for (int i = 0; i < 200; i++)
        sb_putc(&in, '[');
    for (int i = 0; i < 200; i++)
        sb_putc(&in, ']');
    sb_putc(&in, '\n');
    free(check_fmt(in.data));

    sb_reset(&in);
    sb_puts(&in, "x { a = \"");
    sb_repeat(&in, 'x', (size_t)1 << 20);
    sb_puts(&in, "\" }\n");
    char *got = check_fmt(in.data);
    assert_true(strncmp(got, "x {\n  a = \"xxx", 14) == 0);
    free(got);
    sb_free(&in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_snippets_stable),
        cmocka_unit_test(test_spacing_and_alignment),
        cmocka_unit_test(test_comments_kept_in_place),
        cmocka_unit_test(test_blank_lines_collapse),
        cmocka_unit_test(test_one_line_and_multi_line_kept),
        cmocka_unit_test(test_long_list_wraps),
        cmocka_unit_test(test_nested_wrap_indents),
        cmocka_unit_test(test_strings_normalised),
        cmocka_unit_test(test_long_lines_of_checks),
        cmocka_unit_test(test_large_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
