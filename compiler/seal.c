/* seal.c — Sealed Secrets values with OpenSSL 3 (see seal.h for the format
 * and the rules on time, randomness and secrets in memory). */
#include "seal.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#define SESSION_KEY_LEN 32 /* AES-256 */
#define NONCE_LEN 12       /* GCM's standard nonce size; always zero here */
#define TAG_LEN 16
#define LEN_FIELD 2 /* uint16_be(len(rsa_ct)) */

/* Certificate and key files are a few kilobytes; the bound only keeps the
 * length within BIO_new_mem_buf's int and refuses absurd input early. */
#define MAX_PEM (1024u * 1024u)

/* Namespaces and names are at most 253 bytes; the bound keeps the label
 * length within OpenSSL's int and refuses nonsense. */
#define MAX_LABEL 1024u

struct SealCert {
    X509 *x509;
    EVP_PKEY *pub; /* owned by x509 */
    int64_t not_before, not_after;
    int bits;
    char fingerprint[SEAL_FINGERPRINT_SIZE];
};

struct SealKey {
    EVP_PKEY *priv;
};

/* ---- errors ------------------------------------------------------------ */

/* Writes the reason and empties OpenSSL's error queue, so that one failed
 * call does not leave stale entries for the next caller to misread. */
__attribute__((format(printf, 4, 5))) static SealStatus fail(char *err, size_t errlen,
                                                             SealStatus st, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    ERR_clear_error();
    return st;
}

const char *seal_openssl_reason(void)
{
    const char *r = ERR_reason_error_string(ERR_peek_last_error());
    return r ? r : "no reason given by OpenSSL";
}

/* ---- time -------------------------------------------------------------- */

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (m 1..12). Computed by hand because timegm is not POSIX and mktime
 * would apply the local time zone. Eras of 400 years make the leap-year
 * rule exact. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;                              /* 0..399 */
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1; /* 0..365, from March */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;      /* 0..146096 */
    return era * 146097 + doe - 719468;
}

static bool asn1_to_epoch(const ASN1_TIME *t, int64_t *out)
{
    struct tm tm;
    if (!t || !ASN1_TIME_to_tm(t, &tm))
        return false;
    int64_t days = days_from_civil((int64_t)tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    *out = days * 86400 + tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
    return true;
}

/* "2035-11-24 16:00:00 UTC", for messages. */
static void format_utc(int64_t t, char *buf, size_t n)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if ((int64_t)tt != t || !gmtime_r(&tt, &tm) || !strftime(buf, n, "%Y-%m-%d %H:%M:%S UTC", &tm))
        snprintf(buf, n, "%lld seconds after the epoch", (long long)t);
}

/* Frees malloc'ed memory that held plaintext. OPENSSL_clear_free would
 * pair with OPENSSL_malloc, not malloc, if OpenSSL's allocator were
 * replaced. */
static void wipe_free(void *p, size_t n)
{
    OPENSSL_cleanse(p, n);
    free(p);
}

/* ---- PEM input --------------------------------------------------------- */

/* Never prompt: a compiler run from CI has no one to type a passphrase,
 * and OpenSSL's default callback would read the terminal. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
    (void)buf, (void)size, (void)rwflag, (void)u;
    return -1;
}

static BIO *pem_bio(const char *pem, size_t len)
{
    if (!pem || len == 0 || len > MAX_PEM)
        return NULL;
    return BIO_new_mem_buf(pem, (int)len);
}

/* Whether s[0..n) contains the NUL-free string w. */
static bool contains(const char *s, size_t n, const char *w)
{
    size_t wn = strlen(w);
    for (size_t i = 0; wn <= n && i <= n - wn; i++)
        if (memcmp(s + i, w, wn) == 0)
            return true;
    return false;
}

static bool no_pem_block(void)
{
    unsigned long e = ERR_peek_last_error();
    return ERR_GET_LIB(e) == ERR_LIB_PEM && ERR_GET_REASON(e) == PEM_R_NO_START_LINE;
}

