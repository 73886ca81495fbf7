/* test_lexer.c — tokens as the parser receives them: quantities,
 * identifiers with dashes, strings and escapes, encodings, positions. */
#include "helpers.h"

#include <stdio.h>

/* ---- quantities ---- */

static void test_every_unit_is_a_quantity(void **state)
{
    (void)state;
    static const char *const units[] = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "k", "M",
                                        "G",  "T",  "P",  "E",  "m",  "s",  "h", "d"};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        char text[64];
        snprintf(text, sizeof text, "let a = 16%s\n", units[i]);
        Parsed *p = parse_text(text);
        assert_clean(p);
        const Node *v = first_value(p);
        assert_int_equal(v->kind, N_QUANTITY);
        assert_string_equal(v->name.s, "16");
        assert_int_equal(v->text.len, strlen(units[i]));
        assert_memory_equal(v->text.s, units[i], v->text.len);
        assert_int_equal(span_pos(&v->span).col, 9);
        assert_int_equal(span_pos(&v->span).end_col, 11 + strlen(units[i]));
        parsed_free(p);
    }
}

static void test_decimal_quantity(void **state)
{
    (void)state;
    Parsed *p = parse_text("let a = 2.5Gi\nlet b = 500m\n");
    assert_clean(p);
    const Node *v = first_value(p);
    assert_int_equal(v->kind, N_QUANTITY);
    assert_string_equal(v->name.s, "2.5");
    assert_int_equal(v->text.len, 2);
    assert_memory_equal(v->text.s, "Gi", 2);
    const Node *b = p->out.root->list.at[1]->a;
    assert_int_equal(b->kind, N_QUANTITY);
    assert_string_equal(b->name.s, "500");
    assert_memory_equal(b->text.s, "m", 1);
    parsed_free(p);
}

static void test_unknown_unit(void **state)
{
    (void)state;
    Parsed *p = parse_text("x {\n  memory = 4GB\n}\n");
    const Diag *d = assert_one_diag(p, "E0008", 2, 12);
    assert_int_equal(span_pos(&d->primary.span).end_line, 2);
    assert_int_equal(span_pos(&d->primary.span).end_col, 15);
    assert_int_equal(d->primary.span.start, 15);
    assert_int_equal(d->primary.span.end, 18);
    assert_non_null(d->hint);
    assert_non_null(strstr(d->hint, "4Gi"));
    parsed_free(p);

    /* lower-case k is a unit, upper-case K alone is not */
    p = parse_text("let a = 3K\n");
    assert_one_diag(p, "E0008", 1, 9);
    parsed_free(p);
}

static void test_numbers(void **state)
{
    (void)state;
    Parsed *p = parse_text("let a = 42\nlet b = 2.5\n");
    assert_clean(p);
    assert_int_equal(first_value(p)->kind, N_INT);
    assert_int_equal(first_value(p)->ival, 42);
    assert_int_equal(p->out.root->list.at[1]->a->kind, N_FLOAT);
    parsed_free(p);

    p = parse_text("let a = 0755\n");
    assert_one_diag(p, "E0009", 1, 9);
    parsed_free(p);

    p = parse_text("let a = 99999999999999999999\n");
    assert_one_diag(p, "E0009", 1, 9);
    parsed_free(p);

    p = parse_text("let a = 10.0.0.0/24\n");
    assert_one_diag(p, "E0010", 1, 9);
    parsed_free(p);
}

/* ---- identifiers and minus ---- */

static void test_dash_inside_identifier(void **state)
{
    (void)state;
    Parsed *p = parse_text("let a = a-b\nlet c = node-1\n");
    assert_clean(p);
    const Node *v = first_value(p);
    assert_int_equal(v->kind, N_IDENT);
    assert_string_equal(v->name.s, "a-b");
    v = p->out.root->list.at[1]->a;
    assert_int_equal(v->kind, N_IDENT);
    assert_string_equal(v->name.s, "node-1");
    parsed_free(p);
}

static void assert_subtraction(const char *text)
{
    Parsed *p = parse_text(text);
    assert_clean(p);
    const Node *v = first_value(p);
    assert_int_equal(v->kind, N_BINARY);
    assert_int_equal(v->op, OP_SUB);
    assert_string_equal(v->a->name.s, "a");
    assert_string_equal(v->b->name.s, "b");
    parsed_free(p);
}

static void test_spaced_minus_is_subtraction(void **state)
{
    (void)state;
    assert_subtraction("let x = a - b\n");
    assert_subtraction("let x = a -b\n");
    /* an identifier never ends with `-` */
    assert_subtraction("let x = a- b\n");
}

