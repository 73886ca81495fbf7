/* seal.h — Bitnami Sealed Secrets: seal one value to a controller's
 * certificate, and open it again with the controller's private key.
 *
 * A sealed value is the text stored under one key of a SealedSecret's
 * spec.encryptedData (apiVersion bitnami.com/v1alpha1), in the format the
 * controller opens (upstream: pkg/crypto, HybridEncrypt/HybridDecrypt):
 *
 *   base64( uint16_be(len(rsa_ct)) || rsa_ct || aes_ct || tag )
 *
 * rsa_ct is a fresh 32-byte session key encrypted with RSA-OAEP (SHA-256
 * for the hash and for MGF1) under a label that binds the value to its
 * scope; aes_ct || tag is the value encrypted with AES-256-GCM under that
 * session key, a nonce of 12 zero bytes, no associated data and a 16-byte
 * tag. The base64 is the standard alphabet, padded, on one line. For a
 * 4096-bit key and an n-byte value the blob is 2 + 512 + n + 16 bytes.
 *
 * The zero nonce is safe only because every value gets its own session
 * key, which is why the random source below matters.
 *
 * Time: the module reads no clock. Whoever loads a certificate says what
 * time it is (seconds since the epoch, UTC), so checks and tests are
 * reproducible.
 *
 * Randomness: a value takes 64 random bytes, two calls of a SealRandom the
 * caller passes: first the 32-byte session key, then the 32-byte OAEP
 * seed. When the caller passes NULL both come from OpenSSL's RAND_bytes.
 * The module does the OAEP encoding itself (RFC 8017 §7.1.1: EME-OAEP,
 * SHA-256, MGF1 with SHA-256, the scope label) and has OpenSSL apply only
 * the raw RSA operation, so the output depends on nothing but the
 * certificate, the label, the value and those bytes: sealing the same
 * value twice with the same random bytes gives the same text. With
 * RAND_bytes two seals of one value never give the same text. The
 * compiler does not rely on determinism to keep an unchanged site's tree
 * unchanged: the build keeps a keyed HMAC of each value beside its
 * ciphertext and reuses the previous commit's ciphertext, byte for byte,
 * while the HMAC still matches. Golden trees are byte-exact for that
 * reason, not because sealing is.
 *
 * Deterministic randomness exists only in test builds: this module
 * contains no such source and no switch that selects one. The compiler
 * gets its SealRandom from random_source.h, whose implementation is
 * chosen at link time: build/crownc (and the unit tests) link
 * compiler/random_release.c, which always answers NULL (RAND_bytes) and
 * contains no deterministic generator; only build/crownc-test links
 * tests/support/random_test.c, a fixed stream per value. A release build
 * therefore has no deterministic source to call, by accident or by option
 * (tests/run.sh checks that the test source's seed string is not in
 * build/crownc). Unit tests that want fixed bytes define their own
 * SealRandom in the test file (tests/unit/test_seal.c does). A fixed
 * session key must never reach real output: two values sealed under the
 * same key and the same zero nonce reveal each other's XOR and let GCM
 * tags be forged.
 *
 * Secrets in memory: the session key, the OAEP seed, the encoded OAEP
 * message and its masks, and every intermediate buffer that held
 * plaintext are wiped with OPENSSL_cleanse before they are released;
 * a SealPlain must be released with seal_plain_free for the same reason.
 *
 * Errors: every function that can fail returns a SealStatus and, unless it
 * is SEAL_OK, writes a one-line reason into err (at most errlen bytes, NUL
 * included; err may be NULL when errlen is 0). On failure nothing is
 * appended to an output buffer and no output object is returned. Nothing
 * is printed, and no passphrase is ever asked for on the terminal. The
 * module keeps no global state; OpenSSL's per-thread error queue is left
 * empty on return. */
#ifndef CROWN_SEAL_H
#define CROWN_SEAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

/* 64 lowercase hex digits and a NUL. */
#define SEAL_FINGERPRINT_SIZE 65

/* The largest value sealed or opened. Kubernetes refuses a Secret over
 * 1 MiB in all, so no single value can usefully be larger; the bound also
 * keeps every length within what OpenSSL's int-sized calls accept. */
#define SEAL_MAX_VALUE (1024u * 1024u)

/* Key sizes accepted, in bits. Under 2048 bits RSA is too weak to protect
 * anything that lands in a git repository; over 16384 OpenSSL itself
 * refuses to use the key. The controller's default is 4096. */
#define SEAL_MIN_BITS 2048
#define SEAL_MAX_BITS 16384

typedef enum SealStatus {
    SEAL_OK,
    SEAL_INVALID, /* malformed input: PEM text, base64, blob layout, label */
    SEAL_REFUSED, /* a well-formed certificate that must not be sealed to:
                     not RSA, too small or too large, expired, not yet valid */
    SEAL_FAILED,  /* the blob does not open: wrong key, wrong label (scope,
                     namespace or name), or altered ciphertext */
    SEAL_ERROR,   /* the random source, OpenSSL or memory failed */
} SealStatus;

