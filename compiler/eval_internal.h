/* eval_internal.h — the evaluator's state, shared by eval.c (expressions),
 * record.c (blocks into records), coerce.c (values into types),
 * builtins.c and data.c. Not for use outside those files. */
#ifndef CROWN_EVAL_INTERNAL_H
#define CROWN_EVAL_INTERNAL_H

#include "eval.h"
#include "regex_cache.h"

typedef enum BindState { B_VALUE, B_LAZY, B_BUSY, B_FAILED } BindState;

/* Computes a lazy binding that is not a single expression (a field set by
 * nested blocks). */
typedef const Value *(*Thunk)(Eval *ev, void *ctx);

/* A frame holds one per name, and there is a frame per loop iteration
 * and per record: the two ways of computing a lazy value share their
 * room. */
typedef struct Binding {
    const char *name;
    BindState state;
    bool is_thunk;      /* computed by thunk(thunk_ctx), not by expr in in */
    const Value *val;   /* B_VALUE */
    const Node *expr;   /* what computes it (or, for a thunk, where it is written) */
    union {
        Env *in;            /* where expr is evaluated */
        void *thunk_ctx;
    };
    union {
        const Type *type;   /* expected type, or NULL: the value is coerced to it */
        Thunk thunk;
    };
    /* the record it is a field of, for messages ("`memory` of server
     * \"node-1\""), written only when a message needs it; NULL: the
     * binding's name alone */
    const char *owner;
} Binding;

struct Env {
    Env *parent;
    Binding *b;
    size_t len, cap;
};

/* A source file that data builtins read (csv(), yaml(), file()): kept so
 * that values from it point at their line and column. */
typedef struct DataFile {
    Source *src;
    const char *real;    /* resolved path: the cache key */
    const Value *value;  /* what it evaluated to, cached */
    bool done;           /* value is computed (NULL: it failed) */
    int kind;            /* 'c' csv, 'y' yaml, 'f' file */
} DataFile;

struct Eval {
    Arena *ar;
    DiagList *diags;
    const DeclTable *decls;
    Env *globals;
    EvalLimits limits;  /* what this evaluation may cost */
    uint64_t steps;     /* expressions evaluated so far */
    uint32_t depth;
    /* The stack evaluation may use below stack_base (an address in the
     * caller's frame): the depth limit counts levels, this counts bytes,
     * so that no nesting the levels admit can overflow the C stack.
     * 0: not checked. */
    uintptr_t stack_base;
    size_t stack_budget;
    /* Data builtins read only below this directory (absolute, no trailing
     * slash); NULL forbids them. */
    const char *site_dir;
    const char *stdlib_dir; /* the same for the library's own files */
    DataFile *data;
    size_t ndata, capdata;
    unsigned next_source_id;
    /* The root record's lazily evaluated fields: references such as
     * `teachers = [alice]` look their target up here. */
    Env *root_env;
    const Decl *root;
    RegexCache regexes; /* every pattern matched so far, compiled */
    /* Per root field, its blocks by label (record_find_labelled). */
    const struct HashIndex **label_index;
    /* The root fields that hold blocks of label_schema, the schema looked
     * up last: a roster asks for one person after another. */
    const Decl *label_schema;
    uint32_t label_nfields;
    uint32_t label_fields[4];
    bool too_deep;      /* E0221 reported: do not repeat it */
    /* A step or memory limit was crossed (E0223, E0224): every further
     * evaluation fails at once, so that the site unwinds quickly. */
    bool stopped;
    size_t stop_diag;   /* diagnostics up to the limit's own; the rest follow from it */
    /* The innermost expression of a site file being evaluated: where a
     * limit crossed inside the library is reported too. */
    Span site_at;
    unsigned nsite;     /* sources with an id below this are the site's */
    /* Where the library's `let`s are evaluated; eval_root makes the root's
     * fields its parent once they exist. */
    Env *late_scope;
};

Binding *env_bind_thunk(Eval *ev, Env *env, const char *name, Thunk fn, void *ctx,
                        const Node *at);
