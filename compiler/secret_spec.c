/* secret_spec.c — the arguments of secret(...), checked where they are
 * written (secret.h). */
#include <string.h>

#include "secret.h"
#include "strbuf.h"
#include "decl.h"
#include "value.h"

static const char *const kind_names[] = {
    [SECRET_INPUT] = "input",          [SECRET_PASSWORD] = "password",
    [SECRET_TOKEN] = "token",          [SECRET_TSIG] = "tsig",
    [SECRET_COOKIE] = "cookie",        [SECRET_SSH_ED25519] = "ssh-ed25519",
    [SECRET_DOCKERCONFIGJSON] = "dockerconfigjson",
};

const char *secret_kind_name(SecretKind k) { return kind_names[k]; }

typedef struct Args {
    const char **keys;
    const Value **vals;
    size_t n;
    bool *used;
    DiagList *diags;
    bool ok;
} Args;

static const Value *arg(Args *a, const char *key)
{
    for (size_t i = 0; i < a->n; i++) {
        if (strcmp(a->keys[i], key) == 0) {
            a->used[i] = true;
            return a->vals[i];
        }
    }
    return NULL;
}

static void bad(Args *a, Span at, const char *fmt, const char *x)
{
    diag_error(a->diags, "E0701", at, fmt, x);
    a->ok = false;
}

/* A word argument: `kind = tsig` arrives as a string, an enum value as
 * its name. */
static const char *word(Args *a, const char *key)
{
    const Value *v = arg(a, key);
    if (!v)
        return NULL;
    if (v->kind == V_STRING)
        return v->u.str.s;
    if (v->kind == V_ENUM)
        return v->u.en.decl->members[v->u.en.index].name;
    bad(a, v->at, "`%s` is a word here, such as hmac-sha512", key);
    return NULL;
}

static unsigned count(Args *a, const char *key, unsigned lo, unsigned hi)
{
    const Value *v = arg(a, key);
    if (!v)
        return 0;
    if (v->kind != V_INT || v->u.i < lo || v->u.i > hi) {
        diag_error(a->diags, "E0701", v->at, "`%s` is a whole number from %u to %u", key, lo,
                   hi);
        a->ok = false;
        return 0;
    }
    return (unsigned)v->u.i;
}

static const char *text(Args *a, const char *key)
{
    const Value *v = arg(a, key);
    if (!v)
        return NULL;
    if (v->kind == V_STRING)
        return v->u.str.s;
    bad(a, v->at, "`%s` is text here", key);
    return NULL;
}

static bool kind_of(Args *a, Span at, SecretKind *k)
{
    const char *w = word(a, "kind");
    if (!w) {
        if (a->ok)
            bad(a, at, "secret() needs a kind: %s",
                "password, token, tsig, cookie, ssh-ed25519 or dockerconfigjson");
        return false;
    }
    for (int i = SECRET_PASSWORD; i <= SECRET_DOCKERCONFIGJSON; i++) {
        if (strcmp(w, kind_names[i]) == 0) {
            *k = (SecretKind)i;
            return true;
        }
    }
    const Value *v = arg(a, "kind");
    Diag *d = diag_error(a->diags, "E0701", v->at, "no secret kind is named \"%s\"", w);
    diag_set_hint(d, "kinds: password, token, tsig, cookie, ssh-ed25519, dockerconfigjson");
    a->ok = false;
    return false;
}

static void token_params(Args *a, Secret *s)
{
    s->length = count(a, "bytes", DERIVE_TOKEN_MIN, DERIVE_TOKEN_MAX);
    const char *e = word(a, "encoding");
    if (!e || strcmp(e, "hex") == 0)
        s->encoding = DERIVE_HEX;
    else if (strcmp(e, "base64") == 0)
        s->encoding = DERIVE_BASE64;
    else if (strcmp(e, "base64url") == 0)
        s->encoding = DERIVE_BASE64URL;
    else
        bad(a, arg(a, "encoding")->at, "encoding \"%s\" is not hex, base64 or base64url", e);
}

static void tsig_params(Args *a, Secret *s)
{
    const char *alg = word(a, "algorithm");
    s->algorithm = alg ? alg : "hmac-sha512";
    if (strcmp(s->algorithm, "hmac-sha256") != 0 && strcmp(s->algorithm, "hmac-sha512") != 0)
        bad(a, arg(a, "algorithm")->at, "TSIG algorithm \"%s\" is not hmac-sha256 or hmac-sha512",
            s->algorithm);
}

