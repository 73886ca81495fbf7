/* test_parser.c — tree shapes (through ast_dump), limits on size and
 * nesting, and recovery from syntax errors. */
#include "helpers.h"

/* ---- shapes ---- */

static void test_let(void **state)
{
    (void)state;
    assert_dump("let total = a + b * 2\n",
                "(let name=\"total\")\n"
                "  a: (binary op=+)\n"
                "    a: (ident name=\"a\")\n"
                "    b: (binary op=*)\n"
                "      a: (ident name=\"b\")\n"
                "      b: (int name=\"2\")\n");
}

static void test_import(void **state)
{
    (void)state;
    assert_dump("import \"lib/base.crown\"\n",
                "(import)\n"
                "  a: (string)\n"
                "    list: (text name=\"lib/base.crown\")\n");
}

static void test_labeled_block(void **state)
{
    (void)state;
    assert_dump("server \"node-1\" {\n  cpu    = 32\n  memory = 256Gi\n}\n",
                "(block name=\"server\")\n"
                "  a: (string)\n"
                "    list: (text name=\"node-1\")\n"
                "  list: (attr name=\"cpu\")\n"
                "    a: (int name=\"32\")\n"
                "  list: (attr name=\"memory\")\n"
                "    a: (quantity name=\"256\" text=\"Gi\")\n");
    assert_dump("network { storage { ceph { replicas = 3 } } }\n",
                "(block name=\"network\")\n"
                "  list: (block name=\"storage\")\n"
                "    list: (block name=\"ceph\")\n"
                "      list: (attr name=\"replicas\")\n"
                "        a: (int name=\"3\")\n");
}

static void test_quoted_key(void **state)
{
    (void)state;
    Parsed *p = parse_text("labels { \"crownlabs.polito.it/sel\" = \"a\", plain = 1 }\n");
    assert_clean(p);
    const Node *b = p->out.root->list.at[0];
    assert_int_equal(b->list.len, 2);
    assert_int_equal(b->list.at[0]->kind, N_ATTR);
    assert_string_equal(b->list.at[0]->name.s, "crownlabs.polito.it/sel");
    assert_true(b->list.at[0]->flag);
    assert_string_equal(b->list.at[1]->name.s, "plain");
    assert_false(b->list.at[1]->flag);
    parsed_free(p);

    p = parse_text("labels { \"a${x}\" = 1 }\n");
    assert_one_diag(p, "E0032", 1, 14);
    parsed_free(p);
}

static void test_list_comprehension(void **state)
{
    (void)state;
    assert_dump("let a = [for x in xs if x > 1: x * 2]\n",
                "(let name=\"a\")\n"
                "  a: (listcomp)\n"
                "    a: (binary op=*)\n"
                "      a: (ident name=\"x\")\n"
                "      b: (int name=\"2\")\n"
                "    b: (binary op=>)\n"
                "      a: (ident name=\"x\")\n"
                "      b: (int name=\"1\")\n"
                "    list: (binding name=\"x\")\n"
                "      a: (ident name=\"xs\")\n");
}

static void test_object_comprehension(void **state)
{
    (void)state;
    assert_dump("let m = {for k, v in src: upper(k) => v.size}\n",
                "(let name=\"m\")\n"
                "  a: (objcomp)\n"
                "    a: (call)\n"
                "      a: (ident name=\"upper\")\n"
                "      list: (arg)\n"
                "        a: (ident name=\"k\")\n"
                "    b: (get name=\"size\")\n"
                "      a: (ident name=\"v\")\n"
                "    list: (binding name=\"k\" text=\"v\")\n"
                "      a: (ident name=\"src\")\n");
}

static void test_conditional_expression(void **state)
{
    (void)state;
    assert_dump("let a = if c then 1 else 2\n",
                "(let name=\"a\")\n"
                "  a: (cond)\n"
                "    a: (ident name=\"c\")\n"
                "    b: (int name=\"1\")\n"
                "    c: (int name=\"2\")\n");
}