/* Which label binds a sealed value (upstream: EncryptionLabel). The scope
 * must match between sealing and opening; the controller derives it from
 * the SealedSecret's annotations. */
typedef enum SealScope {
    SEAL_STRICT,         /* "<namespace>/<name>" (no annotation) */
    SEAL_NAMESPACE_WIDE, /* "<namespace>" */
    SEAL_CLUSTER_WIDE,   /* empty: no OAEP label at all */
} SealScope;

/* A source of random bytes for session keys and OAEP seeds: fill buf with
 * n bytes and return true, or return false (sealing then fails with
 * SEAL_ERROR). Sealing one value calls fill twice, 32 bytes each: the
 * session key, then the OAEP seed. */
typedef struct SealRandom {
    bool (*fill)(void *ctx, unsigned char *buf, size_t n);
    void *ctx;
} SealRandom;

/* A controller certificate, checked and ready to seal to. Opaque. */
typedef struct SealCert SealCert;

/* A controller private key, ready to open sealed values. Opaque. */
typedef struct SealKey SealKey;

/* An opened value: len bytes at data (which may hold NULs), followed by a
 * NUL that is not counted. */
typedef struct SealPlain {
    unsigned char *data;
    size_t len;
} SealPlain;

/* Writes the OAEP label of a scope into label (replacing what it held).
 * Strict needs a namespace and a name, namespace-wide a namespace; both
 * are refused when empty (SEAL_INVALID), as the controller refuses a
 * secret without a namespace. Cluster-wide ignores both and gives an empty
 * label. ns and name may be NULL when not needed. */
SealStatus seal_label(SealScope scope, const char *ns, const char *name, StrBuf *label,
                      char *err, size_t errlen);

/* Reads the first certificate of PEM text (a controller's cert.pem may
 * hold several; kubeseal also takes the first) and checks it at time now:
 * an X.509 certificate whose public key is RSA of SEAL_MIN_BITS to
 * SEAL_MAX_BITS bits, with notBefore <= now <= notAfter. Key usage is not
 * checked: the controller's own certificates say "encipher only". On
 * SEAL_OK *out is the certificate, to release with seal_cert_free. */
SealStatus seal_cert_load(const char *pem, size_t len, int64_t now, SealCert **out, char *err,
                          size_t errlen);
void seal_cert_free(SealCert *c);

/* SHA-256 of the certificate's DER encoding, as 64 lowercase hex digits:
 * the same digest as `openssl x509 -noout -fingerprint -sha256`, without
 * its colons. Valid as long as c. */
const char *seal_cert_fingerprint(const SealCert *c);
/* The validity period, in seconds since the epoch (UTC). */
int64_t seal_cert_not_before(const SealCert *c);
int64_t seal_cert_not_after(const SealCert *c);
/* The RSA modulus size in bits, e.g. 4096. */
int seal_cert_bits(const SealCert *c);

/* Seals value[0..len) (raw bytes, not base64; len <= SEAL_MAX_VALUE) to c
 * under the label label[0..label_len) (label_len 0 for cluster-wide: no
 * label is set at all), and appends the base64 text, without a newline,
 * to out. rnd supplies the session key and then the OAEP seed; NULL means
 * RAND_bytes for both. The same rnd bytes give the same text. */
SealStatus seal_value(const SealCert *c, const void *label, size_t label_len, const void *value,
                      size_t len, const SealRandom *rnd, StrBuf *out, char *err, size_t errlen);

/* Reads a private key from PEM text: PKCS#1 ("RSA PRIVATE KEY", as the
 * controller stores it in tls.key) or unencrypted PKCS#8 ("PRIVATE KEY").
 * An encrypted key is refused (SEAL_INVALID) rather than prompted for.
 * On SEAL_OK *out is the key, to release with seal_key_free. */
SealStatus seal_key_load(const char *pem, size_t len, SealKey **out, char *err, size_t errlen);
void seal_key_free(SealKey *k);

/* Opens one sealed value (the base64 text text[0..len), standard alphabet,
 * padded, no whitespace) with k under the label it was sealed with. Bad
 * base64 or a blob too short for its own length field is SEAL_INVALID; a
 * blob for a key of another size, a wrong label or altered bytes is
 * SEAL_FAILED. On SEAL_OK *out holds the value; release it with
 * seal_plain_free. */
SealStatus unseal_value(const SealKey *k, const void *label, size_t label_len, const char *text,
                        size_t len, SealPlain *out, char *err, size_t errlen);

/* OpenSSL's reason for its last failure (from its error queue), or a
 * fixed text when it gave none: for messages of modules that call OpenSSL
 * beside this one (sealkey.c). */
const char *seal_openssl_reason(void);

/* Wipes and frees an opened value; leaves it empty. Safe on an empty one. */
void seal_plain_free(SealPlain *p);

#endif
