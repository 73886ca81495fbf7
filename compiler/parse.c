/* parse.c — drives the scanner and parser, builds nodes for the grammar
 * actions, and checks what the grammar leaves open (item placement,
 * nesting depth, file encoding). */
#include "parse_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int crown_parse(ParseCtx *ctx);

/* ---- scanner support ---- */

void lex_advance(ParseCtx *ctx, Span *loc, size_t len)
{
    ctx->prev_off = ctx->off;
    loc->src = ctx->src;
    loc->start = (uint32_t)ctx->off;
    ctx->off += len;
    loc->end = (uint32_t)ctx->off;
}

void lex_unread(ParseCtx *ctx) { ctx->off = ctx->prev_off; }

bool lex_push(ParseCtx *ctx, Opener kind, Span at)
{
    if (ctx->nopen >= PARSE_MAX_NESTING) {
        Diag *d = diag_error(ctx->diags, "E0021", at, "nesting deeper than %d levels",
                             PARSE_MAX_NESTING);
        diag_set_label(d, "too deep here");
        diag_set_hint(d, "split the value into named parts with `let`");
        ctx->stop = true;
        ctx->eof_reported = true;
        return false;
    }
    if (ctx->nopen == ctx->capopen) {
        size_t cap = ctx->capopen ? ctx->capopen * 2 : 32;
        OpenEntry *p = realloc(ctx->open, cap * sizeof *p);
        if (!p)
            abort();
        ctx->open = p;
        ctx->capopen = cap;
    }
    ctx->open[ctx->nopen].kind = kind;
    ctx->open[ctx->nopen].at = at;
    ctx->nopen++;
    return true;
}

Opener lex_top(const ParseCtx *ctx)
{
    return ctx->nopen ? ctx->open[ctx->nopen - 1].kind : (Opener)0;
}

void lex_pop(ParseCtx *ctx)
{
    if (ctx->nopen)
        ctx->nopen--;
}

TokVal lex_text(ParseCtx *ctx, const char *s, size_t n, bool escaped)
{
    TokVal t = {arena_strndup(ctx->arena, s, n), (uint32_t)n, escaped};
    return t;
}

void lex_comment(ParseCtx *ctx, const Span *at, const char *text, size_t len)
{
    while (len && (text[len - 1] == ' ' || text[len - 1] == '\t' || text[len - 1] == '\r'))
        len--;
    CommentList *l = &ctx->comments;
    if (l->len == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        l->at = arena_grow(ctx->arena, l->at, l->len, cap, sizeof *l->at);
        l->cap = cap;
    }
    Comment *c = &l->at[l->len++];
    c->span = *at;
    c->span.end = c->span.start + (uint32_t)len;
    c->text.s = arena_strndup(ctx->arena, text, len);
    c->text.len = (uint32_t)len;
}

Span lex_eof_span(const ParseCtx *ctx)
{
    const Source *src = ctx->src;
    size_t end = src->len;
    while (end > 0 && (src->text[end - 1] == ' ' || src->text[end - 1] == '\t' ||
                       src->text[end - 1] == '\r' || src->text[end - 1] == '\n'))
        end--;
    return source_span(src, end, end);
}

/* ---- locations ---- */

void parse_merge_loc(Span *cur, const Span *rhs, int n)
{
    if (n > 0) {
        *cur = rhs[1];
        cur->end = rhs[n].end;
    } else {
        *cur = rhs[0];
        cur->start = cur->end;
    }
}

/* ---- node builders ---- */

static Node *finish(ParseCtx *ctx, Node *n)
{
    node_fix_depth(n);
    if (n->depth > PARSE_MAX_DEPTH && !ctx->too_deep)
        ctx->too_deep = n;
    return n;
}

static Str str_of(TokVal t) { return (Str){t.s, t.len}; }

TokVal kw(ParseCtx *ctx, const char *word)
{
    return lex_text(ctx, word, strlen(word), false);
}

void push(ParseCtx *ctx, NodeList *l, Node *n)
{
    if (n)
        nl_push(ctx->arena, l, n);
}

void push_text(ParseCtx *ctx, NodeList *l, const Span *at, TokVal t)
{
    Node *n = node_new(ctx->arena, N_TEXT, *at);
    n->name = str_of(t);
    n->flag = t.escaped;
    nl_push(ctx->arena, l, n);
}

