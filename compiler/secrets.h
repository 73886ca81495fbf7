/* secrets.h — the secrets stage: where every secret of a site goes, what
 * its value is, and the SealedSecret that carries it.
 *
 * Planning (secrets_plan, part of `check`): every Kubernetes Secret a
 * component emits (apiVersion v1, kind Secret) is read: its `stringData`
 * holds plain text or secret references (secret.h); a secret anywhere
 * else in an object is an error, except in a chart's values, where it
 * becomes a key of the Secret "<component>-values" that the HelmRelease
 * reads with `valuesFrom`. Every distinct secret gets a name:
 *
 *   - a shared secret (`secret(name = "dns-tsig", ...)`) is named so,
 *     and is one value wherever it is placed;
 *   - any other generated secret is named by its one placement,
 *     "NAMESPACE/SECRET/KEY"; placing it twice is an error (name it);
 *   - a supplied secret is named by its input, "input:NAME".
 *
 * Its derivation identity (derive.h) is (site, "", name, "", generation)
 * for a shared secret and (site, NAMESPACE, SECRET, KEY, generation) for
 * a placed one; generation is 1 unless the site's `secrets.generations`
 * gives another for that name.
 *
 * Sealing (secrets_seal, part of `build`): every planned Secret becomes a
 * SealedSecret in its place (same component, namespace and name), each
 * value sealed to the site's certificate under the Secret's scope. The
 * annotation `crownc.crownlabs.polito.it/hmac` holds one "KEY TAG" line
 * per value: TAG is a keyed fingerprint (derive_fingerprint) of the
 * ciphertext, bound to the certificate, to "WORD:NAMESPACE/NAME/KEY" and
 * to a keyed fingerprint of the plaintext (sealing.c, tag_of); the
 * certificate's SHA-256 is in `crownc.crownlabs.polito.it/sealed-to`.
 * When the previous tree holds the same file and a value's ciphertext
 * there carries the tag this build computes for it (so: same plaintext,
 * place and certificate, and sealed by a holder of the master key), that
 * ciphertext is reused byte for byte, so an unchanged site gives an
 * unchanged tree. */
#ifndef CROWN_SECRETS_H
#define CROWN_SECRETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "derive.h"
#include "program.h"
#include "seal.h"
#include "secret.h"

#define SECRETS_ANNOTATION_HMAC "crownc.crownlabs.polito.it/hmac"
#define SECRETS_ANNOTATION_CERT "crownc.crownlabs.polito.it/sealed-to"

typedef struct Manifest Manifest;
typedef struct Component Component;

/* One distinct secret value of the site. */
typedef struct SecretIdent {
    const char *name;       /* see above */
    const Secret *secret;   /* the first reference (for a key pair: the pair) */
    DeriveId id;            /* strings borrowed from the program */
    char **consumers;       /* "COMPONENT NAMESPACE/SECRET KEY", sorted; owned */
    size_t nconsumers;
} SecretIdent;

/* One value of a Secret: text, or a secret (ident, public half or not). */
typedef struct SecretEntry {
    const char *key;
    const Value *text;      /* plain text, or NULL */
    const Secret *ref;      /* the reference as written, or NULL */
    size_t ident;           /* index in SecretPlan.idents when ref */
    bool public_half;       /* public_key(k) */
} SecretEntry;

/* One Secret object to seal. */
typedef struct SecretObject {
    Manifest *m;            /* its manifest: sealing replaces m->obj and m->kind */
    const Component *component;
    const char *ns, *name;
    SealScope scope;
    const Value *meta;      /* the Secret's metadata (labels, annotations) */
    const Value *type;      /* its `type`, or NULL (Opaque) */
    const Value *immutable; /* its `immutable`, or NULL */
    SecretEntry *entries;   /* sorted by key */
    size_t nentries;
} SecretObject;

typedef struct SecretPlan {
    const char *site;
    SecretObject *objects;  /* in component order */
    size_t nobjects;
    SecretIdent *idents;    /* in order of first placement */
    size_t nidents;
    const char *cert_path;  /* absolute path of the site's certificate */
    Span cert_at;           /* where the site names it (or the site block) */
} SecretPlan;

/* Plans p's secrets (p checked, its components evaluated). Problems are
 * diagnostics (E0702, E0703); p->secrets is set even then. */
void secrets_plan(Program *p);
void secrets_plan_free(SecretPlan *plan);

/* The value of an ident, derived with m or read from inputs: raw bytes,
 * NUL-terminated; NULL with a reason in err. public_half selects the
 * public key of an ssh-ed25519 pair. Release with derive_free. */
typedef struct SecretInputs SecretInputs;
char *secrets_value(const SecretPlan *plan, size_t ident, bool public_half,
                    const DeriveMaster *m, const SecretInputs *in, char *err, size_t errlen);

/* Reads a file of the previous tree, by its path in the repository
 * (PREFIX/...): true with the bytes (malloc'ed, NUL-terminated) when it
 * exists. */
typedef struct SecretsPrevious {
    bool (*read)(void *ctx, const char *path, char **data, size_t *len);
    void *ctx;
} SecretsPrevious;

/* What sealing needs. prev may be NULL (nothing to reuse). */
typedef struct SecretsSealing {
    const DeriveMaster *master;
    const SecretInputs *inputs;
    const SealCert *cert;
    const SecretsPrevious *prev;
} SecretsSealing;

/* Seals every planned Secret of p into a SealedSecret manifest. Problems
 * (a missing supplied secret, a value that cannot be derived or sealed)
 * are diagnostics (E0705, E0706); returns false then. How many values
 * were reused and sealed anew is counted in *reused and *sealed. */
bool secrets_seal(Program *p, const SecretsSealing *s, size_t *reused, size_t *sealed);

#endif
