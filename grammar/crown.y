/* crown.y — the concrete syntax of the crown language.
 *
 * The scanner (crown.l) and the token filter (compiler/lexfilter.c) hand
 * this parser a stream in which NEWLINE appears only where it can end an
 * item, so the grammar treats NEWLINE and ',' alike as separators.
 *
 * Blocks, schemas, enums, unions, checks and components share one block
 * syntax (`kind [label] [doc] { items }`); what a body may hold is checked
 * after parsing (parse_validate in compiler/parse.c), which gives clearer
 * messages than grammar errors would.
 *
 * The grammar is conflict-free; the one ambiguity (a comma after
 * `at a, b` could continue the list or separate items) is resolved by
 * precedence, in favour of the list. */

%code requires {
#include "parse_ctx.h"
}

%code {
#include <string.h>

#include "parse_internal.h"

/* Bison calls this only when its stack is exhausted. */
static void crown_error(const Span *at, ParseCtx *ctx, const char *msg);
}

%define api.pure full
%define api.prefix {crown_}
%define api.location.type {Span}
%define parse.error custom
%define parse.lac full
%locations
%param {ParseCtx *ctx}
%expect 0

%union {
    TokVal tok;
    Node *node;
    NodeList list;
    int op;
}

%token <tok> IDENT "identifier"
%token <tok> INT "integer"
%token <tok> FLOAT "number"
%token <tok> QUANTITY "quantity"
%token <tok> STR_TEXT "string text"
%token STR_BEGIN "string"
%token STR_END "end of string"
%token TSTR_BEGIN "triple-quoted string"
%token TSTR_END "end of triple-quoted string"
%token INTERP_BEGIN "${"
%token INTERP_END "} of interpolation"
%token NEWLINE "newline"
%token BAD "invalid token"
%token LET "let" IMPORT "import" FOR "for" IN "in" IF "if" THEN "then" ELSE "else"
%token MATCH "match" IS "is" TRUE "true" FALSE "false" NUL "null"
%token REQUIRE "require" WARN "warn" AT "at" HINT "hint" AS "as"
%token EQ "==" NE "!=" LE "<=" GE ">=" AND "&&" OR "||" ARROW "=>" DOTDOT ".."

%type <node> item attr block let import field member for_item if_item opt_else require
%type <node> type targ bound number value expr primary string arm for_head binding
%type <node> label opt_doc opt_filter opt_default opt_hint arg key
%type <list> items_opt item_list bindings targs opt_targs value_list args args_opt
%type <list> arms expr_list opt_at parts
%type <tok> any_name
%type <op> cmp

%precedence AT_LIST
%precedence ','
%precedence COND
%left OR
%left AND
%nonassoc EQ NE '<' LE '>' GE IN IS
%left '+' '-'
%left '*' '/' '%'
%precedence '!' UMINUS

%start file

%%

file
    : items_opt                  { ctx->root = mk_file(ctx, &@$, &$1); }
    ;

items_opt
    : %empty                     { $$ = (NodeList){0}; }
    | item_list opt_comma        { $$ = $1; }
    ;

opt_comma
    : %empty
    | ','
    ;

item_list
    : item                       { $$ = (NodeList){0}; push(ctx, &$$, $1); }
    | item_list sep item         { $$ = $1; push(ctx, &$$, $3); }
    ;

/* Error recovery resumes reporting at the next separator: one token has
 * been consumed since the last error by then, so recovery cannot loop on
 * an unconsumed token, and an error on the next line is still shown. */
sep
    : NEWLINE                    { yyerrok; }
    | ','                        { yyerrok; }
    ;

item
    : attr
    | block
    | let
    | import
    | field
    | member
    | for_item
    | if_item
    | require
    | error                      { $$ = NULL; }
    ;

any_name
    : IDENT | REQUIRE { $$ = kw(ctx, "require"); } | WARN { $$ = kw(ctx, "warn"); }
    | AT { $$ = kw(ctx, "at"); } | HINT { $$ = kw(ctx, "hint"); } | AS { $$ = kw(ctx, "as"); }
    ;

