/* cmd_check.c — `crownc check`: read sites and report every problem.
 *
 * Each argument is a site: a .crown file, or a directory holding
 * site.crown. The site's files and the standard library are parsed,
 * typed, evaluated and checked. With --syntax, each argument is a single
 * file that is only parsed (for fragments, editors and the docs' tests). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "site_build.h"
#include "unit.h"

typedef struct CheckOptions {
    bool syntax;
    bool stats;          /* --stats: what evaluating each site cost */
    const char *stdlib;
    const char *secrets; /* --secrets FILE: only to warn about missing ones */
} CheckOptions;

static void summary(const CliOptions *o, const DiagList *d, const char *what, bool io_error)
{
    if (o->render.format != FORMAT_HUMAN)
        return;
    if (d->errors || d->warnings)
        fprintf(stderr, "crownc: %s: %zu error%s, %zu warning%s\n", what, d->errors,
                d->errors == 1 ? "" : "s", d->warnings, d->warnings == 1 ? "" : "s");
    else if (!io_error)
        fprintf(stderr, "crownc: %s: no problems\n", what);
}

static int check_syntax(CliOptions *o, const char *path)
{
    Arena ar;
    arena_init(&ar);
    DiagList diags;
    diag_init(&diags);
    Unit u;
    char err[512];
    int status = EXIT_OK;
    if (unit_load(path, 0, &ar, &diags, &u, err, sizeof err) != UNIT_OK) {
        cli_error("%s", err);
        status = EXIT_USAGE;
    } else {
        cli_print_diags(o, &diags);
        summary(o, &diags, path, false);
        unit_free(&u);
        status = diags.errors ? EXIT_DIAG : EXIT_OK;
    }
    diag_free(&diags);
    arena_free(&ar);
    return status;
}

static int check_site(CliOptions *o, const CheckOptions *co, const char *path)
{
    SiteBuild sb;
    char err[512];
    SiteOptions so = {co->stdlib, NULL, NULL, co->secrets, NULL, &o->limits};
    SiteBuildStatus st = site_check(&sb, path, &so, err, sizeof err);
    cli_print_diags(o, &sb.diags);
    int status;
    if (st == SITE_UNREADABLE) {
        cli_error("%s", err);
        status = EXIT_USAGE;
    } else {
        summary(o, &sb.diags, path, false);
        status = st == SITE_BUILT ? EXIT_OK : EXIT_DIAG;
        /* Against the limits (docs/cli.md): steps and memory as counted
         * there, so that an operator sizes --max-steps from real figures. */
        if (co->stats)
            fprintf(stderr, "crownc: %s: %llu steps, %zu MiB held\n", path,
                    (unsigned long long)sb.program.ev.steps, sb.program.ar.total >> 20);
    }
    site_build_free(&sb);
    return status;
}

int cmd_check(CliOptions *o, int argc, char **argv)
{
    const char *paths[argc > 0 ? argc : 1];
    int npaths = 0;
    CheckOptions co = {false, false, NULL, NULL};
    bool options_done = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!options_done && strcmp(a, "--") == 0) {
            options_done = true;
        } else if (!options_done && strcmp(a, "--syntax") == 0) {
            co.syntax = true;
        } else if (!options_done && strcmp(a, "--stats") == 0) {
            co.stats = true;
        } else if (!options_done && strcmp(a, "--stdlib") == 0) {
            if (i + 1 >= argc) {
                cli_error("check: --stdlib needs a directory");
                return EXIT_USAGE;
            }
            co.stdlib = argv[++i];
        } else if (!options_done && strncmp(a, "--stdlib=", 9) == 0) {
            co.stdlib = a + 9;
        } else if (!options_done && a[0] == '-' && a[1]) {
            int r = cli_value_option("--secrets", &co.secrets, argc, argv, &i);
            if (r == 0)
                r = cli_limit_option(o, argc, argv, &i);
            if (r == 0)
                r = cli_render_option(o, argc, argv, &i);
            if (r < 0)
                return EXIT_USAGE;
            if (r == 0) {
                cli_error("check: unknown option '%s'", a);
                return EXIT_USAGE;
            }
        } else {
            paths[npaths++] = a;
        }
    }
    if (npaths == 0) {
        cli_error("check: nothing to check (usage: crownc check SITE...)");
        return EXIT_USAGE;
    }
    int status = EXIT_OK;
    for (int i = 0; i < npaths; i++) {
        int s = co.syntax ? check_syntax(o, paths[i]) : check_site(o, &co, paths[i]);
        if (s > status)
            status = s;
    }
    return status;
}
