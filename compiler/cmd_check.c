/* cmd_check.c — `crownc check`: read site files and report every problem. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "unit.h"

int cmd_check(CliOptions *o, int argc, char **argv)
{
    const char *files[argc > 0 ? argc : 1];
    int nfiles = 0;
    bool options_done = false;
    for (int i = 0; i < argc; i++) {
        if (!options_done && strcmp(argv[i], "--") == 0) {
            options_done = true;
            continue;
        }
        if (!options_done && argv[i][0] == '-' && argv[i][1]) {
            int r = cli_render_option(o, argc, argv, &i);
            if (r < 0)
                return EXIT_USAGE;
            if (r == 0) {
                cli_error("check: unknown option '%s'", argv[i]);
                return EXIT_USAGE;
            }
            continue;
        }
        files[nfiles++] = argv[i];
    }
    if (nfiles == 0) {
        cli_error("check: no files given (usage: crownc check FILE...)");
        return EXIT_USAGE;
    }
    Arena ar;
    arena_init(&ar);
    DiagList diags;
    diag_init(&diags);
    Unit units[nfiles];
    int status = EXIT_OK, loaded = 0;
    for (int i = 0; i < nfiles; i++) {
        char err[512];
        if (unit_load(files[i], (unsigned)i, &ar, &diags, &units[loaded], err, sizeof err) !=
            UNIT_OK) {
            cli_error("%s", err);
            status = EXIT_USAGE;
            continue;
        }
        loaded++;
    }
    cli_print_diags(o, &diags);
    if (o->render.format == FORMAT_HUMAN) {
        if (diags.errors || diags.warnings)
            fprintf(stderr, "crownc: %zu error%s, %zu warning%s\n", diags.errors,
                    diags.errors == 1 ? "" : "s", diags.warnings,
                    diags.warnings == 1 ? "" : "s");
        else if (status == EXIT_OK)
            fprintf(stderr, "crownc: %d file%s checked, no problems\n", loaded,
                    loaded == 1 ? "" : "s");
    }
    if (status == EXIT_OK && diags.errors)
        status = EXIT_DIAG;
    for (int i = 0; i < loaded; i++)
        unit_free(&units[i]);
    diag_free(&diags);
    arena_free(&ar);
    return status;
}
