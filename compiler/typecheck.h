/* typecheck.h — static types for the standard library's code.
 *
 * A check runs only against a site that reaches it, and a default only
 * when a site leaves its field out: a misspelt field in a rule about BGP
 * peers would stay hidden until the first BGP site. So before any site is
 * evaluated, every check body and every field default is typed against
 * the schemas: field access on records and unions, builtin calls (arity
 * and argument kinds), quantity dimensions in arithmetic, `is` and
 * `match` against a union's variants (match must cover them all), what
 * may be put into a string, and literal defaults against their field's
 * type (an invalid address in a default is found here).
 *
 * Values whose type is not known statically (CSV rows, yaml()) are `any`
 * and pass; the evaluator checks them when they exist. */
#ifndef CROWN_TYPECHECK_H
#define CROWN_TYPECHECK_H

#include "decl.h"
#include "diag.h"

/* Reports into diags; returns the number of errors found. */
size_t typecheck_decls(const DeclTable *decls, const Decl *root, const NodeList *lets,
                       Arena *ar, DiagList *diags);

#endif