key
    : any_name                   { $$ = mk_name(ctx, N_IDENT, &@1, $1); }
    | string
    ;

attr
    : key '=' value              { $$ = mk_attr(ctx, &@$, $1, $3); }
    ;

let
    : LET IDENT '=' value        { $$ = mk_named(ctx, N_LET, &@$, $2, $4); }
    ;

import
    : IMPORT string              { $$ = mk(ctx, N_IMPORT, &@$, $2, NULL, NULL); }
    ;

block
    : IDENT '{' items_opt '}'
                                 { $$ = mk_block(ctx, &@$, $1, NULL, NULL, NULL, &$3); }
    | IDENT label '{' items_opt '}'
                                 { $$ = mk_block(ctx, &@$, $1, $2, NULL, NULL, &$4); }
    | IDENT label string '{' items_opt '}'
                                 { $$ = mk_block(ctx, &@$, $1, $2, $3, NULL, &$5); }
    | IDENT FOR for_head '{' items_opt '}'
                                 { $$ = mk_block(ctx, &@$, $1, NULL, NULL, $3, &$5); }
    ;

label
    : IDENT                      { $$ = mk_name(ctx, N_IDENT, &@1, $1); }
    | string
    ;

opt_doc
    : %empty                     { $$ = NULL; }
    | string
    ;

member
    : IDENT                      { $$ = mk_member(ctx, &@$, $1, NULL); }
    | IDENT string               { $$ = mk_member(ctx, &@$, $1, $2); }
    ;

field
    : any_name ':' type opt_default opt_doc
                                 { $$ = mk_field(ctx, &@$, $1, $3, $4, $5); }
    ;

opt_default
    : %empty                     { $$ = NULL; }
    | '=' value                  { $$ = $2; }
    ;

for_item
    : FOR for_head '{' items_opt '}'
                                 { $$ = for_body(ctx, &@$, $2, &$4); }
    ;

for_head
    : bindings opt_filter        { $$ = mk_for(ctx, &@$, &$1, $2); }
    ;

bindings
    : binding                    { $$ = (NodeList){0}; push(ctx, &$$, $1); }
    | bindings ',' binding       { $$ = $1; push(ctx, &$$, $3); }
    ;

binding
    : IDENT IN expr              { $$ = mk_binding(ctx, &@$, $1, NULL, $3); }
    | IDENT ',' IDENT IN expr    { $$ = mk_binding(ctx, &@$, $1, &$3, $5); }
    ;

opt_filter
    : %empty                     { $$ = NULL; }
    | IF expr                    { $$ = $2; }
    ;

if_item
    : IF expr '{' items_opt '}' opt_else
                                 { $$ = mk_if(ctx, &@$, $2, &$4, $6); }
    ;

opt_else
    : %empty                     { $$ = NULL; }
    | ELSE '{' items_opt '}'     { $$ = mk_else(ctx, &@$, &$3); }
    | ELSE if_item               { $$ = $2; }
    ;

require
    : REQUIRE expr ELSE value opt_at opt_hint
                                 { $$ = mk_require(ctx, &@$, false, $2, $4, &$5, $6); }
    | WARN expr ELSE value opt_at opt_hint
                                 { $$ = mk_require(ctx, &@$, true, $2, $4, &$5, $6); }
    ;

opt_at
    : %empty                     { $$ = (NodeList){0}; }
    | AT expr_list %prec AT_LIST { $$ = $2; }
    ;

expr_list
    : expr                       { $$ = (NodeList){0}; push(ctx, &$$, $1); }
    | expr_list ',' expr         { $$ = $1; push(ctx, &$$, $3); }
    ;

opt_hint
    : %empty                     { $$ = NULL; }
    | HINT value                 { $$ = $2; }
    ;

/* ---- types (schema fields) ---- */

type
    : IDENT opt_targs            { $$ = mk_type(ctx, &@$, $1, &$2, false); }
    | IDENT opt_targs '?'        { $$ = mk_type(ctx, &@$, $1, &$2, true); }
    ;