/* ---- certificates ------------------------------------------------------ */

static SealStatus read_x509(const char *pem, size_t len, X509 **out, char *err, size_t errlen)
{
    if (len > MAX_PEM)
        return fail(err, errlen, SEAL_INVALID, "the certificate file is over 1 MiB");
    BIO *bio = pem_bio(pem, len);
    if (!bio && (!pem || len == 0))
        return fail(err, errlen, SEAL_INVALID, "the certificate file is empty");
    if (!bio)
        return fail(err, errlen, SEAL_ERROR, "cannot read the certificate: %s",
                    seal_openssl_reason());
    *out = PEM_read_bio_X509(bio, NULL, no_passphrase, NULL);
    BIO_free(bio);
    if (*out)
        return SEAL_OK;
    if (no_pem_block())
        return fail(err, errlen, SEAL_INVALID,
                    "no PEM certificate found (no \"-----BEGIN CERTIFICATE-----\" line)");
    return fail(err, errlen, SEAL_INVALID, "the PEM certificate cannot be read: %s",
                seal_openssl_reason());
}

/* Sealed Secrets is RSA-OAEP only; RSA-PSS keys are signature-only. */
static SealStatus check_key_type(SealCert *c, char *err, size_t errlen)
{
    c->pub = X509_get0_pubkey(c->x509);
    if (!c->pub)
        return fail(err, errlen, SEAL_REFUSED,
                    "the certificate's public key is of a type OpenSSL cannot read");
    if (EVP_PKEY_get_base_id(c->pub) != EVP_PKEY_RSA) {
        const char *type = EVP_PKEY_get0_type_name(c->pub);
        return fail(err, errlen, SEAL_REFUSED,
                    "the certificate's public key is %s, not RSA: Sealed Secrets seals to RSA "
                    "keys only",
                    type ? type : "of another type");
    }
    c->bits = EVP_PKEY_get_bits(c->pub);
    if (c->bits < SEAL_MIN_BITS || c->bits > SEAL_MAX_BITS)
        return fail(err, errlen, SEAL_REFUSED,
                    "the certificate's RSA key has %d bits; sealing needs %d to %d", c->bits,
                    SEAL_MIN_BITS, SEAL_MAX_BITS);
    return SEAL_OK;
}

static SealStatus check_validity(SealCert *c, int64_t now, char *err, size_t errlen)
{
    if (!asn1_to_epoch(X509_get0_notBefore(c->x509), &c->not_before) ||
        !asn1_to_epoch(X509_get0_notAfter(c->x509), &c->not_after))
        return fail(err, errlen, SEAL_INVALID, "the certificate's validity dates cannot be read");
    char when[64];
    if (now < c->not_before) {
        format_utc(c->not_before, when, sizeof when);
        return fail(err, errlen, SEAL_REFUSED, "the certificate is not valid before %s", when);
    }
    if (now > c->not_after) {
        format_utc(c->not_after, when, sizeof when);
        return fail(err, errlen, SEAL_REFUSED,
                    "the certificate expired on %s; fetch the controller's current one", when);
    }
    return SEAL_OK;
}

static SealStatus compute_fingerprint(SealCert *c, char *err, size_t errlen)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (!X509_digest(c->x509, EVP_sha256(), md, &n) || n != 32)
        return fail(err, errlen, SEAL_ERROR, "cannot digest the certificate: %s",
                    seal_openssl_reason());
    static const char hex[] = "0123456789abcdef";
    for (unsigned i = 0; i < n; i++) {
        c->fingerprint[2 * i] = hex[md[i] >> 4];
        c->fingerprint[2 * i + 1] = hex[md[i] & 15];
    }
    c->fingerprint[2 * n] = '\0';
    return SEAL_OK;
}

