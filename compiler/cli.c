/* cli.c — what the commands share: option parsing, printing diagnostics
 * and error messages (declared in cli.h). */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

void cli_error(const char *fmt, ...)
{
    /* Paths and names in a message come from the user: cleaned like a
     * diagnostic, so none of them can drive the terminal. */
    va_list ap;
    va_start(ap, fmt);
    char buf[2048];
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    StrBuf out;
    sb_init(&out);
    sb_puts(&out, "crownc: ");
    term_clean(&out, buf, n < 0 ? 0 : (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
    sb_putc(&out, '\n');
    fwrite(out.data, 1, out.len, stderr);
    sb_free(&out);
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

int cli_engine_option(const char **engine, int argc, char **argv, int *i)
{
    int r = cli_value_option("--engine", engine, argc, argv, i);
    if (r > 0 && strcmp(*engine, "flux") != 0 && strcmp(*engine, "argocd") != 0) {
        cli_error("unknown --engine '%s' (flux or argocd)", *engine);
        return -1;
    }
    return r;
}

/* A decimal count with an optional binary suffix (Ki to Ti when units is
 * set): false unless it is at least 1 and fits. */
static bool parse_count(const char *v, bool units, uint64_t *out)
{
    static const char *const suffix[] = {"Ki", "Mi", "Gi", "Ti"};
    uint64_t n = 0;
    const char *p = v;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (n > (UINT64_MAX - 9) / 10)
            return false;
        n = n * 10 + (uint64_t)(*p - '0');
    }
    if (p == v || n == 0)
        return false;
    if (*p && units) {
        for (unsigned k = 0; k < 4; k++)
            if (strcmp(p, suffix[k]) == 0) {
                unsigned shift = 10 * (k + 1);
                if (n > UINT64_MAX >> shift)
                    return false;
                *out = n << shift;
                return true;
            }
        return false;
    }
    *out = n;
    return *p == '\0';
}

int cli_limit_option(CliOptions *o, int argc, char **argv, int *i)
{
    const char *v;
    uint64_t n;
    if ((v = option_value(argc, argv, i, "--max-steps"))) {
        if (!parse_count(v, false, &n)) {
            cli_error("--max-steps needs a positive number, not '%s'", v);
            return -1;
        }
        o->limits.steps = n;
        return 1;
    }
    if ((v = option_value(argc, argv, i, "--max-memory"))) {
        if (!parse_count(v, true, &n) || n < (1u << 20)) {
            cli_error("--max-memory needs a size of at least 1Mi (bytes, or a number "
                      "with Ki, Mi, Gi or Ti), not '%s'", v);
            return -1;
        }
        o->limits.bytes = n;
        return 1;
    }
    if ((v = option_value(argc, argv, i, "--max-depth"))) {
        if (!parse_count(v, false, &n) || n > EVAL_DEPTH_CEILING) {
            cli_error("--max-depth needs a number from 1 to %u, not '%s'", EVAL_DEPTH_CEILING,
                      v);
            return -1;
        }
        o->limits.depth = (uint32_t)n;
        return 1;
    }
    return 0;
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
