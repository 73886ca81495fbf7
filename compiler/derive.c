/* derive.c — generated secret values from the site master key (derive.h).
 *
 * Sections: errors and memory, encodings, HKDF and the info string, the
 * master key, the value kinds, fingerprints. */
#include "arena.h"
#include "derive.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "private_file.h"

static const char SALT[] = "crownc secrets v1";
/* RFC 5869: at most 255 blocks of the hash's size. */
#define HKDF_MAX (255 * 32)
#define ED25519_SIZE 32
#define HEX_KEY_LEN (DERIVE_MASTER_SIZE * 2)

/* ---- errors and memory ------------------------------------------------- */

static bool fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return false;
}

static void clear_free(void *p, size_t n)
{
    if (p) {
        OPENSSL_cleanse(p, n);
        free(p);
    }
}

/* A growable buffer for secret bytes. realloc could leave a copy of the
 * old contents in freed memory, so growing copies into a new block and
 * cleanses the old one. Always NUL-terminated. */
typedef struct SecBuf {
    unsigned char *p;
    size_t len, cap;
} SecBuf;

static void sec_reserve(SecBuf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap * 2 : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    unsigned char *p = xmalloc(cap);
    if (b->len)
        memcpy(p, b->p, b->len);
    clear_free(b->p, b->cap);
    b->p = p;
    b->cap = cap;
}

static void sec_put(SecBuf *b, const void *s, size_t n)
{
    sec_reserve(b, n);
    if (n)
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sec_puts(SecBuf *b, const char *s) { sec_put(b, s, strlen(s)); }

static void sec_u32(SecBuf *b, uint32_t v)
{
    unsigned char be[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
                           (unsigned char)(v >> 8), (unsigned char)v};
    sec_put(b, be, 4);
}

/* The SSH wire format's string: a u32 length, then the bytes. */
static void sec_string(SecBuf *b, const void *s, size_t n)
{
    sec_u32(b, (uint32_t)n);
    sec_put(b, s, n);
}

static void sec_free(SecBuf *b)
{
    clear_free(b->p, b->cap);
    b->p = NULL;
    b->len = b->cap = 0;
}

/* The contents as a string for derive_free; b is left empty. */
static char *sec_take(SecBuf *b)
{
    sec_put(b, "", 0); /* an empty buffer still becomes "" */
    char *s = (char *)b->p;
    b->p = NULL;
    b->len = b->cap = 0;
    return s;
}

void derive_free(char *s)
{
    if (s)
        clear_free(s, strlen(s));
}

/* ---- encodings ---------------------------------------------------------- */

static void put_hex(SecBuf *b, const unsigned char *in, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        char two[2] = {digits[in[i] >> 4], digits[in[i] & 15]};
        sec_put(b, two, 2);
    }
}

/* Standard base64 with padding, or base64url (also padded) when url. */
static void put_base64(SecBuf *b, const unsigned char *in, size_t n, bool url)
{
    size_t enc = 4 * ((n + 2) / 3);
    sec_reserve(b, enc);
    EVP_EncodeBlock(b->p + b->len, in, (int)n);
    if (url)
        for (size_t i = b->len; i < b->len + enc; i++)
            b->p[i] = b->p[i] == '+' ? '-' : b->p[i] == '/' ? '_' : b->p[i];
    b->len += enc;
    b->p[b->len] = '\0';
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* ---- HKDF and the info string ------------------------------------------- */

bool derive_hkdf_sha256(const void *ikm, size_t ikmlen, const void *salt, size_t saltlen,
                        const void *info, size_t infolen, unsigned char *okm, size_t okmlen)
{
    if (okmlen == 0 || okmlen > HKDF_MAX)
        return false;
    EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
    EVP_KDF_CTX *ctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
    /* The params only point at the inputs; OpenSSL copies (and on free
     * cleanses) what it keeps. */
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, "SHA256", 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)ikm, ikmlen),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, saltlen),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)info, infolen),
        OSSL_PARAM_construct_end(),
    };
    bool ok = ctx && EVP_KDF_derive(ctx, okm, okmlen, params) == 1;
    EVP_KDF_CTX_free(ctx);
    EVP_KDF_free(kdf);
    if (!ok)
        OPENSSL_cleanse(okm, okmlen);
    return ok;
}