Node *mk(ParseCtx *ctx, NodeKind k, const Span *at, Node *a, Node *b, Node *c)
{
    Node *n = node_new(ctx->arena, k, *at);
    n->a = a;
    n->b = b;
    n->c = c;
    return finish(ctx, n);
}

Node *mk_file(ParseCtx *ctx, const Span *at, NodeList *items)
{
    Node *n = node_new(ctx->arena, N_FILE, *at);
    n->span.start = 0;
    n->list = *items;
    return finish(ctx, n);
}

Node *mk_name(ParseCtx *ctx, NodeKind k, const Span *at, TokVal name)
{
    Node *n = node_new(ctx->arena, k, *at);
    n->name = str_of(name);
    return n;
}

Node *mk_named(ParseCtx *ctx, NodeKind k, const Span *at, TokVal name, Node *a)
{
    Node *n = mk_name(ctx, k, at, name);
    n->a = a;
    return finish(ctx, n);
}

Node *mk_attr(ParseCtx *ctx, const Span *at, Node *key, Node *value)
{
    Node *n = node_new(ctx->arena, N_ATTR, *at);
    if (key->kind == N_IDENT) {
        n->name = key->name;
    } else {
        n->flag = true;
        /* A key is a name, never computed: interpolation has no meaning. */
        StrBuf b;
        sb_init(&b);
        for (uint32_t i = 0; i < key->list.len; i++) {
            const Node *p = key->list.at[i];
            if (p->kind == N_TEXT) {
                sb_putn(&b, p->name.s, p->name.len);
            } else {
                Diag *d = diag_error(ctx->diags, "E0032", p->span,
                                     "an attribute name cannot be interpolated");
                diag_set_hint(d, "to compute keys, use an object comprehension "
                                 "`{for x in xs: key => value}`");
            }
        }
        n->name.s = arena_strndup(ctx->arena, b.data ? b.data : "", b.len);
        n->name.len = (uint32_t)b.len;
        sb_free(&b);
    }
    n->a = value;
    return finish(ctx, n);
}

Node *mk_block(ParseCtx *ctx, const Span *at, TokVal kind, Node *label, Node *doc, Node *forc,
               NodeList *items)
{
    Node *n = node_new(ctx->arena, N_BLOCK, *at);
    n->name = str_of(kind);
    n->a = label;
    n->b = doc;
    n->c = forc;
    n->list = *items;
    return finish(ctx, n);
}

Node *mk_member(ParseCtx *ctx, const Span *at, TokVal name, Node *doc)
{
    return mk_named(ctx, N_MEMBER, at, name, doc);
}

Node *mk_field(ParseCtx *ctx, const Span *at, TokVal name, Node *type, Node *def, Node *doc)
{
    Node *n = node_new(ctx->arena, N_FIELD, *at);
    n->name = str_of(name);
    n->a = type;
    n->b = def;
    n->c = doc;
    return finish(ctx, n);
}

Node *mk_for(ParseCtx *ctx, const Span *at, NodeList *bindings, Node *filter)
{
    Node *n = node_new(ctx->arena, N_FOR, *at);
    n->list = *bindings;
    n->a = filter;
    return finish(ctx, n);
}

Node *for_body(ParseCtx *ctx, const Span *at, Node *head, NodeList *items)
{
    head->span = *at;
    head->list2 = *items;
    return finish(ctx, head);
}

Node *mk_binding(ParseCtx *ctx, const Span *at, TokVal var, TokVal *var2, Node *src)
{
    Node *n = mk_named(ctx, N_BINDING, at, var, src);
    if (var2)
        n->text = str_of(*var2);
    return n;
}

Node *mk_if(ParseCtx *ctx, const Span *at, Node *cond, NodeList *then, Node *els)
{
    Node *n = node_new(ctx->arena, N_IF, *at);
    n->a = cond;
    n->list = *then;
    if (els && !els->a)
        n->list2 = els->list; /* plain `else { ... }` */
    else
        n->b = els;           /* `else if ...` */
    return finish(ctx, n);
}