SealStatus seal_cert_load(const char *pem, size_t len, int64_t now, SealCert **out, char *err,
                          size_t errlen)
{
    *out = NULL;
    SealCert *c = calloc(1, sizeof *c);
    if (!c)
        return fail(err, errlen, SEAL_ERROR, "out of memory");
    SealStatus st = read_x509(pem, len, &c->x509, err, errlen);
    if (st == SEAL_OK)
        st = check_key_type(c, err, errlen);
    if (st == SEAL_OK)
        st = check_validity(c, now, err, errlen);
    if (st == SEAL_OK)
        st = compute_fingerprint(c, err, errlen);
    if (st != SEAL_OK) {
        seal_cert_free(c);
        return st;
    }
    *out = c;
    ERR_clear_error();
    return SEAL_OK;
}

void seal_cert_free(SealCert *c)
{
    if (!c)
        return;
    X509_free(c->x509);
    free(c);
}

const char *seal_cert_fingerprint(const SealCert *c) { return c->fingerprint; }
int64_t seal_cert_not_before(const SealCert *c) { return c->not_before; }
int64_t seal_cert_not_after(const SealCert *c) { return c->not_after; }
int seal_cert_bits(const SealCert *c) { return c->bits; }

/* ---- labels ------------------------------------------------------------ */

SealStatus seal_label(SealScope scope, const char *ns, const char *name, StrBuf *label,
                      char *err, size_t errlen)
{
    sb_reset(label);
    if (scope == SEAL_CLUSTER_WIDE)
        return SEAL_OK;
    if (!ns || !*ns)
        return fail(err, errlen, SEAL_INVALID,
                    "a secret sealed for one namespace must declare that namespace");
    if (scope == SEAL_NAMESPACE_WIDE) {
        sb_puts(label, ns);
        return SEAL_OK;
    }
    if (scope != SEAL_STRICT)
        return fail(err, errlen, SEAL_INVALID, "unknown sealing scope %d", (int)scope);
    if (!name || !*name)
        return fail(err, errlen, SEAL_INVALID, "a strictly scoped secret must have a name");
    sb_printf(label, "%s/%s", ns, name);
    return SEAL_OK;
}

/* ---- RSA-OAEP ---------------------------------------------------------- */

/* Sealing does the EME-OAEP encoding itself (RFC 8017 §7.1.1) and has
 * OpenSSL apply only the raw RSA operation, so that the seed comes from
 * the caller's SealRandom. Opening keeps OpenSSL's own OAEP decoding,
 * which is what shows the encoder right. */
#define HASH_LEN 32                  /* SHA-256, for OAEP and for MGF1 */
#define MAX_RSA_LEN (SEAL_MAX_BITS / 8)

/* XORs MGF1-SHA-256(seed[0..seed_len)) into out[0..len). The mask never
 * exists whole: each block is wiped once applied. */
static bool mgf1_xor(const unsigned char *seed, size_t seed_len, unsigned char *out, size_t len)
{
    EVP_MD_CTX *mc = EVP_MD_CTX_new();
    unsigned char block[HASH_LEN];
    bool ok = mc != NULL;
    for (uint32_t i = 0; ok && (size_t)i * HASH_LEN < len; i++) {
        unsigned char ctr[4] = {(unsigned char)(i >> 24), (unsigned char)(i >> 16),
                                (unsigned char)(i >> 8), (unsigned char)i};
        unsigned int n = 0;
        ok = EVP_DigestInit_ex(mc, EVP_sha256(), NULL) && EVP_DigestUpdate(mc, seed, seed_len) &&
             EVP_DigestUpdate(mc, ctr, sizeof ctr) && EVP_DigestFinal_ex(mc, block, &n) &&
             n == HASH_LEN;
        size_t off = (size_t)i * HASH_LEN;
        for (size_t j = 0; ok && j < HASH_LEN && off + j < len; j++)
            out[off + j] ^= block[j];
    }
    OPENSSL_cleanse(block, sizeof block);
    EVP_MD_CTX_free(mc);
    return ok;
}

