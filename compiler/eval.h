/* eval.h — evaluation of crown expressions and block bodies.
 *
 * The language is pure, so evaluation is a function of the program: no
 * clock, no environment, no network. It is lazy where the language lets
 * one thing refer to another (top-level `let`s, a block's fields, schema
 * defaults that read sibling fields) and detects cycles instead of
 * recursing forever.
 *
 * Evaluation is directed by the expected type where one is known: the
 * identifier `worker` is a member of the enum `role` where a role is
 * expected, `alice` is the person block labelled alice where a
 * ref(person) is expected, and `500m` is millicores where cpu is expected
 * but minutes where a duration is. A failed evaluation reports a
 * diagnostic and returns NULL; callers propagate NULL without reporting
 * again, so one mistake gives one message. */
#ifndef CROWN_EVAL_H
#define CROWN_EVAL_H

#include <stdbool.h>
#include <stdint.h>

#include "decl.h"
#include "diag.h"
#include "value.h"

typedef struct Eval Eval;
typedef struct Env Env;

/* What one evaluation may cost, so that no site can hang crownc or take
 * the machine's memory: past a limit, evaluation stops with a diagnostic
 * at the expression that crossed it (E0221, E0223, E0224). The defaults
 * admit a 100,000-person site several times over (docs/cli.md, Limits);
 * --max-steps, --max-memory and --max-depth raise them. */
typedef struct EvalLimits {
    uint64_t steps;   /* expressions evaluated */
    uint64_t bytes;   /* memory the compilation holds */
    uint32_t depth;   /* evaluations nested in one another */
} EvalLimits;

#define EVAL_DEFAULT_STEPS 1000000000u
#define EVAL_DEFAULT_BYTES (8ull << 30)
#define EVAL_DEFAULT_DEPTH 400u
/* The deepest nesting the C stack holds (docs/cli.md): --max-depth stops
 * here rather than crash. */
#define EVAL_DEPTH_CEILING 10000u

/* The defaults above. */
EvalLimits eval_limits_default(void);

/* One lexical frame. Bindings are either values or lazy thunks (an
 * expression and the frame it is evaluated in). */
Env *env_new(Eval *ev, Env *parent);
/* The same with room for n bindings: a loop's frame is made once per
 * element, so it is made the size it needs. */
Env *env_new_sized(Eval *ev, Env *parent, size_t n);
void env_bind(Eval *ev, Env *env, const char *name, const Value *v);
void env_bind_lazy(Eval *ev, Env *env, const char *name, const Node *expr, Env *in,
                   const Type *type);

/* Evaluates n in env; want is the expected type or NULL. */
const Value *eval_expr(Eval *ev, const Node *n, Env *env, const Type *want);
/* Evaluates a block body (or an object literal's items) as an instance of
 * schema (a D_SCHEMA or D_VARIANT); label is the block's label or NULL. */
const Value *eval_record(Eval *ev, const Decl *schema, const NodeList *items, Env *env,
                         const Node *label, Span at);
/* Evaluates the top-level items of a site's files as an instance of the
 * root schema. While it runs, references (`teachers = [alice]`) find their
 * targets among the root's fields. */
const Value *eval_root(Eval *ev, const Decl *root, const NodeList *items, Env *env, Span at);
/* Converts v to type t (a string to an address, an int to a float, an
 * object to a record), checking constraints; reports and returns NULL
 * when it does not fit. what names the place for messages ("field
 * `memory` of server \"node-1\""). */
const Value *eval_coerce(Eval *ev, const Value *v, const Type *t, const char *what);

#endif
