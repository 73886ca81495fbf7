/* site_build.c — load, check, seal and render a site (site_build.h). */
#define _XOPEN_SOURCE 700 /* realpath */

#include "site_build.h"

#include <limits.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "source.h"

static Span site_span(const SiteBuild *sb)
{
    return source_span(sb->program.units[0].src, 0, 0);
}

/* A supplied secret that is missing is a warning for check (build says
 * it again, as an error). */
static void warn_missing_inputs(SiteBuild *sb)
{
    const SecretPlan *pl = sb->program.secrets;
    for (size_t i = 0; pl && i < pl->nidents; i++) {
        /* A registry password an operator supplies has an ident of its own. */
        const Secret *in = pl->idents[i].secret;
        if (in->kind != SECRET_INPUT || secret_inputs_get(&sb->inputs, in->input))
            continue;
        char var[256];
        secret_inputs_env_name(in->input, var, sizeof var);
        Diag *d = diag_add(&sb->diags, SEV_WARNING, "E0705", in->at, "the supplied secret %s "
                           "is not available here; build will need it", in->input);
        diag_set_hint(d, "set %s, or give it in a secrets file (--secrets FILE)", var);
    }
}

static SiteBuildStatus load_and_check(SiteBuild *sb, const char *path, const SiteOptions *o,
                                      char *err, size_t errlen)
{
    memset(sb, 0, sizeof *sb);
    diag_init(&sb->diags);
    secret_inputs_init(&sb->inputs);
    const char *stdlib = o->stdlib;
    if (!stdlib)
        stdlib = sb->default_stdlib = program_default_stdlib();
    if (!program_load(&sb->program, path, stdlib, &sb->diags, err, errlen))
        return SITE_UNREADABLE;
    if (o->limits)
        sb->program.limits = *o->limits;
    if (o->secrets_file && !secret_inputs_load(&sb->inputs, o->secrets_file, err, errlen))
        return SITE_UNREADABLE;
    program_check(&sb->program);
    return sb->diags.errors ? SITE_HAS_ERRORS : SITE_BUILT;
}

SiteBuildStatus site_check(SiteBuild *sb, const char *path, const SiteOptions *o, char *err,
                           size_t errlen)
{
    SiteBuildStatus st = load_and_check(sb, path, o, err, errlen);
    if (st == SITE_BUILT)
        warn_missing_inputs(sb);
    return st;
}

bool site_master_key(SiteBuild *sb, const SiteOptions *o, char *err, size_t errlen)
{
    const char *text = getenv("CROWNC_MASTER_KEY");
    const char *file = o->master_key ? o->master_key : text ? NULL
                                                            : getenv("CROWNC_MASTER_KEY_FILE");
    bool ok;
    if (file)
        ok = derive_load_master(&sb->master, file, err, errlen);
    else if (text)
        ok = derive_parse_master(&sb->master, text, strlen(text), "CROWNC_MASTER_KEY", err,
                                 errlen);
    else {
        snprintf(err, errlen, "no master key: give --master-key FILE, or set CROWNC_MASTER_KEY "
                 "or CROWNC_MASTER_KEY_FILE (`crownc keygen FILE` makes one)");
        ok = false;
    }
    sb->have_master = ok;
    return ok;
}

/* The certificate stays inside the site's directory, as its data does. */
static bool cert_inside(SiteBuild *sb, const SecretPlan *pl)
{
    char real[PATH_MAX];
    const char *dir = sb->program.site_dir;
    size_t n = strlen(dir);
    if (!realpath(pl->cert_path, real) || (strncmp(real, dir, n) == 0 && real[n] == '/'))
        return true; /* a missing file is reported when it is read */
    diag_error(&sb->diags, "E0706", pl->cert_at, "the sealing certificate %s is outside the "
               "site's directory", pl->cert_path);
    return false;
}

static SealCert *load_cert(SiteBuild *sb, const SecretPlan *pl)
{
    char err[512];
    if (!cert_inside(sb, pl))
        return NULL;
    Source *src = NULL;
    size_t size = 0;
    if (source_load(pl->cert_path, &src, err, sizeof err, &size) != SOURCE_OK) {
        Diag *d = diag_error(&sb->diags, "E0706", pl->cert_at, "cannot read the sealing "
                             "certificate: %s", err);
        diag_set_hint(d, "fetch it with `kubeseal --fetch-cert`, or make a key pair with "
                         "`crownc keygen --sealing-key`");
        return NULL;
    }
    SealCert *c = NULL;
    if (seal_cert_load(src->text, src->len, (int64_t)time(NULL), &c, err, sizeof err) != SEAL_OK)
        diag_error(&sb->diags, "E0706", pl->cert_at, "the sealing certificate cannot be used: %s",
                   err);
    source_free(src);
    return c;
}

static bool seal_all(SiteBuild *sb, const SiteOptions *o)
{
    const SecretPlan *pl = sb->program.secrets;
    if (!pl || !pl->nobjects)
        return true;
    char err[512];
    if (!site_master_key(sb, o, err, sizeof err)) {
        diag_error(&sb->diags, "E0708", site_span(sb), "%s", err);
        return false;
    }
    SealCert *cert = load_cert(sb, pl);
    if (!cert)
        return false;
    snprintf(sb->cert, sizeof sb->cert, "%s", seal_cert_fingerprint(cert));
    SecretsSealing s = {&sb->master, &sb->inputs, cert, o->prev};
    bool ok = secrets_seal(&sb->program, &s, &sb->reused, &sb->sealed);
    seal_cert_free(cert);
    return ok;
}

SiteBuildStatus site_build(SiteBuild *sb, const char *path, const SiteOptions *o, char *err,
                           size_t errlen)
{
    SiteBuildStatus st = load_and_check(sb, path, o, err, errlen);
    /* A site with errors has no meaningful tree; tree_build reports what
     * it cannot write as errors of its own. */
    if (st != SITE_BUILT)
        return st;
    if (!seal_all(sb, o))
        return SITE_HAS_ERRORS;
    return tree_build(&sb->program, o->engine, &sb->tree) ? SITE_BUILT : SITE_HAS_ERRORS;
}

void site_build_free(SiteBuild *sb)
{
    tree_free(&sb->tree);
    /* program_load leaves the program freeable even when it fails. */
    program_free(&sb->program);
    secret_inputs_free(&sb->inputs);
    derive_master_clear(&sb->master);
    free(sb->default_stdlib);
    diag_free(&sb->diags);
    memset(sb, 0, sizeof *sb);
}
