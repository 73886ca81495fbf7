/* sealkey.c — a Sealed Secrets key pair that a site brings itself
 * (sealkey.h): making it, writing it, reading it back.
 *
 * Sections: errors and memory, making the pair, writing the files, reading
 * the files, matching. */
#include "arena.h"
#include "sealkey.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "private_file.h"
#include "seal.h"

/* Key and certificate files are a few kilobytes; seal.c takes at most
 * 1 MiB of PEM too. */
#define MAX_FILE (1024 * 1024)
#define SERIAL_BITS 128

/* ---- errors and memory ------------------------------------------------- */

/* Writes the reason and empties OpenSSL's error queue. */
__attribute__((format(printf, 3, 4))) static bool fail(char *err, size_t errlen,
                                                       const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    ERR_clear_error();
    return false;
}

void sealkey_free_pem(char *pem, size_t len) { private_file_free(pem, len); }

/* Never prompt for a passphrase (see seal.c). */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
    (void)buf, (void)size, (void)rwflag, (void)u;
    return -1;
}

/* The PEM text of k (as PKCS#1) or, when k is NULL, of x, copied out of
 * the memory BIO, NUL-terminated. The BIO's buffer is cleansed after a
 * key was written into it; it grows with BUF_MEM_grow_clean, which
 * cleanses the blocks it leaves. */
static bool pem_text(EVP_PKEY *k, X509 *x, char **out, size_t *len)
{
    BIO *bio = BIO_new(BIO_s_mem());
    if (!bio)
        return false;
    bool ok = k ? PEM_write_bio_PrivateKey_traditional(bio, k, NULL, NULL, 0, NULL, NULL) == 1
                : PEM_write_bio_X509(bio, x) == 1;
    char *p = NULL;
    long n = BIO_get_mem_data(bio, &p);
    ok = ok && n > 0 && p;
    if (ok) {
        *out = xmalloc((size_t)n + 1);
        memcpy(*out, p, (size_t)n);
        (*out)[n] = '\0';
        *len = (size_t)n;
    }
    if (k && n > 0 && p)
        OPENSSL_cleanse(p, (size_t)n);
    BIO_free(bio);
    return ok;
}

/* ---- making the pair --------------------------------------------------- */

static bool check_cn(const char *cn, char *err, size_t errlen)
{
    size_t n = strlen(cn);
    if (n == 0 || n > SEALKEY_MAX_CN)
        return fail(err, errlen, "a common name is 1 to %d characters, not %zu", SEALKEY_MAX_CN,
                    n);
    for (size_t i = 0; i < n; i++)
        if (cn[i] < 0x20 || cn[i] > 0x7e)
            return fail(err, errlen, "the common name may hold printable ASCII characters only");
    return true;
}

static bool add_ext(X509 *x, X509V3_CTX *ctx, int nid, const char *value)
{
    X509_EXTENSION *e = X509V3_EXT_nconf_nid(NULL, ctx, nid, value);
    if (!e)
        return false;
    bool ok = X509_add_ext(x, e, -1) == 1;
    X509_EXTENSION_free(e);
    return ok;
}

/* A random serial in [1, 2^128): upstream draws from [0, 2^128); zero is
 * drawn again, since RFC 5280 wants a positive serial. */
static bool set_serial(X509 *x)
{
    BIGNUM *bn = BN_new();
    bool ok = bn != NULL;
    do
        ok = ok && BN_rand(bn, SERIAL_BITS, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1;
    while (ok && BN_is_zero(bn));
    ok = ok && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) != NULL;
    BN_free(bn);
    return ok;
}

/* The self-signed certificate of k (see sealkey.h for its fields). */
static X509 *make_cert(EVP_PKEY *k, const char *cn, unsigned days, int64_t now)
{
    X509 *x = X509_new();
    if (!x)
        return NULL;
    X509_NAME *name = X509_NAME_new();
    X509V3_CTX ctx;
    bool ok = name && X509_set_version(x, X509_VERSION_3) == 1 && set_serial(x) &&
              ASN1_TIME_set(X509_getm_notBefore(x), (time_t)now) != NULL &&
              ASN1_TIME_adj(X509_getm_notAfter(x), (time_t)now, (int)days, 0) != NULL &&
              X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn,
                                         -1, -1, 0) == 1 &&
              X509_set_subject_name(x, name) == 1 && X509_set_issuer_name(x, name) == 1 &&
              X509_set_pubkey(x, k) == 1;
    if (ok) {
        X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
        ok = add_ext(x, &ctx, NID_basic_constraints, "critical,CA:TRUE") &&
             add_ext(x, &ctx, NID_key_usage, "critical,encipherOnly") &&
             add_ext(x, &ctx, NID_subject_key_identifier, "hash") &&
             X509_sign(x, k, EVP_sha256()) > 0;
    }
    X509_NAME_free(name);
    if (!ok) {
        X509_free(x);
        return NULL;
    }
    return x;
}

