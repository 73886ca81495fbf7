/* program.h — a site and the standard library, loaded, typed and checked.
 *
 * program_load reads the site file (or SITE/site.crown for a directory),
 * every file it imports, and every .crown file of the standard library.
 * program_check then collects the declarations, evaluates the site into
 * its root record and runs every `check` of the standard library and of
 * the site. Each step reports into the DiagList and goes on as far as it
 * sensibly can, so one run shows every problem; a step whose input has
 * errors is skipped (no type errors for a file that does not parse). */
#ifndef CROWN_PROGRAM_H
#define CROWN_PROGRAM_H

#include <stdbool.h>

#include "decl.h"
#include "diag.h"
#include "eval_internal.h"
#include "unit.h"

/* The objects a checked site produces, per component (component.h). */
typedef struct Component Component;
typedef struct ComponentList {
    Component *at;        /* the enabled components, in declaration order */
    size_t len;
} ComponentList;

typedef struct Program {
    Arena ar;
    DiagList *diags;
    Unit *units;          /* the site's files first (nsite of them), then the stdlib's */
    size_t nunits, cap, nsite;
    char *site_dir;       /* absolute: data and imports stay below it */
    char *stdlib_dir;     /* absolute: the library's data stays below it */
    DeclTable decls;
    Eval ev;
    EvalLimits limits;    /* set between program_load and program_check */
    const Value *root;    /* the site, once evaluated */
    ComponentList components; /* its objects, when it checked clean */
    struct SecretPlan *secrets; /* where its secrets go (secrets.h), with the components */
} Program;

/* Where the standard library is when no --stdlib is given: next to the
 * executable (BIN/../stdlib, as in the source tree) or installed
 * (BIN/../share/crownc/stdlib). NULL when neither exists. */
char *program_default_stdlib(void);

/* Reads the site at path and the stdlib in stdlib_dir. Returns false with
 * a one-line reason in err when the site itself cannot be read (missing,
 * unreadable, a directory without site.crown); problems inside files are
 * diagnostics. */
bool program_load(Program *p, const char *path, const char *stdlib_dir, DiagList *diags,
                  char *err, size_t errlen);
/* Reads only the stdlib in stdlib_dir and collects its declarations into
 * p->decls, in file order (paths sorted) and source order within a file,
 * for the tools that describe the library (doc, explain) without a site.
 * Returns false with a reason in err when the directory cannot be read;
 * problems in its files are diagnostics, and then p->decls stays empty
 * (or partial, when only the declarations themselves have errors).
 * Free with program_free; nothing is evaluated. */
bool program_load_stdlib(Program *p, const char *stdlib_dir, DiagList *diags, char *err,
                         size_t errlen);
/* Types, evaluates and checks the loaded program. */
void program_check(Program *p);
void program_free(Program *p);

/* Whether at is in a file of the standard library (not of the site). */
bool program_in_library(const Program *p, Span at);

/* Runs the check declarations against the evaluated site (checks.c):
 * every one but those whose body failed the static check and, when
 * library_ok is false, those of the library. */
void checks_run(Program *p, Env *env, bool library_ok);

#endif
