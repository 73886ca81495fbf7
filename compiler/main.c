/* main.c — the crownc command line: dispatch only. The option parsing
 * and printing the commands share live in cli.c, so that every object but
 * this one links into the unit tests. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct {
    const char *name;
    int (*run)(CliOptions *o, int argc, char **argv);
} commands[] = {
    {"check", cmd_check},
    {"fmt", cmd_fmt},
    {"explain", cmd_explain},
    {"ast", cmd_ast},
    {"doc", cmd_doc},
    {"manifests", cmd_manifests},
    {"build", cmd_build},
    {"diff", cmd_diff},
    {"keygen", cmd_keygen},
    {"bootstrap", cmd_bootstrap},
    {"secrets", cmd_secrets},
};

int main(int argc, char **argv)
{
    CliOptions o = {{FORMAT_HUMAN, cli_want_color(), 20}, eval_limits_default()};
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
