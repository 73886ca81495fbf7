/* cmd_help.c — `crownc help [COMMAND]`. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char overview[] =
    "crownc " CROWNC_VERSION " - the CrownLabs site compiler\n"
    "\n"
    "usage: crownc COMMAND [OPTIONS] [FILE...]\n"
    "\n"
    "commands:\n"
    "  check FILE...        read site files and report every problem\n"
    "  fmt [--check] [-w] FILE...\n"
    "                       print, check or rewrite files in canonical layout\n"
    "  explain [CODE]       explain a diagnostic code, or list them all\n"
    "  ast FILE             print the syntax tree of a file (for tooling)\n"
    "  help [COMMAND]       this text, or the help of one command\n"
    "  --version            print the version\n"
    "\n"
    "exit status: 0 ok, 1 errors were reported, 2 usage or I/O error\n"
    "documentation: docs/language.md, docs/cli.md\n";

static const char diag_options[] =
    "  --format=FMT       human (default), json (on stdout) or github (annotations)\n"
    "  --color=WHEN       auto (default: only on a terminal, never with NO_COLOR),\n"
    "                     always or never\n"
    "  --max-errors=N     show at most N diagnostics (default 20), then 'and N more'\n";

static const struct {
    const char *name, *usage, *text;
} topics[] = {
    {"check", "crownc check [OPTIONS] FILE...",
     "Reads each FILE (- is standard input) and reports every syntax problem with\n"
     "its file, line and column. Exits 1 if any error was reported.\n"},
    {"fmt", "crownc fmt [--check] [-w] [OPTIONS] FILE...",
     "Prints each FILE in canonical layout. With --check, prints the names of\n"
     "files that are not formatted and exits 1 if there are any. With -w,\n"
     "rewrites those files in place (atomically, keeping their mode). Files with\n"
     "errors are reported and left alone.\n"},
    {"explain", "crownc explain [CODE]",
     "Prints the explanation of a diagnostic code such as E0020; with no code,\n"
     "lists all codes.\n"},
    {"ast", "crownc ast FILE",
     "Prints the syntax tree of FILE, without source positions: two files with\n"
     "the same tree mean the same thing.\n"},
};

int cmd_help(int argc, char **argv)
{
    if (argc == 0) {
        fputs(overview, stdout);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof topics / sizeof topics[0]; i++) {
        if (strcmp(argv[0], topics[i].name) == 0) {
            printf("usage: %s\n\n%s", topics[i].usage, topics[i].text);
            if (strcmp(argv[0], "explain") != 0)
                printf("\noptions:\n%s", diag_options);
            return EXIT_OK;
        }
    }
    cli_error("help: no command '%s'", argv[0]);
    return EXIT_USAGE;
}