static void docker_params(Args *a, Secret *s, Span at)
{
    s->host = text(a, "host");
    s->username = text(a, "username");
    if (a->ok && (!s->host || !s->username))
        bad(a, at, "a dockerconfigjson secret needs %s", "`host` and `username`");
    /* A named generated password can be placed elsewhere too, in
     * another shape of the same credential (CDI's access-key Secret). */
    const Value *p = arg(a, "password");
    const Secret *pw = p && p->kind == V_SECRET ? p->u.secret : NULL;
    if (pw && (pw->kind == SECRET_INPUT || (pw->kind == SECRET_PASSWORD && pw->name)))
        s->password = pw;
    else if (p)
        bad(a, p->at, "`password` is %s, or left out to derive one",
            "input_secret(NAME) or a named secret(kind = password)");
}

static void kind_params(Args *a, Secret *s, Span at)
{
    switch (s->kind) {
    case SECRET_PASSWORD:
        s->length = count(a, "length", DERIVE_PASSWORD_MIN, DERIVE_PASSWORD_MAX);
        if (arg(a, "symbols")) {
            const Value *v = arg(a, "symbols");
            if (v->kind == V_BOOL)
                s->symbols = v->u.b;
            else
                bad(a, v->at, "`%s` is true or false", "symbols");
        }
        break;
    case SECRET_TOKEN: token_params(a, s); break;
    case SECRET_TSIG: tsig_params(a, s); break;
    case SECRET_SSH_ED25519: {
        s->comment = text(a, "comment");
        for (const char *c = s->comment; c && *c; c++)
            if ((unsigned char)*c < 0x20 || *c == 0x7f)
                bad(a, arg(a, "comment")->at, "%s holds a control character", "the comment");
        break;
    }
    case SECRET_DOCKERCONFIGJSON: docker_params(a, s, at); break;
    default: break;
    }
}

/* A shared name is what `crownc secrets reveal` and `secrets.generations`
 * use: a DNS-1123 label, so that it reads the same everywhere. */
static void name_param(Args *a, Secret *s)
{
    s->name = text(a, "name");
    if (!s->name)
        return;
    size_t n = strlen(s->name);
    bool ok = n > 0 && n <= 63 && s->name[0] != '-' && s->name[n - 1] != '-';
    for (size_t i = 0; ok && i < n; i++) {
        char c = s->name[i];
        ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    }
    if (!ok)
        bad(a, arg(a, "name")->at, "secret name \"%s\" is not a DNS label (a-z, 0-9, '-')",
            s->name);
}

bool secret_from_params(Secret *s, const char **keys, const Value **vals, size_t n, Span at,
                        DiagList *diags)
{
    bool used[64] = {0};
    Args a = {keys, vals, n < 64 ? n : 64, used, diags, true};
    memset(s, 0, sizeof *s);
    s->at = at;
    if (n > 64) {
        diag_error(diags, "E0701", at, "secret() takes at most %d arguments", 64);
        return false;
    }
    if (!kind_of(&a, at, &s->kind))
        return false;
    name_param(&a, s);
    kind_params(&a, s, at);
    for (size_t i = 0; i < a.n && a.ok; i++) {
        if (!used[i]) {
            Diag *d = diag_error(diags, "E0701", vals[i]->at,
                                 "a %s secret takes no argument `%s`", kind_names[s->kind],
                                 keys[i]);
            diag_set_hint(d, "see `crownc explain E0701` for the arguments of each kind");
            a.ok = false;
        }
    }
    return a.ok;
}

static bool same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

bool secret_same_spec(const Secret *a, const Secret *b)
{
    return a->kind == b->kind && same_text(a->input, b->input) && same_text(a->name, b->name) &&
           a->length == b->length && a->symbols == b->symbols && a->encoding == b->encoding &&
           same_text(a->algorithm, b->algorithm) && same_text(a->comment, b->comment) &&
           same_text(a->host, b->host) && same_text(a->username, b->username) &&
           (a->password == b->password ||
            (a->password && b->password && a->password->kind == b->password->kind &&
             same_text(a->password->input, b->password->input) &&
             same_text(a->password->name, b->password->name)));
}