opt_targs
    : %empty                     { $$ = (NodeList){0}; }
    | '(' targs ')'              { $$ = $2; }
    ;

targs
    : targ                       { $$ = (NodeList){0}; push(ctx, &$$, $1); }
    | targs ',' targ             { $$ = $1; push(ctx, &$$, $3); }
    ;

targ
    : type
    | cmp bound                  { $$ = mk_constraint(ctx, &@$, NULL, $1, $2, NULL); }
    | bound DOTDOT bound         { $$ = mk_constraint(ctx, &@$, NULL, OP_RANGE, $1, $3); }
    | string                     { $$ = mk_constraint(ctx, &@$, NULL, OP_NONE, $1, NULL); }
    | IDENT cmp bound            { $$ = mk_constraint(ctx, &@$, &$1, $2, $3, NULL); }
    | IDENT bound DOTDOT bound   { $$ = mk_constraint(ctx, &@$, &$1, OP_RANGE, $2, $4); }
    ;

cmp
    : EQ { $$ = OP_EQ; } | NE { $$ = OP_NE; } | '<' { $$ = OP_LT; }
    | LE { $$ = OP_LE; } | '>' { $$ = OP_GT; } | GE { $$ = OP_GE; }
    ;

bound
    : number
    | '-' number                 { $$ = mk(ctx, N_UNARY, &@$, $2, NULL, NULL); $$->op = OP_NEG; }
    ;

number
    : INT                        { $$ = mk_int(ctx, &@$, $1); }
    | FLOAT                      { $$ = mk_name(ctx, N_FLOAT, &@$, $1); }
    | QUANTITY                   { $$ = mk_quantity(ctx, &@$, $1); }
    ;

/* ---- expressions ---- */

/* A value is an expression or a union variant `tag { items }`. Variants
 * are not expressions, so `for x in xs {` and `if c {` stay unambiguous;
 * for the same reason the else branch of `if c then a else b` is an
 * expression (parenthesise a variant there). */
value
    : expr %prec COND
    | IDENT '{' items_opt '}'    { $$ = mk_variant(ctx, &@$, $1, &$3); }
    ;

expr
    : primary
    | expr OR expr               { $$ = mk_binary(ctx, &@$, OP_OR, $1, $3); }
    | expr AND expr              { $$ = mk_binary(ctx, &@$, OP_AND, $1, $3); }
    | expr EQ expr               { $$ = mk_binary(ctx, &@$, OP_EQ, $1, $3); }
    | expr NE expr               { $$ = mk_binary(ctx, &@$, OP_NE, $1, $3); }
    | expr '<' expr              { $$ = mk_binary(ctx, &@$, OP_LT, $1, $3); }
    | expr LE expr               { $$ = mk_binary(ctx, &@$, OP_LE, $1, $3); }
    | expr '>' expr              { $$ = mk_binary(ctx, &@$, OP_GT, $1, $3); }
    | expr GE expr               { $$ = mk_binary(ctx, &@$, OP_GE, $1, $3); }
    | expr IN expr               { $$ = mk_binary(ctx, &@$, OP_IN, $1, $3); }
    | expr '+' expr              { $$ = mk_binary(ctx, &@$, OP_ADD, $1, $3); }
    | expr '-' expr              { $$ = mk_binary(ctx, &@$, OP_SUB, $1, $3); }
    | expr '*' expr              { $$ = mk_binary(ctx, &@$, OP_MUL, $1, $3); }
    | expr '/' expr              { $$ = mk_binary(ctx, &@$, OP_DIV, $1, $3); }
    | expr '%' expr              { $$ = mk_binary(ctx, &@$, OP_MOD, $1, $3); }
    | expr IS IDENT              { $$ = mk_named(ctx, N_IS, &@$, $3, $1); }
    | '!' expr                   { $$ = mk_unary(ctx, &@$, OP_NOT, $2); }
    | '-' expr %prec UMINUS      { $$ = mk_unary(ctx, &@$, OP_NEG, $2); }
    | IF expr THEN value ELSE expr %prec COND
                                 { $$ = mk(ctx, N_COND, &@$, $2, $4, $6); }
    ;