/* EM = 0x00 || maskedSeed || maskedDB, k bytes, for the message
 * m[0..m_len) under the label. DB = lHash || PS || 0x01 || M is built in
 * place in EM and masked there, so EM is the only buffer to wipe; the
 * caller wipes it. */
static bool oaep_encode(const void *label, size_t label_len, const unsigned char *m,
                        size_t m_len, const unsigned char seed[HASH_LEN], unsigned char *em,
                        size_t k)
{
    if (k < 2 * HASH_LEN + 2 || m_len > k - 2 * HASH_LEN - 2)
        return false; /* the message does not fit the modulus */
    unsigned char *mseed = em + 1, *db = em + 1 + HASH_LEN;
    size_t db_len = k - HASH_LEN - 1;
    memset(em, 0, k);
    unsigned int n = 0;
    if (!EVP_Digest(label_len ? label : "", label_len, db, &n, EVP_sha256(), NULL) ||
        n != HASH_LEN)
        return false;
    db[db_len - m_len - 1] = 0x01; /* PS, the zeros before it, is already there */
    memcpy(db + db_len - m_len, m, m_len);
    memcpy(mseed, seed, HASH_LEN);
    return mgf1_xor(mseed, HASH_LEN, db, db_len) && mgf1_xor(db, db_len, mseed, HASH_LEN);
}

/* RSAEP on em[0..k), which is below the modulus because it starts with a
 * zero byte; out receives exactly k bytes. */
static bool rsa_raw_encrypt(EVP_PKEY *pub, const unsigned char *em, size_t k, unsigned char *out)
{
    EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new(pub, NULL);
    size_t n = k;
    bool ok = pc && EVP_PKEY_encrypt_init(pc) > 0 &&
              EVP_PKEY_CTX_set_rsa_padding(pc, RSA_NO_PADDING) > 0 &&
              EVP_PKEY_encrypt(pc, out, &n, em, k) > 0 && n == k;
    EVP_PKEY_CTX_free(pc);
    return ok;
}

/* Encrypts the session key into out (room for exactly rsa_len bytes),
 * with an OAEP seed drawn from r after the session key. */
static SealStatus wrap_key(EVP_PKEY *pub, const void *label, size_t label_len,
                           const unsigned char key[SESSION_KEY_LEN], const SealRandom *r,
                           unsigned char *out, size_t rsa_len, char *err, size_t errlen)
{
    unsigned char seed[HASH_LEN], em[MAX_RSA_LEN];
    SealStatus st = SEAL_OK;
    if (rsa_len > sizeof em)
        st = fail(err, errlen, SEAL_ERROR, "the RSA key is over %d bits", SEAL_MAX_BITS);
    else if (!r->fill(r->ctx, seed, sizeof seed))
        st = fail(err, errlen, SEAL_ERROR, "the random source failed to give an OAEP seed");
    else if (!oaep_encode(label, label_len, key, SESSION_KEY_LEN, seed, em, rsa_len))
        st = fail(err, errlen, SEAL_ERROR, "OAEP encoding failed: %s", seal_openssl_reason());
    else if (!rsa_raw_encrypt(pub, em, rsa_len, out))
        st = fail(err, errlen, SEAL_ERROR, "RSA encryption failed: %s", seal_openssl_reason());
    OPENSSL_cleanse(seed, sizeof seed);
    OPENSSL_cleanse(em, sizeof em);
    return st;
}

/* An RSA context set up to decrypt OAEP with SHA-256 as hash and MGF1
 * hash (set both: OpenSSL's MGF1 default follows the hash today, but the
 * format fixes both) and the label, if any. An empty label is left unset,
 * which OAEP treats as the empty string, as the controller does. */
