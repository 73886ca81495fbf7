/* cmd_explain.c — `crownc explain CODE` and `crownc ast FILE`: reading
 * aids for diagnostics and for the syntax tree. */
#include <stdio.h>

#include "cli.h"
#include "codes.h"
#include "unit.h"

int cmd_explain(CliOptions *o, int argc, char **argv)
{
    (void)o;
    if (argc == 0) {
        size_t n;
        const CodeInfo *all = code_all(&n);
        for (size_t i = 0; i < n; i++)
            printf("%s  %s\n", all[i].code, all[i].title);
        return EXIT_OK;
    }
    if (argc > 1) {
        cli_error("explain: one code at a time (usage: crownc explain CODE)");
        return EXIT_USAGE;
    }
    const CodeInfo *c = code_lookup(argv[0]);
    if (!c) {
        cli_error("explain: no such code '%s' (crownc explain lists them)", argv[0]);
        return EXIT_USAGE;
    }
    printf("%s: %s\n\n%s\n", c->code, c->title, c->explanation);
    return EXIT_OK;
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
