/* decl.h — the declarations of the standard library: schemas, enums,
 * unions, checks and components, collected from the parsed files into
 * one table with one namespace.
 *
 * decl_collect reads every top-level declaration block, resolves the
 * types its fields name (a schema may name a union declared later or in
 * another file) and reports duplicates and unknown types. Nothing is
 * evaluated here except constraint bounds, which are literals. */
#ifndef CROWN_DECL_H
#define CROWN_DECL_H

#include <stdbool.h>
#include <stddef.h>

#include "ast.h"
#include "diag.h"
#include "types.h"

typedef enum DeclKind { D_SCHEMA, D_ENUM, D_UNION, D_VARIANT, D_CHECK, D_COMPONENT } DeclKind;

typedef struct Field {
    const char *name;
    const Type *type;
    const Node *def;   /* default expression; NULL when the field is required */
    const char *doc;   /* "" when undocumented */
    const Node *node;  /* the N_FIELD */
    bool is_label;     /* declared `label`: receives the block's label */
    /* the static check found an error in def (typecheck.c): evaluating it
     * for every record that leaves the field out would repeat that error */
    bool bad_default;
} Field;

typedef struct Member {
    const char *name;
    const char *doc;
    const Node *node;
} Member;

struct Decl {
    DeclKind kind;
    const char *name;
    const char *doc;            /* "" when undocumented */
    const Node *node;           /* the declaration's N_BLOCK (or N_MEMBER for a bare variant) */
    /* D_SCHEMA and D_VARIANT */
    Field *fields;
    size_t nfields;
    int label;                  /* index of the label field, or -1 */
    /* D_ENUM: members; D_UNION: variants (each a D_VARIANT) */
    Member *members;
    size_t nmembers;
    struct Decl **variants;
    size_t nvariants;
    const struct Decl *parent;  /* D_VARIANT: its union */
    /* D_CHECK: the diagnostic code it reports under ("" when none) */
    const char *code;
    /* D_CHECK: the static check found an error in its body, which running
     * it would report again (set by typecheck.c) */
    bool ill_typed;
    /* D_SCHEMA and D_VARIANT: the field names in order, and their hash
     * index, shared by every record of the schema (made by the first) */
    const char **field_names;
    const struct HashIndex *field_index;
    /* the evaluator's scratch for the next record of the schema: what a
     * finished record no longer needs (record.c) */
    void *spare_record;
};

typedef struct DeclTable {
    Decl **at;
    size_t len, cap;
    struct HashIndex *index; /* the names, for decl_find */
} DeclTable;

/* Adds the declarations among items (the top level of one file) to t.
 * Call for every file, then decl_resolve once. */
void decl_collect(DeclTable *t, Arena *ar, const NodeList *items, DiagList *diags);
/* Resolves the types named by fields, now that every declaration is known. */
void decl_resolve(DeclTable *t, Arena *ar, DiagList *diags);

/* The declaration named name (schemas, enums, unions, checks, components
 * share one namespace; variants are found through their union), or NULL. */
const Decl *decl_find(const DeclTable *t, const char *name);
const Field *decl_field(const Decl *schema, const char *name);
int decl_member(const Decl *e, const char *name);
const Decl *decl_variant(const Decl *u, const char *name);
/* Whether a declaration kind name is reserved ("schema", "enum", ...). */
bool decl_is_keyword(const char *kind);

/* The text of a string literal without interpolation, or NULL. */
const char *decl_plain_string(Arena *ar, const Node *n);

#endif