static EVP_PKEY_CTX *oaep_ctx(EVP_PKEY *pkey, const void *label, size_t label_len)
{
    EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new(pkey, NULL);
    if (!pc)
        return NULL;
    int ok = EVP_PKEY_decrypt_init(pc) > 0 &&
             EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_OAEP_PADDING) > 0 &&
             EVP_PKEY_CTX_set_rsa_oaep_md(pc, EVP_sha256()) > 0 &&
             EVP_PKEY_CTX_set_rsa_mgf1_md(pc, EVP_sha256()) > 0;
    if (ok && label_len) {
        /* set0 hands the copy to OpenSSL only when it succeeds. */
        void *copy = OPENSSL_memdup(label, label_len);
        ok = copy && EVP_PKEY_CTX_set0_rsa_oaep_label(pc, copy, (int)label_len) > 0;
        if (!ok)
            OPENSSL_free(copy);
    }
    if (!ok) {
        EVP_PKEY_CTX_free(pc);
        return NULL;
    }
    return pc;
}

/* Decrypts rsa_ct[0..rsa_len) into key. False for any failure: OAEP's
 * checks cannot tell a wrong key from a wrong label, by design. */
static bool unwrap_key(EVP_PKEY *priv, const void *label, size_t label_len,
                       const unsigned char *rsa_ct, size_t rsa_len,
                       unsigned char key[SESSION_KEY_LEN])
{
    EVP_PKEY_CTX *pc = oaep_ctx(priv, label, label_len);
    unsigned char *buf = pc ? OPENSSL_malloc(rsa_len) : NULL;
    size_t n = rsa_len;
    bool ok = buf && EVP_PKEY_decrypt(pc, buf, &n, rsa_ct, rsa_len) > 0 && n == SESSION_KEY_LEN;
    if (ok)
        memcpy(key, buf, SESSION_KEY_LEN);
    OPENSSL_clear_free(buf, rsa_len);
    EVP_PKEY_CTX_free(pc);
    return ok;
}

/* ---- AES-256-GCM ------------------------------------------------------- */

/* A GCM context keyed with key and the zero nonce. */
static EVP_CIPHER_CTX *gcm_ctx(bool encrypt, const unsigned char key[SESSION_KEY_LEN])
{
    static const unsigned char zero_nonce[NONCE_LEN];
    EVP_CIPHER_CTX *cc = EVP_CIPHER_CTX_new();
    if (!cc)
        return NULL;
    int ok = EVP_CipherInit_ex(cc, EVP_aes_256_gcm(), NULL, NULL, NULL, encrypt) &&
             EVP_CIPHER_CTX_ctrl(cc, EVP_CTRL_GCM_SET_IVLEN, NONCE_LEN, NULL) &&
             EVP_CipherInit_ex(cc, NULL, NULL, key, zero_nonce, encrypt);
    if (!ok) {
        EVP_CIPHER_CTX_free(cc);
        return NULL;
    }
    return cc;
}

/* out receives len bytes of ciphertext and then the tag. */
static bool gcm_seal(const unsigned char key[SESSION_KEY_LEN], const unsigned char *pt,
                     size_t len, unsigned char *out)
{
    EVP_CIPHER_CTX *cc = gcm_ctx(true, key);
    int n = 0, f = 0;
    bool ok = cc && (len == 0 || EVP_EncryptUpdate(cc, out, &n, pt, (int)len)) &&
              EVP_EncryptFinal_ex(cc, out + n, &f) && (size_t)n + (size_t)f == len &&
              EVP_CIPHER_CTX_ctrl(cc, EVP_CTRL_GCM_GET_TAG, TAG_LEN, out + len);
    EVP_CIPHER_CTX_free(cc);
    return ok;
}

/* Decrypts ct[0..len) into out and checks the tag that follows it. The
 * caller wipes out on failure: its bytes are unauthenticated. */