static void test_match_and_is(void **state)
{
    (void)state;
    assert_dump("let a = match lb { l2 as v => v.pools, bgp => [], null => 0 }\n",
                "(let name=\"a\")\n"
                "  a: (match)\n"
                "    a: (ident name=\"lb\")\n"
                "    list: (arm name=\"l2\" text=\"v\")\n"
                "      a: (get name=\"pools\")\n"
                "        a: (ident name=\"v\")\n"
                "    list: (arm name=\"bgp\")\n"
                "      a: (list)\n"
                "    list: (arm name=\"null\")\n"
                "      a: (int name=\"0\")\n");
    assert_dump("let b = lb is l2 && !(x in xs)\n",
                "(let name=\"b\")\n"
                "  a: (binary op=&&)\n"
                "    a: (is name=\"l2\")\n"
                "      a: (ident name=\"lb\")\n"
                "    b: (unary op=!)\n"
                "      a: (paren)\n"
                "        a: (binary op=in)\n"
                "          a: (ident name=\"x\")\n"
                "          b: (ident name=\"xs\")\n");
}

static void test_union_variant_value(void **state)
{
    (void)state;
    assert_dump("network {\n  loadbalancer = l2 {\n    pool \"public\" { size = 4 }\n  }\n}\n",
                "(block name=\"network\")\n"
                "  list: (attr name=\"loadbalancer\")\n"
                "    a: (variant name=\"l2\")\n"
                "      list: (block name=\"pool\")\n"
                "        a: (string)\n"
                "          list: (text name=\"public\")\n"
                "        list: (attr name=\"size\")\n"
                "          a: (int name=\"4\")\n");
}

static void test_schema_fields(void **state)
{
    (void)state;
    assert_dump("schema server \"A machine.\" {\n"
                "  cpu:  int(>= 1) = 4 \"Cores.\"\n"
                "  tag:  string? \n"
                "  port: int(1 .. 65535)\n"
                "  id:   string(\"^[a-z]+$\")\n"
                "}\n",
                "(block name=\"schema\")\n"
                "  a: (ident name=\"server\")\n"
                "  b: (string)\n"
                "    list: (text name=\"A machine.\")\n"
                "  list: (field name=\"cpu\")\n"
                "    a: (type name=\"int\")\n"
                "      list: (constraint op=>=)\n"
                "        a: (int name=\"1\")\n"
                "    b: (int name=\"4\")\n"
                "    c: (string)\n"
                "      list: (text name=\"Cores.\")\n"
                "  list: (field name=\"tag\")\n"
                "    a: (type name=\"string\" flag)\n"
                "  list: (field name=\"port\")\n"
                "    a: (type name=\"int\")\n"
                "      list: (constraint op=..)\n"
                "        a: (int name=\"1\")\n"
                "        b: (int name=\"65535\")\n"
                "  list: (field name=\"id\")\n"
                "    a: (type name=\"string\")\n"
                "      list: (constraint)\n"
                "        a: (string)\n"
                "          list: (text name=\"^[a-z]+$\")\n");
}

static void test_enum(void **state)
{
    (void)state;
    assert_dump("enum role { worker \"Runs pods.\", storage }\n",
                "(block name=\"enum\")\n"
                "  a: (ident name=\"role\")\n"
                "  list: (member name=\"worker\")\n"
                "    a: (string)\n"
                "      list: (text name=\"Runs pods.\")\n"
                "  list: (member name=\"storage\")\n");
}

static void test_union_declaration(void **state)
{
    (void)state;
    assert_dump("union lb {\n  l2 { pools: list(pool) }\n  none\n}\n",
                "(block name=\"union\")\n"
                "  a: (ident name=\"lb\")\n"
                "  list: (block name=\"l2\")\n"
                "    list: (field name=\"pools\")\n"
                "      a: (type name=\"list\")\n"
                "        list: (type name=\"pool\")\n"
                "  list: (member name=\"none\")\n");
}

static void test_check_require(void **state)
{
    (void)state;
    assert_dump("check \"pool-outside-nodes\" {\n"
                "  for p in pools, s in servers {\n"
                "    require !contains(p, s) else \"pool ${p.name}\" at p, s\n"
                "  }\n"
                "}\n",
                "(block name=\"check\")\n"
                "  a: (string)\n"
                "    list: (text name=\"pool-outside-nodes\")\n"
                "  list: (for)\n"
                "    list: (binding name=\"p\")\n"
                "      a: (ident name=\"pools\")\n"
                "    list: (binding name=\"s\")\n"
                "      a: (ident name=\"servers\")\n"
                "    list2: (require)\n"
                "      a: (unary op=!)\n"
                "        a: (call)\n"
                "          a: (ident name=\"contains\")\n"
                "          list: (arg)\n"
                "            a: (ident name=\"p\")\n"
                "          list: (arg)\n"
                "            a: (ident name=\"s\")\n"
                "      b: (string)\n"
                "        list: (text name=\"pool \")\n"
                "        list: (get name=\"name\")\n"
                "          a: (ident name=\"p\")\n"
                "      list: (ident name=\"p\")\n"
                "      list: (ident name=\"s\")\n");
    assert_dump("check \"c\" { warn x else \"m\" hint \"h\" }\n",
                "(block name=\"check\")\n"
                "  a: (string)\n"
                "    list: (text name=\"c\")\n"
                "  list: (require flag)\n"
                "    a: (ident name=\"x\")\n"
                "    b: (string)\n"
                "      list: (text name=\"m\")\n"
                "    c: (string)\n"
                "      list: (text name=\"h\")\n");
}

