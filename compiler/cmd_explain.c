/* cmd_explain.c — `crownc explain CODE` and `crownc ast FILE`: reading
 * aids for diagnostics and for the syntax tree.
 *
 * The compiler's own codes come from the static table in codes.c; the
 * codes of the standard library's checks are declared in the library
 * (`code = "E0601"` in a check), so explain reads the library to find
 * them. Without a library, explain still knows the static codes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "codes.h"
#include "program.h"
#include "unit.h"

/* Loads the library's declarations into p (empty when there are none).
 * A library that cannot be read, or has errors, gets a note on stderr;
 * one with errors is still used for what it declares, since explain only
 * reads docs. Free p with program_free in every case. */
static void load_library(Program *p, DiagList *diags, const char *dir)
{
    char *std = dir ? NULL : program_default_stdlib();
    if (!dir && !std) {
        /* No library installed: the compiler's codes only, quietly. */
        memset(p, 0, sizeof *p);
        arena_init(&p->ar);
        return;
    }
    char err[512];
    if (!program_load_stdlib(p, dir ? dir : std, diags, err, sizeof err))
        cli_error("explain: %s; only the compiler's codes are known", err);
    else if (diags->errors)
        cli_error("explain: the standard library at %s has errors (crownc doc shows them); "
                  "some of its checks may be missing", dir ? dir : std);
    free(std);
}

static int by_code(const void *a, const void *b)
{
    const Decl *x = *(const Decl *const *)a, *y = *(const Decl *const *)b;
    int c = strcmp(x->code, y->code);
    return c ? c : strcmp(x->name, y->name);
}

/* The checks that declare a code, sorted by code: one list for both the
 * listing and the lookup. Free the array. */
static const Decl **coded_checks(const DeclTable *t, size_t *n)
{
    const Decl **out = malloc((t->len ? t->len : 1) * sizeof *out);
    if (!out)
        abort();
    *n = 0;
    for (size_t i = 0; i < t->len; i++)
        if (t->at[i]->kind == D_CHECK && *t->at[i]->code)
            out[(*n)++] = t->at[i];
    qsort(out, *n, sizeof *out, by_code);
    return out;
}

static void list_codes(const DeclTable *t)
{
    size_t n;
    const CodeInfo *all = code_all(&n);
    for (size_t i = 0; i < n; i++)
        printf("%s  %s\n", all[i].code, all[i].title);
    const Decl **checks = coded_checks(t, &n);
    for (size_t i = 0; i < n; i++)
        printf("%s  %s\n", checks[i]->code, checks[i]->doc);
    free(checks);
}

/* Prints the check declaring code; false when none does. */
static bool explain_check(const DeclTable *t, const char *code)
{
    size_t n;
    const Decl **checks = coded_checks(t, &n);
    const Decl *d = NULL;
    for (size_t i = 0; i < n && !d; i++)
        if (strcasecmp(checks[i]->code, code) == 0)
            d = checks[i];
    free(checks);
    if (!d)
        return false;
    const Span *at = &d->node->span;
    printf("%s: check `%s`\n\n%s\n\nA check of the standard library, declared at %s:%u.\n",
           d->code, d->name, *d->doc ? d->doc : "(no doc)", at->src->path, (unsigned)span_line(at));
    return true;
}

static int explain_static(const CodeInfo *c)
{
    printf("%s: %s\n\n%s\n", c->code, c->title, c->explanation);
    return EXIT_OK;
}

static int explain_library(const DeclTable *t, const char *code)
{
    if (explain_check(t, code))
        return EXIT_OK;
    cli_error("explain: no such code '%s' (crownc explain lists them)", code);
    return EXIT_USAGE;
}

int cmd_explain(CliOptions *o, int argc, char **argv)
{
    (void)o;
    const char *dir = NULL, *code = NULL;
    for (int i = 0; i < argc; i++) {
        int r = cli_stdlib_option(&dir, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r > 0)
            continue;
        if (code) {
            cli_error("explain: one code at a time (usage: crownc explain [--stdlib DIR] CODE)");
            return EXIT_USAGE;
        }
        code = argv[i];
    }
    /* A static code needs no library: look it up first, so that explain of
     * a compiler code never depends on the library being readable. */
    if (code && code_lookup(code))
        return explain_static(code_lookup(code));
    DiagList diags;
    diag_init(&diags);
    Program p;
    load_library(&p, &diags, dir);
    int status = EXIT_OK;
    if (code)
        status = explain_library(&p.decls, code);
    else
        list_codes(&p.decls);
    program_free(&p);
    diag_free(&diags);
    return status;
}

int cmd_ast(CliOptions *o, int argc, char **argv)
{
    if (argc != 1) {
        cli_error("ast: usage: crownc ast FILE");
        return EXIT_USAGE;
    }
    Arena ar;
    arena_init(&ar);
    DiagList diags;
    diag_init(&diags);
    Unit u;
    char err[512];
    int status = EXIT_OK;
    if (unit_load(argv[0], 0, &ar, &diags, &u, err, sizeof err) != UNIT_OK) {
        cli_error("%s", err);
        status = EXIT_USAGE;
    } else {
        if (diags.errors) {
            cli_print_diags(o, &diags);
            status = EXIT_DIAG;
        } else {
            StrBuf out;
            sb_init(&out);
            ast_dump(u.parsed.root, &out);
            fwrite(out.data, 1, out.len, stdout);
            sb_free(&out);
        }
        unit_free(&u);
    }
    diag_free(&diags);
    arena_free(&ar);
    return status;
}
