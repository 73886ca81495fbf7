/* cmd_keygen.c — `crownc keygen [--force-stdout] FILE`: a new site master
 * key (derive.h). The key goes to a new file of mode 0600; an existing
 * file is never replaced, since every generated secret of the site is
 * derived from the key it holds. Printing the key instead (FILE `-`) needs
 * --force-stdout, so that it does not land in a terminal's scrollback or a
 * CI log by accident. */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "cli.h"
#include "derive.h"

static int keygen_stdout(void)
{
    DeriveMaster m;
    char err[512], text[DERIVE_MASTER_SIZE * 2 + 2];
    if (!derive_new_master(&m, err, sizeof err)) {
        cli_error("keygen: %s", err);
        return EXIT_USAGE;
    }
    derive_master_text(&m, text);
    derive_master_clear(&m);
    bool ok = fputs(text, stdout) >= 0 && fflush(stdout) == 0;
    OPENSSL_cleanse(text, sizeof text);
    if (!ok) {
        cli_error("keygen: cannot write standard output");
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

static int keygen_file(const char *path)
{
    char err[512];
    if (!derive_write_master(path, NULL, err, sizeof err)) {
        cli_error("keygen: %s", err);
        return EXIT_USAGE;
    }
    fprintf(stderr,
            "crownc: wrote a new master key to %s (mode 0600); keep it out of the repository "
            "and back it up: the site's generated secrets are derived from it\n",
            path);
    return EXIT_OK;
}

int cmd_keygen(CliOptions *o, int argc, char **argv)
{
    (void)o;
    bool force_stdout = false, files_only = false;
    const char *file = NULL;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!files_only && strcmp(a, "--force-stdout") == 0) {
            force_stdout = true;
        } else if (!files_only && strcmp(a, "--") == 0) {
            files_only = true;
        } else if (!files_only && a[0] == '-' && a[1] != '\0') {
            cli_error("keygen: unknown option '%s' (see 'crownc help keygen')", a);
            return EXIT_USAGE;
        } else if (file) {
            cli_error("keygen: one FILE only");
            return EXIT_USAGE;
        } else {
            file = a;
        }
    }
    if (!file) {
        cli_error("keygen: which FILE? (see 'crownc help keygen')");
        return EXIT_USAGE;
    }
    bool to_stdout = strcmp(file, "-") == 0 && !files_only;
    if (force_stdout && !to_stdout) {
        cli_error("keygen: --force-stdout goes with FILE '-'");
        return EXIT_USAGE;
    }
    if (!to_stdout)
        return keygen_file(file);
    if (!force_stdout) {
        cli_error("keygen: printing the master key on standard output needs --force-stdout");
        return EXIT_USAGE;
    }
    return keygen_stdout();
}