static void test_component_manifest_for(void **state)
{
    (void)state;
    assert_dump("component metallb \"MetalLB.\" {\n"
                "  namespace = \"metallb-system\"\n"
                "  manifest for p in pools if p.auto {\n"
                "    kind = \"IPAddressPool\"\n"
                "  }\n"
                "}\n",
                "(block name=\"component\")\n"
                "  a: (ident name=\"metallb\")\n"
                "  b: (string)\n"
                "    list: (text name=\"MetalLB.\")\n"
                "  list: (attr name=\"namespace\")\n"
                "    a: (string)\n"
                "      list: (text name=\"metallb-system\")\n"
                "  list: (block name=\"manifest\")\n"
                "    c: (for)\n"
                "      a: (get name=\"auto\")\n"
                "        a: (ident name=\"p\")\n"
                "      list: (binding name=\"p\")\n"
                "        a: (ident name=\"pools\")\n"
                "    list: (attr name=\"kind\")\n"
                "      a: (string)\n"
                "        list: (text name=\"IPAddressPool\")\n");
}

static void test_if_else_items(void **state)
{
    (void)state;
    assert_dump("x {\n  if a { b = 1 } else if c { b = 2 } else { b = 3 }\n}\n",
                "(block name=\"x\")\n"
                "  list: (if)\n"
                "    a: (ident name=\"a\")\n"
                "    b: (if)\n"
                "      a: (ident name=\"c\")\n"
                "      list: (attr name=\"b\")\n"
                "        a: (int name=\"2\")\n"
                "      list2: (attr name=\"b\")\n"
                "        a: (int name=\"3\")\n"
                "    list: (attr name=\"b\")\n"
                "      a: (int name=\"1\")\n");
}

static void test_item_placement(void **state)
{
    (void)state;
    /* attributes belong in blocks, fields in schemas */
    Parsed *p = parse_text("let a = 1\nb = 2\n");
    assert_one_diag(p, "E0030", 2, 1);
    parsed_free(p);

    p = parse_text("server \"n\" {\n  cpu: int\n}\n");
    assert_one_diag(p, "E0030", 2, 3);
    parsed_free(p);

    p = parse_text("schema { a: int }\n");
    assert_one_diag(p, "E0031", 1, 1);
    parsed_free(p);
}

/* ---- separators ---- */

static void test_brace_then_name_ends_item(void **state)
{
    (void)state;
    assert_dump("x { a { b = 1 } c = 2 }\n",
                "(block name=\"x\")\n"
                "  list: (block name=\"a\")\n"
                "    list: (attr name=\"b\")\n"
                "      a: (int name=\"1\")\n"
                "  list: (attr name=\"c\")\n"
                "    a: (int name=\"2\")\n");
    /* a string after `}` is not a new item: here it is an error */
    Parsed *p = parse_text("x { a { b = 1 } \"c\" = 2 }\n");
    assert_true(count_code(p, "E0020") >= 1);
    assert_int_equal(span_pos(&p->diags.items[0].primary.span).col, 17);
    parsed_free(p);
}

static void test_blank_and_comment_lines_before_brace(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "x {\n  a = 1\n\n}\n",
        "x {\n  a = 1\n  # a note\n}\n",
        "x {\n  a = 1\n}\n# end\n",
        "x {\n  a = 1\n}\n\n\n",
        "let l = [\n  1,\n\n  2,\n]\n",
        "if c {\n  x { a = 1 }\n\n} else {\n  x { a = 2 }\n}\n",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        Parsed *p = parse_text(texts[i]);
        assert_clean(p);
        assert_int_equal(p->out.root->list.len, 1);
        parsed_free(p);
    }
}