/* The value of a binding, computing it on first use; NULL if that failed
 * (reported once). at is the use, for the message about a cycle. */
const Value *binding_force(Eval *ev, Binding *b, const Node *at);
/* Looks name up from env outwards, forcing a lazy binding; *found says
 * whether it exists at all (a failed binding is found but NULL). */
const Value *env_lookup(Eval *ev, Env *env, const char *name, const Node *at, bool *found);
/* A frame for a body (a block, a check, a component): its `let`s bound
 * lazily, so that they may refer to each other in any order; outer
 * itself when the body has none (nothing else is bound in it). */
Env *env_with_lets(Eval *ev, Env *outer, const NodeList *items);
/* The same frame again for another iteration of a loop whose body is
 * items: *frame, made at the first, rebound to outer and its lets made
 * lazy again. Only for a body whose frame nothing keeps once it ends (a
 * check's: what it computes are diagnostics). */
Env *env_reuse_lets(Eval *ev, Env **frame, Env *outer, const NodeList *items);
/* The binding of name in this frame only, or NULL. */
Binding *env_find_local(Env *env, const char *name);

/* Sets the stack guard above with a budget from the process's stack
 * limit; base is the address of a local of the caller. */
void eval_stack_guard(Eval *ev, const void *base);

/* Whether the evaluation may allocate bytes more, data-sized (a string
 * or a list built in one go): false after reporting E0224 at at when that
 * would cross the memory limit. */
bool eval_reserve(Eval *ev, size_t bytes, Span at);

/* Whether v is already of type t, so that coercing it can report nothing
 * and gives v itself. */
bool eval_already(const Value *v, const Type *t);

/* Evaluates a condition: a bool, or NULL after reporting that it is not
 * one (what names it: "the condition of `if`"). A failure already
 * reported elsewhere gives NULL silently. */
const Value *eval_bool(Eval *ev, const Node *n, Env *env, const char *what);

