/* secret_values.c — the value of one secret of the plan: derived from the
 * master key (derive.h) or supplied by the operator (secret_inputs.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "secret_inputs.h"
#include "secrets.h"

static char *dup_secret(const char *s)
{
    size_t n = strlen(s);
    char *d = malloc(n + 1);
    if (!d)
        abort();
    memcpy(d, s, n + 1);
    return d;
}

static char *supplied(const char *name, const SecretInputs *in, char *err, size_t errlen)
{
    const char *v = in ? secret_inputs_get(in, name) : NULL;
    if (v)
        return dup_secret(v);
    char var[256];
    secret_inputs_env_name(name, var, sizeof var);
    snprintf(err, errlen, "the supplied secret %s is missing: set %s or give it in --secrets "
             "FILE", name, var);
    return NULL;
}

static char *ssh_half(const DeriveMaster *m, const Secret *s, const DeriveId *id, bool public_half,
                      char *err, size_t errlen)
{
    DeriveSshKey k = {0};
    if (!derive_ssh_ed25519(m, id, s->comment, &k, err, errlen))
        return NULL;
    char *out = public_half ? k.public_key : k.private_key;
    if (public_half)
        k.public_key = NULL;
    else
        k.private_key = NULL;
    derive_ssh_free(&k);
    return out;
}

static char *password_of(const SecretPlan *plan, const Secret *s, const DeriveMaster *m,
                         const SecretInputs *in, char *err, size_t errlen)
{
    if (s->kind == SECRET_INPUT)
        return supplied(s->input, in, err, errlen);
    for (size_t i = 0; i < plan->nidents; i++)
        if (strcmp(plan->idents[i].name, s->name) == 0)
            return secrets_value(plan, i, false, m, in, err, errlen);
    snprintf(err, errlen, "the password %s of a registry document was not planned", s->name);
    return NULL;
}

static char *derived(const SecretPlan *plan, const DeriveMaster *m, const Secret *s,
                     const DeriveId *id, bool public_half, const SecretInputs *in, char *err,
                     size_t errlen)
{
    char *out = NULL;
    bool ok = false;
    switch (s->kind) {
    case SECRET_PASSWORD:
        ok = derive_password(m, id, s->length, s->symbols, &out, err, errlen);
        break;
    case SECRET_TOKEN: ok = derive_token(m, id, s->length, s->encoding, &out, err, errlen); break;
    case SECRET_TSIG: ok = derive_tsig(m, id, s->algorithm, &out, err, errlen); break;
    case SECRET_COOKIE: ok = derive_cookie(m, id, &out, err, errlen); break;
    case SECRET_SSH_ED25519: return ssh_half(m, s, id, public_half, err, errlen);
    case SECRET_DOCKERCONFIGJSON: {
        char *pw = NULL;
        if (s->password && !(pw = password_of(plan, s->password, m, in, err, errlen)))
            return NULL;
        ok = derive_dockerconfigjson(m, id, s->host, s->username, pw, &out, err, errlen);
        derive_free(pw);
        break;
    }
    case SECRET_INPUT: break;
    }
    return ok ? out : NULL;
}

char *secrets_value(const SecretPlan *plan, size_t ident, bool public_half,
                    const DeriveMaster *m, const SecretInputs *in, char *err, size_t errlen)
{
    const SecretIdent *id = &plan->idents[ident];
    const Secret *s = id->secret;
    if (s->kind == SECRET_INPUT)
        return supplied(s->input, in, err, errlen);
    if (!m) {
        snprintf(err, errlen, "the generated secret %s needs the site's master key", id->name);
        return NULL;
    }
    return derived(plan, m, s, &id->id, public_half, in, err, errlen);
}