static void test_newlines_inside_expressions(void **state)
{
    (void)state;
    Parsed *p = parse_text("let a = 1 +\n  2\nlet b = f(\n  1,\n  2\n)\nlet c = x\n  .y\n");
    assert_clean(p);
    assert_int_equal(p->out.root->list.len, 3);
    assert_int_equal(p->out.root->list.at[0]->a->kind, N_BINARY);
    assert_int_equal(p->out.root->list.at[1]->a->list.len, 2);
    assert_int_equal(p->out.root->list.at[2]->a->kind, N_GET);
    parsed_free(p);
}

/* ---- size and nesting ---- */

static char *repeat_text(const char *prefix, const char *unit, size_t n, const char *mid,
                         const char *unit2, size_t n2, const char *suffix)
{
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, prefix);
    for (size_t i = 0; i < n; i++)
        sb_puts(&b, unit);
    sb_puts(&b, mid);
    for (size_t i = 0; i < n2; i++)
        sb_puts(&b, unit2);
    sb_puts(&b, suffix);
    return sb_take(&b);
}

static void test_long_line(void **state)
{
    (void)state;
    size_t n = (size_t)1 << 20;
    char *text = repeat_text("x { a = \"", "x", n, "\" }", "", 0, " # end");
    Parsed *p = parse_text(text);
    assert_clean(p);
    const Node *s = p->out.root->list.at[0]->list.at[0]->a;
    assert_int_equal(s->kind, N_STRING);
    assert_int_equal(s->list.at[0]->name.len, n);
    assert_int_equal(p->out.comments.len, 1);
    assert_int_equal(span_pos(&p->out.comments.at[0].span).col, n + 14);
    parsed_free(p);
    free(text);

    text = repeat_text("let a = [", "a, ", 200000, "a]\nlet b = 4GB", "", 0, "\n");
    p = parse_text(text);
    assert_one_diag(p, "E0008", 2, 9);
    assert_int_equal(first_value(p)->list.len, 200001);
    parsed_free(p);
    free(text);
}

static void test_nested_lists_within_limit(void **state)
{
    (void)state;
    char *text = repeat_text("let a = ", "[", 200, "1", "]", 200, "\n");
    Parsed *p = parse_text(text);
    assert_clean(p);
    const Node *n = first_value(p);
    for (int i = 0; i < 200; i++) {
        assert_int_equal(n->kind, N_LIST);
        assert_int_equal(n->list.len, 1);
        n = n->list.at[0];
    }
    assert_int_equal(n->kind, N_INT);
    parsed_free(p);
    free(text);
}

static void test_nesting_too_deep(void **state)
{
    (void)state;
    /* the 257th open bracket is refused, at its column (9 + 256) */
    char *text = repeat_text("let a = ", "[", 10000, "", "]", 10000, "\n");
    Parsed *p = parse_text(text);
    assert_one_diag(p, "E0021", 1, 9 + PARSE_MAX_NESTING);
    assert_int_equal(p->out.root->list.len, 0);
    parsed_free(p);
    free(text);

    text = repeat_text("x = ", "{ a = ", 10000, "1", " }", 10000, "\n");
    p = parse_text(text);
    assert_int_equal(count_code(p, "E0021"), 1);
    parsed_free(p);
    free(text);

    /* unclosed: no cascade of errors at the end */
    text = repeat_text("let a = ", "(", 10000, "", "", 0, "");
    p = parse_text(text);
    assert_one_diag(p, "E0021", 1, 9 + PARSE_MAX_NESTING);
    parsed_free(p);
    free(text);
}

static void test_long_operator_chains(void **state)
{
    (void)state;
    char *text = repeat_text("let a = a", " + a", 4999, "", "", 0, "\n");
    Parsed *p = parse_text(text);
    const Diag *d = assert_one_diag(p, "E0021", 1, 9);
    assert_non_null(strstr(d->message, "1000"));
    assert_int_equal(p->out.root->list.len, 0);
    parsed_free(p);
    free(text);

    text = repeat_text("let a = ", "-", 5000, "1", "", 0, "\n");
    p = parse_text(text);
    assert_int_equal(count_code(p, "E0021"), 1);
    assert_int_equal(p->diags.len, 1);
    parsed_free(p);
    free(text);

    /* deeper than the parser stack itself */
    text = repeat_text("let a = ", "!", 20000, "b", "", 0, "\n");
    p = parse_text(text);
    assert_int_equal(count_code(p, "E0021"), 1);
    parsed_free(p);
    free(text);

    /* just within the limit */
    text = repeat_text("let a = a", " + a", 900, "", "", 0, "\n");
    p = parse_text(text);
    assert_clean(p);
    parsed_free(p);
    free(text);
}