static bool gcm_open(const unsigned char key[SESSION_KEY_LEN], const unsigned char *ct,
                     size_t len, unsigned char *out)
{
    EVP_CIPHER_CTX *cc = gcm_ctx(false, key);
    unsigned char tag[TAG_LEN];
    memcpy(tag, ct + len, TAG_LEN); /* the ctrl takes a non-const pointer */
    int n = 0, f = 0;
    bool ok = cc && (len == 0 || EVP_DecryptUpdate(cc, out, &n, ct, (int)len)) &&
              EVP_CIPHER_CTX_ctrl(cc, EVP_CTRL_GCM_SET_TAG, TAG_LEN, tag) &&
              EVP_DecryptFinal_ex(cc, out + n, &f) > 0 && (size_t)n + (size_t)f == len;
    EVP_CIPHER_CTX_free(cc);
    return ok;
}

/* ---- base64 ------------------------------------------------------------ */

/* Standard alphabet, padded, one line: EVP_EncodeBlock is exactly that
 * (unlike the BIO filter, which wraps lines). */
static bool b64_append(const unsigned char *data, size_t len, StrBuf *out)
{
    size_t n = 4 * ((len + 2) / 3);
    if (len > (size_t)INT_MAX / 2)
        return false;
    char *text = malloc(n + 1);
    if (!text)
        return false;
    int w = EVP_EncodeBlock((unsigned char *)text, data, (int)len);
    bool ok = w >= 0 && (size_t)w == n;
    if (ok)
        sb_putn(out, text, n);
    free(text);
    return ok;
}

