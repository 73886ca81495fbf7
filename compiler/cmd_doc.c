/* cmd_doc.c — `crownc doc`: write the reference of the standard library
 * (docs/stdlib.md) from its declarations, so the reference cannot drift
 * from the library; the tests compare the committed file with a fresh one. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "program.h"
#include "stdlib_doc.h"

typedef struct DocOptions {
    const char *stdlib;
    const char *output; /* NULL: standard output */
} DocOptions;

/* Returns 0, or EXIT_USAGE after printing why. Diagnostic options are
 * taken too: a library with errors is reported like a site. */
static int parse_options(CliOptions *o, DocOptions *d, int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        int r = cli_stdlib_option(&d->stdlib, argc, argv, &i);
        if (r == 0 && strcmp(argv[i], "-o") == 0) {
            if (i + 1 == argc) {
                cli_error("doc: -o needs a file");
                return EXIT_USAGE;
            }
            d->output = argv[++i];
            continue;
        }
        if (r == 0)
            r = cli_render_option(o, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r == 0) {
            cli_error("doc: unexpected '%s' (usage: crownc doc [--stdlib DIR] [-o FILE])",
                      argv[i]);
            return EXIT_USAGE;
        }
    }
    return 0;
}

/* The file is written only once the whole text is ready, so a failed run
 * leaves the previous reference in place. */
static int write_output(const char *path, const StrBuf *text)
{
    if (!path) {
        fwrite(text->data, 1, text->len, stdout);
        return fflush(stdout) == 0 ? EXIT_OK : EXIT_USAGE;
    }
    FILE *f = fopen(path, "wb");
    if (!f) {
        cli_error("%s: %s", path, strerror(errno));
        return EXIT_USAGE;
    }
    bool ok = fwrite(text->data, 1, text->len, f) == text->len;
    ok = fclose(f) == 0 && ok;
    if (!ok) {
        cli_error("%s: %s", path, strerror(errno));
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

int cmd_doc(CliOptions *o, int argc, char **argv)
{
    DocOptions d = {0};
    int status = parse_options(o, &d, argc, argv);
    if (status)
        return status;
    char *std = d.stdlib ? NULL : program_default_stdlib();
    DiagList diags;
    diag_init(&diags);
    Program p;
    char err[512];
    if (!program_load_stdlib(&p, d.stdlib ? d.stdlib : std, &diags, err, sizeof err)) {
        cli_print_diags(o, &diags);
        cli_error("%s", err);
        status = EXIT_USAGE;
    } else if (diags.errors) {
        /* A partial reference would look complete: write none. */
        cli_print_diags(o, &diags);
        status = EXIT_DIAG;
    } else {
        StrBuf out;
        sb_init(&out);
        stdlib_doc_render(&p.decls, &out);
        status = write_output(d.output, &out);
        sb_free(&out);
    }
    program_free(&p);
    free(std);
    diag_free(&diags);
    return status;
}
