/* helpers.h — parsing and formatting fixtures shared by the unit tests.
 *
 * Each test parses a snippet into a Parsed (source, arena, diagnostics and
 * tree together) and releases it with parsed_free. Everything is static
 * inline so that each test file includes only what it uses. */
#ifndef CROWN_TEST_HELPERS_H
#define CROWN_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ast.h"
#include "diag.h"
#include "fmt.h"
#include "parse.h"
#include "source.h"
#include "strbuf.h"

typedef struct Parsed {
    Source *src;
    Arena arena;
    DiagList diags;
    ParseOutput out;
} Parsed;

/* Parses len bytes of text (which may hold NULs) named "t.crown". */
static inline Parsed *parse_bytes(const char *text, size_t len)
{
    Parsed *p = calloc(1, sizeof *p);
    assert_non_null(p);
    p->src = source_from_bytes("t.crown", text, len);
    arena_init(&p->arena);
    diag_init(&p->diags);
    p->out = parse_source(p->src, &p->arena, &p->diags);
    assert_non_null(p->out.root);
    assert_int_equal(p->out.root->kind, N_FILE);
    return p;
}

static inline Parsed *parse_text(const char *text) { return parse_bytes(text, strlen(text)); }

static inline void parsed_free(Parsed *p)
{
    if (!p)
        return;
    diag_free(&p->diags);
    arena_free(&p->arena);
    source_free(p->src);
    free(p);
}

/* The diagnostics as "CODE line:col" lines, for messages on failure. */
static inline char *diags_summary(const Parsed *p)
{
    StrBuf b;
    sb_init(&b);
    for (size_t i = 0; i < p->diags.len; i++) {
        const Diag *d = &p->diags.items[i];
        sb_printf(&b, "%s %u:%u %s\n", d->code, span_pos(&d->primary.span).line, span_pos(&d->primary.span).col,
                  d->message);
    }
    if (!b.data)
        sb_puts(&b, "");
    return sb_take(&b);
}

/* Fails, listing what was reported, unless no diagnostic was. */
static inline void assert_clean(const Parsed *p)
{
    if (p->diags.len) {
        char *s = diags_summary(p);
        print_error("unexpected diagnostics:\n%s", s);
        free(s);
        fail();
    }
}

/* Fails unless exactly one diagnostic was reported, with this code at
 * line:col. Returns it for further checks. */
static inline const Diag *assert_one_diag(const Parsed *p, const char *code, uint32_t line,
                                          uint32_t col)
{
    if (p->diags.len != 1) {
        char *s = diags_summary(p);
        print_error("expected one %s at %u:%u, got %zu:\n%s", code, line, col, p->diags.len, s);
        free(s);
        fail();
    }
    const Diag *d = &p->diags.items[0];
    assert_string_equal(d->code, code);
    assert_int_equal(span_pos(&d->primary.span).line, line);
    assert_int_equal(span_pos(&d->primary.span).col, col);
    return d;
}

/* The number of diagnostics with this code. */
static inline size_t count_code(const Parsed *p, const char *code)
{
    size_t n = 0;
    for (size_t i = 0; i < p->diags.len; i++)
        n += strcmp(p->diags.items[i].code, code) == 0;
    return n;
}

/* ast_dump of the tree, as a malloc'ed string. */
static inline char *dump_of(const Node *n)
{
    StrBuf b;
    sb_init(&b);
    ast_dump(n, &b);
    return sb_take(&b);
}

/* Parses text, requires it clean, and compares the dump of its first item
 * (or the whole file when text has several items) with want. */
static inline void assert_dump(const char *text, const char *want)
{
    Parsed *p = parse_text(text);
    assert_clean(p);
    const Node *root = p->out.root;
    char *got = dump_of(root->list.len == 1 ? root->list.at[0] : root);
    bool same = strcmp(got, want) == 0;
    if (!same)
        print_error("source:\n%s\nwant:\n%sgot:\n%s", text, want, got);
    free(got);
    parsed_free(p);
    assert_true(same);
}

/* The value of the first item `name = value` (or `let name = value`). */
static inline const Node *first_value(const Parsed *p)
{
    assert_true(p->out.root->list.len >= 1);
    const Node *it = p->out.root->list.at[0];
    assert_true(it->kind == N_ATTR || it->kind == N_LET);
    return it->a;
}

/* Formats text (which must parse cleanly) into a malloc'ed string. */
static inline char *fmt_text(const char *text)
{
    Parsed *p = parse_text(text);
    if (p->diags.len) {
        char *s = diags_summary(p);
        print_error("cannot format, the input has errors:\n%s\n%s", text, s);
        free(s);
        parsed_free(p);
        fail();
    }
    StrBuf b;
    sb_init(&b);
    fmt_file(p->src, &p->out, &b);
    parsed_free(p);
    if (!b.data)
        sb_puts(&b, "");
    return sb_take(&b);
}

#endif