/* The info string of derive.h. Identities are not secret: no cleansing. */
typedef struct Info {
    unsigned char b[DERIVE_INFO_MAX];
    size_t len;
    bool overflow;
} Info;

static void info_put(Info *in, const void *s, size_t n)
{
    if (in->overflow || n > sizeof in->b - in->len) {
        in->overflow = true;
        return;
    }
    memcpy(in->b + in->len, s, n);
    in->len += n;
}

static void info_u32(Info *in, uint32_t v)
{
    unsigned char be[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
                           (unsigned char)(v >> 8), (unsigned char)v};
    info_put(in, be, 4);
}

static void info_field(Info *in, const char *s)
{
    size_t n = strlen(s);
    if (n > UINT32_MAX) {
        in->overflow = true;
        return;
    }
    info_u32(in, (uint32_t)n);
    info_put(in, s, n);
}

static bool info_for(Info *in, const DeriveId *id, const char *kind, char *err, size_t errlen)
{
    if (!id || !id->site || !id->ns || !id->name || !id->key)
        return fail(err, errlen, "a secret's identity lacks its site, namespace, name or key");
    in->len = 0;
    in->overflow = false;
    info_field(in, "value");
    info_field(in, id->site);
    info_field(in, id->ns);
    info_field(in, id->name);
    info_field(in, id->key);
    info_field(in, kind);
    info_u32(in, id->generation);
    /* The names are cut short: a long one would push out the reason. */
    if (in->overflow)
        return fail(err, errlen,
                    "secret %.64s/%.64s key %.64s: its identity is longer than %d bytes", id->ns,
                    id->name, id->key, DERIVE_INFO_MAX);
    return true;
}

static bool expand(const DeriveMaster *m, const Info *in, unsigned char *out, size_t n,
                   char *err, size_t errlen)
{
    if (!derive_hkdf_sha256(m->key, sizeof m->key, SALT, sizeof SALT - 1, in->b, in->len, out, n))
        return fail(err, errlen, "HKDF-SHA256 failed (OpenSSL)");
    return true;
}

/* n bytes for the identity and kind label, in a block to clear_free. */
static unsigned char *derive_bytes(const DeriveMaster *m, const DeriveId *id, const char *kind,
                                   size_t n, char *err, size_t errlen)
{
    Info in;
    if (!info_for(&in, id, kind, err, errlen))
        return NULL;
    unsigned char *out = xmalloc(n);
    if (!expand(m, &in, out, n, err, errlen)) {
        clear_free(out, n);
        return NULL;
    }
    return out;
}

/* ---- the master key ------------------------------------------------------ */

void derive_master_clear(DeriveMaster *m) { OPENSSL_cleanse(m->key, sizeof m->key); }