static int b64_digit(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* Decodes padded standard base64 with no whitespace. OpenSSL's decoders
 * are either lax (skipping what they do not understand) or return the
 * padding as zero bytes, so the few lines are written here. Returns a
 * reason, or NULL with *out (malloc'ed) and *outlen set. */
static const char *b64_decode(const char *s, size_t n, unsigned char **out, size_t *outlen)
{
    if (n == 0)
        return "the sealed value is empty";
    if (n % 4)
        return "the sealed value is not base64: its length is not a multiple of 4";
    size_t pad = (s[n - 1] == '=') + (s[n - 1] == '=' && s[n - 2] == '=');
    unsigned char *buf = malloc(n / 4 * 3);
    if (!buf)
        return "out of memory";
    size_t w = 0;
    for (size_t i = 0; i < n; i += 4) {
        bool last = i + 4 == n;
        uint32_t v = 0;
        for (size_t j = 0; j < 4; j++) {
            int d = last && j >= 4 - pad ? 0 : b64_digit((unsigned char)s[i + j]);
            if (d < 0) {
                free(buf);
                return s[i + j] == '='
                           ? "the sealed value is not base64: '=' before its end"
                           : "the sealed value is not base64: a character outside the alphabet";
            }
            v = v << 6 | (uint32_t)d;
        }
        size_t keep = last ? 3 - pad : 3;
        for (size_t j = 0; j < keep; j++)
            buf[w++] = (unsigned char)(v >> (16 - 8 * j));
    }
    *out = buf;
    *outlen = w;
    return NULL;
}

/* ---- sealing ----------------------------------------------------------- */

static bool system_random(void *ctx, unsigned char *buf, size_t n)
{
    (void)ctx;
    return n <= INT_MAX && RAND_bytes(buf, (int)n) == 1;
}

/* Builds the binary blob into a fresh buffer of *total bytes. The random
 * source gives the session key first, then (in wrap_key) the OAEP seed.
 * The session key is wiped here on every path. */
static SealStatus build_blob(const SealCert *c, const void *label, size_t label_len,
                             const unsigned char *pt, size_t len, const SealRandom *rnd,
                             unsigned char **blob, size_t *total, char *err, size_t errlen)
{
    SealRandom sys = {system_random, NULL};
    const SealRandom *r = rnd && rnd->fill ? rnd : &sys;
    size_t rsa_len = (size_t)EVP_PKEY_get_size(c->pub);
    *total = LEN_FIELD + rsa_len + len + TAG_LEN;
    *blob = malloc(*total);
    unsigned char key[SESSION_KEY_LEN];
    SealStatus st = SEAL_OK;
    if (!*blob)
        st = fail(err, errlen, SEAL_ERROR, "out of memory");
    else if (!r->fill(r->ctx, key, sizeof key))
        st = fail(err, errlen, SEAL_ERROR, "the random source failed to give a session key");
    else
        st = wrap_key(c->pub, label, label_len, key, r, *blob + LEN_FIELD, rsa_len, err, errlen);
    if (st == SEAL_OK && !gcm_seal(key, pt, len, *blob + LEN_FIELD + rsa_len))
        st = fail(err, errlen, SEAL_ERROR, "AES-GCM encryption failed: %s", seal_openssl_reason());
    OPENSSL_cleanse(key, sizeof key);
    if (st != SEAL_OK) {
        free(*blob);
        *blob = NULL;
        return st;
    }
    (*blob)[0] = (unsigned char)(rsa_len >> 8);
    (*blob)[1] = (unsigned char)(rsa_len & 0xff);
    return SEAL_OK;
}

SealStatus seal_value(const SealCert *c, const void *label, size_t label_len, const void *value,
                      size_t len, const SealRandom *rnd, StrBuf *out, char *err, size_t errlen)
{
    if (!c || !out || (!label && label_len) || (!value && len))
        return fail(err, errlen, SEAL_INVALID, "seal_value: missing argument");
    if (len > SEAL_MAX_VALUE)
        return fail(err, errlen, SEAL_INVALID,
                    "the value is %zu bytes; a Secret holds at most 1 MiB", len);
    if (label_len > MAX_LABEL)
        return fail(err, errlen, SEAL_INVALID, "the sealing label is %zu bytes long", label_len);
    unsigned char *blob;
    size_t total;
    SealStatus st = build_blob(c, label, label_len, value, len, rnd, &blob, &total, err, errlen);
    if (st != SEAL_OK)
        return st;
    bool ok = b64_append(blob, total, out);
    free(blob);
    if (!ok)
        return fail(err, errlen, SEAL_ERROR, "cannot encode the sealed value");
    ERR_clear_error();
    return SEAL_OK;
}

/* ---- private keys and opening ------------------------------------------ */

SealStatus seal_key_load(const char *pem, size_t len, SealKey **out, char *err, size_t errlen)
{
    *out = NULL;
    if (len > MAX_PEM)
        return fail(err, errlen, SEAL_INVALID, "the private key file is over 1 MiB");
    /* Both markers hold spaces or punctuation, so base64 cannot fake them. */
    if (pem && (contains(pem, len, "BEGIN ENCRYPTED PRIVATE KEY") ||
                contains(pem, len, "Proc-Type: 4,ENCRYPTED")))
        return fail(err, errlen, SEAL_INVALID,
                    "the private key is encrypted; crownc needs it in clear (PKCS#1 or PKCS#8)");
    BIO *bio = pem_bio(pem, len);
    if (!bio)
        return fail(err, errlen, SEAL_INVALID, "the private key file is empty");
    EVP_PKEY *k = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL);
    BIO_free(bio);
    if (!k)
        return fail(err, errlen, SEAL_INVALID, "%s",
                    no_pem_block() ? "no PEM private key found"
                                   : "the PEM private key cannot be read");
    if (EVP_PKEY_get_base_id(k) != EVP_PKEY_RSA) {
        EVP_PKEY_free(k);
        return fail(err, errlen, SEAL_INVALID, "the private key is not an RSA key");
    }
    SealKey *key = malloc(sizeof *key);
    if (!key) {
        EVP_PKEY_free(k);
        return fail(err, errlen, SEAL_ERROR, "out of memory");
    }
    key->priv = k;
    *out = key;
    ERR_clear_error();
    return SEAL_OK;
}

void seal_key_free(SealKey *k)
{
    if (!k)
        return;
    EVP_PKEY_free(k->priv);
    free(k);
}

/* Checks the blob's layout against the key: the length field, then room
 * for the RSA part and a tag. */
static SealStatus check_layout(const SealKey *k, const unsigned char *blob, size_t n,
                               size_t *rsa_len, char *err, size_t errlen)
{
    if (n < LEN_FIELD + TAG_LEN)
        return fail(err, errlen, SEAL_INVALID, "the sealed value is too short (%zu bytes)", n);
    *rsa_len = (size_t)blob[0] << 8 | blob[1];
    if (n < LEN_FIELD + *rsa_len + TAG_LEN)
        return fail(err, errlen, SEAL_INVALID,
                    "the sealed value is truncated: %zu bytes, its length field needs at least %zu",
                    n, LEN_FIELD + *rsa_len + TAG_LEN);
    size_t key_len = (size_t)EVP_PKEY_get_size(k->priv);
    if (*rsa_len != key_len)
        return fail(err, errlen, SEAL_FAILED,
                    "the value was sealed to a %zu-bit key; this key has %zu bits", *rsa_len * 8,
                    key_len * 8);
    return SEAL_OK;
}

/* Opens a decoded blob into *out. */
static SealStatus open_blob(const SealKey *k, const void *label, size_t label_len,
                            const unsigned char *blob, size_t n, SealPlain *out, char *err,
                            size_t errlen)
{
    size_t rsa_len = 0;
    SealStatus st = check_layout(k, blob, n, &rsa_len, err, errlen);
    if (st != SEAL_OK)
        return st;
    size_t len = n - LEN_FIELD - rsa_len - TAG_LEN;
    unsigned char key[SESSION_KEY_LEN];
    if (!unwrap_key(k->priv, label, label_len, blob + LEN_FIELD, rsa_len, key)) {
        OPENSSL_cleanse(key, sizeof key);
        return fail(err, errlen, SEAL_FAILED,
                    "the session key does not decrypt: wrong private key, or wrong scope, "
                    "namespace or name");
    }
    unsigned char *pt = malloc(len + 1);
    bool ok = pt && gcm_open(key, blob + LEN_FIELD + rsa_len, len, pt);
    OPENSSL_cleanse(key, sizeof key);
    if (!pt)
        return fail(err, errlen, SEAL_ERROR, "out of memory");
    if (!ok) {
        wipe_free(pt, len + 1);
        return fail(err, errlen, SEAL_FAILED,
                    "the value does not authenticate: its ciphertext was altered");
    }
    pt[len] = '\0';
    out->data = pt;
    out->len = len;
    return SEAL_OK;
}

SealStatus unseal_value(const SealKey *k, const void *label, size_t label_len, const char *text,
                        size_t len, SealPlain *out, char *err, size_t errlen)
{
    out->data = NULL;
    out->len = 0;
    if (!k || (!label && label_len) || (!text && len))
        return fail(err, errlen, SEAL_INVALID, "unseal_value: missing argument");
    if (label_len > MAX_LABEL)
        return fail(err, errlen, SEAL_INVALID, "the sealing label is %zu bytes long", label_len);
    /* The longest blob: a 16384-bit key's part, a 1 MiB value, a tag. */
    size_t max_blob = LEN_FIELD + SEAL_MAX_BITS / 8 + SEAL_MAX_VALUE + TAG_LEN;
    if (len > 4 * ((max_blob + 2) / 3))
        return fail(err, errlen, SEAL_INVALID, "the sealed value is %zu bytes, too long", len);
    unsigned char *blob = NULL;
    size_t n = 0;
    const char *why = b64_decode(text, len, &blob, &n);
    if (why)
        return fail(err, errlen, SEAL_INVALID, "%s", why);
    SealStatus st = open_blob(k, label, label_len, blob, n, out, err, errlen);
    free(blob);
    ERR_clear_error();
    return st;
}

void seal_plain_free(SealPlain *p)
{
    if (!p)
        return;
    if (p->data)
        wipe_free(p->data, p->len + 1);
    p->data = NULL;
    p->len = 0;
}
