#define _XOPEN_SOURCE 700 /* realpath */

#include "inputs.h"

#include <limits.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag_render.h"
#include "secret.h"
#include "secrets.h"

void inputs_stable_path(const Program *p, const char *path, StrBuf *out)
{
    char real[PATH_MAX];
    const char *roots[] = {p->site_dir, p->stdlib_dir};
    const char *tags[] = {"", "stdlib/"};
    if (path && realpath(path, real)) {
        for (size_t i = 0; i < 2; i++) {
            size_t n = roots[i] ? strlen(roots[i]) : 0;
            if (n && strncmp(real, roots[i], n) == 0 && real[n] == '/') {
                sb_printf(out, "%s%s", tags[i], real + n + 1);
                return;
            }
        }
    }
    sb_puts(out, path ? path : "?");
}

static char *stable(const Program *p, const char *path)
{
    StrBuf b;
    sb_init(&b);
    inputs_stable_path(p, path, &b);
    return sb_take(&b);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void inputs_of_program(const Program *p, Inputs *out)
{
    memset(out, 0, sizeof *out);
    out->data = xmalloc((p->ev.ndata ? p->ev.ndata : 1) * sizeof *out->data);
    for (size_t i = 0; i < p->ev.ndata; i++)
        out->data[out->ndata++] = stable(p, p->ev.data[i].src->path);
    const SecretPlan *pl = p->secrets;
    if (!pl || !pl->nobjects)
        return;
    out->master = true;
    out->cert = stable(p, pl->cert_path);
    out->secrets = xmalloc((pl->nidents ? pl->nidents : 1) * sizeof *out->secrets);
    for (size_t i = 0; i < pl->nidents; i++) {
        const Secret *s = pl->idents[i].secret;
        if (s->kind != SECRET_INPUT)
            continue;
        bool seen = false;
        for (size_t k = 0; k < out->nsecrets && !seen; k++)
            seen = strcmp(out->secrets[k], s->input) == 0;
        if (!seen)
            out->secrets[out->nsecrets++] = strdup(s->input);
    }
    qsort(out->secrets, out->nsecrets, sizeof *out->secrets, by_name);
}

static void entry(StrBuf *out, bool *first, const char *tag, const char *s)
{
    StrBuf e;
    sb_init(&e);
    sb_printf(&e, "%s:%s", tag, s);
    sb_puts(out, *first ? "\n    " : ",\n    ");
    json_string(out, e.data, e.len);
    sb_free(&e);
    *first = false;
}

void inputs_index_json(const Inputs *in, StrBuf *out)
{
    bool first = true;
    sb_puts(out, ",\n  \"inputs\": [");
    for (size_t i = 0; i < in->ndata; i++)
        entry(out, &first, "data", in->data[i]);
    if (in->cert)
        entry(out, &first, "cert", in->cert);
    for (size_t i = 0; i < in->nsecrets; i++)
        entry(out, &first, "secret", in->secrets[i]);
    if (in->master)
        entry(out, &first, "master", "");
    sb_puts(out, first ? "]" : "\n  ]");
}

/* One JSON string as crownc writes the index: \" and \\ escaped, nothing
 * else (a path with other escapes is simply not taken: the rebuild then
 * evaluates). */
static char *json_text(const char **p)
{
    const char *s = *p;
    if (*s++ != '"')
        return NULL;
    StrBuf b;
    sb_init(&b);
    for (; *s && *s != '"'; s++) {
        if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
            s++;
        else if (*s == '\\' || (unsigned char)*s < 0x20)
            break;
        sb_putc(&b, *s);
    }
    if (*s != '"') {
        sb_free(&b);
        return NULL;
    }
    *p = s + 1;
    return b.data ? sb_take(&b) : strdup("");
}

static void push(char ***v, size_t *n, char *s)
{
    char **grown = realloc(*v, (*n + 1) * sizeof **v);
    if (!grown)
        abort();
    *v = grown;
    (*v)[(*n)++] = s;
}

static bool add_entry(Inputs *in, char *e)
{
    char *colon = strchr(e, ':');
    if (!colon)
        return false;
    *colon = '\0';
    const char *rest = colon + 1;
    if (strcmp(e, "data") == 0 && *rest)
        push(&in->data, &in->ndata, strdup(rest));
    else if (strcmp(e, "cert") == 0 && *rest && !in->cert)
        in->cert = strdup(rest);
    else if (strcmp(e, "secret") == 0 && *rest)
        push(&in->secrets, &in->nsecrets, strdup(rest));
    else if (strcmp(e, "master") == 0 && !*rest)
        in->master = true;
    else
        return false;
    return true;
}

bool inputs_from_index(const char *index, Inputs *out)
{
    memset(out, 0, sizeof *out);
    const char *p = index ? strstr(index, "\n  \"inputs\": [") : NULL;
    if (!p)
        return false;
    p += strlen("\n  \"inputs\": [");
    for (;;) {
        p += strspn(p, " \n");
        if (*p == ']')
            return true;
        char *e = json_text(&p);
        bool ok = e && add_entry(out, e);
        free(e);
        p += strspn(p, " \n");
        if (ok && *p == ',')
            p++;
        else if (!ok || *p != ']') {
            inputs_free(out);
            return false;
        }
    }
}

void inputs_free(Inputs *in)
{
    for (size_t i = 0; i < in->ndata; i++)
        free(in->data[i]);
    free(in->data);
    for (size_t i = 0; i < in->nsecrets; i++)
        free(in->secrets[i]);
    free(in->secrets);
    free(in->cert);
    memset(in, 0, sizeof *in);
}

/* ---- the digest ---- */

static void put_bytes(EVP_MD_CTX *md, const void *data, size_t len)
{
    unsigned char n[8];
    for (int i = 0; i < 8; i++)
        n[i] = (unsigned char)((uint64_t)len >> (8 * i));
    EVP_DigestUpdate(md, n, sizeof n);
    EVP_DigestUpdate(md, data, len);
}

static void put_text(EVP_MD_CTX *md, const char *s) { put_bytes(md, s, strlen(s)); }

/* The running compiler: any other build of it, whatever its version
 * says, may make another tree. */
static bool self_digest(unsigned char out[32])
{
    static unsigned char cached[32];
    static int state; /* 0 not yet, 1 done, -1 unreadable */
    if (!state) {
        FILE *f = fopen("/proc/self/exe", "rb");
        EVP_MD_CTX *md = f ? EVP_MD_CTX_new() : NULL;
        if (md && EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
            unsigned char buf[1 << 16];
            size_t n;
            while ((n = fread(buf, 1, sizeof buf, f)) > 0)
                EVP_DigestUpdate(md, buf, n);
            unsigned len = 0;
            state = !ferror(f) && EVP_DigestFinal_ex(md, cached, &len) && len == 32 ? 1 : -1;
        } else {
            state = -1;
        }
        EVP_MD_CTX_free(md);
        if (f)
            fclose(f);
    }
    memcpy(out, cached, 32);
    return state == 1;
}

static bool put_secrets(EVP_MD_CTX *md, const Inputs *in, const DeriveMaster *m,
                        const SecretInputs *si, char *err, size_t errlen)
{
    char fp[DERIVE_FINGERPRINT_SIZE];
    if (!in->master)
        return true;
    if (!m) {
        snprintf(err, errlen, "no master key");
        return false;
    }
    if (!derive_fingerprint(m, "crownc inputs: the master key", "", 0, fp, err, errlen))
        return false;
    put_text(md, fp);
    for (size_t i = 0; i < in->nsecrets; i++) {
        const char *v = secret_inputs_get(si, in->secrets[i]);
        if (!v) {
            snprintf(err, errlen, "the supplied secret %s is not available", in->secrets[i]);
            return false;
        }
        StrBuf scope;
        sb_init(&scope);
        sb_printf(&scope, "crownc inputs: %s", in->secrets[i]);
        bool ok = derive_fingerprint(m, scope.data, v, strlen(v), fp, err, errlen);
        sb_free(&scope);
        if (!ok)
            return false;
        put_text(md, in->secrets[i]);
        put_text(md, fp);
    }
    return true;
}

bool inputs_digest(const Program *p, const Inputs *in, InputsRead read, void *ctx,
                   const char *cert, const DeriveMaster *m, const SecretInputs *si,
                   const char *engine, char hex[INPUTS_DIGEST_SIZE], char *err, size_t errlen)
{
    unsigned char self[32];
    if (!self_digest(self)) {
        snprintf(err, errlen, "cannot read the compiler's own executable");
        return false;
    }
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!md || !EVP_DigestInit_ex(md, EVP_sha256(), NULL))
        abort();
    put_text(md, "crownc inputs 1");
    put_bytes(md, self, sizeof self);
    put_text(md, engine ? engine : "");
    put_text(md, "units");
    for (size_t i = 0; i < p->nunits; i++)
        put_bytes(md, p->units[i].src->text, p->units[i].src->len);
    bool ok = true;
    put_text(md, "data");
    for (size_t i = 0; ok && i < in->ndata; i++) {
        size_t len = 0;
        const char *data = read(ctx, i, in->data[i], &len);
        if (!data)
            snprintf(err, errlen, "cannot read %s", in->data[i]);
        else
            put_bytes(md, data, len);
        ok = data != NULL;
    }
    put_text(md, cert ? cert : "");
    ok = ok && put_secrets(md, in, m, si, err, errlen);
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    EVP_DigestFinal_ex(md, out, &n);
    EVP_MD_CTX_free(md);
    for (unsigned i = 0; i < 32 && i < n; i++)
        snprintf(hex + 2 * i, 3, "%02x", out[i]);
    hex[64] = '\0';
    return ok;
}