bool derive_parse_master(DeriveMaster *m, const char *text, size_t len, const char *origin,
                         char *err, size_t errlen)
{
    size_t n = len;
    if (n && text[n - 1] == '\n')
        n--;
    if (n != HEX_KEY_LEN)
        return fail(err, errlen,
                    "%s: a master key is %d hex digits (and a newline), not %zu characters; "
                    "make one with `crownc keygen FILE`",
                    origin, HEX_KEY_LEN, n);
    for (size_t i = 0; i < DERIVE_MASTER_SIZE; i++) {
        int hi = hex_value(text[2 * i]), lo = hex_value(text[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            derive_master_clear(m);
            return fail(err, errlen, "%s: a master key is %d hex digits; found another character",
                        origin, HEX_KEY_LEN);
        }
        m->key[i] = (unsigned char)(hi << 4 | lo);
    }
    return true;
}

bool derive_load_master(DeriveMaster *m, const char *path, char *err, size_t errlen)
{
    char *text = NULL;
    size_t len = 0;
    /* A key file is 64 hex digits and a newline; a longer one is refused
     * unread. */
    if (!private_file_read(path, "master key", HEX_KEY_LEN + 1, true, &text, &len, err,
                           errlen))
        return false;
    bool ok = len == HEX_KEY_LEN || len == HEX_KEY_LEN + 1
                  ? derive_parse_master(m, text, len, path, err, errlen)
                  : fail(err, errlen,
                         "%s: %zu bytes; a master key file holds %d hex digits and a newline",
                         path, len, HEX_KEY_LEN);
    private_file_free(text, len);
    return ok;
}

bool derive_new_master(DeriveMaster *m, char *err, size_t errlen)
{
    if (RAND_bytes(m->key, sizeof m->key) != 1)
        return fail(err, errlen, "the random generator failed (OpenSSL RAND_bytes)");
    return true;
}

void derive_master_text(const DeriveMaster *m, char out[DERIVE_MASTER_SIZE * 2 + 2])
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < DERIVE_MASTER_SIZE; i++) {
        out[2 * i] = digits[m->key[i] >> 4];
        out[2 * i + 1] = digits[m->key[i] & 15];
    }
    out[HEX_KEY_LEN] = '\n';
    out[HEX_KEY_LEN + 1] = '\0';
}

/* Writes text into a new temporary file next to path (mkstemp: O_EXCL,
 * mode 0600) and links it to path. */
static bool publish_key(const char *path, const char *text, char *err, size_t errlen)
{
    size_t n = strlen(path);
    char *tmp = xmalloc(n + sizeof ".tmp-XXXXXX");
    memcpy(tmp, path, n);
    memcpy(tmp + n, ".tmp-XXXXXX", sizeof ".tmp-XXXXXX");
    int fd = mkstemp(tmp);
    if (fd < 0) {
        fail(err, errlen, "%s: cannot create a file next to it: %s", path, strerror(errno));
        free(tmp);
        return false;
    }
    /* mkstemp makes 0600 already; fchmod states it whatever the libc. */
    bool ok = fchmod(fd, S_IRUSR | S_IWUSR) == 0 &&
              private_file_write_all(fd, text, strlen(text)) && fsync(fd) == 0;
    if (!ok)
        fail(err, errlen, "%s: %s", tmp, strerror(errno));
    if (close(fd) != 0 && ok)
        ok = fail(err, errlen, "%s: %s", tmp, strerror(errno));
    if (ok && link(tmp, path) != 0)
        ok = errno == EEXIST
                 ? fail(err, errlen, "%s: already exists; a master key is never overwritten", path)
                 : fail(err, errlen, "%s: %s", path, strerror(errno));
    unlink(tmp);
    free(tmp);
    return ok;
}

bool derive_write_master(const char *path, DeriveMaster *m, char *err, size_t errlen)
{
    struct stat st;
    /* Checked first so that an existing file costs no key; link() below is
     * what makes the refusal race-free. */
    if (lstat(path, &st) == 0)
        return fail(err, errlen, "%s: already exists; a master key is never overwritten", path);
    DeriveMaster k;
    char text[HEX_KEY_LEN + 2];
    if (!derive_new_master(&k, err, errlen))
        return false;
    derive_master_text(&k, text);
    bool ok = publish_key(path, text, err, errlen);
    OPENSSL_cleanse(text, sizeof text);
    if (ok && m)
        *m = k;
    derive_master_clear(&k);
    return ok;
}

/* ---- passwords --------------------------------------------------------- */