Node *mk_else(ParseCtx *ctx, const Span *at, NodeList *items)
{
    Node *n = node_new(ctx->arena, N_IF, *at);
    n->list = *items;
    return finish(ctx, n);
}

Node *mk_require(ParseCtx *ctx, const Span *at, bool warn, Node *cond, Node *msg,
                 NodeList *places, Node *hint)
{
    Node *n = mk(ctx, N_REQUIRE, at, cond, msg, hint);
    n->flag = warn;
    n->list = *places;
    return finish(ctx, n);
}

Node *mk_type(ParseCtx *ctx, const Span *at, TokVal name, NodeList *args, bool optional)
{
    Node *n = node_new(ctx->arena, N_TYPE, *at);
    n->name = str_of(name);
    n->list = *args;
    n->flag = optional;
    return finish(ctx, n);
}

Node *mk_constraint(ParseCtx *ctx, const Span *at, TokVal *subject, int op, Node *lo, Node *hi)
{
    Node *n = mk(ctx, N_CONSTRAINT, at, lo, hi, NULL);
    if (subject)
        n->name = str_of(*subject);
    n->op = op;
    return n;
}

Node *mk_int(ParseCtx *ctx, const Span *at, TokVal t)
{
    Node *n = mk_name(ctx, N_INT, at, t);
    errno = 0;
    char *end;
    long long v = strtoll(t.s, &end, 10);
    if (errno == ERANGE) {
        Diag *d = diag_error(ctx->diags, "E0009", *at, "integer `%s` is too large", t.s);
        diag_set_hint(d, "integers range from -9223372036854775808 to 9223372036854775807");
    }
    n->ival = v;
    return n;
}

Node *mk_quantity(ParseCtx *ctx, const Span *at, TokVal t)
{
    Node *n = node_new(ctx->arena, N_QUANTITY, *at);
    uint32_t digits = 0;
    while (digits < t.len && (t.s[digits] == '.' || (t.s[digits] >= '0' && t.s[digits] <= '9')))
        digits++;
    n->name.s = arena_strndup(ctx->arena, t.s, digits);
    n->name.len = digits;
    n->text.s = t.s + digits;
    n->text.len = t.len - digits;
    return n;
}

Node *mk_variant(ParseCtx *ctx, const Span *at, TokVal tag, NodeList *items)
{
    Node *n = mk_name(ctx, N_VARIANT, at, tag);
    n->list = *items;
    return finish(ctx, n);
}

Node *mk_binary(ParseCtx *ctx, const Span *at, int op, Node *l, Node *r)
{
    Node *n = mk(ctx, N_BINARY, at, l, r, NULL);
    n->op = op;
    return n;
}

Node *mk_unary(ParseCtx *ctx, const Span *at, int op, Node *x)
{
    Node *n = mk(ctx, N_UNARY, at, x, NULL, NULL);
    n->op = op;
    return n;
}

Node *mk_list(ParseCtx *ctx, NodeKind k, const Span *at, NodeList *items)
{
    Node *n = node_new(ctx->arena, k, *at);
    if (items)
        n->list = *items;
    return finish(ctx, n);
}

Node *mk_listcomp(ParseCtx *ctx, const Span *at, Node *head, Node *elem)
{
    Node *n = mk(ctx, N_LISTCOMP, at, elem, head->a, NULL);
    n->list = head->list;
    return finish(ctx, n);
}

Node *mk_objcomp(ParseCtx *ctx, const Span *at, Node *head, Node *key, Node *value)
{
    Node *n = mk(ctx, N_OBJCOMP, at, key, value, head->a);
    n->list = head->list;
    return finish(ctx, n);
}

Node *mk_match(ParseCtx *ctx, const Span *at, Node *subject, NodeList *arms)
{
    Node *n = mk(ctx, N_MATCH, at, subject, NULL, NULL);
    n->list = *arms;
    return finish(ctx, n);
}

Node *mk_call(ParseCtx *ctx, const Span *at, Node *callee, NodeList *args)
{
    Node *n = mk(ctx, N_CALL, at, callee, NULL, NULL);
    n->list = *args;
    return finish(ctx, n);
}

Node *mk_arg(ParseCtx *ctx, const Span *at, TokVal *name, Node *value)
{
    Node *n = mk(ctx, N_ARG, at, value, NULL, NULL);
    if (name)
        n->name = str_of(*name);
    return n;
}

