/* secret.h — what a secret value is, before it has a value.
 *
 * Evaluation never sees a secret's plaintext: `secret(...)`,
 * `input_secret(NAME)` and `public_key(k)` give a reference that says
 * where the value will come from. Values are derived or read, and sealed,
 * only when a tree is built (secrets.h). A secret cannot be interpolated
 * into a string.
 *
 * secret() takes named arguments only; secret_from_params checks them
 * where they are written, so `crownc check` reports a bad one:
 *
 *   kind       password | token | tsig | cookie | ssh-ed25519 | dockerconfigjson
 *   name       a shared secret's name: every secret() with this name is one
 *              value, whatever Secret objects it is placed in
 *   length     password: characters (8..1024, default 32)
 *   symbols    password: also -._~+= (default false)
 *   bytes      token: random bytes (8..1024, default 32)
 *   encoding   token: hex | base64 | base64url (default hex)
 *   algorithm  tsig: hmac-sha256 | hmac-sha512 (default hmac-sha512)
 *   comment    ssh-ed25519: the public key's comment
 *   host, username, password
 *              dockerconfigjson: the registry, the user, and its password
 *              (a secret, e.g. input_secret(); derived when left out) */
#ifndef CROWN_SECRET_H
#define CROWN_SECRET_H

#include <stdbool.h>

#include "derive.h"
#include "diag.h"
#include "source.h"

typedef struct Value Value;

typedef enum SecretKind {
    SECRET_INPUT,            /* input_secret(NAME): the operator supplies it */
    SECRET_PASSWORD,
    SECRET_TOKEN,
    SECRET_TSIG,
    SECRET_COOKIE,
    SECRET_SSH_ED25519,      /* the private key; public_key() gives the other half */
    SECRET_DOCKERCONFIGJSON,
} SecretKind;

typedef struct Secret Secret;
struct Secret {
    SecretKind kind;
    const char *input;      /* SECRET_INPUT: NAME */
    const char *name;       /* a shared secret's name; NULL: named by its placement */
    unsigned length;        /* password: characters; token: bytes; 0: default */
    bool symbols;           /* password */
    DeriveEncoding encoding;/* token */
    const char *algorithm;  /* tsig */
    const char *comment;    /* ssh-ed25519; NULL: none */
    const char *host;       /* dockerconfigjson */
    const char *username;   /* dockerconfigjson */
    const Secret *password; /* dockerconfigjson: supplied; NULL: derived */
    const Secret *pair;     /* public_key(k): the key pair k; NULL otherwise */
    Span at;                /* where it is written */
};

/* The word a kind is written with: "password", "ssh-ed25519"... */
const char *secret_kind_name(SecretKind k);

/* Fills s from the named arguments of secret(...) (keys[i] = vals[i]).
 * Problems are reported into diags (E0501) at the argument; returns false
 * then. at is the call. */
bool secret_from_params(Secret *s, const char **keys, const Value **vals, size_t n, Span at,
                        DiagList *diags);

/* Two secret() calls with one name must describe the same secret. */
bool secret_same_spec(const Secret *a, const Secret *b);

#endif
