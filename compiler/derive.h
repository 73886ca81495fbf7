/* derive.h — generated secret values, derived from the site master key.
 *
 * A generated secret (`secret(kind = password, ...)`) has no stored value:
 * its value is a function of the site's master key and of the secret's
 * identity, so every build derives the same value without a state file,
 * and bumping the generation gives one secret a new, unrelated value.
 *
 * The master key is 32 random bytes kept outside the repository, in a key
 * file (see derive_load_master) or in an environment variable whose value
 * the caller reads and passes to derive_parse_master: this module reads no
 * environment.
 *
 * Derivation (the contract: changing any byte below changes every value).
 *
 *   okm  = HKDF-SHA256(IKM = master key, salt = "crownc secrets v1",
 *                      info, L)                               (RFC 5869)
 *   info = field("value") || field(site) || field(namespace) ||
 *          field(name) || field(key) || field(kind) || u32(generation)
 *   field(s) = u32(byte length of s) || the bytes of s (UTF-8, no NUL)
 *   u32(n)   = n as 4 bytes, big-endian
 *
 * Every field carries its length, so no two identities give the same info
 * ("ab"+"c" and "a"+"bc" differ); the leading field("value") separates
 * secret values from the fingerprint key, whose info is the single
 * field("fingerprint"). The whole info is at most DERIVE_INFO_MAX bytes,
 * the most that every HKDF implementation takes (OpenSSL 1.1's and some
 * providers' stop there); longer identities are refused.
 *
 * `kind` is not the word written in the site but the canonical label of
 * the derivation, which also names every parameter that changes the
 * value's shape, so that changing a parameter gives an unrelated value
 * rather than, say, a longer password that starts like the old one:
 *
 *   kind label                      value
 *   "password:LEN:alnum"            LEN characters of A-Z a-z 0-9
 *   "password:LEN:symbols"          LEN characters of A-Z a-z 0-9 and -._~+=
 *   "token:N"                       N bytes, as hex or base64 (the encoding
 *                                   is not in the label: same bytes)
 *   "tsig:hmac-sha256"              32 bytes, base64
 *   "tsig:hmac-sha512"              64 bytes, base64
 *   "cookie"                        32 bytes, base64url, padded: 44 chars
 *   "ssh-ed25519"                   32-byte seed of an Ed25519 key pair
 *   "dockerconfigjson:password"     the registry password when derived
 *                                   (32 alphanumeric characters)
 *
 * HKDF output is prefix-stable (the first n bytes of a longer output are
 * the output of length n), which the password sampler relies on.
 *
 * Memory. Every buffer that held key or secret bytes is cleansed
 * (OPENSSL_cleanse) before it is released, including the old block when a
 * buffer grows. Values are returned as NUL-terminated strings on the heap
 * that the caller releases with derive_free (or derive_ssh_free), which
 * cleanse them. Allocation failure aborts, as everywhere in crownc.
 *
 * Errors. Functions that can fail return false and write a one-line
 * reason into err (at most errlen bytes, NUL included); nothing is
 * printed. Key and secret bytes never appear in a reason. */
#ifndef CROWN_DERIVE_H
#define CROWN_DERIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DERIVE_MASTER_SIZE 32
#define DERIVE_INFO_MAX 1024
/* The fingerprint: 64 hex digits and a NUL. */
#define DERIVE_FINGERPRINT_SIZE 65
/* Bounds of a password's length and of a token's size in bytes. */
#define DERIVE_PASSWORD_DEFAULT 32
#define DERIVE_PASSWORD_MIN 8
#define DERIVE_PASSWORD_MAX 1024
#define DERIVE_TOKEN_DEFAULT 32
#define DERIVE_TOKEN_MIN 8
#define DERIVE_TOKEN_MAX 1024

typedef struct DeriveMaster {
    unsigned char key[DERIVE_MASTER_SIZE];
} DeriveMaster;

/* Who a secret value belongs to. Borrowed strings; none may be NULL (an
 * empty string is a valid field, e.g. no namespace). */
typedef struct DeriveId {
    const char *site;      /* the site's name */
    const char *ns;        /* the namespace of the Secret object */
    const char *name;      /* the Secret object's name */
    const char *key;       /* the key inside its data */
    uint32_t generation;   /* bumped by the site to rotate this value */
} DeriveId;

/* ---- the master key ------------------------------------------------- */

/* Reads the key file at path: exactly 64 hex digits (either case),
 * optionally followed by one newline; nothing else. The file must be a
 * regular file that neither group nor others may access in any way (mode
 * 0600 or stricter; the reason then names `chmod 600 FILE`). The mode is
 * checked on the opened file, not on the name. */
bool derive_load_master(DeriveMaster *m, const char *path, char *err, size_t errlen);
/* The same format from text[0..len), e.g. an environment variable's
 * value; origin names it in the reason ("CROWNC_MASTER_KEY"). */
bool derive_parse_master(DeriveMaster *m, const char *text, size_t len, const char *origin,
                         char *err, size_t errlen);