Node *mk_arm(ParseCtx *ctx, const Span *at, TokVal pattern, TokVal *binding, Node *result)
{
    Node *n = mk_named(ctx, N_ARM, at, pattern, result);
    if (binding)
        n->text = str_of(*binding);
    return n;
}

/* ---- strings ---- */

static bool is_newline(const Node *p)
{
    return p->kind == N_TEXT && !p->flag && p->name.len == 1 && p->name.s[0] == '\n';
}

static size_t leading_blanks(const Node *p)
{
    if (p->kind != N_TEXT || p->flag)
        return 0;
    size_t i = 0;
    while (i < p->name.len && (p->name.s[i] == ' ' || p->name.s[i] == '\t'))
        i++;
    return i;
}

/* True when the line parts[from..to) holds nothing but raw blanks. */
static bool blank_line(const NodeList *parts, uint32_t from, uint32_t to)
{
    for (uint32_t i = from; i < to; i++)
        if (leading_blanks(parts->at[i]) != parts->at[i]->name.len ||
            parts->at[i]->kind != N_TEXT)
            return false;
    return true;
}

/* Removes the indentation common to the non-blank lines of a triple-quoted
 * string. Only blanks written as such count: an escaped `\t` is text. */
static void dedent(ParseCtx *ctx, NodeList *parts)
{
    const char *common = NULL;
    size_t clen = 0;
    uint32_t start = 0;
    for (uint32_t i = 0; i <= parts->len; i++) {
        if (i < parts->len && !is_newline(parts->at[i]))
            continue;
        if (i > start && !blank_line(parts, start, i)) {
            const Node *first = parts->at[start];
            size_t n = leading_blanks(first);
            if (!common) {
                common = first->name.s;
                clen = n;
            } else {
                size_t k = 0;
                while (k < clen && k < n && common[k] == first->name.s[k])
                    k++;
                clen = k;
            }
        }
        start = i + 1;
    }
    start = 0;
    for (uint32_t i = 0; i <= parts->len; i++) {
        if (i < parts->len && !is_newline(parts->at[i]))
            continue;
        if (i > start && blank_line(parts, start, i)) {
            for (uint32_t j = start; j < i; j++)
                parts->at[j]->name.len = 0;
        } else if (i > start && clen) {
            Node *first = parts->at[start];
            first->name.s += clen;
            first->name.len -= (uint32_t)clen;
        }
        start = i + 1;
    }
    (void)ctx;
}

/* Joins adjacent text parts and drops empty ones, so equal strings have
 * equal part lists however they were written. */
static NodeList merge_texts(ParseCtx *ctx, const NodeList *parts)
{
    NodeList out = {0};
    StrBuf b;
    sb_init(&b);
    Node *open = NULL;
    for (uint32_t i = 0; i <= parts->len; i++) {
        Node *p = i < parts->len ? parts->at[i] : NULL;
        if (p && p->kind == N_TEXT) {
            if (!open) {
                open = p;
                sb_reset(&b);
            } else {
                open->span.end = p->span.end;
            }
            sb_putn(&b, p->name.s, p->name.len);
            continue;
        }
        if (open && b.len) {
            open->name.s = arena_strndup(ctx->arena, b.data, b.len);
            open->name.len = (uint32_t)b.len;
            open->flag = false;
            nl_push(ctx->arena, &out, open);
        }
        open = NULL;
        if (p)
            nl_push(ctx->arena, &out, p);
    }
    sb_free(&b);
    return out;
}

Node *mk_string(ParseCtx *ctx, const Span *at, NodeList *parts, bool triple)
{
    Node *n = node_new(ctx->arena, N_STRING, *at);
    if (triple)
        dedent(ctx, parts);
    n->list = merge_texts(ctx, parts);
    n->flag = triple;
    return finish(ctx, n);
}

/* ---- placement of items ---- */

/* PL_FLOW is the body of a top-level `for` or `if`: it generates blocks,
 * so it holds what the top level holds except `import`. */
typedef enum Place { PL_TOP, PL_FLOW, PL_BODY, PL_SCHEMA, PL_ENUM, PL_UNION, PL_CHECK } Place;

