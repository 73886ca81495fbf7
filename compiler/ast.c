#include "ast.h"

#include <string.h>

Node *node_new(Arena *ar, NodeKind kind, Span span)
{
    Node *n = arena_alloc(ar, sizeof *n);
    n->kind = kind;
    n->span = span;
    n->depth = 1;
    return n;
}

void nl_push(Arena *ar, NodeList *l, Node *n)
{
    if (l->len == l->cap) {
        uint32_t cap = l->cap ? l->cap * 2 : 4;
        l->at = arena_grow(ar, l->at, l->len, cap, sizeof *l->at);
        l->cap = cap;
    }
    l->at[l->len++] = n;
}

static uint32_t list_depth(const NodeList *l)
{
    uint32_t d = 0;
    for (uint32_t i = 0; i < l->len; i++)
        if (l->at[i] && l->at[i]->depth > d)
            d = l->at[i]->depth;
    return d;
}

void node_fix_depth(Node *n)
{
    uint32_t d = 0;
    const Node *kids[3] = {n->a, n->b, n->c};
    for (int i = 0; i < 3; i++)
        if (kids[i] && kids[i]->depth > d)
            d = kids[i]->depth;
    uint32_t ld = list_depth(&n->list);
    if (ld > d)
        d = ld;
    ld = list_depth(&n->list2);
    if (ld > d)
        d = ld;
    n->depth = d + 1;
}

static const char *const kind_names[N_KIND_COUNT] = {
    [N_FILE] = "file", [N_IMPORT] = "import", [N_LET] = "let", [N_ATTR] = "attr",
    [N_BLOCK] = "block", [N_FIELD] = "field", [N_MEMBER] = "member", [N_FOR] = "for",
    [N_IF] = "if", [N_REQUIRE] = "require", [N_TYPE] = "type", [N_CONSTRAINT] = "constraint",
    [N_NULL] = "null", [N_BOOL] = "bool", [N_INT] = "int", [N_FLOAT] = "float",
    [N_QUANTITY] = "quantity", [N_STRING] = "string", [N_TEXT] = "text", [N_IDENT] = "ident",
    [N_LIST] = "list", [N_OBJECT] = "object", [N_LISTCOMP] = "listcomp",
    [N_OBJCOMP] = "objcomp", [N_BINDING] = "binding", [N_GET] = "get", [N_INDEX] = "index",
    [N_CALL] = "call", [N_ARG] = "arg", [N_UNARY] = "unary", [N_BINARY] = "binary",
    [N_IS] = "is", [N_COND] = "cond", [N_MATCH] = "match", [N_ARM] = "arm",
    [N_VARIANT] = "variant", [N_PAREN] = "paren",
};

const char *node_kind_name(NodeKind k)
{
    return (k >= 0 && k < N_KIND_COUNT && kind_names[k]) ? kind_names[k] : "?";
}

const char *op_spelling(int op)
{
    switch (op) {
    case OP_ADD: return "+";
    case OP_SUB: return "-";
    case OP_MUL: return "*";
    case OP_DIV: return "/";
    case OP_MOD: return "%";
    case OP_EQ: return "==";
    case OP_NE: return "!=";
    case OP_LT: return "<";
    case OP_LE: return "<=";
    case OP_GT: return ">";
    case OP_GE: return ">=";
    case OP_AND: return "&&";
    case OP_OR: return "||";
    case OP_IN: return "in";
    case OP_NOT: return "!";
    case OP_NEG: return "-";
    case OP_RANGE: return "..";
    default: return "";
    }
}

static bool str_eq(Str x, Str y)
{
    if (!x.s || !y.s)
        return !x.s == !y.s || (x.len == 0 && y.len == 0);
    return x.len == y.len && memcmp(x.s, y.s, x.len) == 0;
}

static bool list_eq(const NodeList *x, const NodeList *y)
{
    if (x->len != y->len)
        return false;
    for (uint32_t i = 0; i < x->len; i++)
        if (!ast_equal(x->at[i], y->at[i]))
            return false;
    return true;
}

/* Flags that are layout, not meaning: a triple-quoted string and a quoted
 * attribute key say the same as their plain forms. */
static bool flag_matters(NodeKind k)
{
    return k == N_BOOL || k == N_REQUIRE || k == N_TYPE;
}

bool ast_equal(const Node *x, const Node *y)
{
    if (!x || !y)
        return x == y;
    if (x->kind != y->kind || x->op != y->op)
        return false;
    if (flag_matters(x->kind) && x->flag != y->flag)
        return false;
    return str_eq(x->name, y->name) && str_eq(x->text, y->text) && ast_equal(x->a, y->a) &&
           ast_equal(x->b, y->b) && ast_equal(x->c, y->c) && list_eq(&x->list, &y->list) &&
           list_eq(&x->list2, &y->list2);
}

static void dump_str(StrBuf *out, const char *label, Str s)
{
    if (!s.s)
        return;
    sb_printf(out, " %s=\"", label);
    for (uint32_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.s[i];
        if (c == '"' || c == '\\')
            sb_printf(out, "\\%c", c);
        else if (c < 0x20 || c == 0x7f)
            sb_printf(out, "\\x%02x", c);
        else
            sb_putc(out, (char)c);
    }
    sb_putc(out, '"');
}

static void dump_list(const NodeList *l, const char *label, StrBuf *out, int indent);

static void dump_at(const Node *n, StrBuf *out, int indent, const char *role)
{
    sb_repeat(out, ' ', (size_t)indent * 2);
    if (role)
        sb_printf(out, "%s: ", role);
    if (!n) {
        sb_puts(out, "-\n");
        return;
    }
    sb_printf(out, "(%s", node_kind_name(n->kind));
    dump_str(out, "name", n->name);
    dump_str(out, "text", n->text);
    if (n->op)
        sb_printf(out, " op=%s", op_spelling(n->op));
    if (n->flag && flag_matters(n->kind))
        sb_puts(out, " flag");
    sb_puts(out, ")\n");
    if (n->a)
        dump_at(n->a, out, indent + 1, "a");
    if (n->b)
        dump_at(n->b, out, indent + 1, "b");
    if (n->c)
        dump_at(n->c, out, indent + 1, "c");
    dump_list(&n->list, "list", out, indent + 1);
    dump_list(&n->list2, "list2", out, indent + 1);
}

static void dump_list(const NodeList *l, const char *label, StrBuf *out, int indent)
{
    for (uint32_t i = 0; i < l->len; i++)
        dump_at(l->at[i], out, indent, label);
}

void ast_dump(const Node *n, StrBuf *out) { dump_at(n, out, 0, NULL); }
