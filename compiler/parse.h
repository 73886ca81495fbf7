/* parse.h — from source bytes to a syntax tree.
 *
 * parse_source never fails hard: every problem becomes a diagnostic, the
 * parser recovers at item and block boundaries, and the returned tree
 * holds what could be read (callers must not use it when errors were
 * reported). Comments are returned separately, in source order, for the
 * formatter. */
#ifndef CROWN_PARSE_H
#define CROWN_PARSE_H

#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "source.h"

/* Bracket nesting beyond this is refused; it bounds every recursion. */
#define PARSE_MAX_NESTING 256
/* Expression trees deeper than this are refused (a + a + ... chains). */
#define PARSE_MAX_DEPTH 1000
/* After this many syntax errors the parser stops reading the file. */
#define PARSE_MAX_ERRORS 200

typedef struct Comment {
    Span span;
    Str text;      /* from '#' to the end of the line, trailing blanks removed */
} Comment;

typedef struct CommentList {
    Comment *at;
    size_t len, cap;
} CommentList;

typedef struct ParseOutput {
    Node *root;          /* N_FILE, never NULL */
    CommentList comments;
} ParseOutput;

/* Parses src. Everything allocated lives in ar. */
ParseOutput parse_source(const Source *src, Arena *ar, DiagList *diags);

#endif