static const char ALNUM[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
static const char SYMBOLS[] = "-._~+=";

/* Uniform characters by rejection sampling: a byte b is used only when
 * b < limit, the largest multiple of the alphabet's size k that is at most
 * 256, and then gives alphabet[b % k]; every character has exactly
 * limit / k bytes mapping to it. (b % k over all bytes would favour the
 * first 256 % k characters.) Rejected bytes are skipped, so the number of
 * bytes needed is not known in advance: the sampler starts with 1.5 times
 * the length plus 16 bytes and, if they run out, derives again with twice
 * as many. HKDF output is prefix-stable, so the bytes already used are the
 * same in the longer output and the result does not depend on how many
 * rounds were needed. */
static bool sample(const DeriveMaster *m, const Info *in, const char *alphabet, size_t n,
                   char *out, char *err, size_t errlen)
{
    size_t k = strlen(alphabet), limit = 256 - 256 % k;
    size_t have = n + n / 2 + 16, pos = 0, done = 0;
    if (have > HKDF_MAX)
        have = HKDF_MAX;
    unsigned char *bytes = xmalloc(have);
    bool ok = expand(m, in, bytes, have, err, errlen);
    while (ok && done < n) {
        if (pos == have) {
            size_t more = have * 2 > HKDF_MAX ? HKDF_MAX : have * 2;
            if (more == have) {
                ok = fail(err, errlen, "a password used up %d bytes of HKDF output", HKDF_MAX);
                break;
            }
            clear_free(bytes, have);
            have = more;
            bytes = xmalloc(have);
            ok = expand(m, in, bytes, have, err, errlen);
            continue;
        }
        unsigned char b = bytes[pos++];
        if (b < limit)
            out[done++] = alphabet[b % k];
    }
    out[n] = '\0';
    clear_free(bytes, have);
    return ok;
}

static bool password_labeled(const DeriveMaster *m, const DeriveId *id, const char *kind,
                             size_t length, bool symbols, char **out, char *err, size_t errlen)
{
    char alphabet[sizeof ALNUM + sizeof SYMBOLS];
    snprintf(alphabet, sizeof alphabet, "%s%s", ALNUM, symbols ? SYMBOLS : "");
    Info in;
    if (!info_for(&in, id, kind, err, errlen))
        return false;
    char *s = xmalloc(length + 1);
    if (!sample(m, &in, alphabet, length, s, err, errlen)) {
        clear_free(s, length + 1);
        return false;
    }
    *out = s;
    return true;
}

bool derive_password(const DeriveMaster *m, const DeriveId *id, unsigned length, bool symbols,
                     char **out, char *err, size_t errlen)
{
    if (length == 0)
        length = DERIVE_PASSWORD_DEFAULT;
    if (length < DERIVE_PASSWORD_MIN || length > DERIVE_PASSWORD_MAX)
        return fail(err, errlen, "a password's length is %d to %d characters, not %u",
                    DERIVE_PASSWORD_MIN, DERIVE_PASSWORD_MAX, length);
    char kind[48];
    snprintf(kind, sizeof kind, "password:%u:%s", length, symbols ? "symbols" : "alnum");
    return password_labeled(m, id, kind, length, symbols, out, err, errlen);
}

/* ---- tokens, TSIG keys, cookie secrets ----------------------------------- */

/* n derived bytes under the kind label, encoded into *out. */
static bool encoded(const DeriveMaster *m, const DeriveId *id, const char *kind, size_t n,
                    DeriveEncoding enc, char **out, char *err, size_t errlen)
{
    unsigned char *bytes = derive_bytes(m, id, kind, n, err, errlen);
    if (!bytes)
        return false;
    SecBuf b = {0};
    if (enc == DERIVE_HEX)
        put_hex(&b, bytes, n);
    else
        put_base64(&b, bytes, n, enc == DERIVE_BASE64URL);
    clear_free(bytes, n);
    *out = sec_take(&b);
    return true;
}

bool derive_token(const DeriveMaster *m, const DeriveId *id, unsigned nbytes, DeriveEncoding enc,
                  char **out, char *err, size_t errlen)
{
    if (nbytes == 0)
        nbytes = DERIVE_TOKEN_DEFAULT;
    if (nbytes < DERIVE_TOKEN_MIN || nbytes > DERIVE_TOKEN_MAX)
        return fail(err, errlen, "a token is %d to %d bytes, not %u", DERIVE_TOKEN_MIN,
                    DERIVE_TOKEN_MAX, nbytes);
    char kind[32];
    snprintf(kind, sizeof kind, "token:%u", nbytes);
    return encoded(m, id, kind, nbytes, enc, out, err, errlen);
}

bool derive_tsig(const DeriveMaster *m, const DeriveId *id, const char *algorithm, char **out,
                 char *err, size_t errlen)
{
    /* The key is as long as the hash's output, as tsig-keygen makes it. */
    size_t n;
    if (algorithm && strcmp(algorithm, "hmac-sha256") == 0)
        n = 32;
    else if (algorithm && strcmp(algorithm, "hmac-sha512") == 0)
        n = 64;
    else
        return fail(err, errlen, "TSIG algorithm '%s': use hmac-sha256 or hmac-sha512",
                    algorithm ? algorithm : "");
    char kind[32];
    snprintf(kind, sizeof kind, "tsig:%s", algorithm);
    return encoded(m, id, kind, n, DERIVE_BASE64, out, err, errlen);
}

bool derive_cookie(const DeriveMaster *m, const DeriveId *id, char **out, char *err,
                   size_t errlen)
{
    return encoded(m, id, "cookie", 32, DERIVE_BASE64URL, out, err, errlen);
}

/* ---- SSH Ed25519 keys ---------------------------------------------------- */

static const char SSH_KEYTYPE[] = "ssh-ed25519";

/* The key's public blob: string "ssh-ed25519", string pub. */
static void ssh_public_blob(SecBuf *b, const unsigned char pub[ED25519_SIZE])
{
    sec_string(b, SSH_KEYTYPE, sizeof SSH_KEYTYPE - 1);
    sec_string(b, pub, ED25519_SIZE);
}

static bool ssh_checkint(const unsigned char seed[ED25519_SIZE], uint32_t *out)
{
    static const char label[] = "crownc ssh checkint";
    unsigned char md[32] = {0};
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    bool ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
              EVP_DigestUpdate(ctx, label, sizeof label - 1) == 1 &&
              EVP_DigestUpdate(ctx, seed, ED25519_SIZE) == 1 &&
              EVP_DigestFinal_ex(ctx, md, NULL) == 1;
    EVP_MD_CTX_free(ctx);
    *out = (uint32_t)md[0] << 24 | (uint32_t)md[1] << 16 | (uint32_t)md[2] << 8 | md[3];
    OPENSSL_cleanse(md, sizeof md);
    return ok;
}

/* The private section: two equal check integers, the key (type, public
 * key, seed || public key, comment), then padding 1, 2, 3, ... to a
 * multiple of 8, the block size of cipher "none". */
static void ssh_private_section(SecBuf *b, uint32_t check, const unsigned char seed[ED25519_SIZE],
                                const unsigned char pub[ED25519_SIZE], const char *comment)
{
    unsigned char both[2 * ED25519_SIZE];
    memcpy(both, seed, ED25519_SIZE);
    memcpy(both + ED25519_SIZE, pub, ED25519_SIZE);
    sec_u32(b, check);
    sec_u32(b, check);
    ssh_public_blob(b, pub);
    sec_string(b, both, sizeof both);
    sec_string(b, comment, strlen(comment));
    for (unsigned char pad = 1; b->len % 8; pad++)
        sec_put(b, &pad, 1);
    OPENSSL_cleanse(both, sizeof both);
}

/* The whole "openssh-key-v1" blob of an unencrypted key. */
static void ssh_key_blob(SecBuf *b, uint32_t check, const unsigned char seed[ED25519_SIZE],
                         const unsigned char pub[ED25519_SIZE], const char *comment)
{
    static const char magic[] = "openssh-key-v1"; /* its NUL is part of it */
    SecBuf pubblob = {0}, priv = {0};
    ssh_public_blob(&pubblob, pub);
    ssh_private_section(&priv, check, seed, pub, comment);
    sec_put(b, magic, sizeof magic);
    sec_string(b, "none", 4); /* cipher */
    sec_string(b, "none", 4); /* KDF */
    sec_string(b, "", 0);     /* KDF options */
    sec_u32(b, 1);            /* number of keys */
    sec_string(b, pubblob.p, pubblob.len);
    sec_string(b, priv.p, priv.len);
    sec_free(&pubblob);
    sec_free(&priv);
}

/* PEM armour with 70 base64 characters a line, as ssh-keygen writes. */
static char *ssh_armour(const SecBuf *blob)
{
    SecBuf b64 = {0}, out = {0};
    put_base64(&b64, blob->p, blob->len, false);
    sec_puts(&out, "-----BEGIN OPENSSH PRIVATE KEY-----\n");
    for (size_t i = 0; i < b64.len; i += 70) {
        sec_put(&out, b64.p + i, b64.len - i < 70 ? b64.len - i : 70);
        sec_puts(&out, "\n");
    }
    sec_puts(&out, "-----END OPENSSH PRIVATE KEY-----\n");
    sec_free(&b64);
    return sec_take(&out);
}

static char *ssh_public_line(const unsigned char pub[ED25519_SIZE], const char *comment)
{
    SecBuf blob = {0}, out = {0};
    ssh_public_blob(&blob, pub);
    sec_puts(&out, SSH_KEYTYPE);
    sec_puts(&out, " ");
    put_base64(&out, blob.p, blob.len, false);
    if (*comment) {
        sec_puts(&out, " ");
        sec_puts(&out, comment);
    }
    sec_puts(&out, "\n");
    sec_free(&blob);
    return sec_take(&out);
}

/* The public key of an Ed25519 seed, computed by OpenSSL. */
static bool ed25519_public(const unsigned char seed[ED25519_SIZE], unsigned char pub[ED25519_SIZE])
{
    EVP_PKEY *key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, ED25519_SIZE);
    size_t n = ED25519_SIZE;
    bool ok = key && EVP_PKEY_get_raw_public_key(key, pub, &n) == 1 && n == ED25519_SIZE;
    EVP_PKEY_free(key); /* OpenSSL cleanses the private key it holds */
    return ok;
}