static const char *place_allows(Place pl)
{
    switch (pl) {
    case PL_TOP: return "the top level holds `import`, `let`, blocks, `for` and `if`";
    case PL_FLOW: return "a top-level `for` or `if` holds `let`, blocks, `for` and `if`";
    case PL_SCHEMA: return "a schema holds field declarations `name: type`";
    case PL_ENUM: return "an enum holds member names, each with an optional doc string";
    case PL_UNION: return "a union holds variants: `name { fields }` or a bare `name`";
    case PL_CHECK: return "a check holds `let`, attributes, `for`, `if`, `require` and `warn`";
    default: return "a block holds attributes `name = value`, blocks, `let`, `for` and `if`";
    }
}

static bool item_allowed(Place pl, const Node *it)
{
    switch (it->kind) {
    case N_IMPORT: return pl == PL_TOP;
    case N_LET: return pl == PL_TOP || pl == PL_FLOW || pl == PL_BODY || pl == PL_CHECK;
    case N_ATTR: return pl == PL_BODY || pl == PL_CHECK;
    case N_BLOCK: return pl == PL_TOP || pl == PL_FLOW || pl == PL_BODY || pl == PL_UNION;
    case N_FIELD: return pl == PL_SCHEMA;
    case N_MEMBER: return pl == PL_ENUM || pl == PL_UNION;
    case N_FOR: case N_IF: return pl != PL_SCHEMA && pl != PL_ENUM && pl != PL_UNION;
    case N_REQUIRE: return pl == PL_CHECK;
    default: return false;
    }
}

static const char *item_name(const Node *it)
{
    switch (it->kind) {
    case N_IMPORT: return "`import`";
    case N_LET: return "`let`";
    case N_ATTR: return "an attribute";
    case N_BLOCK: return "a block";
    case N_FIELD: return "a field declaration";
    case N_MEMBER: return "a bare name";
    case N_FOR: return "`for`";
    case N_IF: return "`if`";
    case N_REQUIRE: return it->flag ? "`warn`" : "`require`";
    default: return "this";
    }
}

static Place decl_place(const Node *block)
{
    static const struct { const char *kind; Place place; } decls[] = {
        {"schema", PL_SCHEMA}, {"enum", PL_ENUM}, {"union", PL_UNION},
        {"check", PL_CHECK}, {"component", PL_BODY},
    };
    for (size_t i = 0; i < sizeof decls / sizeof decls[0]; i++)
        if (strcmp(block->name.s, decls[i].kind) == 0)
            return decls[i].place;
    return PL_BODY;
}

static bool is_decl(const Node *block)
{
    return strcmp(block->name.s, "schema") == 0 || strcmp(block->name.s, "enum") == 0 ||
           strcmp(block->name.s, "union") == 0 || strcmp(block->name.s, "check") == 0 ||
           strcmp(block->name.s, "component") == 0;
}

static void validate_items(ParseCtx *ctx, const NodeList *items, Place pl);

static void validate_decl(ParseCtx *ctx, const Node *b)
{
    if (!b->a) {
        Diag *d = diag_error(ctx->diags, "E0031", b->span, "`%s` needs a name", b->name.s);
        diag_set_hint(d, "write `%s NAME \"one-line doc\" { ... }`", b->name.s);
    }
    if (b->c) {
        Diag *d = diag_error(ctx->diags, "E0030", b->c->span, "`%s` cannot be repeated with `for`",
                             b->name.s);
        diag_set_hint(d, "declarations are written once, at the top level");
    }
}

/* Objects and union variants inside expressions hold body items too: they
 * are validated as block bodies wherever they appear. */
static void validate_expr(ParseCtx *ctx, const Node *n)
{
    if (!n)
        return;
    if (n->kind == N_OBJECT || n->kind == N_VARIANT) {
        validate_items(ctx, &n->list, PL_BODY);
        return;
    }
    validate_expr(ctx, n->a);
    validate_expr(ctx, n->b);
    validate_expr(ctx, n->c);
    for (uint32_t i = 0; i < n->list.len; i++)
        validate_expr(ctx, n->list.at[i]);
}

