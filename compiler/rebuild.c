#define _XOPEN_SOURCE 700 /* realpath */

#include "rebuild.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "inputs.h"
#include "seal.h"
#include "source.h"

/* ---- the full build's side ---- */

static const char *from_program(void *ctx, size_t i, const char *path, size_t *len)
{
    const Program *p = ctx;
    (void)path;
    if (i >= p->ev.ndata)
        return NULL;
    *len = p->ev.data[i].src->len;
    return p->ev.data[i].src->text;
}

void rebuild_trailers(const SiteBuild *sb, const char *engine, StrBuf *msg)
{
    const Program *p = &sb->program;
    const char *prefix = sb->tree.prefix;
    if (!prefix)
        return;
    Inputs in;
    inputs_of_program(p, &in);
    char hex[INPUTS_DIGEST_SIZE], err[256];
    if (inputs_digest(p, &in, from_program, (void *)p, *sb->cert ? sb->cert : NULL,
                      sb->have_master ? &sb->master : NULL, &sb->inputs, engine, hex, err,
                      sizeof err))
        sb_printf(msg, "Inputs-Digest: sha256:%s\nSite-Path: %s\n", hex, prefix);
    inputs_free(&in);
}

/* ---- the rebuild's side ---- */

/* The value of a trailer "KEY: VALUE" of msg, up to the end of its line;
 * false when msg has none or it is empty or too long. */
static bool trailer(const char *msg, const char *key, char *out, size_t outlen)
{
    size_t k = strlen(key);
    for (const char *p = msg; (p = strstr(p, key)); p += k) {
        if (p != msg && p[-1] != '\n')
            continue;
        const char *v = p + k;
        size_t n = strcspn(v, "\n");
        if (n == 0 || n >= outlen)
            return false;
        memcpy(out, v, n);
        out[n] = '\0';
        return true;
    }
    return false;
}

typedef struct Reads {
    const Program *p;
    Source **src;
    size_t n;
} Reads;

/* A listed file, below the directory it is listed in (the library's for
 * stdlib/..., else the site's), read as every input is (source.h). */
static Source *load_listed(const Program *p, const char *path)
{
    bool lib = strncmp(path, "stdlib/", 7) == 0;
    const char *root = lib ? p->stdlib_dir : p->site_dir;
    if (!root)
        return NULL;
    char *full = malloc(strlen(root) + strlen(path) + 2);
    if (!full)
        abort();
    sprintf(full, "%s/%s", root, lib ? path + 7 : path);
    char real[PATH_MAX];
    size_t n = strlen(root), size = 0;
    Source *src = NULL;
    if (realpath(full, real) && strncmp(real, root, n) == 0 && real[n] == '/')
        source_load(real, &src, (char[128]){0}, 128, &size);
    free(full);
    return src;
}

static const char *from_disk(void *ctx, size_t i, const char *path, size_t *len)
{
    Reads *r = ctx;
    (void)i;
    Source *src = load_listed(r->p, path);
    if (!src)
        return NULL;
    Source **grown = realloc(r->src, (r->n + 1) * sizeof *grown);
    if (!grown)
        abort();
    r->src = grown;
    r->src[r->n++] = src;
    *len = src->len;
    return src->text;
}

/* The fingerprint of the listed certificate, if it can still seal now. */
static bool cert_now(const Program *p, const char *path, char *out, size_t outlen)
{
    Source *src = load_listed(p, path);
    SealCert *c = NULL;
    char err[256];
    bool ok = src && seal_cert_load(src->text, src->len, (int64_t)time(NULL), &c, err,
                                    sizeof err) == SEAL_OK;
    if (ok)
        snprintf(out, outlen, "%s", seal_cert_fingerprint(c));
    seal_cert_free(c);
    source_free(src);
    return ok;
}

static bool same_inputs(SiteBuild *sb, const SiteOptions *o, const Inputs *in, const char *want)
{
    char err[512], cert[SEAL_FINGERPRINT_SIZE] = "", hex[INPUTS_DIGEST_SIZE];
    const Program *p = &sb->program;
    if (in->cert && !cert_now(p, in->cert, cert, sizeof cert))
        return false;
    if (in->master && !site_master_key(sb, o, err, sizeof err))
        return false;
    if (o->secrets_file && !secret_inputs_load(&sb->inputs, o->secrets_file, err, sizeof err))
        return false;
    Reads r = {p, NULL, 0};
    bool ok = inputs_digest(p, in, from_disk, &r, in->cert ? cert : NULL,
                            in->master ? &sb->master : NULL, &sb->inputs, o->engine, hex, err,
                            sizeof err) &&
              strcmp(hex, want) == 0;
    for (size_t i = 0; i < r.n; i++)
        source_free(r.src[i]);
    free(r.src);
    return ok;
}

bool rebuild_unchanged(const char *site, const SiteOptions *o, GitOutReader *tip,
                       char commit[GITOUT_ID_SIZE], char *name, size_t namelen)
{
    const char *msg = tip ? gitout_reader_message(tip, commit) : NULL;
    size_t n = msg ? strcspn(msg, ":\n") : 0;
    if (!n || msg[n] != ':' || n >= namelen)
        return false;
    memcpy(name, msg, n);
    name[n] = '\0';
    char want[INPUTS_DIGEST_SIZE + 8], prefix[1024];
    if (!msg || !trailer(msg, "Inputs-Digest: sha256:", want, sizeof want) ||
        strlen(want) != INPUTS_DIGEST_SIZE - 1 || !trailer(msg, "Site-Path: ", prefix,
                                                            sizeof prefix) ||
        gitout_path_problem(prefix))
        return false;
    char path[1100], *index = NULL;
    size_t len = 0;
    snprintf(path, sizeof path, "%s/crown.index.json", prefix);
    Inputs in;
    bool listed = gitout_reader_read(tip, path, &index, &len) && inputs_from_index(index, &in);
    free(index);
    if (!listed)
        return false;
    SiteBuild sb;
    memset(&sb, 0, sizeof sb);
    diag_init(&sb.diags);
    secret_inputs_init(&sb.inputs);
    const char *stdlib = o->stdlib ? o->stdlib : (sb.default_stdlib = program_default_stdlib());
    char err[512];
    /* Loading reads and parses the site's and the library's files, and
     * finds the site's imports: the files a change to which the list in
     * the index would not show. A file that does not parse changes the
     * digest anyway; the full build reports it. */
    bool same = program_load(&sb.program, site, stdlib, &sb.diags, err, sizeof err) &&
                !sb.diags.errors && same_inputs(&sb, o, &in, want);
    inputs_free(&in);
    site_build_free(&sb);
    return same;
}