static bool valid_comment(const char *c)
{
    for (; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            return false;
    return true;
}

bool derive_ssh_ed25519(const DeriveMaster *m, const DeriveId *id, const char *comment,
                        DeriveSshKey *out, char *err, size_t errlen)
{
    out->private_key = out->public_key = NULL;
    if (!comment)
        comment = "";
    if (!valid_comment(comment))
        return fail(err, errlen, "an SSH key's comment may not hold control characters");
    unsigned char *seed = derive_bytes(m, id, "ssh-ed25519", ED25519_SIZE, err, errlen);
    if (!seed)
        return false;
    unsigned char pub[ED25519_SIZE];
    uint32_t check = 0;
    bool ok = ed25519_public(seed, pub) && ssh_checkint(seed, &check);
    if (ok) {
        SecBuf blob = {0};
        ssh_key_blob(&blob, check, seed, pub, comment);
        out->private_key = ssh_armour(&blob);
        out->public_key = ssh_public_line(pub, comment);
        sec_free(&blob);
    } else {
        fail(err, errlen, "building an Ed25519 key failed (OpenSSL)");
    }
    clear_free(seed, ED25519_SIZE);
    OPENSSL_cleanse(&check, sizeof check);
    return ok;
}

void derive_ssh_free(DeriveSshKey *k)
{
    derive_free(k->private_key);
    derive_free(k->public_key);
    k->private_key = k->public_key = NULL;
}

/* ---- dockerconfigjson ----------------------------------------------------- */

/* s as a JSON string, quotes included. */
static void put_json_string(SecBuf *b, const char *s)
{
    sec_puts(b, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            char esc[2] = {'\\', (char)c};
            sec_put(b, esc, 2);
        } else if (c < 0x20) {
            char esc[8];
            snprintf(esc, sizeof esc, "\\u%04x", c);
            sec_puts(b, esc);
        } else {
            sec_put(b, &c, 1);
        }
    }
    sec_puts(b, "\"");
}