/* The key pair as PEM text: PKCS#1 for the key, one block for the
 * certificate. */
static bool make_pair(const char *cn, unsigned days, int64_t now, char **key, size_t *key_len,
                      char **cert, size_t *cert_len, char *err, size_t errlen)
{
    *key = *cert = NULL;
    EVP_PKEY *k = EVP_RSA_gen(SEALKEY_BITS);
    if (!k)
        return fail(err, errlen, "cannot make an RSA-%d key: %s", SEALKEY_BITS,
                    seal_openssl_reason());
    X509 *x = make_cert(k, cn, days, now);
    bool ok = x != NULL;
    if (!ok)
        fail(err, errlen, "cannot make the certificate: %s", seal_openssl_reason());
    if (ok && !pem_text(k, NULL, key, key_len))
        ok = fail(err, errlen, "cannot write the private key as PEM: %s", seal_openssl_reason());
    if (ok && !pem_text(NULL, x, cert, cert_len))
        ok = fail(err, errlen, "cannot write the certificate as PEM: %s", seal_openssl_reason());
    X509_free(x);
    EVP_PKEY_free(k);
    if (!ok) {
        sealkey_free_pem(*key, *key ? *key_len : 0);
        free(*cert);
        *key = *cert = NULL;
        return false;
    }
    ERR_clear_error();
    return true;
}

/* ---- writing the files ------------------------------------------------- */

/* A file being written: a temporary file next to path, linked to path
 * when complete. */
typedef struct Staged {
    const char *path;
    const char *what; /* "private key" or "certificate", for reasons */
    char *tmp;
    int fd;
    dev_t dev;
    ino_t ino;
    bool linked;
} Staged;

/* Creates the temporary file (mkstemp: O_EXCL) with the file's mode. */
static bool stage_open(Staged *s, const char *path, const char *what, mode_t mode, char *err,
                       size_t errlen)
{
    *s = (Staged){.path = path, .what = what, .fd = -1};
    size_t n = strlen(path);
    s->tmp = xmalloc(n + sizeof ".tmp-XXXXXX");
    memcpy(s->tmp, path, n);
    memcpy(s->tmp + n, ".tmp-XXXXXX", sizeof ".tmp-XXXXXX");
    s->fd = mkstemp(s->tmp);
    if (s->fd < 0) {
        fail(err, errlen, "%s: cannot create a file next to it: %s", path, strerror(errno));
        free(s->tmp);
        s->tmp = NULL;
        return false;
    }
    struct stat st;
    /* fchmod states the mode whatever the umask and the libc. */
    if (fchmod(s->fd, mode) != 0 || fstat(s->fd, &st) != 0)
        return fail(err, errlen, "%s: %s", s->tmp, strerror(errno));
    s->dev = st.st_dev;
    s->ino = st.st_ino;
    return true;
}

static bool stage_write(Staged *s, const char *text, size_t len, char *err, size_t errlen)
{
    bool ok = private_file_write_all(s->fd, text, len) && fsync(s->fd) == 0;
    if (!ok)
        fail(err, errlen, "%s: %s", s->tmp, strerror(errno));
    int fd = s->fd;
    s->fd = -1;
    if (close(fd) != 0 && ok)
        ok = fail(err, errlen, "%s: %s", s->tmp, strerror(errno));
    return ok;
}

static bool stage_link(Staged *s, char *err, size_t errlen)
{
    if (link(s->tmp, s->path) != 0)
        return errno == EEXIST
                   ? fail(err, errlen, "%s: already exists; a sealing %s is never overwritten",
                          s->path, s->what)
                   : fail(err, errlen, "%s: %s", s->path, strerror(errno));
    s->linked = true;
    return true;
}

/* Removes the temporary file and, when undo, the linked path too, if it is
 * still the file this run wrote. */
static void stage_close(Staged *s, bool undo)
{
    if (s->fd >= 0)
        close(s->fd);
    if (undo && s->linked) {
        struct stat st;
        if (lstat(s->path, &st) == 0 && st.st_dev == s->dev && st.st_ino == s->ino)
            unlink(s->path);
    }
    if (s->tmp) {
        unlink(s->tmp);
        free(s->tmp);
    }
    *s = (Staged){.fd = -1};
}

static bool refuse_existing(const char *path, const char *what, char *err, size_t errlen)
{
    struct stat st;
    if (lstat(path, &st) == 0)
        return fail(err, errlen, "%s: already exists; a sealing %s is never overwritten", path,
                    what);
    return true;
}

