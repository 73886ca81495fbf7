/* types.h — the types of the crown language.
 *
 * A Type is built once per written type (a schema field's `list(role)`,
 * a builtin's signature) and shared; types are never mutated after
 * construction and live in the build's arena. Declarations (schemas,
 * enums, unions) are described by Decl, defined in decl.h; a type only
 * points at them.
 *
 * Scalar types that are strings underneath (hostname, email, url, name,
 * path) differ only in what text they accept; quantities (bytes, cpu,
 * duration) carry their dimension. */
#ifndef CROWN_TYPES_H
#define CROWN_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "ast.h"
#include "strbuf.h"

typedef enum TypeKind {
    TY_ANY,      /* not known statically (rows of a CSV file, yaml()) */
    TY_NULL,
    TY_BOOL,
    TY_INT,
    TY_FLOAT,
    TY_STRING,
    TY_HOSTNAME,
    TY_EMAIL,
    TY_URL,
    TY_NAME,     /* a DNS-1123 label: what Kubernetes names are made of */
    TY_PATH,
    TY_BYTES,
    TY_CPU,
    TY_DURATION,
    TY_IP,
    TY_CIDR,
    TY_IPRANGE,
    TY_SECRET,   /* a secret's reference; its value never appears in text */
    TY_LIST,     /* elem */
    TY_MAP,      /* elem; keys are strings */
    TY_OBJECT,   /* an object literal's type: any string keys, any values */
    TY_RECORD,   /* decl: a schema */
    TY_ENUM,     /* decl */
    TY_UNION,    /* decl */
    TY_REF,      /* decl: a schema; a reference to a declared block */
    TY_OPTIONAL, /* elem: T? accepts null */
    TY_KIND_COUNT
} TypeKind;

typedef struct Decl Decl;

/* A constraint written in a type's arguments: `int(>= 1)`,
 * `int(1 .. 65535)`, `string("^[a-z]+$")`, `list(name, len <= 10)`,
 * `list(name, unique)`. Bounds are evaluated when the type is built. */
typedef enum ConsKind { CONS_CMP, CONS_RANGE, CONS_REGEX, CONS_UNIQUE } ConsKind;

typedef struct Value Value;

typedef struct Constraint {
    ConsKind kind;
    bool on_len;        /* the bound applies to len(x), not x */
    int op;             /* CONS_CMP: OP_LT ... OP_GE, OP_EQ, OP_NE */
    const Value *lo;    /* CONS_CMP: the bound; CONS_RANGE: lower bound */
    const Value *hi;    /* CONS_RANGE: upper bound (inclusive) */
    const char *regex;  /* CONS_REGEX: POSIX extended, anchored by the writer */
    const Node *at;     /* where it is written */
} Constraint;

typedef struct Type {
    TypeKind kind;
    const struct Type *elem; /* TY_LIST, TY_MAP, TY_OPTIONAL */
    const Decl *decl;        /* TY_RECORD, TY_ENUM, TY_UNION, TY_REF */
    const Constraint *cons;
    size_t ncons;
} Type;

/* Shared instances of the types without parameters. */
const Type *type_basic(TypeKind k);
const Type *type_list(Arena *ar, const Type *elem);
const Type *type_map(Arena *ar, const Type *elem);
const Type *type_optional(Arena *ar, const Type *inner);
const Type *type_decl(Arena *ar, TypeKind k, const Decl *d);

/* The builtin type named name (string, bytes, ip, ...), or NULL. */
const Type *type_builtin(const char *name);
/* The kind name as written in a site file: "bytes", "list", ... */
const char *type_kind_name(TypeKind k);

/* Strips one optional layer: T? -> T; anything else is itself. */
const Type *type_unopt(const Type *t);
bool type_is_quantity(const Type *t);
/* The string-like scalars, which a string literal becomes. */
bool type_is_text(const Type *t);

/* Appends t as written in a schema: list(role), bytes, server?, ref(person). */
void type_format(const Type *t, StrBuf *out);

#endif
