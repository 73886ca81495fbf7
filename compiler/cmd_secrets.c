/* cmd_secrets.c — `crownc secrets list SITE` and `crownc secrets reveal
 * SITE NAME`: what secrets a site has and, for the operator who must set
 * one by hand (bind9's TSIG key, a Keycloak client), its value.
 *
 * list never prints a value; it needs neither the master key nor the
 * supplied secrets. reveal prints exactly one value, followed by a
 * newline, on standard output, written with write(2) so that no stdio
 * buffer keeps a copy of it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "private_file.h"
#include "site_build.h"

typedef struct SecretsOptions {
    const char *action, *site, *name, *stdlib, *master_key, *secrets;
    bool public_half;
} SecretsOptions;

static const char usage[] =
    "usage: crownc secrets list SITE [--stdlib DIR] | crownc secrets reveal SITE NAME "
    "[--public] [--master-key FILE] [--secrets FILE] [--stdlib DIR]";

static int parse(CliOptions *o, int argc, char **argv, SecretsOptions *s)
{
    const char **pos[] = {&s->action, &s->site, &s->name};
    size_t npos = 0;
    for (int i = 0; i < argc; i++) {
        int r = cli_stdlib_option(&s->stdlib, argc, argv, &i);
        if (r == 0)
            r = cli_value_option("--master-key", &s->master_key, argc, argv, &i);
        if (r == 0)
            r = cli_value_option("--secrets", &s->secrets, argc, argv, &i);
        if (r == 0 && strcmp(argv[i], "--public") == 0) {
            s->public_half = true;
            r = 1;
        }
        if (r == 0 && argv[i][0] == '-')
            r = cli_limit_option(o, argc, argv, &i);
        if (r == 0 && argv[i][0] == '-')
            r = cli_render_option(o, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r > 0)
            continue;
        if (argv[i][0] == '-' || npos == 3) {
            cli_error("secrets: %s", usage);
            return EXIT_USAGE;
        }
        *pos[npos++] = argv[i];
    }
    bool list = s->action && strcmp(s->action, "list") == 0 && npos == 2;
    bool reveal = s->action && strcmp(s->action, "reveal") == 0 && npos == 3;
    if (!list && !reveal) {
        cli_error("secrets: %s", usage);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

static const char *describe(const Secret *s, char *buf, size_t n)
{
    switch (s->kind) {
    case SECRET_INPUT: return "supplied";
    case SECRET_PASSWORD:
        snprintf(buf, n, "password, %u characters%s",
                 s->length ? s->length : DERIVE_PASSWORD_DEFAULT,
                 s->symbols ? " with symbols" : "");
        return buf;
    case SECRET_TOKEN:
        snprintf(buf, n, "token, %u bytes", s->length ? s->length : DERIVE_TOKEN_DEFAULT);
        return buf;
    case SECRET_TSIG: snprintf(buf, n, "tsig, %s", s->algorithm); return buf;
    case SECRET_DOCKERCONFIGJSON:
        snprintf(buf, n, "dockerconfigjson, %s for %s%s%s%s", s->username, s->host,
                 !s->password                          ? ""
                 : s->password->kind == SECRET_INPUT ? " (supplied password)"
                                                       : " (password ",
                 s->password && s->password->kind != SECRET_INPUT ? s->password->name : "",
                 s->password && s->password->kind != SECRET_INPUT ? ")" : "");
        return buf;
    default: return secret_kind_name(s->kind);
    }
}

static int by_name(const void *a, const void *b)
{
    return strcmp((*(const SecretIdent *const *)a)->name, (*(const SecretIdent *const *)b)->name);
}

static void list(const SecretPlan *pl)
{
    const SecretIdent **v = calloc(pl->nidents ? pl->nidents : 1, sizeof *v);
    if (!v)
        abort();
    for (size_t i = 0; i < pl->nidents; i++)
        v[i] = &pl->idents[i];
    qsort(v, pl->nidents, sizeof *v, by_name);
    for (size_t i = 0; i < pl->nidents; i++) {
        char buf[300];
        printf("%s\t%s", v[i]->name, describe(v[i]->secret, buf, sizeof buf));
        if (v[i]->secret->kind != SECRET_INPUT)
            printf(", generation %u", (unsigned)v[i]->id.generation);
        printf("\n");
        for (size_t k = 0; k < v[i]->nconsumers; k++)
            printf("\tused by %s\n", v[i]->consumers[k]);
    }
    free(v);
}

static int reveal(SiteBuild *sb, const SecretsOptions *s, const SiteOptions *so)
{
    const SecretPlan *pl = sb->program.secrets;
    size_t at = pl->nidents;
    for (size_t i = 0; i < pl->nidents && at == pl->nidents; i++)
        if (strcmp(pl->idents[i].name, s->name) == 0)
            at = i;
    if (at == pl->nidents) {
        cli_error("secrets: %s has no secret named '%s' (see `crownc secrets list %s`)", s->site,
                  s->name, s->site);
        return EXIT_USAGE;
    }
    const Secret *sec = pl->idents[at].secret;
    if (s->public_half && sec->kind != SECRET_SSH_ED25519) {
        cli_error("secrets: --public goes with an ssh-ed25519 key pair");
        return EXIT_USAGE;
    }
    char err[512];
    if (sec->kind != SECRET_INPUT && !site_master_key(sb, so, err, sizeof err)) {
        cli_error("secrets: %s", err);
        return EXIT_USAGE;
    }
    char *v = secrets_value(pl, at, s->public_half, sb->have_master ? &sb->master : NULL,
                            &sb->inputs, err, sizeof err);
    if (!v) {
        cli_error("secrets: %s", err);
        return EXIT_USAGE;
    }
    /* write(2), not stdio: stdout's buffer would keep a copy nobody wipes. */
    size_t len = strlen(v);
    bool nl = len && v[len - 1] == '\n';
    bool ok = fflush(stdout) == 0 && private_file_write_all(STDOUT_FILENO, v, len) &&
              (nl || private_file_write_all(STDOUT_FILENO, "\n", 1));
    derive_free(v);
    if (!ok) {
        cli_error("secrets: cannot write standard output");
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

int cmd_secrets(CliOptions *o, int argc, char **argv)
{
    SecretsOptions s = {0};
    int status = parse(o, argc, argv, &s);
    if (status != EXIT_OK)
        return status;
    SiteOptions so = {s.stdlib, NULL, s.master_key, s.secrets, NULL, &o->limits};
    SiteBuild sb;
    char err[512];
    SiteBuildStatus st = site_check(&sb, s.site, &so, err, sizeof err);
    if (st == SITE_UNREADABLE) {
        cli_error("%s", err);
        status = EXIT_USAGE;
    } else if (st == SITE_HAS_ERRORS) {
        cli_print_diags(o, &sb.diags);
        status = EXIT_DIAG;
    } else if (strcmp(s.action, "list") == 0) {
        list(sb.program.secrets);
    } else {
        status = reveal(&sb, &s, &so);
    }
    site_build_free(&sb);
    return status;
}
