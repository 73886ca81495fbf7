/* parse_internal.h — the parser's private state and the helpers its
 * grammar actions call. Included by grammar/crown.y, grammar/crown.l,
 * compiler/parse.c and compiler/lexfilter.c only. */
#ifndef CROWN_PARSE_INTERNAL_H
#define CROWN_PARSE_INTERNAL_H

#include "crown.tab.h"
#include "parse.h"
#include "strbuf.h"

/* What an open bracket on the scanner's stack is. */
typedef enum Opener {
    OPEN_PAREN = '(', OPEN_BRACKET = '[', OPEN_BRACE = '{',
    OPEN_STRING = '"', OPEN_TSTRING = 'T', OPEN_INTERP = '$'
} Opener;

typedef struct OpenEntry {
    Opener kind;
    Span at;
} OpenEntry;

typedef struct Token {
    int kind;
    CROWN_STYPE val;
    Span loc;
} Token;

struct ParseCtx {
    const Source *src;
    Arena *arena;
    DiagList *diags;
    void *scanner;          /* flex's yyscan_t */

    /* scanner position (the next byte to scan) */
    size_t off;
    size_t prev_off;        /* position before the last token, for unread */

    OpenEntry *open;        /* bracket and string stack */
    size_t nopen, capopen;
    StrBuf text;            /* scratch for decoding */
    CommentList comments;

    /* token filter */
    int last_kind;          /* last token handed to the parser */
    int prev_kind;          /* the one before it */
    bool in_require;        /* inside a require/warn statement */
    size_t require_depth;   /* bracket depth where it started */
    Token peek;
    bool has_peek;

    bool stop;              /* a fatal lexical error: scan nothing more */
    bool eof_reported;      /* an error at end of input is already reported */
    size_t syntax_errors;
    const Node *too_deep;   /* first node past PARSE_MAX_DEPTH */
    Node *root;
};

/* scanner (grammar/crown.l) */
int crownyylex_init_extra(ParseCtx *ctx, void **scanner);
int crownyylex_destroy(void *scanner);
int crownyylex(CROWN_STYPE *val, Span *loc, void *scanner);
void crown_scan_source(ParseCtx *ctx);

/* token filter (lexfilter.c): the parser's yylex */
int crown_lex(CROWN_STYPE *val, Span *loc, ParseCtx *ctx);

/* scanner helpers (parse.c) */
void lex_advance(ParseCtx *ctx, Span *loc, size_t len);
void lex_unread(ParseCtx *ctx);
bool lex_push(ParseCtx *ctx, Opener kind, Span at);
Opener lex_top(const ParseCtx *ctx);
void lex_pop(ParseCtx *ctx);
TokVal lex_text(ParseCtx *ctx, const char *s, size_t n, bool escaped);
void lex_comment(ParseCtx *ctx, const Span *at, const char *text, size_t len);
/* Where the end of input is reported: just after the last text that is
 * not blank, so "expected an expression" points past the `+` it follows. */
Span lex_eof_span(const ParseCtx *ctx);

/* error reporting for the parser */
void parse_error_at(ParseCtx *ctx, const Span *at, int unexpected, const int *expected,
                    int nexpected);

/* builders used by grammar actions (parse.c) */
#define YYLLOC_DEFAULT(Cur, Rhs, N) parse_merge_loc(&(Cur), (Rhs), (N))
void parse_merge_loc(Span *cur, const Span *rhs, int n);

TokVal kw(ParseCtx *ctx, const char *word);
void push(ParseCtx *ctx, NodeList *l, Node *n);
void push_text(ParseCtx *ctx, NodeList *l, const Span *at, TokVal t);
Node *mk(ParseCtx *ctx, NodeKind k, const Span *at, Node *a, Node *b, Node *c);
Node *mk_file(ParseCtx *ctx, const Span *at, NodeList *items);
Node *mk_name(ParseCtx *ctx, NodeKind k, const Span *at, TokVal name);
Node *mk_named(ParseCtx *ctx, NodeKind k, const Span *at, TokVal name, Node *a);
Node *mk_attr(ParseCtx *ctx, const Span *at, Node *key, Node *value);
Node *mk_block(ParseCtx *ctx, const Span *at, TokVal kind, Node *label, Node *doc, Node *forc,
               NodeList *items);
Node *mk_member(ParseCtx *ctx, const Span *at, TokVal name, Node *doc);
Node *mk_field(ParseCtx *ctx, const Span *at, TokVal name, Node *type, Node *def, Node *doc);
Node *mk_for(ParseCtx *ctx, const Span *at, NodeList *bindings, Node *filter);
Node *for_body(ParseCtx *ctx, const Span *at, Node *head, NodeList *items);
Node *mk_binding(ParseCtx *ctx, const Span *at, TokVal var, TokVal *var2, Node *src);
Node *mk_if(ParseCtx *ctx, const Span *at, Node *cond, NodeList *then, Node *els);
Node *mk_else(ParseCtx *ctx, const Span *at, NodeList *items);
Node *mk_require(ParseCtx *ctx, const Span *at, bool warn, Node *cond, Node *msg,
                 NodeList *places, Node *hint);
Node *mk_type(ParseCtx *ctx, const Span *at, TokVal name, NodeList *args, bool optional);
Node *mk_constraint(ParseCtx *ctx, const Span *at, TokVal *subject, int op, Node *lo, Node *hi);
Node *mk_int(ParseCtx *ctx, const Span *at, TokVal t);
Node *mk_quantity(ParseCtx *ctx, const Span *at, TokVal t);
Node *mk_variant(ParseCtx *ctx, const Span *at, TokVal tag, NodeList *items);
Node *mk_binary(ParseCtx *ctx, const Span *at, int op, Node *l, Node *r);
Node *mk_unary(ParseCtx *ctx, const Span *at, int op, Node *x);
Node *mk_list(ParseCtx *ctx, NodeKind k, const Span *at, NodeList *items);
Node *mk_listcomp(ParseCtx *ctx, const Span *at, Node *head, Node *elem);
Node *mk_objcomp(ParseCtx *ctx, const Span *at, Node *head, Node *key, Node *value);
Node *mk_match(ParseCtx *ctx, const Span *at, Node *subject, NodeList *arms);
Node *mk_call(ParseCtx *ctx, const Span *at, Node *callee, NodeList *args);
Node *mk_arg(ParseCtx *ctx, const Span *at, TokVal *name, Node *value);
Node *mk_arm(ParseCtx *ctx, const Span *at, TokVal pattern, TokVal *binding, Node *result);
Node *mk_string(ParseCtx *ctx, const Span *at, NodeList *parts, bool triple);

#endif
