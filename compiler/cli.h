/* cli.h — the commands of crownc. main.c dispatches; cli.c holds what the
 * commands share; each command lives in its own cmd_*.c file.
 *
 * Exit status of every command: 0 success, 1 diagnostics with errors (or
 * `fmt --check` found files to reformat), 2 usage or I/O error. */
#ifndef CROWN_CLI_H
#define CROWN_CLI_H

#include "diag_render.h"
#include "eval.h"

#define CROWNC_VERSION "0.1.0"

enum { EXIT_OK = 0, EXIT_DIAG = 1, EXIT_USAGE = 2 };

typedef struct CliOptions {
    RenderOptions render;
    EvalLimits limits;   /* for the commands that evaluate a site */
} CliOptions;

/* Parses a diagnostics option (--format, --color, --max-errors) at argv[*i],
 * advancing *i past its value. Returns 1 if consumed, 0 if not such an
 * option, -1 on a bad value (message printed). */
int cli_render_option(CliOptions *o, int argc, char **argv, int *i);
/* Parses --stdlib DIR (or --stdlib=DIR) at argv[*i] into *dir, the same
 * way: 1 consumed, 0 not this option, -1 no value (message printed). */
int cli_stdlib_option(const char **dir, int argc, char **argv, int *i);
/* Parses --engine E, which must be flux or argocd: a typo is a usage
 * error before any work, not a diagnostic after the whole check. */
int cli_engine_option(const char **engine, int argc, char **argv, int *i);
/* Parses an evaluation limit (--max-steps N, --max-memory SIZE with an
 * optional Ki, Mi, Gi or Ti, --max-depth N) into o->limits, the same
 * way: 1 consumed, 0 not such an option, -1 bad value (message printed). */
int cli_limit_option(CliOptions *o, int argc, char **argv, int *i);
/* The same for any option NAME with a value (NAME VALUE or NAME=VALUE). */
int cli_value_option(const char *name, const char **out, int argc, char **argv, int *i);
/* Prints diags to stderr (or stdout for --format=json) as o asks. */
void cli_print_diags(const CliOptions *o, DiagList *diags);
/* True when diagnostics should be coloured by default: stderr is a
 * terminal and NO_COLOR is unset. */
bool cli_want_color(void);
/* "crownc: " + message on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int cmd_check(CliOptions *o, int argc, char **argv);
int cmd_fmt(CliOptions *o, int argc, char **argv);
int cmd_explain(CliOptions *o, int argc, char **argv);
int cmd_ast(CliOptions *o, int argc, char **argv);
int cmd_doc(CliOptions *o, int argc, char **argv);
int cmd_manifests(CliOptions *o, int argc, char **argv);
int cmd_build(CliOptions *o, int argc, char **argv);
int cmd_diff(CliOptions *o, int argc, char **argv);
int cmd_keygen(CliOptions *o, int argc, char **argv);
int cmd_bootstrap(CliOptions *o, int argc, char **argv);
int cmd_secrets(CliOptions *o, int argc, char **argv);
int cmd_help(int argc, char **argv);

#endif