static void validate_item(ParseCtx *ctx, const Node *it, Place pl)
{
    if (!item_allowed(pl, it)) {
        Diag *d = diag_error(ctx->diags, "E0030", it->span, "%s is not allowed here",
                             item_name(it));
        diag_set_hint(d, "%s", place_allows(pl));
        return;
    }
    switch (it->kind) {
    case N_BLOCK:
        if (pl == PL_TOP && is_decl(it)) {
            validate_decl(ctx, it);
            validate_items(ctx, &it->list, decl_place(it));
        } else {
            validate_items(ctx, &it->list, pl == PL_UNION ? PL_SCHEMA : PL_BODY);
        }
        break;
    case N_FOR:
        validate_items(ctx, &it->list2, pl == PL_TOP ? PL_FLOW : pl);
        break;
    case N_IF: {
        Place inner = pl == PL_TOP ? PL_FLOW : pl;
        for (const Node *n = it; n; n = n->b) {
            validate_items(ctx, &n->list, inner);
            validate_items(ctx, &n->list2, inner);
        }
        break;
    }
    case N_ATTR: case N_LET: case N_FIELD: case N_REQUIRE:
        validate_expr(ctx, it->a);
        validate_expr(ctx, it->b);
        validate_expr(ctx, it->c);
        break;
    default:
        break;
    }
    /* The heads of `for` and `if`: binding sources, filters, conditions. */
    if (it->kind == N_FOR || it->kind == N_IF) {
        validate_expr(ctx, it->a);
        for (uint32_t i = 0; it->kind == N_FOR && i < it->list.len; i++)
            validate_expr(ctx, it->list.at[i]);
    }
}

static void validate_items(ParseCtx *ctx, const NodeList *items, Place pl)
{
    for (uint32_t i = 0; i < items->len; i++)
        validate_item(ctx, items->at[i], pl);
}

/* ---- encoding ---- */

/* Length of the UTF-8 sequence at s (0 when it is not valid UTF-8). */
static size_t utf8_len(const unsigned char *s, size_t avail)
{
    unsigned char c = s[0];
    size_t n;
    unsigned long cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (avail < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

/* A file that is not UTF-8 text is reported once, at its first bad
 * byte, instead of as a storm of unexpected characters. */
static bool check_encoding(const Source *src, DiagList *diags)
{
    const unsigned char *s = (const unsigned char *)src->text;
    for (size_t i = 0; i < src->len;) {
        if (s[i] == 0) {
            Diag *d = diag_error(diags, "E0002", source_span(src, i, i + 1),
                                 "file contains a NUL byte");
            diag_set_hint(d, "a .crown file is text; is this a binary file?");
            return false;
        }
        size_t n = utf8_len(s + i, src->len - i);
        if (n == 0) {
            Diag *d = diag_error(diags, "E0001", source_span(src, i, i + 1),
                                 "file is not valid UTF-8 (byte 0x%02X)", s[i]);
            diag_set_hint(d, "save the file as UTF-8");
            return false;
        }
        i += n;
    }
    return true;
}

/* ---- driver ---- */

ParseOutput parse_source(const Source *src, Arena *ar, DiagList *diags)
{
    ParseOutput out = {0};
    ParseCtx ctx = {0};
    ctx.src = src;
    ctx.arena = ar;
    ctx.diags = diags;
    ctx.last_kind = NEWLINE;
    sb_init(&ctx.text);

    if (check_encoding(src, diags) && crownyylex_init_extra(&ctx, &ctx.scanner) == 0) {
        crown_scan_source(&ctx);
        crown_parse(&ctx);
        crownyylex_destroy(ctx.scanner);
    }
    if (ctx.too_deep) {
        Diag *d = diag_error(diags, "E0021", ctx.too_deep->span,
                             "expression nested deeper than %d levels", PARSE_MAX_DEPTH);
        diag_set_hint(d, "split the expression into named parts with `let`");
    } else if (ctx.root) {
        validate_items(&ctx, &ctx.root->list, PL_TOP);
    }
    if (!ctx.root || ctx.too_deep) {
        Span all = source_span(src, 0, src->len);
        ctx.root = node_new(ar, N_FILE, all);
    }
    free(ctx.open);
    sb_free(&ctx.text);
    out.root = ctx.root;
    out.comments = ctx.comments;
    return out;
}
