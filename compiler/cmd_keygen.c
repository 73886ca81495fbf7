/* cmd_keygen.c — `crownc keygen [--force-stdout] FILE`: a new site master
 * key (derive.h). The key goes to a new file of mode 0600; an existing
 * file is never replaced, since every generated secret of the site is
 * derived from the key it holds. Printing the key instead (FILE `-`) needs
 * --force-stdout, so that it does not land in a terminal's scrollback or a
 * CI log by accident.
 *
 * `crownc keygen --sealing-key KEY --sealing-cert CERT [--cn NAME]
 * [--days N]`: instead, a Sealed Secrets key pair that the site brings
 * itself (sealkey.h), never over existing files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "cli.h"
#include "derive.h"
#include "sealkey.h"

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

/* The sealing key pair's options, when given. */
typedef struct SealingOpts {
    const char *key, *cert, *cn, *days;
} SealingOpts;

static int keygen_sealing(const SealingOpts *s)
{
    if (!s->key || !s->cert) {
        cli_error("keygen: a sealing key pair needs both --sealing-key KEY.pem and "
                  "--sealing-cert CERT.pem (see 'crownc help keygen')");
        return EXIT_USAGE;
    }
    unsigned long days = SEALKEY_DEFAULT_DAYS;
    if (s->days) {
        char *end;
        days = strtoul(s->days, &end, 10);
        if (s->days[0] < '0' || s->days[0] > '9' || *end || days < 1 ||
            days > SEALKEY_MAX_DAYS) {
            cli_error("keygen: --days needs a number of days from 1 to %u, not '%s'",
                      SEALKEY_MAX_DAYS, s->days);
            return EXIT_USAGE;
        }
    }
    char err[512];
    if (!sealkey_generate(s->key, s->cert, s->cn, (unsigned)days, (int64_t)time(NULL), err,
                          sizeof err)) {
        cli_error("keygen: %s", err);
        return EXIT_USAGE;
    }
    fprintf(stderr,
            "crownc: wrote a new Sealed Secrets private key to %s (mode 0600) and its "
            "certificate to %s (mode 0644, valid %lu days)\n"
            "crownc: commit the certificate (the site's sealing certificate names it); never "
            "commit the private key: give it to the controller once with "
            "`crownc bootstrap sealing-key --key %s --cert %s | kubectl apply -f -` "
            "and keep a backup out of the repository\n",
            s->key, s->cert, days, s->key, s->cert);
    return EXIT_OK;
}

int cmd_keygen(CliOptions *o, int argc, char **argv)
{
    (void)o;
    bool force_stdout = false, files_only = false;
    const char *file = NULL;
    SealingOpts sealing = {0};
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        int r = 0;
        if (!files_only && strncmp(a, "--", 2) == 0 && a[2] != '\0' &&
            ((r = cli_value_option("--sealing-key", &sealing.key, argc, argv, &i)) != 0 ||
             (r = cli_value_option("--sealing-cert", &sealing.cert, argc, argv, &i)) != 0 ||
             (r = cli_value_option("--cn", &sealing.cn, argc, argv, &i)) != 0 ||
             (r = cli_value_option("--days", &sealing.days, argc, argv, &i)) != 0)) {
            if (r < 0)
                return EXIT_USAGE;
        } else if (!files_only && strcmp(a, "--force-stdout") == 0) {
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
    if (sealing.key || sealing.cert || sealing.cn || sealing.days) {
        if (file || force_stdout) {
            cli_error("keygen: a master key FILE and a sealing key pair (--sealing-key, "
                      "--sealing-cert) are made by separate runs");
            return EXIT_USAGE;
        }
        if (!sealing.key && !sealing.cert) {
            cli_error("keygen: --cn and --days go with --sealing-key and --sealing-cert");
            return EXIT_USAGE;
        }
        return keygen_sealing(&sealing);
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
