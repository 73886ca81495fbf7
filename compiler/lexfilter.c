/* lexfilter.c — decides which newlines the parser sees.
 *
 * A newline ends an item only where an item could end: never inside
 * (), [] or ${}, never after a token that needs a right-hand side
 * (`=`, `+`, `,`, `else`, ...), and never before a token that cannot
 * start an item (`}`, `else`, `&&`, `.`, ...). Runs of newlines become
 * one. With this, the grammar can treat NEWLINE like a comma.
 *
 * A closing `}` also ends an item when a name follows it on the same line,
 * so `identity { keycloak { realm = "x" } admins = [alice] }` reads as two
 * items, as in HCL. Strings do not count: `= {} "doc"` is a field's
 * default followed by its doc string.
 *
 * Inside a `require` or `warn`, `at` and `hint` continue the statement on
 * a new line, so long checks can be laid out one clause per line; elsewhere
 * they are ordinary names (an attribute may be called `hint`). */
#include "parse_internal.h"

static bool needs_more(int kind)
{
    switch (kind) {
    case NEWLINE: case '=': case ',': case '(': case '[': case '{': case ':': case '.':
    case '+': case '-': case '*': case '/': case '%': case '!': case '<': case '>':
    case EQ: case NE: case LE: case GE: case AND: case OR: case ARROW: case DOTDOT:
    case IN: case IS: case THEN: case ELSE: case INTERP_BEGIN:
        return true;
    default:
        return false;
    }
}

static bool cannot_start_item(int kind)
{
    switch (kind) {
    case 0: case '}': case ')': case ']': case INTERP_END: case ELSE: case THEN: case ARROW:
    case '.': case '+': case '*': case '/': case '%': case '<': case '>': case '=': case ':':
    case ',': case '?': case EQ: case NE: case LE: case GE: case AND: case OR: case IN:
    case IS: case DOTDOT:
        return true;
    default:
        return false;
    }
}

static int next_raw(ParseCtx *ctx, CROWN_STYPE *val, Span *loc)
{
    if (ctx->has_peek) {
        ctx->has_peek = false;
        *val = ctx->peek.val;
        *loc = ctx->peek.loc;
        return ctx->peek.kind;
    }
    if (ctx->stop) {
        *loc = lex_eof_span(ctx);
        return 0;
    }
    return crownyylex(val, loc, ctx->scanner);
}

static bool starts_named_item(int kind)
{
    return kind == IDENT || kind == LET || kind == IMPORT || kind == REQUIRE || kind == WARN;
}

static bool in_brackets(const ParseCtx *ctx)
{
    Opener top = lex_top(ctx);
    return top == OPEN_PAREN || top == OPEN_BRACKET || top == OPEN_INTERP;
}

/* Records what was handed to the parser, for the decisions above and for
 * error messages that look one token back. */
static int hand(ParseCtx *ctx, int kind)
{
    ctx->prev_kind = ctx->last_kind;
    ctx->last_kind = kind;
    if ((kind == REQUIRE || kind == WARN) && !ctx->in_require) {
        ctx->in_require = true;
        ctx->require_depth = ctx->nopen;
    } else if (kind == NEWLINE || (kind == '}' && ctx->nopen < ctx->require_depth)) {
        ctx->in_require = false;
    }
    return kind;
}

static bool continues_require(const ParseCtx *ctx, int kind)
{
    return ctx->in_require && ctx->nopen == ctx->require_depth && (kind == AT || kind == HINT);
}

int crown_lex(CROWN_STYPE *val, Span *loc, ParseCtx *ctx)
{
    if (ctx->last_kind == '}' && !ctx->has_peek && !in_brackets(ctx)) {
        Token *p = &ctx->peek;
        p->kind = next_raw(ctx, &p->val, &p->loc);
        ctx->has_peek = true;
        if (starts_named_item(p->kind)) {
            *loc = p->loc;
            loc->end = loc->start;
            return hand(ctx, NEWLINE);
        }
    }
    for (;;) {
        int kind = next_raw(ctx, val, loc);
        if (kind != NEWLINE)
            return hand(ctx, kind);
        if (in_brackets(ctx))
            continue;
        if (needs_more(ctx->last_kind))
            continue;
        /* A run of newlines (blank lines, comment lines) counts as one:
         * the first token after the run decides, so a blank line before
         * `}` or at the end of the file is no separator. */
        Token *p = &ctx->peek;
        do
            p->kind = next_raw(ctx, &p->val, &p->loc);
        while (p->kind == NEWLINE);
        ctx->has_peek = true;
        if (cannot_start_item(p->kind) || continues_require(ctx, p->kind))
            continue;
        return hand(ctx, NEWLINE);
    }
}