static void test_trailing_dash_is_not_identifier(void **state)
{
    (void)state;
    /* `a-` is `a` then `-` with nothing after it */
    Parsed *p = parse_text("let x = a-\n");
    const Diag *d = assert_one_diag(p, "E0020", 1, 11);
    assert_non_null(strstr(d->message, "end of file"));
    parsed_free(p);
}

static void test_keywords_and_identifiers(void **state)
{
    (void)state;
    Parsed *p = parse_text("let a = [true, false, null, in-x, let_1]\n");
    assert_clean(p);
    const Node *l = first_value(p);
    assert_int_equal(l->list.len, 5);
    assert_int_equal(l->list.at[0]->kind, N_BOOL);
    assert_true(l->list.at[0]->flag);
    assert_int_equal(l->list.at[1]->kind, N_BOOL);
    assert_false(l->list.at[1]->flag);
    assert_int_equal(l->list.at[2]->kind, N_NULL);
    assert_string_equal(l->list.at[3]->name.s, "in-x");
    assert_string_equal(l->list.at[4]->name.s, "let_1");
    parsed_free(p);
}

/* ---- strings ---- */

static void test_nested_interpolation(void **state)
{
    (void)state;
    Parsed *p = parse_text("let s = \"a${ \"b${c}\" }d\"\n");
    assert_clean(p);
    const Node *s = first_value(p);
    assert_int_equal(s->kind, N_STRING);
    assert_int_equal(s->list.len, 3);
    assert_int_equal(s->list.at[0]->kind, N_TEXT);
    assert_string_equal(s->list.at[0]->name.s, "a");
    const Node *inner = s->list.at[1];
    assert_int_equal(inner->kind, N_STRING);
    assert_int_equal(inner->list.len, 2);
    assert_string_equal(inner->list.at[0]->name.s, "b");
    assert_int_equal(inner->list.at[1]->kind, N_IDENT);
    assert_string_equal(inner->list.at[1]->name.s, "c");
    assert_int_equal(span_pos(&inner->list.at[1]->span).col, 18);
    assert_int_equal(s->list.at[2]->kind, N_TEXT);
    assert_string_equal(s->list.at[2]->name.s, "d");
    parsed_free(p);
}

static void test_escapes(void **state)
{
    (void)state;
    Parsed *p = parse_text("let s = \"\\$x \\${y} $ \\n\\t\\r\\\"\\\\ \\u{41}\\u{e9}\\u{1F600}\"\n");
    assert_clean(p);
    const Node *s = first_value(p);
    assert_int_equal(s->list.len, 1);
    assert_string_equal(s->list.at[0]->name.s,
                        "$x ${y} $ \n\t\r\"\\ A\xC3\xA9\xF0\x9F\x98\x80");
    parsed_free(p);
}

static void test_bad_escapes(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        uint32_t col, end_col;
    } cases[] = {
        {"let s = \"a\\qb\"\n", 11, 13},
        {"let s = \"\\u{D800}\"\n", 10, 18},
        {"let s = \"\\u{110000}\"\n", 10, 20},
        {"let s = \"\\u{0}\"\n", 10, 15},
        {"let s = \"\\u{}\"\n", 10, 12},
        {"let s = \"C:\\dir\"\n", 12, 14},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Parsed *p = parse_text(cases[i].text);
        const Diag *d = assert_one_diag(p, "E0007", 1, cases[i].col);
        assert_int_equal(span_pos(&d->primary.span).end_col, cases[i].end_col);
        parsed_free(p);
    }
}

static void test_unterminated_string(void **state)
{
    (void)state;
    /* at the end of a line: reading goes on with the next line */
    Parsed *p = parse_text("let a = \"abc\nlet b = 4GB\n");
    assert_int_equal(p->diags.len, 2);
    assert_string_equal(p->diags.items[0].code, "E0005");
    assert_int_equal(span_pos(&p->diags.items[0].primary.span).line, 1);
    assert_int_equal(span_pos(&p->diags.items[0].primary.span).col, 9);
    assert_string_equal(p->diags.items[1].code, "E0008");
    assert_int_equal(span_pos(&p->diags.items[1].primary.span).line, 2);
    assert_int_equal(span_pos(&p->diags.items[1].primary.span).col, 9);
    parsed_free(p);

    /* at the end of the file, with no newline */
    p = parse_text("x {\n  a = \"abc");
    assert_one_diag(p, "E0005", 2, 7);
    parsed_free(p);
}

static void test_unterminated_triple_string(void **state)
{
    (void)state;
    Parsed *p = parse_text("x {\n  motd = \"\"\"\n    hello\n    world\n");
    const Diag *d = assert_one_diag(p, "E0005", 2, 10);
    assert_non_null(strstr(d->message, "triple-quoted"));
    parsed_free(p);
}