/* ---- recovery ---- */

static void test_three_errors_three_diagnostics(void **state)
{
    (void)state;
    Parsed *p = parse_text("x {\n"
                           "  a = = 1\n"
                           "  b = 2\n"
                           "  c = )\n"
                           "  d = 3\n"
                           "  e = ]\n"
                           "}\n");
    assert_int_equal(p->diags.len, 3);
    static const uint32_t lines[] = {2, 4, 6};
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal(p->diags.items[i].code, "E0020");
        assert_int_equal(span_pos(&p->diags.items[i].primary.span).line, lines[i]);
        assert_int_equal(span_pos(&p->diags.items[i].primary.span).col, 7);
    }
    parsed_free(p);

    p = parse_text("let a = = 1\nlet b = 2\nlet c = )\nlet d = 3\nlet e 5\n");
    assert_int_equal(p->diags.len, 3);
    assert_int_equal(count_code(p, "E0020"), 3);
    assert_int_equal(span_pos(&p->diags.items[0].primary.span).line, 1);
    assert_int_equal(span_pos(&p->diags.items[0].primary.span).col, 9);
    assert_int_equal(span_pos(&p->diags.items[1].primary.span).line, 3);
    assert_int_equal(span_pos(&p->diags.items[1].primary.span).col, 9);
    assert_int_equal(span_pos(&p->diags.items[2].primary.span).line, 5);
    assert_int_equal(span_pos(&p->diags.items[2].primary.span).col, 7);
    parsed_free(p);
}

static void test_recovery_terminates(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "x { a { b = 1 } c = }\n",
        "x { a { b = 1 c = 2 }\n",
        "x { a = 1 b = 2 }\n",
        "}}}}\n)))\n]]]\n",
        "x { { { {\n",
        "= = = = =\n",
        "let let let\n",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        Parsed *p = parse_text(texts[i]);
        assert_true(p->diags.len >= 1);
        assert_true(p->diags.len <= 10);
        parsed_free(p);
    }
}

static void test_error_limit(void **state)
{
    (void)state;
    char *text = repeat_text("", "let = 1\n", 300, "", "", 0, "");
    Parsed *p = parse_text(text);
    assert_int_equal(count_code(p, "E0020"), PARSE_MAX_ERRORS);
    assert_int_equal(count_code(p, "E0022"), 1);
    parsed_free(p);
    free(text);
}

static void test_end_of_file_position(void **state)
{
    (void)state;
    /* just after the last token, not on the empty line after it */
    Parsed *p = parse_text("let a = 1 +\n\n");
    assert_one_diag(p, "E0020", 1, 12);
    parsed_free(p);

    p = parse_text("x {\n  a = [1,\n    2\n");
    const Diag *d = assert_one_diag(p, "E0020", 3, 6);
    assert_int_equal(d->nsecondary, 1);
    assert_int_equal(span_pos(&d->secondary[0].span).line, 2);
    assert_int_equal(span_pos(&d->secondary[0].span).col, 7);
    parsed_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_let),
        cmocka_unit_test(test_import),
        cmocka_unit_test(test_labeled_block),
        cmocka_unit_test(test_quoted_key),
        cmocka_unit_test(test_list_comprehension),
        cmocka_unit_test(test_object_comprehension),
        cmocka_unit_test(test_conditional_expression),
        cmocka_unit_test(test_match_and_is),
        cmocka_unit_test(test_union_variant_value),
        cmocka_unit_test(test_schema_fields),
        cmocka_unit_test(test_enum),
        cmocka_unit_test(test_union_declaration),
        cmocka_unit_test(test_check_require),
        cmocka_unit_test(test_component_manifest_for),
        cmocka_unit_test(test_if_else_items),
        cmocka_unit_test(test_item_placement),
        cmocka_unit_test(test_brace_then_name_ends_item),
        cmocka_unit_test(test_blank_and_comment_lines_before_brace),
        cmocka_unit_test(test_newlines_inside_expressions),
        cmocka_unit_test(test_long_line),
        cmocka_unit_test(test_nested_lists_within_limit),
        cmocka_unit_test(test_nesting_too_deep),
        cmocka_unit_test(test_long_operator_chains),
        cmocka_unit_test(test_three_errors_three_diagnostics),
        cmocka_unit_test(test_recovery_terminates),
        cmocka_unit_test(test_error_limit),
        cmocka_unit_test(test_end_of_file_position),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