static void put_dockerconfig(SecBuf *b, const char *host, const char *user, const char *pass)
{
    SecBuf pair = {0};
    sec_puts(&pair, user);
    sec_puts(&pair, ":");
    sec_puts(&pair, pass);
    sec_puts(b, "{\"auths\":{");
    put_json_string(b, host);
    sec_puts(b, ":{\"username\":");
    put_json_string(b, user);
    sec_puts(b, ",\"password\":");
    put_json_string(b, pass);
    sec_puts(b, ",\"auth\":\"");
    put_base64(b, pair.p, pair.len, false);
    sec_puts(b, "\"}}}");
    sec_free(&pair);
}

bool derive_dockerconfigjson(const DeriveMaster *m, const DeriveId *id, const char *host,
                             const char *username, const char *password, char **out, char *err,
                             size_t errlen)
{
    if (!host || !*host || !username || !*username)
        return fail(err, errlen, "a dockerconfigjson needs a registry host and a username");
    /* Basic authentication cannot carry a ':' in the user name. */
    if (strchr(username, ':'))
        return fail(err, errlen, "a registry username may not contain ':'");
    char *derived = NULL;
    if (!password) {
        if (!password_labeled(m, id, "dockerconfigjson:password", 32, false, &derived, err,
                              errlen))
            return false;
        password = derived;
    }
    SecBuf b = {0};
    put_dockerconfig(&b, host, username, password);
    derive_free(derived);
    *out = sec_take(&b);
    return true;
}