/* Diagnostics with the evaluator's conventions. */
Diag *eval_error(Eval *ev, const char *code, Span at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* "expected TYPE, found KIND VALUE" */
Diag *eval_type_error(Eval *ev, const Value *v, const Type *want, const char *what);

/* What a value is, for messages ("element 3 of `students` of course
 * \"net\""), written out only when a message needs it: coercing a list
 * of thousands of people reports nothing, and should not pay for it. */
typedef enum WhatKind { WHAT_TEXT, WHAT_ELEMENT, WHAT_KEY, WHAT_FIELD } WhatKind;
typedef struct What {
    WhatKind kind;
    const char *text;      /* WHAT_TEXT: all of it (or NULL); WHAT_FIELD: the owner */
    const char *name;      /* WHAT_KEY: the key; WHAT_FIELD: the field */
    size_t index;          /* WHAT_ELEMENT */
    const struct What *of; /* WHAT_ELEMENT, WHAT_KEY: the list or map */
} What;
/* The words for w, or NULL for none. */
const char *what_text(Eval *ev, const What *w);
/* eval_coerce with a What. */
const Value *eval_coerce_as(Eval *ev, const Value *v, const Type *t, const What *what);
/* The closest of candidates to word (edit distance), or NULL. */
const char *eval_suggest(const char *word, const char *const *candidates, size_t n);

/* Builtins (builtins.c): calls n (N_CALL) to the builtin named name.
 * Returns false when no builtin has that name. */
bool builtin_call(Eval *ev, const char *name, const Node *n, Env *env, const Type *want,
                  const Value **out);
bool builtin_exists(const char *name);
/* Whether a named argument of secret() takes a bare word (`kind = tsig`). */
bool builtin_secret_word(const char *arg);

/* What the static checker knows of a builtin: its arity, the kinds its
 * first arguments accept (BA_* flags; 0 or BA_ANY: anything) and how its
 * result's type follows from them. */
enum {
    BA_STRING = 1, BA_LIST = 2, BA_OBJECT = 4, BA_NUMBER = 8, BA_NET = 16, BA_SECRET = 32,
    BA_ANY = 63
};
typedef enum BuiltinRet {
    BR_ANY, BR_INT, BR_BOOL, BR_STRING, BR_IP, BR_SECRET,
    BR_SAME,        /* the first argument's type */
    BR_ELEM,        /* the element type of the first argument (a list) */
    BR_VALUES,      /* list of the first argument's value type */
    BR_LIST_STRING, BR_LIST_INT,
    BR_ROWS,        /* list of objects (CSV rows) */
} BuiltinRet;
typedef struct BuiltinSig {
    unsigned min, max;
    BuiltinRet ret;
    unsigned args[3];
} BuiltinSig;
bool builtin_signature(const char *name, BuiltinSig *out);
void builtin_arity_error(DiagList *diags, const char *name, const BuiltinSig *sig, size_t k,
                         Span at);

/* Data files (data.c), paths relative to the file that names them. */
const Value *data_csv(Eval *ev, const Value *path, const Node *at);
const Value *data_yaml(Eval *ev, const Value *path, const Node *at);
const Value *data_file(Eval *ev, const Value *path, const Node *at);

/* Records (record.c): the instance of schema named by a labelled block at
 * the top of the root, or NULL; used for references. */
const Value *record_find_labelled(Eval *ev, const Decl *schema, const char *label);
/* An object literal: a record where one is expected, else a plain object. */
const Value *eval_object(Eval *ev, const Node *n, Env *env, const Type *want);
/* A record of schema from an evaluated object (a CSV row, yaml()). */
const Value *record_from_object(Eval *ev, const Decl *schema, const Value *obj,
                                const char *what);

/* Runs fn once per combination of the bindings (`for a in xs, b in ys`)
 * that passes filter, in an environment that binds the loop variables.
 * Stops and returns false as soon as fn or an evaluation fails. */
typedef bool (*LoopFn)(Eval *ev, Env *env, void *ctx);
bool eval_for(Eval *ev, const NodeList *bindings, const Node *filter, Env *env, LoopFn fn,
              void *ctx);
/* The same for a body that is done with its frame when fn returns (a
 * comprehension's element, a check's statements, a manifest): each
 * binding's frame is made once and rebound, instead of once per element.
 * Not for blocks, whose fields are evaluated later in the frame. */
bool eval_for_eager(Eval *ev, const NodeList *bindings, const Node *filter, Env *env,
                    LoopFn fn, void *ctx);

/* A value that failed to evaluate, kept in its record so that the record
 * still exists; reading it yields NULL without a second message. */
const Value *eval_poison(Eval *ev, Span at);
static inline bool is_poison(const Value *v) { return v && v->kind == V_POISON; }
/* An int at n: the last one made there when it has the same value, as
 * values are never changed (a count in a loop is mostly the same). n is
 * a node whose memo holds nothing else (a literal, a call). */
const Value *eval_node_int(Eval *ev, const Node *n, int64_t i);
/* The bool b at n, made once per node and outcome (memo[b]). */
const Value *eval_node_bool(Eval *ev, const Node *n, bool b);

/* Lists under construction. A list ends in vec_take (its items at their
 * exact size: a Value's list) or vec_free (a scratch list); either gives
 * the room back for the next list to grow into. */
typedef struct ValueVec {
    const Value **at;
    size_t len, cap;
} ValueVec;
void vec_push(Eval *ev, ValueVec *v, const Value *x);
/* The items (never NULL); len stays, and the vector may not grow again. */
const Value **vec_take(Eval *ev, ValueVec *v);
void vec_free(Eval *ev, ValueVec *v);
/* An array of n elements of elem bytes in the arena (never NULL), its
 * first k copied from at, the rest zero. */
void *arena_copy(Arena *ar, const void *at, size_t n, size_t k, size_t elem);

/* Quantity dimension of a type (bytes, cpu, duration); false otherwise. */
bool type_dim(const Type *t, QDim *out);

#endif