primary
    : INT                        { $$ = mk_int(ctx, &@$, $1); }
    | FLOAT                      { $$ = mk_name(ctx, N_FLOAT, &@$, $1); }
    | QUANTITY                   { $$ = mk_quantity(ctx, &@$, $1); }
    | TRUE                       { $$ = mk(ctx, N_BOOL, &@$, NULL, NULL, NULL); $$->flag = true; }
    | FALSE                      { $$ = mk(ctx, N_BOOL, &@$, NULL, NULL, NULL); }
    | NUL                        { $$ = mk(ctx, N_NULL, &@$, NULL, NULL, NULL); }
    | string
    | IDENT                      { $$ = mk_name(ctx, N_IDENT, &@$, $1); }
    | '(' value ')'              { $$ = mk(ctx, N_PAREN, &@$, $2, NULL, NULL); }
    | '[' ']'                    { $$ = mk_list(ctx, N_LIST, &@$, NULL); }
    | '[' value_list opt_comma ']'
                                 { $$ = mk_list(ctx, N_LIST, &@$, &$2); }
    | '[' FOR for_head ':' value ']'
                                 { $$ = mk_listcomp(ctx, &@$, $3, $5); }
    | '{' items_opt '}'          { $$ = mk_list(ctx, N_OBJECT, &@$, &$2); }
    | '{' FOR for_head ':' value ARROW value '}'
                                 { $$ = mk_objcomp(ctx, &@$, $3, $5, $7); }
    | MATCH expr '{' arms opt_comma '}'
                                 { $$ = mk_match(ctx, &@$, $2, &$4); }
    | primary '.' any_name       { $$ = mk_named(ctx, N_GET, &@$, $3, $1); }
    | primary '[' value ']'      { $$ = mk(ctx, N_INDEX, &@$, $1, $3, NULL); }
    | primary '(' args_opt ')'   { $$ = mk_call(ctx, &@$, $1, &$3); }
    ;

value_list
    : value                      { $$ = (NodeList){0}; push(ctx, &$$, $1); }
    | value_list ',' value       { $$ = $1; push(ctx, &$$, $3); }
    ;

args_opt
    : %empty                     { $$ = (NodeList){0}; }
    | args opt_comma             { $$ = $1; }
    ;

args
    : arg                        { $$ = (NodeList){0}; push(ctx, &$$, $1); }
    | args ',' arg               { $$ = $1; push(ctx, &$$, $3); }
    ;

arg
    : value                      { $$ = mk_arg(ctx, &@$, NULL, $1); }
    | any_name '=' value         { $$ = mk_arg(ctx, &@$, &$1, $3); }
    ;

arms
    : arm                        { $$ = (NodeList){0}; push(ctx, &$$, $1); }
    | arms sep arm               { $$ = $1; push(ctx, &$$, $3); }
    ;

arm
    : IDENT ARROW value          { $$ = mk_arm(ctx, &@$, $1, NULL, $3); }
    | IDENT AS IDENT ARROW value { $$ = mk_arm(ctx, &@$, $1, &$3, $5); }
    | NUL ARROW value            { $$ = mk_arm(ctx, &@$, kw(ctx, "null"), NULL, $3); }
    ;

string
    : STR_BEGIN parts STR_END    { $$ = mk_string(ctx, &@$, &$2, false); }
    | TSTR_BEGIN parts TSTR_END  { $$ = mk_string(ctx, &@$, &$2, true); }
    ;

parts
    : %empty                     { $$ = (NodeList){0}; }
    | parts STR_TEXT             { $$ = $1; push_text(ctx, &$$, &@2, $2); }
    | parts INTERP_BEGIN value INTERP_END
                                 { $$ = $1; push(ctx, &$$, $3); }
    ;

%%

