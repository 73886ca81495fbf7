/* ast.h — the syntax tree of a .crown file.
 *
 * One Node type for every construct (as in Lua and chibicc): a kind, a
 * span, and role-named children. The table below is the contract; the
 * parser fills exactly these fields and later stages read only these.
 *
 *   kind        name            text          a / b / c                 list / list2
 *   N_FILE      -               -             -                         items
 *   N_IMPORT    -               -             a: path (N_STRING)        -
 *   N_LET       binding         -             a: value                  -
 *   N_ATTR      key             -             a: value                  -   (flag: key was quoted)
 *   N_BLOCK     kind            -             a: label (N_STRING|N_IDENT)?, b: doc (N_STRING)?,
 *                                             c: for clause (N_FOR, no items)?   items
 *   N_FIELD     field name      -             a: type (N_TYPE), b: default?, c: doc?   -
 *   N_MEMBER    member name     -             a: doc?                   -   (enum member, bare variant)
 *   N_FOR       -               -             a: filter?                bindings (N_BINDING) / items
 *   N_IF        -               -             a: condition, b: else (N_IF or N_BLOCK-less items in list2)
 *                                                                       then items / else items
 *   N_REQUIRE   -               -             a: condition, b: message, c: hint?   at-places
 *               (flag: this is `warn`, not `require`)
 *   N_TYPE      type name       -             -                         args (N_TYPE | N_CONSTRAINT)
 *               (flag: optional, `T?`)
 *   N_CONSTRAINT subject?       -             a: bound, b: upper bound (range)?    -   op: token
 *               op is a comparison token, DOTDOT for `lo .. hi`, or 0 for a regex (a: N_STRING)
 *   N_NULL, N_BOOL (flag)                    -
 *   N_INT, N_FLOAT  text as written; N_INT also ival
 *   N_QUANTITY  number text     unit suffix
 *   N_STRING    -               -             -                         parts (N_TEXT | expression)
 *               (flag: written triple-quoted)
 *   N_TEXT      decoded text (may hold any byte but NUL)
 *   N_IDENT     identifier
 *   N_LIST      -               -             -                         elements
 *   N_OBJECT    -               -             -                         items (body items)
 *   N_LISTCOMP  -               -             a: element, b: filter?    bindings
 *   N_OBJCOMP   -               -             a: key, b: value, c: filter?   bindings
 *   N_BINDING   first var       second var    a: source expression      -   (`for k, v in m`)
 *   N_GET       field name      -             a: object                 -
 *   N_INDEX     -               -             a: object, b: index       -
 *   N_CALL      -               -             a: callee                 args (N_ARG)
 *   N_ARG       name (or empty) -             a: value                  -
 *   N_UNARY     -               -             a: operand                -   op: '!' or '-'
 *   N_BINARY    -               -             a: left, b: right         -   op: token
 *   N_IS        variant name    -             a: operand                -
 *   N_COND      -               -             a: condition, b: then, c: else
 *   N_MATCH     -               -             a: subject                arms (N_ARM)
 *   N_ARM       pattern         binding       a: result                 -   (pattern "null" for null)
 *   N_VARIANT   tag             -             -                         items
 *   N_PAREN     -               -             a: inner                  -
 *
 * Body items (N_FILE, N_BLOCK, N_OBJECT, N_VARIANT, N_FOR and N_IF bodies)
 * are any of N_IMPORT N_LET N_ATTR N_BLOCK N_FIELD N_MEMBER N_FOR N_IF
 * N_REQUIRE; which are allowed where is checked by parse_validate. */
#ifndef CROWN_AST_H
#define CROWN_AST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "arena.h"
#include "source.h"
#include "strbuf.h"

typedef enum NodeKind {
    N_FILE, N_IMPORT, N_LET, N_ATTR, N_BLOCK, N_FIELD, N_MEMBER, N_FOR, N_IF, N_REQUIRE,
    N_TYPE, N_CONSTRAINT,
    N_NULL, N_BOOL, N_INT, N_FLOAT, N_QUANTITY, N_STRING, N_TEXT, N_IDENT,
    N_LIST, N_OBJECT, N_LISTCOMP, N_OBJCOMP, N_BINDING,
    N_GET, N_INDEX, N_CALL, N_ARG, N_UNARY, N_BINARY, N_IS, N_COND, N_MATCH, N_ARM,
    N_VARIANT, N_PAREN,
    N_KIND_COUNT
} NodeKind;

typedef struct Str {
    const char *s; /* NUL-terminated, arena-owned; NULL when absent */
    uint32_t len;
} Str;

typedef struct Node Node;

typedef struct NodeList {
    Node **at;
    uint32_t len, cap;
} NodeList;

/* Binary operator codes (also used by N_CONSTRAINT). */
enum {
    OP_NONE, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD,
    OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
    OP_AND, OP_OR, OP_IN, OP_NOT, OP_NEG, OP_RANGE
};

struct Node {
    NodeKind kind;
    int op;
    bool flag;
    uint32_t depth;  /* 1 + deepest child: bounds every recursive walk */
    Span span;
    Str name, text;
    int64_t ival;
    Node *a, *b, *c;
    NodeList list, list2;
    /* What the evaluator made of this node when that depends on nothing
     * else, made once: a literal's value, the false and true of a
     * comparison or a call, the last int of a call. Values never change,
     * so they are shared. */
    const struct Value *memo[2];
    /* N_GET: the schema of the last record read here and the position of
     * the field in it (records of one schema share their key order). */
    const void *field_decl;
    uint32_t field_at;
    /* N_IDENT: the declaration its name finds, looked up once (the
     * declarations are fixed before anything is evaluated). */
    bool decl_known;
    const void *decl;
};

Node *node_new(Arena *ar, NodeKind kind, Span span);
void nl_push(Arena *ar, NodeList *l, Node *n);
/* Recomputes n->depth from its children (call after filling them). */
void node_fix_depth(Node *n);

const char *node_kind_name(NodeKind k);
const char *op_spelling(int op);

/* Structural equality ignoring spans and layout: what the formatter must
 * preserve. Adjacent text parts of a string compare by their joined text. */
bool ast_equal(const Node *x, const Node *y);
/* An S-expression of the tree without spans, one line per node. */
void ast_dump(const Node *n, StrBuf *out);

#endif