/* A new key from RAND_bytes. */
bool derive_new_master(DeriveMaster *m, char *err, size_t errlen);
/* The key as a key file's text: 64 lowercase hex digits, a newline, a NUL. */
void derive_master_text(const DeriveMaster *m, char out[DERIVE_MASTER_SIZE * 2 + 2]);
/* Creates the key file path with a new key (mode 0600). Refuses when path
 * exists (even as a dangling link). The file appears complete or not at
 * all: the key is written and synced to a temporary file in the same
 * directory, which is then linked to path (link() fails if path exists,
 * like O_CREAT|O_EXCL, and never shows a half-written file). The key is
 * also stored in *m when m is not NULL. */
bool derive_write_master(const char *path, DeriveMaster *m, char *err, size_t errlen);
/* Cleanses the key. */
void derive_master_clear(DeriveMaster *m);

/* ---- values ----------------------------------------------------------- */

/* Releases a value returned by this module, cleansing it first. NULL is
 * fine. */
void derive_free(char *s);

/* A password of length characters (0 means DERIVE_PASSWORD_DEFAULT) drawn
 * uniformly from A-Z a-z 0-9, plus the six symbols -._~+= when symbols is
 * true. The symbols are unreserved or sub-delimiters of RFC 3986 (legal in
 * the user part of a URL) and none is special inside shell double quotes,
 * YAML quoted strings or Kubernetes' $(VAR) expansion. */
bool derive_password(const DeriveMaster *m, const DeriveId *id, unsigned length, bool symbols,
                     char **out, char *err, size_t errlen);

typedef enum DeriveEncoding {
    DERIVE_HEX,       /* lowercase */
    DERIVE_BASE64,    /* standard alphabet, padded */
    DERIVE_BASE64URL, /* - and _ instead of + and /, padded */
} DeriveEncoding;

/* nbytes random bytes (0 means DERIVE_TOKEN_DEFAULT), encoded. */
bool derive_token(const DeriveMaster *m, const DeriveId *id, unsigned nbytes, DeriveEncoding enc,
                  char **out, char *err, size_t errlen);

/* A TSIG key as `tsig-keygen -a ALG` prints in its `secret "...";` line:
 * base64 of 32 bytes for "hmac-sha256", 64 bytes for "hmac-sha512". Any
 * other algorithm is refused. */
bool derive_tsig(const DeriveMaster *m, const DeriveId *id, const char *algorithm, char **out,
                 char *err, size_t errlen);

/* An oauth2-proxy cookie secret: 32 bytes as base64url with padding (44
 * characters), the form its documentation generates; it decodes to the
 * 32-byte key of AES-256. */
bool derive_cookie(const DeriveMaster *m, const DeriveId *id, char **out, char *err,
                   size_t errlen);

/* An Ed25519 key pair, both parts ending with a newline. */
typedef struct DeriveSshKey {
    char *private_key; /* OpenSSH format, unencrypted:
                          -----BEGIN OPENSSH PRIVATE KEY----- ... */
    char *public_key;  /* "ssh-ed25519 AAAA... COMMENT" */
} DeriveSshKey;

/* The seed is 32 bytes of HKDF output. The private key's two check
 * integers (which only detect a wrong passphrase, and must be equal) are
 * the first 4 bytes of SHA-256("crownc ssh checkint" || seed), so the file
 * is the same on every build. comment may be NULL or empty (no comment);
 * it may not hold control characters. */
bool derive_ssh_ed25519(const DeriveMaster *m, const DeriveId *id, const char *comment,
                        DeriveSshKey *out, char *err, size_t errlen);
void derive_ssh_free(DeriveSshKey *k);

/* A kubernetes.io/dockerconfigjson document for one registry:
 *   {"auths":{"HOST":{"username":"USER","password":"PASS","auth":"B64"}}}
 * with B64 = base64(USER ":" PASS), keys in this order, no spaces, JSON
 * escapes where needed. password NULL derives one (kind label
 * "dockerconfigjson:password"); otherwise it is the supplied value. */
bool derive_dockerconfigjson(const DeriveMaster *m, const DeriveId *id, const char *host,
                             const char *username, const char *password, char **out, char *err,
                             size_t errlen);

/* ---- fingerprints ------------------------------------------------------ */

/* HMAC-SHA256 over u32(len(scope)) || scope || plain[0..len), keyed with
 * HKDF-SHA256(master, "crownc secrets v1", field("fingerprint"), 32), as
 * 64 lowercase hex digits. Equal scope and plaintext give equal
 * fingerprints; without the master key it tells nothing about the
 * plaintext (it is not a plain hash, which would let anyone test guesses).
 * The scope says what the plaintext is (e.g. "NAMESPACE/NAME/KEY"). */
bool derive_fingerprint(const DeriveMaster *m, const char *scope, const void *plain, size_t len,
                        char out[DERIVE_FINGERPRINT_SIZE], char *err, size_t errlen);

/* ---- the primitive ----------------------------------------------------- */

/* HKDF-SHA256 (RFC 5869) through OpenSSL's EVP_KDF: okm[0..okmlen) from
 * the input key material, salt and info. okmlen is at most 255*32. */
bool derive_hkdf_sha256(const void *ikm, size_t ikmlen, const void *salt, size_t saltlen,
                        const void *info, size_t infolen, unsigned char *okm, size_t okmlen);

#endif