/* Describes a grammar symbol for a message: `}`, `=`, an identifier. */
static const char *describe(yysymbol_kind_t k)
{
    switch (k) {
    case YYSYMBOL_YYEOF: return "end of file";
    case YYSYMBOL_IDENT: return "an identifier";
    case YYSYMBOL_INT: return "an integer";
    case YYSYMBOL_FLOAT: return "a number";
    case YYSYMBOL_QUANTITY: return "a quantity";
    case YYSYMBOL_STR_BEGIN: return "a string";
    case YYSYMBOL_TSTR_BEGIN: return "a triple-quoted string";
    case YYSYMBOL_STR_END: return "the end of the string";
    case YYSYMBOL_TSTR_END: return "the closing \"\"\"";
    case YYSYMBOL_INTERP_END: return "`}` closing the interpolation";
    case YYSYMBOL_NEWLINE: return "end of line";
    default: return NULL;
    }
}

/* True when k is the character token c, such as '('. */
static bool is_char(yysymbol_kind_t k, char c)
{
    const char *name = yysymbol_name(k);
    return name[0] == '\'' && name[1] == c && name[2] == '\'';
}

/* Tokens that can begin an expression: when all of these are expected,
 * the message says "an expression" instead of listing them. */
static bool starts_expression(yysymbol_kind_t k)
{
    switch (k) {
    case YYSYMBOL_INT: case YYSYMBOL_FLOAT: case YYSYMBOL_QUANTITY: case YYSYMBOL_STR_BEGIN:
    case YYSYMBOL_TSTR_BEGIN: case YYSYMBOL_IDENT: case YYSYMBOL_TRUE: case YYSYMBOL_FALSE:
    case YYSYMBOL_NUL: case YYSYMBOL_MATCH: case YYSYMBOL_IF:
        return true;
    default:
        return is_char(k, '(') || is_char(k, '[') || is_char(k, '{') || is_char(k, '!') ||
               is_char(k, '-');
    }
}

static void put_symbol(StrBuf *b, yysymbol_kind_t k)
{
    const char *d = describe(k);
    if (d) {
        sb_puts(b, d);
        return;
    }
    /* bison names are "\"let\"" or "'='": show them as `let`, `=` */
    const char *name = yysymbol_name(k);
    size_t n = strlen(name);
    if (n >= 2 && (name[0] == '"' || name[0] == '\'')) {
        name++;
        n -= 2;
    }
    sb_printf(b, "`%.*s`", (int)n, name);
}

/* The token that was found, without the article its description has
 * in a list of expectations: "unexpected string", not "unexpected a string". */
static void put_found(StrBuf *b, yysymbol_kind_t k)
{
    const char *d = describe(k);
    if (!d) {
        put_symbol(b, k);
        return;
    }
    if (strncmp(d, "a ", 2) == 0)
        d += 2;
    else if (strncmp(d, "an ", 3) == 0)
        d += 3;
    else if (strncmp(d, "the ", 4) == 0)
        d += 4;
    sb_puts(b, d);
}

static void put_expected(StrBuf *b, const yysymbol_kind_t *exp, int n)
{
    bool expr = false;
    for (int i = 0; i < n; i++)
        if (exp[i] == YYSYMBOL_INT)
            expr = true;
    yysymbol_kind_t shown[YYNTOKENS];
    int m = 0;
    for (int i = 0; i < n; i++)
        if (!(expr && starts_expression(exp[i])) && exp[i] != YYSYMBOL_YYerror)
            shown[m++] = exp[i];
    int total = m + (expr ? 1 : 0);
    if (total == 0 || total > 6)
        return;
    sb_puts(b, "; expected ");
    int said = 0;
    if (expr) {
        sb_puts(b, "an expression");
        said++;
    }
    for (int i = 0; i < m; i++, said++) {
        if (said)
            sb_puts(b, said == total - 1 ? " or " : ", ");
        put_symbol(b, shown[i]);
    }
}

static bool expects(const yysymbol_kind_t *exp, int n, yysymbol_kind_t k)
{
    for (int i = 0; i < n; i++)
        if (exp[i] == k)
            return true;
    return false;
}