static void test_unterminated_interpolation(void **state)
{
    (void)state;
    Parsed *p = parse_text("let a = \"x ${b");
    const Diag *d = assert_one_diag(p, "E0006", 1, 12);
    assert_int_equal(span_pos(&d->primary.span).end_col, 14);
    parsed_free(p);

    p = parse_text("let a = \"\"\"\n  x ${b +\n");
    assert_one_diag(p, "E0006", 2, 5);
    parsed_free(p);
}

static void test_triple_string_dedent(void **state)
{
    (void)state;
    Parsed *p = parse_text("let s = \"\"\"\n    one\n      two\n\n    three\n    \"\"\"\n");
    assert_clean(p);
    const Node *s = first_value(p);
    assert_true(s->flag);
    assert_int_equal(s->list.len, 1);
    assert_string_equal(s->list.at[0]->name.s, "one\n  two\n\nthree\n");
    parsed_free(p);
}

/* ---- comments ---- */

static void test_comment_at_end_without_newline(void **state)
{
    (void)state;
    Parsed *p = parse_text("let a = 1 # the end");
    assert_clean(p);
    assert_int_equal(p->out.root->list.len, 1);
    assert_int_equal(p->out.comments.len, 1);
    assert_string_equal(p->out.comments.at[0].text.s, "# the end");
    assert_int_equal(span_pos(&p->out.comments.at[0].span).line, 1);
    assert_int_equal(span_pos(&p->out.comments.at[0].span).col, 11);
    parsed_free(p);

    p = parse_text("# only a comment");
    assert_clean(p);
    assert_int_equal(p->out.root->list.len, 0);
    assert_int_equal(p->out.comments.len, 1);
    parsed_free(p);
}

static void test_comment_trailing_blanks_removed(void **state)
{
    (void)state;
    Parsed *p = parse_text("# note  \t\r\nlet a = 1\r\n");
    assert_clean(p);
    assert_int_equal(p->out.comments.len, 1);
    assert_string_equal(p->out.comments.at[0].text.s, "# note");
    parsed_free(p);
}

/* ---- line endings and columns ---- */

static void test_crlf_positions(void **state)
{
    (void)state;
    Parsed *p = parse_text("let a = 1\r\nlet b = 2\r\nlet c = 4GB\r\n");
    assert_one_diag(p, "E0008", 3, 9);
    assert_int_equal(p->out.root->list.len, 3);
    assert_int_equal(span_pos(&p->out.root->list.at[1]->span).line, 2);
    assert_int_equal(span_pos(&p->out.root->list.at[1]->span).col, 1);
    parsed_free(p);
}

static void test_crlf_in_triple_string(void **state)
{
    (void)state;
    Parsed *p = parse_text("let s = \"\"\"\r\n  x\r\n  y\r\n  \"\"\"\r\nlet b = 4GB\r\n");
    assert_one_diag(p, "E0008", 5, 9);
    const Node *s = first_value(p);
    assert_int_equal(s->list.len, 1);
    assert_string_equal(s->list.at[0]->name.s, "x\ny\n");
    parsed_free(p);
}

static void test_bom_at_start(void **state)
{
    (void)state;
    Parsed *p = parse_text("\xEF\xBB\xBFlet a = 4GB\n");
    assert_one_diag(p, "E0008", 1, 9);
    assert_int_equal(span_pos(&p->out.root->list.at[0]->span).col, 1);
    parsed_free(p);

    /* positions computed from bytes agree with the scanner's */
    p = parse_text("\xEF\xBB\xBFlet a = \"\xFF\"\n");
    assert_one_diag(p, "E0001", 1, 10);
    parsed_free(p);

    p = parse_text("\xEF\xBB\xBF");
    assert_clean(p);
    assert_int_equal(p->out.root->list.len, 0);
    parsed_free(p);
}

static void test_bom_elsewhere(void **state)
{
    (void)state;
    Parsed *p = parse_text("let a = 1\n\xEF\xBB\xBFlet b = 2\n");
    assert_true(p->diags.len >= 1);
    assert_string_equal(p->diags.items[0].code, "E0004");
    assert_int_equal(span_pos(&p->diags.items[0].primary.span).line, 2);
    assert_int_equal(span_pos(&p->diags.items[0].primary.span).col, 1);
    parsed_free(p);

    p = parse_text("let a = 1 \xEF\xBB\xBF\n");
    assert_true(p->diags.len >= 1);
    assert_string_equal(p->diags.items[0].code, "E0004");
    assert_int_equal(span_pos(&p->diags.items[0].primary.span).col, 11);
    parsed_free(p);
}