/* ---- fingerprints --------------------------------------------------------- */

static bool hmac_sha256(const unsigned char key[32], const char *scope, const void *plain,
                        size_t len, unsigned char md[32])
{
    size_t slen = strlen(scope);
    unsigned char be[4] = {(unsigned char)(slen >> 24), (unsigned char)(slen >> 16),
                           (unsigned char)(slen >> 8), (unsigned char)slen};
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0),
        OSSL_PARAM_construct_end(),
    };
    size_t n = 0;
    bool ok = ctx && slen <= UINT32_MAX && EVP_MAC_init(ctx, key, 32, params) == 1 &&
              EVP_MAC_update(ctx, be, 4) == 1 &&
              EVP_MAC_update(ctx, (const unsigned char *)scope, slen) == 1 &&
              EVP_MAC_update(ctx, plain, len) == 1 && EVP_MAC_final(ctx, md, &n, 32) == 1 &&
              n == 32;
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
    return ok;
}

bool derive_fingerprint(const DeriveMaster *m, const char *scope, const void *plain, size_t len,
                        char out[DERIVE_FINGERPRINT_SIZE], char *err, size_t errlen)
{
    static const char digits[] = "0123456789abcdef";
    Info in = {.len = 0};
    info_field(&in, "fingerprint");
    unsigned char key[32], md[32];
    bool ok = expand(m, &in, key, sizeof key, err, errlen);
    if (ok && !hmac_sha256(key, scope ? scope : "", plain, len, md))
        ok = fail(err, errlen, "HMAC-SHA256 failed (OpenSSL)");
    OPENSSL_cleanse(key, sizeof key);
    if (!ok)
        return false;
    for (size_t i = 0; i < sizeof md; i++) {
        out[2 * i] = digits[md[i] >> 4];
        out[2 * i + 1] = digits[md[i] & 15];
    }
    out[2 * sizeof md] = '\0';
    return true;
}