/* Tokens that close what is open: met where a value should be, they
 * mean the value was left out (`pods =` at the end of a block). */
static bool ends_something(yysymbol_kind_t k)
{
    return k == YYSYMBOL_NEWLINE || k == YYSYMBOL_YYEOF || k == YYSYMBOL_INTERP_END ||
           is_char(k, '}') || is_char(k, ')') || is_char(k, ']') || is_char(k, ',');
}

static void add_hint(ParseCtx *ctx, Diag *d, yysymbol_kind_t got, const yysymbol_kind_t *exp,
                     int n)
{
    if (ctx->prev_kind == ':' && got != YYSYMBOL_IDENT) {
        diag_set_hint(d, "to set an attribute, write `name = value`; `name: type` declares "
                         "a schema field");
    } else if (got == YYSYMBOL_YYEOF && ctx->nopen) {
        const OpenEntry *o = &ctx->open[ctx->nopen - 1];
        const char *what = o->kind == OPEN_PAREN ? "(" : o->kind == OPEN_BRACKET ? "[" : "{";
        diag_add_secondary(d, o->at, "this `%s` is not closed", what);
        diag_set_hint(d, "add the missing closing bracket");
    } else if (is_char(got, '=') && expects(exp, n, YYSYMBOL_EQ)) {
        diag_set_hint(d, "to compare, write `==`");
    } else if (expects(exp, n, YYSYMBOL_NEWLINE) && got != YYSYMBOL_NEWLINE &&
               ctx->last_kind != NEWLINE) {
        diag_set_hint(d, "items are separated by a newline or a comma");
    } else if (expects(exp, n, YYSYMBOL_INT) && ends_something(got)) {
        diag_set_hint(d, "a value is missing before this");
    }
}

static int yyreport_syntax_error(const yypcontext_t *yyctx, ParseCtx *ctx)
{
    yysymbol_kind_t got = yypcontext_token(yyctx);
    if (got == YYSYMBOL_BAD)
        return 0; /* the scanner has reported it */
    if (got == YYSYMBOL_YYEOF && ctx->eof_reported)
        return 0;
    if (++ctx->syntax_errors > PARSE_MAX_ERRORS) {
        if (!ctx->eof_reported) {
            Diag *d = diag_error(ctx->diags, "E0022", *yypcontext_location(yyctx),
                                 "too many syntax errors; stopped reading %s", ctx->src->path);
            diag_set_hint(d, "fix the errors above and run again");
        }
        ctx->stop = true;
        ctx->eof_reported = true;
        return 0;
    }
    yysymbol_kind_t exp[YYNTOKENS];
    int n = yypcontext_expected_tokens(yyctx, exp, YYNTOKENS);
    if (n < 0)
        n = 0;
    const Span *at = yypcontext_location(yyctx);
    StrBuf msg;
    sb_init(&msg);
    sb_puts(&msg, "unexpected ");
    if (got == YYSYMBOL_IDENT || got == YYSYMBOL_INT || got == YYSYMBOL_FLOAT ||
        got == YYSYMBOL_QUANTITY) {
        size_t len = at->end - at->start;
        const char *what = got == YYSYMBOL_IDENT ? "identifier" : "number";
        if (len > 40)
            sb_printf(&msg, "%s `%.40s...`", what, ctx->src->text + at->start);
        else
            sb_printf(&msg, "%s `%.*s`", what, (int)len, ctx->src->text + at->start);
    } else {
        put_found(&msg, got);
    }
    put_expected(&msg, exp, n);
    Diag *d = diag_error(ctx->diags, "E0020", *at, "%s", msg.data);
    sb_free(&msg);
    add_hint(ctx, d, got, exp, n);
    return 0;
}

static void crown_error(const Span *at, ParseCtx *ctx, const char *msg)
{
    (void)msg;
    Diag *d = diag_error(ctx->diags, "E0021", *at, "nesting too deep for the parser");
    diag_set_hint(d, "split the value into named parts with `let`");
    ctx->eof_reported = true;
}
