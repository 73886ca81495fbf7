/* main.c — the crownc command line: global options and dispatch only. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("crownc: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* Colour only on a terminal, never when NO_COLOR is set (no-color.org). */
static bool want_color(void)
{
    const char *nc = getenv("NO_COLOR");
    if (nc && *nc)
        return false;
    return isatty(STDERR_FILENO);
}

static const char *option_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) != 0)
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (a[n] == '\0') {
        if (*i + 1 >= argc) {
            cli_error("%s needs a value", name);
            return "";
        }
        return argv[++*i];
    }
    return NULL;
}

int cli_render_option(CliOptions *o, int argc, char **argv, int *i)
{
    const char *v;
    if ((v = option_value(argc, argv, i, "--format"))) {
        if (strcmp(v, "human") == 0)
            o->render.format = FORMAT_HUMAN;
        else if (strcmp(v, "json") == 0)
            o->render.format = FORMAT_JSON;
        else if (strcmp(v, "github") == 0)
            o->render.format = FORMAT_GITHUB;
        else {
            cli_error("unknown format '%s' (human, json or github)", v);
            return -1;
        }
        return 1;
    }
    if ((v = option_value(argc, argv, i, "--color"))) {
        if (strcmp(v, "always") == 0)
            o->render.color = true;
        else if (strcmp(v, "never") == 0)
            o->render.color = false;
        else if (strcmp(v, "auto") == 0)
            o->render.color = want_color();
        else {
            cli_error("unknown --color value '%s' (auto, always or never)", v);
            return -1;
        }
        return 1;
    }
    if ((v = option_value(argc, argv, i, "--max-errors"))) {
        char *end;
        long n = strtol(v, &end, 10);
        if (*v == '\0' || *end || n < 1) {
            cli_error("--max-errors needs a positive number, not '%s'", v);
            return -1;
        }
        o->render.max_shown = (size_t)n;
        return 1;
    }
    return 0;
}

void cli_print_diags(const CliOptions *o, DiagList *diags)
{
    diag_sort(diags);
    StrBuf out;
    sb_init(&out);
    diag_render(diags, &o->render, &out);
    FILE *to = o->render.format == FORMAT_JSON ? stdout : stderr;
    fwrite(out.data ? out.data : "", 1, out.len, to);
    fflush(to);
    sb_free(&out);
}

static const struct {
    const char *name;
    int (*run)(CliOptions *o, int argc, char **argv);
} commands[] = {
    {"check", cmd_check},
    {"fmt", cmd_fmt},
    {"explain", cmd_explain},
    {"ast", cmd_ast},
};

int main(int argc, char **argv)
{
    CliOptions o = {{FORMAT_HUMAN, want_color(), 20}};
    if (argc < 2) {
        cmd_help(0, NULL);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("crownc %s\n", CROWNC_VERSION);
        return EXIT_OK;
    }
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0)
        return cmd_help(argc - 2, argv + 2);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].run(&o, argc - 2, argv + 2);
    cli_error("unknown command '%s' (see 'crownc help')", cmd);
    return EXIT_USAGE;
}