bool sealkey_generate(const char *key_path, const char *cert_path, const char *cn,
                      unsigned days, int64_t now, char *err, size_t errlen)
{
    if (!cn)
        cn = SEALKEY_DEFAULT_CN;
    if (!key_path || !*key_path || !cert_path || !*cert_path)
        return fail(err, errlen, "a key pair needs a key file and a certificate file");
    if (strcmp(key_path, cert_path) == 0)
        return fail(err, errlen, "%s: the private key and the certificate go to two files",
                    key_path);
    if (days < 1 || days > SEALKEY_MAX_DAYS)
        return fail(err, errlen, "a certificate is valid for 1 to %u days, not %u",
                    SEALKEY_MAX_DAYS, days);
    if ((int64_t)(time_t)now != now)
        return fail(err, errlen, "the time %lld is out of range", (long long)now);
    if (!check_cn(cn, err, errlen))
        return false;
    /* Existing files and unwritable directories are found before the key
     * is made (a second or so); link() below is what makes the refusal
     * race-free. */
    if (!refuse_existing(key_path, "private key", err, errlen) ||
        !refuse_existing(cert_path, "certificate", err, errlen))
        return false;
    Staged ks = {.fd = -1}, cs = {.fd = -1};
    bool ok = stage_open(&ks, key_path, "private key", S_IRUSR | S_IWUSR, err, errlen) &&
              stage_open(&cs, cert_path, "certificate", S_IRUSR | S_IWUSR | S_IRGRP | S_IROTH,
                         err, errlen);
    char *key = NULL, *cert = NULL;
    size_t key_len = 0, cert_len = 0;
    ok = ok && make_pair(cn, days, now, &key, &key_len, &cert, &cert_len, err, errlen);
    ok = ok && stage_write(&ks, key, key_len, err, errlen) &&
         stage_write(&cs, cert, cert_len, err, errlen);
    sealkey_free_pem(key, key_len);
    free(cert);
    ok = ok && stage_link(&ks, err, errlen);
    if (ok && !stage_link(&cs, err, errlen)) {
        /* The reason names the certificate; say what was undone. */
        size_t n = err && errlen ? strlen(err) : 0;
        if (n + 1 < errlen)
            snprintf(err + n, errlen - n, " (%s was removed again)", key_path);
        ok = false;
    }
    stage_close(&cs, !ok);
    stage_close(&ks, !ok);
    ERR_clear_error();
    return ok;
}

/* ---- reading the files ------------------------------------------------- */

bool sealkey_read_private(const char *path, char **pem, size_t *len, char *err, size_t errlen)
{
    if (!private_file_read(path, "sealing key", MAX_FILE, true, pem, len, err, errlen))
        return false;
    SealKey *k = NULL;
    char why[256];
    if (seal_key_load(*pem, *len, &k, why, sizeof why) != SEAL_OK) {
        sealkey_free_pem(*pem, *len);
        *pem = NULL;
        *len = 0;
        return fail(err, errlen, "%s: %s", path, why);
    }
    seal_key_free(k);
    return true;
}

bool sealkey_read_cert(const char *path, char **pem, size_t *len, char *err, size_t errlen)
{
    return private_file_read(path, "certificate", MAX_FILE, false, pem, len, err, errlen);
}

/* ---- matching ---------------------------------------------------------- */

bool sealkey_pair_matches(const char *cert_pem, size_t cert_len, const char *key_pem,
                          size_t key_len, char *err, size_t errlen)
{
    if (!cert_pem || !key_pem || cert_len == 0 || key_len == 0 || cert_len > MAX_FILE ||
        key_len > MAX_FILE)
        return fail(err, errlen, "an empty or oversized certificate or key");
    BIO *b = BIO_new_mem_buf(cert_pem, (int)cert_len);
    X509 *x = b ? PEM_read_bio_X509(b, NULL, no_passphrase, NULL) : NULL;
    BIO_free(b);
    b = BIO_new_mem_buf(key_pem, (int)key_len);
    EVP_PKEY *k = b ? PEM_read_bio_PrivateKey(b, NULL, no_passphrase, NULL) : NULL;
    BIO_free(b);
    EVP_PKEY *pub = x ? X509_get0_pubkey(x) : NULL;
    bool ok;
    if (!pub)
        ok = fail(err, errlen, "the certificate cannot be read");
    else if (!k)
        ok = fail(err, errlen, "the private key cannot be read");
    else if (EVP_PKEY_eq(pub, k) != 1)
        ok = fail(err, errlen, "the private key is not the certificate's: they are not one pair");
    else
        ok = true;
    EVP_PKEY_free(k);
    X509_free(x);
    ERR_clear_error();
    return ok;
}
