/* cli.c — what the commands share: option parsing, printing diagnostics
 * and error messages (declared in cli.h). */
#include <stdarg.h>
#include <stdbool.h>
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
bool cli_want_color(void)
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

int cli_value_option(const char *name, const char **out, int argc, char **argv, int *i)
{
    const char *v = option_value(argc, argv, i, name);
    if (!v)
        return 0;
    if (!*v) {
        /* option_value has already said so when the value is missing. */
        if (strcmp(argv[*i], name) != 0)
            cli_error("%s needs a value", name);
        return -1;
    }
    *out = v;
    return 1;
}

int cli_stdlib_option(const char **dir, int argc, char **argv, int *i)
{
    return cli_value_option("--stdlib", dir, argc, argv, i);
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
            o->render.color = cli_want_color();
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