static void test_tab_is_one_column(void **state)
{
    (void)state;
    Parsed *p = parse_text("x {\n\t\tcpu =\t4GB\n}\n");
    assert_one_diag(p, "E0008", 2, 9);
    parsed_free(p);
}

static void test_multibyte_columns(void **state)
{
    (void)state;
    /* é is 2 bytes, the emoji 4: columns count code points */
    Parsed *p = parse_text("let a = \"\xC3\xA9\xC3\xA9\xF0\x9F\x98\x80\" + 4GB\n");
    const Diag *d = assert_one_diag(p, "E0008", 1, 17);
    assert_int_equal(span_pos(&d->primary.span).end_col, 20);
    assert_int_equal(d->primary.span.start, 21);
    parsed_free(p);

    p = parse_text("let \xC3\xA9 = 1\n");
    assert_true(p->diags.len >= 1);
    assert_string_equal(p->diags.items[0].code, "E0004");
    assert_int_equal(span_pos(&p->diags.items[0].primary.span).col, 5);
    assert_int_equal(span_pos(&p->diags.items[0].primary.span).end_col, 6);
    parsed_free(p);
}

/* ---- encoding ---- */

static void test_nul_byte(void **state)
{
    (void)state;
    static const char text[] = "let a = 1\nlet b\0 = 2\n";
    Parsed *p = parse_bytes(text, sizeof text - 1);
    const Diag *d = assert_one_diag(p, "E0002", 2, 6);
    assert_int_equal(d->primary.span.start, 15);
    assert_int_equal(p->out.root->list.len, 0);
    parsed_free(p);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "let a = \"caf\xE9\"\n",         /* Latin-1 */
        "let a = \"\xC3\"\n",            /* truncated sequence */
        "let a = \"\xED\xA0\x80\"\n",    /* surrogate */
        "let a = \"\xC0\xAF\"\n",        /* overlong */
        "let a = \"\xF4\x90\x80\x80\"\n" /* beyond U+10FFFF */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        Parsed *p = parse_text(bad[i]);
        assert_one_diag(p, "E0001", 1, i == 0 ? 13 : 10);
        parsed_free(p);
    }
}

static void test_empty_file(void **state)
{
    (void)state;
    static const char *const empty[] = {"", "\n", "\n\n\n", "   \t\n", "\r\n"};
    for (size_t i = 0; i < sizeof empty / sizeof empty[0]; i++) {
        Parsed *p = parse_text(empty[i]);
        assert_clean(p);
        assert_int_equal(p->out.root->kind, N_FILE);
        assert_int_equal(p->out.root->list.len, 0);
        assert_int_equal(p->out.comments.len, 0);
        parsed_free(p);
    }
}

static void test_unexpected_characters(void **state)
{
    (void)state;
    Parsed *p = parse_text("x {\n  a = 1;\n}\n");
    const Diag *d = assert_one_diag(p, "E0004", 2, 8);
    assert_non_null(d->hint);
    parsed_free(p);

    p = parse_text("let a = 'x'\n");
    assert_true(p->diags.len >= 1);
    assert_string_equal(p->diags.items[0].code, "E0004");
    assert_int_equal(span_pos(&p->diags.items[0].primary.span).col, 9);
    parsed_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_unit_is_a_quantity),
        cmocka_unit_test(test_decimal_quantity),
        cmocka_unit_test(test_unknown_unit),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_dash_inside_identifier),
        cmocka_unit_test(test_spaced_minus_is_subtraction),
        cmocka_unit_test(test_trailing_dash_is_not_identifier),
        cmocka_unit_test(test_keywords_and_identifiers),
        cmocka_unit_test(test_nested_interpolation),
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_bad_escapes),
        cmocka_unit_test(test_unterminated_string),
        cmocka_unit_test(test_unterminated_triple_string),
        cmocka_unit_test(test_unterminated_interpolation),
        cmocka_unit_test(test_triple_string_dedent),
        cmocka_unit_test(test_comment_at_end_without_newline),
        cmocka_unit_test(test_comment_trailing_blanks_removed),
        cmocka_unit_test(test_crlf_positions),
        cmocka_unit_test(test_crlf_in_triple_string),
        cmocka_unit_test(test_bom_at_start),
        cmocka_unit_test(test_bom_elsewhere),
        cmocka_unit_test(test_tab_is_one_column),
        cmocka_unit_test(test_multibyte_columns),
        cmocka_unit_test(test_nul_byte),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_unexpected_characters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
