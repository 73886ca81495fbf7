/* test_seal.c — Sealed Secrets values: round trips in the three scopes,
 * the blob's size and encoding, labels that do not match, certificates
 * refused (expired, not yet valid, not RSA, too small, not PEM), the
 * fingerprint against the openssl command, and blobs that are truncated,
 * altered or not base64. With a fixed random source, sealing is
 * reproducible byte for byte, the session key and the OAEP seed are the
 * source's first and second bytes (checked with an OAEP decoder written
 * here), and the output opens for every scope with 2048- and 4096-bit keys.
 *
 * The key pairs are made here, with OpenSSL, when the tests start: a
 * throwaway RSA-4096 key with a self-signed certificate, and smaller keys
 * for the refusals. Nothing is read from or written to the repository.
 *
 * `test_seal --emit DIR` runs no test: it writes a fresh key pair and a few
 * sealed values into DIR for tests/run.sh to open with the independent
 * decryptor tests/tools/unseal.py (files N.label, N.plain, N.blob, and
 * key.pem, key8.pem, cert.pem). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "seal.h"
#include "strbuf.h"

/* The tests' clock: 2025-11-24. The certificate is valid from 2023-11-14
 * for twenty years. */
#define NOW INT64_C(1764000000)
#define NOT_BEFORE INT64_C(1700000000)
#define NOT_AFTER (NOT_BEFORE + INT64_C(20) * 365 * 86400)

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- key material ------------------------------------------------------ */

static char *bio_text(BIO *bio)
{
    char *p = NULL;
    long n = BIO_get_mem_data(bio, &p);
    assert_true(n > 0);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    memcpy(s, p, (size_t)n);
    s[n] = '\0';
    BIO_free(bio);
    return s;
}

/* A self-signed certificate for k, PEM. The subject says what it is for. */
static char *make_cert(EVP_PKEY *k, int64_t not_before, int64_t not_after)
{
    X509 *x = X509_new();
    assert_non_null(x);
    assert_true(X509_set_version(x, 2));
    assert_true(ASN1_INTEGER_set(X509_get_serialNumber(x), 1));
    assert_non_null(ASN1_TIME_set(X509_getm_notBefore(x), (time_t)not_before));
    assert_non_null(ASN1_TIME_set(X509_getm_notAfter(x), (time_t)not_after));
    X509_NAME *name = X509_get_subject_name(x);
    assert_true(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                           (const unsigned char *)"CrownLabs tests", -1, -1, 0));
    assert_true(X509_NAME_add_entry_by_txt(
        name, "CN", MBSTRING_ASC, (const unsigned char *)"crownc test-only sealing key", -1, -1,
        0));
    assert_true(X509_set_issuer_name(x, name));
    assert_true(X509_set_pubkey(x, k));
    assert_true(X509_sign(x, k, EVP_sha256()) > 0);
    BIO *bio = BIO_new(BIO_s_mem());
    assert_true(PEM_write_bio_X509(bio, x));
    X509_free(x);
    return bio_text(bio);
}

static char *pkcs8_pem(EVP_PKEY *k)
{
    BIO *bio = BIO_new(BIO_s_mem());
    assert_true(PEM_write_bio_PrivateKey(bio, k, NULL, NULL, 0, NULL, NULL));
    return bio_text(bio);
}

/* "RSA PRIVATE KEY": the form the controller keeps in tls.key. */
static char *pkcs1_pem(EVP_PKEY *k)
{
    BIO *bio = BIO_new(BIO_s_mem());
    assert_true(PEM_write_bio_PrivateKey_traditional(bio, k, NULL, NULL, 0, NULL, NULL));
    return bio_text(bio);
}

static char *encrypted_pem(EVP_PKEY *k)
{
    BIO *bio = BIO_new(BIO_s_mem());
    assert_true(PEM_write_bio_PKCS8PrivateKey(bio, k, EVP_aes_256_cbc(), "pw", 2, NULL, NULL));
    return bio_text(bio);
}

static EVP_PKEY *rsa_key(unsigned bits)
{
    EVP_PKEY *k = EVP_RSA_gen(bits);
    assert_non_null(k);
    return k;
}

typedef struct Fixture {
    EVP_PKEY *rsa;        /* 4096 bits: the controller's default */
    char *cert, *pkcs8, *pkcs1;
    SealCert *c;          /* cert, loaded at NOW */
    SealKey *k;           /* pkcs8, loaded */
    EVP_PKEY *small;      /* 1024 bits: refused to seal to, a wrong key to open with */
    char *small_cert, *small_key;
    char *ec_cert;        /* P-256 */
} Fixture;

static SealCert *load_cert(const char *pem, int64_t now)
{
    SealCert *c = NULL;
    char err[256] = "";
    SealStatus st = seal_cert_load(pem, strlen(pem), now, &c, err, sizeof err);
    if (st != SEAL_OK)
        fail_msg("certificate refused: %s", err);
    return c;
}

static SealKey *load_key(const char *pem)
{
    SealKey *k = NULL;
    char err[256] = "";
    if (seal_key_load(pem, strlen(pem), &k, err, sizeof err) != SEAL_OK)
        fail_msg("private key refused: %s", err);
    return k;
}

static int setup(void **state)
{
    Fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->rsa = rsa_key(4096);
    f->cert = make_cert(f->rsa, NOT_BEFORE, NOT_AFTER);
    f->pkcs8 = pkcs8_pem(f->rsa);
    f->pkcs1 = pkcs1_pem(f->rsa);
    f->c = load_cert(f->cert, NOW);
    f->k = load_key(f->pkcs8);
    f->small = rsa_key(1024);
    f->small_cert = make_cert(f->small, NOT_BEFORE, NOT_AFTER);
    f->small_key = pkcs8_pem(f->small);
    EVP_PKEY *ec = EVP_EC_gen("P-256");
    assert_non_null(ec);
    f->ec_cert = make_cert(ec, NOT_BEFORE, NOT_AFTER);
    EVP_PKEY_free(ec);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;
    seal_cert_free(f->c);
    seal_key_free(f->k);
    EVP_PKEY_free(f->rsa);
    EVP_PKEY_free(f->small);
    free(f->cert), free(f->pkcs8), free(f->pkcs1);
    free(f->small_cert), free(f->small_key), free(f->ec_cert);
    free(f);
    return 0;
}

/* ---- helpers ----------------------------------------------------------- */

static char *label_of(SealScope scope, const char *ns, const char *name)
{
    StrBuf b;
    sb_init(&b);
    char err[256] = "";
    if (seal_label(scope, ns, name, &b, err, sizeof err) != SEAL_OK)
        fail_msg("label refused: %s", err);
    sb_putn(&b, "", 0); /* a NUL-terminated string even when empty */
    return sb_take(&b);
}

/* Seals value to c under label; fails the test on any error. */
static char *seal_with(const SealCert *c, const char *label, const void *value, size_t len,
                       const SealRandom *rnd)
{
    StrBuf out;
    sb_init(&out);
    char err[256] = "";
    SealStatus st = seal_value(c, label, strlen(label), value, len, rnd, &out, err, sizeof err);
    if (st != SEAL_OK)
        fail_msg("seal_value: status %d: %s", (int)st, err);
    return sb_take(&out);
}

static SealStatus open_with(const SealKey *k, const char *label, const char *blob, SealPlain *p,
                            char *err, size_t errlen)
{
    return unseal_value(k, label, strlen(label), blob, strlen(blob), p, err, errlen);
}

/* Opens blob and compares it with value[0..len). */
static void assert_opens_to(const SealKey *k, const char *label, const char *blob,
                            const void *value, size_t len)
{
    SealPlain p;
    char err[256] = "";
    SealStatus st = open_with(k, label, blob, &p, err, sizeof err);
    if (st != SEAL_OK)
        fail_msg("unseal_value: status %d: %s", (int)st, err);
    assert_int_equal(p.len, len);
    assert_memory_equal(p.data, value, len);
    assert_int_equal(p.data[len], 0);
    seal_plain_free(&p);
    assert_null(p.data);
}

/* Fails unless opening blob gives want, no value, and a reason with hint. */
static void assert_open_fails(const SealKey *k, const char *label, const char *blob,
                              SealStatus want, const char *hint)
{
    SealPlain p = {(unsigned char *)"x", 1};
    char err[256] = "";
    SealStatus st = open_with(k, label, blob, &p, err, sizeof err);
    if (st != want)
        fail_msg("unseal_value: status %d, expected %d (%s)", (int)st, (int)want, err);
    assert_null(p.data);
    assert_int_equal(p.len, 0);
    assert_int_equal(ERR_peek_error(), 0); /* no stale OpenSSL errors */
    if (!strstr(err, hint))
        fail_msg("reason \"%s\" does not mention \"%s\"", err, hint);
}

static void assert_cert_refused(const char *pem, size_t len, int64_t now, SealStatus want,
                                const char *hint)
{
    SealCert *c = (SealCert *)&c; /* not NULL, to see it reset */
    char err[256] = "";
    SealStatus st = seal_cert_load(pem, len, now, &c, err, sizeof err);
    if (st != want)
        fail_msg("seal_cert_load: status %d, expected %d (%s)", (int)st, (int)want, err);
    assert_null(c);
    assert_int_equal(ERR_peek_error(), 0);
    if (!strstr(err, hint))
        fail_msg("reason \"%s\" does not mention \"%s\"", err, hint);
}

/* Standard base64 of the bytes, via OpenSSL (not the module's encoder). */
static char *b64(const unsigned char *data, size_t len)
{
    char *s = malloc(4 * ((len + 2) / 3) + 1);
    assert_non_null(s);
    EVP_EncodeBlock((unsigned char *)s, data, (int)len);
    return s;
}

/* The decoded blob, with OpenSSL's decoder; *len excludes padding. */
static unsigned char *unb64(const char *s, size_t *len)
{
    size_t n = strlen(s);
    unsigned char *d = malloc(n / 4 * 3 + 1);
    assert_non_null(d);
    int w = EVP_DecodeBlock(d, (const unsigned char *)s, (int)n);
    assert_true(w >= 0);
    size_t pad = (n && s[n - 1] == '=') + (n > 1 && s[n - 2] == '=');
    *len = (size_t)w - pad;
    return d;
}

/* A deterministic "random" source. It lives here, in a test, on purpose:
 * see seal.h — crownc itself has none. */
typedef struct Counter {
    unsigned calls;
    unsigned char seed;
    bool broken;
} Counter;

static bool counter_fill(void *ctx, unsigned char *buf, size_t n)
{
    Counter *c = ctx;
    c->calls++;
    for (size_t i = 0; i < n; i++)
        buf[i] = (unsigned char)(c->seed + i);
    return !c->broken;
}

/* ---- round trips ------------------------------------------------------- */

static void test_labels(void **state)
{
    (void)state;
    char *l = label_of(SEAL_STRICT, "myns", "myname");
    assert_string_equal(l, "myns/myname");
    free(l);
    l = label_of(SEAL_NAMESPACE_WIDE, "myns", "myname");
    assert_string_equal(l, "myns");
    free(l);
    l = label_of(SEAL_CLUSTER_WIDE, NULL, NULL);
    assert_string_equal(l, "");
    free(l);

    StrBuf b;
    sb_init(&b);
    char err[256];
    assert_int_equal(seal_label(SEAL_STRICT, "", "n", &b, err, sizeof err), SEAL_INVALID);
    assert_non_null(strstr(err, "namespace"));
    assert_int_equal(seal_label(SEAL_STRICT, "ns", NULL, &b, err, sizeof err), SEAL_INVALID);
    assert_non_null(strstr(err, "name"));
    assert_int_equal(seal_label(SEAL_NAMESPACE_WIDE, NULL, "n", &b, err, sizeof err),
                     SEAL_INVALID);
    sb_free(&b);
}

/* Each scope's label opens its own blob; the blob is 2 + 512 + n + 16
 * bytes with the RSA part's length up front, in one line of padded
 * standard base64; both private key forms open it. */
static void test_round_trip_scopes(void **state)
{
    Fixture *f = *state;
    SealKey *k1 = load_key(f->pkcs1);
    static const char value[] = "correct horse battery staple";
    const size_t n = sizeof value - 1;
    char *labels[] = {label_of(SEAL_STRICT, "crown-lab", "grafana"),
                      label_of(SEAL_NAMESPACE_WIDE, "crown-lab", NULL),
                      label_of(SEAL_CLUSTER_WIDE, NULL, NULL)};
    for (size_t i = 0; i < N_OF(labels); i++) {
        char *blob = seal_with(f->c, labels[i], value, n, NULL);
        size_t len = strlen(blob);
        assert_int_equal(len % 4, 0);
        assert_int_equal(strspn(blob, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                      "0123456789+/="),
                         len);
        size_t raw_len;
        unsigned char *raw = unb64(blob, &raw_len);
        assert_int_equal(raw_len, 2 + 512 + n + 16);
        assert_int_equal(raw[0] << 8 | raw[1], 512);
        free(raw);
        assert_opens_to(f->k, labels[i], blob, value, n);
        assert_opens_to(k1, labels[i], blob, value, n);
        free(blob);
        free(labels[i]);
    }
    seal_key_free(k1);
}

static void test_empty_and_large_values(void **state)
{
    Fixture *f = *state;
    char *blob = seal_with(f->c, "ns/empty", "", 0, NULL);
    size_t raw_len;
    free(unb64(blob, &raw_len));
    assert_int_equal(raw_len, 2 + 512 + 16);
    assert_opens_to(f->k, "ns/empty", blob, "", 0);
    free(blob);

    size_t n = 64 * 1024;
    unsigned char *big = malloc(n);
    assert_non_null(big);
    for (size_t i = 0; i < n; i++)
        big[i] = (unsigned char)(i * 131 + (i >> 8)); /* every byte value, NULs included */
    blob = seal_with(f->c, "ns/big", big, n, NULL);
    free(unb64(blob, &raw_len));
    assert_int_equal(raw_len, 2 + 512 + n + 16);
    assert_opens_to(f->k, "ns/big", blob, big, n);
    free(blob);
    free(big);
}

static void test_too_large_value(void **state)
{
    Fixture *f = *state;
    size_t n = SEAL_MAX_VALUE + 1;
    char *v = calloc(1, n);
    assert_non_null(v);
    StrBuf out;
    sb_init(&out);
    char err[256];
    assert_int_equal(seal_value(f->c, "", 0, v, n, NULL, &out, err, sizeof err), SEAL_INVALID);
    assert_int_equal(out.len, 0);
    assert_non_null(strstr(err, "1 MiB"));
    sb_free(&out);
    free(v);
}

/* Sealing is randomized: the same value twice gives two texts. */
static void test_each_seal_differs(void **state)
{
    Fixture *f = *state;
    char *a = seal_with(f->c, "ns/n", "same", 4, NULL);
    char *b = seal_with(f->c, "ns/n", "same", 4, NULL);
    assert_string_not_equal(a, b);
    assert_opens_to(f->k, "ns/n", a, "same", 4);
    assert_opens_to(f->k, "ns/n", b, "same", 4);
    free(a);
    free(b);
}

/* Both the session key and the OAEP seed come from the caller's source,
 * two calls per value, so the same bytes give the same text, RSA part
 * included (which is why a fixed source must never leave the tests). */
static void test_random_source(void **state)
{
    Fixture *f = *state;
    Counter ctr = {0, 7, false};
    SealRandom rnd = {counter_fill, &ctr};
    char *a = seal_with(f->c, "ns/n", "value", 5, &rnd);
    char *b = seal_with(f->c, "ns/n", "value", 5, &rnd);
    assert_int_equal(ctr.calls, 4);
    assert_string_equal(a, b);
    assert_opens_to(f->k, "ns/n", a, "value", 5);
    free(a), free(b);

    ctr.broken = true;
    StrBuf out;
    sb_init(&out);
    char err[256];
    assert_int_equal(seal_value(f->c, "", 0, "v", 1, &rnd, &out, err, sizeof err), SEAL_ERROR);
    assert_int_equal(out.len, 0);
    assert_non_null(strstr(err, "random"));
    sb_free(&out);
}

/* A source that gives different, known bytes to its first and second
 * call of each value (the session key, then the OAEP seed): byte j of
 * call i is base[i % 2] + 3j. fail_call (1-based, 0 for never) makes
 * that call fail. */
typedef struct Script {
    unsigned char base[2];
    unsigned calls;
    unsigned fail_call;
} Script;

static bool script_fill(void *ctx, unsigned char *buf, size_t n)
{
    Script *s = ctx;
    unsigned i = s->calls++;
    if (s->fail_call == s->calls)
        return false;
    for (size_t j = 0; j < n; j++)
        buf[j] = (unsigned char)(s->base[i % 2] + 3 * j);
    return true;
}

static void script_bytes(unsigned char base, unsigned char out[32])
{
    for (size_t j = 0; j < 32; j++)
        out[j] = (unsigned char)(base + 3 * j);
}

/* XORs MGF1-SHA-256(seed) into out[0..len): written again here, apart
 * from seal.c, with the one-shot EVP_Digest. */
static void test_mgf1_xor(const unsigned char *seed, size_t seed_len, unsigned char *out,
                          size_t len)
{
    unsigned char *in = malloc(seed_len + 4), md[32];
    assert_non_null(in);
    memcpy(in, seed, seed_len);
    for (uint32_t c = 0; (size_t)c * 32 < len; c++) {
        in[seed_len] = (unsigned char)(c >> 24), in[seed_len + 1] = (unsigned char)(c >> 16);
        in[seed_len + 2] = (unsigned char)(c >> 8), in[seed_len + 3] = (unsigned char)c;
        assert_true(EVP_Digest(in, seed_len + 4, md, NULL, EVP_sha256(), NULL));
        for (size_t j = 0; j < 32 && (size_t)c * 32 + j < len; j++)
            out[(size_t)c * 32 + j] ^= md[j];
    }
    free(in);
}

/* Opens the RSA part of blob with raw RSA and decodes EME-OAEP by hand
 * (RFC 8017 §7.1.2), checking every field: out come the session key and
 * the seed the sealer used. */
static void oaep_open_by_hand(EVP_PKEY *priv, const char *label, const char *blob,
                              unsigned char key[32], unsigned char seed[32])
{
    size_t raw_len, k = (size_t)EVP_PKEY_get_size(priv), n = k;
    unsigned char *raw = unb64(blob, &raw_len), *em = malloc(k);
    assert_non_null(em);
    assert_int_equal(raw[0] << 8 | raw[1], k);
    EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new(priv, NULL);
    assert_non_null(pc);
    assert_true(EVP_PKEY_decrypt_init(pc) > 0);
    assert_true(EVP_PKEY_CTX_set_rsa_padding(pc, RSA_NO_PADDING) > 0);
    assert_true(EVP_PKEY_decrypt(pc, em, &n, raw + 2, k) > 0);
    assert_int_equal(n, k);
    EVP_PKEY_CTX_free(pc);
    unsigned char *db = em + 1 + 32, lhash[32];
    size_t db_len = k - 33;
    assert_int_equal(em[0], 0);
    test_mgf1_xor(db, db_len, em + 1, 32);
    memcpy(seed, em + 1, 32);
    test_mgf1_xor(seed, 32, db, db_len);
    assert_true(EVP_Digest(label, strlen(label), lhash, NULL, EVP_sha256(), NULL));
    assert_memory_equal(db, lhash, 32);
    for (size_t i = 32; i < db_len - 33; i++)
        assert_int_equal(db[i], 0); /* PS */
    assert_int_equal(db[db_len - 33], 1);
    memcpy(key, db + db_len - 32, 32);
    free(em);
    free(raw);
}

/* Fixed bytes give byte-identical text; other bytes give other text; the
 * session key is the source's first call and the OAEP seed its second. */
static void test_fixed_source_reproducible(void **state)
{
    Fixture *f = *state;
    static const char v[] = "s3cr3t value";
    const size_t n = sizeof v - 1, rsa_part = 2 + 512;
    Script s12 = {{1, 2}, 0, 0}, s13 = {{1, 3}, 0, 0}, s42 = {{4, 2}, 0, 0};
    SealRandom r12 = {script_fill, &s12}, r13 = {script_fill, &s13}, r42 = {script_fill, &s42};
    char *a = seal_with(f->c, "ns/n", v, n, &r12);
    char *b = seal_with(f->c, "ns/n", v, n, &r12);
    assert_int_equal(s12.calls, 4);
    assert_string_equal(a, b);
    char *seed_only = seal_with(f->c, "ns/n", v, n, &r13);
    char *key_only = seal_with(f->c, "ns/n", v, n, &r42);
    size_t la, l13, l42;
    unsigned char *ra = unb64(a, &la), *r13b = unb64(seed_only, &l13), *r42b = unb64(key_only, &l42);
    assert_int_equal(la, l13);
    assert_int_equal(la, l42);
    /* Another seed changes the RSA part only; another key changes both. */
    assert_memory_not_equal(ra + 2, r13b + 2, 512);
    assert_memory_equal(ra + rsa_part, r13b + rsa_part, n + 16);
    assert_memory_not_equal(ra + 2, r42b + 2, 512);
    assert_memory_not_equal(ra + rsa_part, r42b + rsa_part, n + 16);
    /* A different label, same bytes: a different RSA part. */
    char *other_label = seal_with(f->c, "ns/m", v, n, &r12);
    assert_string_not_equal(a, other_label);

    unsigned char key[32], seed[32], want[32];
    oaep_open_by_hand(f->rsa, "ns/n", a, key, seed);
    script_bytes(1, want);
    assert_memory_equal(key, want, 32);
    script_bytes(2, want);
    assert_memory_equal(seed, want, 32);
    oaep_open_by_hand(f->rsa, "ns/n", seed_only, key, seed);
    script_bytes(3, want);
    assert_memory_equal(seed, want, 32);

    char *texts[] = {a, b, seed_only, key_only};
    for (size_t i = 0; i < N_OF(texts); i++)
        assert_opens_to(f->k, "ns/n", texts[i], v, n);
    assert_opens_to(f->k, "ns/m", other_label, v, n);
    free(ra), free(r13b), free(r42b);
    free(a), free(b), free(seed_only), free(key_only), free(other_label);
}

/* A source that fails on the OAEP seed fails the seal, with no output. */
static void test_fixed_source_seed_fails(void **state)
{
    Fixture *f = *state;
    Script s = {{1, 2}, 0, 2};
    SealRandom rnd = {script_fill, &s};
    StrBuf out;
    sb_init(&out);
    char err[256];
    assert_int_equal(seal_value(f->c, "", 0, "v", 1, &rnd, &out, err, sizeof err), SEAL_ERROR);
    assert_int_equal(s.calls, 2);
    assert_int_equal(out.len, 0);
    assert_non_null(strstr(err, "OAEP seed"));
    assert_int_equal(ERR_peek_error(), 0);
    sb_free(&out);
}

/* Sealed with fixed bytes to a 2048-bit and a 4096-bit key, in each scope
 * and with a few seeds, values open with unseal_value (both key forms)
 * and do not open under another scope's label. */
static void test_fixed_source_opens(void **state)
{
    Fixture *f = *state;
    EVP_PKEY *rsa2048 = rsa_key(2048);
    char *cert2048 = make_cert(rsa2048, NOT_BEFORE, NOT_AFTER), *pem8 = pkcs8_pem(rsa2048),
         *pem1 = pkcs1_pem(rsa2048);
    struct {
        SealCert *c;
        SealKey *k8, *k1;
        EVP_PKEY *priv;
        size_t k;
    } keys[] = {
        {load_cert(cert2048, NOW), load_key(pem8), load_key(pem1), rsa2048, 256},
        {f->c, f->k, load_key(f->pkcs1), f->rsa, 512},
    };
    char *labels[] = {label_of(SEAL_STRICT, "crown-lab", "grafana"),
                      label_of(SEAL_NAMESPACE_WIDE, "crown-lab", NULL),
                      label_of(SEAL_CLUSTER_WIDE, NULL, NULL)};
    static const char v[] = "admin\0password";
    const size_t n = sizeof v - 1;
    for (size_t ki = 0; ki < N_OF(keys); ki++) {
        assert_int_equal(seal_cert_bits(keys[ki].c), (int)keys[ki].k * 8);
        for (size_t li = 0; li < N_OF(labels); li++) {
            for (unsigned b = 0; b < 4; b++) {
                Script s = {{(unsigned char)(17 * b), (unsigned char)(255 - 29 * b)}, 0, 0};
                SealRandom rnd = {script_fill, &s};
                char *blob = seal_with(keys[ki].c, labels[li], v, n, &rnd);
                size_t raw_len;
                free(unb64(blob, &raw_len));
                assert_int_equal(raw_len, 2 + keys[ki].k + n + 16);
                assert_opens_to(keys[ki].k8, labels[li], blob, v, n);
                assert_opens_to(keys[ki].k1, labels[li], blob, v, n);
                assert_open_fails(keys[ki].k8, labels[(li + 1) % N_OF(labels)], blob,
                                  SEAL_FAILED, "wrong");
                unsigned char key[32], seed[32], want[32];
                oaep_open_by_hand(keys[ki].priv, labels[li], blob, key, seed);
                script_bytes(s.base[1], want);
                assert_memory_equal(seed, want, 32);
                free(blob);
            }
        }
    }
    for (size_t li = 0; li < N_OF(labels); li++)
        free(labels[li]);
    seal_cert_free(keys[0].c);
    seal_key_free(keys[0].k8);
    seal_key_free(keys[0].k1);
    seal_key_free(keys[1].k1);
    free(cert2048), free(pem8), free(pem1);
    EVP_PKEY_free(rsa2048);
}

/* The largest value accepted (SEAL_MAX_VALUE) and an empty one, with
 * fixed bytes: reproducible, the right size, and they open. */
static void test_fixed_source_extremes(void **state)
{
    Fixture *f = *state;
    Script s = {{9, 99}, 0, 0};
    SealRandom rnd = {script_fill, &s};
    size_t n = SEAL_MAX_VALUE;
    unsigned char *big = malloc(n);
    assert_non_null(big);
    for (size_t i = 0; i < n; i++)
        big[i] = (unsigned char)(i * 131 + (i >> 8));
    const size_t lens[] = {0, n};
    for (size_t i = 0; i < N_OF(lens); i++) {
        char *a = seal_with(f->c, "ns/x", big, lens[i], &rnd);
        char *b = seal_with(f->c, "ns/x", big, lens[i], &rnd);
        assert_string_equal(a, b);
        size_t raw_len;
        free(unb64(a, &raw_len));
        assert_int_equal(raw_len, 2 + 512 + lens[i] + 16);
        assert_opens_to(f->k, "ns/x", a, big, lens[i]);
        free(a), free(b);
    }
    free(big);
}

/* ---- opening what does not open ----------------------------------------- */

/* The scope binds the value: any other label fails, in every direction. */
static void test_wrong_label(void **state)
{
    Fixture *f = *state;
    char *blob = seal_with(f->c, "myns/myname", "v", 1, NULL);
    const char *others[] = {"myns/other", "myns", "", "mynsmyname", "myns/myname/"};
    for (size_t i = 0; i < N_OF(others); i++)
        assert_open_fails(f->k, others[i], blob, SEAL_FAILED, "wrong");
    free(blob);
    blob = seal_with(f->c, "", "v", 1, NULL);
    assert_open_fails(f->k, "myns", blob, SEAL_FAILED, "wrong");
    assert_opens_to(f->k, "", blob, "v", 1);
    free(blob);
}

static void test_wrong_key(void **state)
{
    Fixture *f = *state;
    SealKey *small = load_key(f->small_key);
    char *blob = seal_with(f->c, "ns/n", "v", 1, NULL);
    assert_open_fails(small, "ns/n", blob, SEAL_FAILED, "4096-bit");
    free(blob);
    seal_key_free(small);
}

/* Truncated blobs, altered bytes, broken base64. */
static void test_damaged_blobs(void **state)
{
    Fixture *f = *state;
    char *blob = seal_with(f->c, "ns/n", "hello", 5, NULL);
    size_t n;
    unsigned char *raw = unb64(blob, &n);
    assert_int_equal(n, 2 + 512 + 5 + 16);

    const size_t cuts[] = {0, 1, 2, 100, 2 + 512, 2 + 512 + 15};
    for (size_t i = 0; i < N_OF(cuts); i++) {
        char *t = b64(raw, cuts[i]);
        const char *hint = cuts[i] == 0 ? "empty" : cuts[i] < 2 + 16 ? "too short" : "truncated";
        assert_open_fails(f->k, "ns/n", t, SEAL_INVALID, hint);
        free(t);
    }
    /* Short by one value byte: the tag no longer lines up. */
    char *t = b64(raw, n - 1);
    assert_open_fails(f->k, "ns/n", t, SEAL_FAILED, "altered");
    free(t);
    /* One flipped bit in the RSA part, the AES part, the tag. */
    const size_t flips[] = {2 + 7, 2 + 512 + 1, n - 1};
    for (size_t i = 0; i < N_OF(flips); i++) {
        raw[flips[i]] ^= 0x10;
        t = b64(raw, n);
        assert_open_fails(f->k, "ns/n", t, SEAL_FAILED, i == 0 ? "wrong" : "altered");
        free(t);
        raw[flips[i]] ^= 0x10;
    }
    /* A length field that claims a 2048-bit key. */
    raw[0] = 1;
    t = b64(raw, n);
    assert_open_fails(f->k, "ns/n", t, SEAL_FAILED, "2048-bit");
    free(t);
    raw[0] = 2;

    char *bad = strdup(blob);
    assert_non_null(bad);
    bad[10] = '*';
    assert_open_fails(f->k, "ns/n", bad, SEAL_INVALID, "alphabet");
    bad[10] = '=';
    assert_open_fails(f->k, "ns/n", bad, SEAL_INVALID, "'='");
    bad[strlen(bad) - 1] = '\0';
    assert_open_fails(f->k, "ns/n", bad, SEAL_INVALID, "multiple of 4");
    free(bad);
    char *wrapped = malloc(strlen(blob) + 2);
    assert_non_null(wrapped);
    sprintf(wrapped, "%s\n", blob);
    assert_open_fails(f->k, "ns/n", wrapped, SEAL_INVALID, "base64");
    free(wrapped);
    assert_open_fails(f->k, "ns/n", "", SEAL_INVALID, "empty");

    assert_opens_to(f->k, "ns/n", blob, "hello", 5); /* the original still opens */
    free(raw);
    free(blob);
}

static void test_private_keys_refused(void **state)
{
    Fixture *f = *state;
    SealKey *k = NULL;
    char err[256];
    char *enc = encrypted_pem(f->rsa);
    assert_int_equal(seal_key_load(enc, strlen(enc), &k, err, sizeof err), SEAL_INVALID);
    assert_non_null(strstr(err, "encrypted"));
    free(enc);
    assert_int_equal(seal_key_load(f->cert, strlen(f->cert), &k, err, sizeof err),
                     SEAL_INVALID);
    assert_int_equal(seal_key_load("", 0, &k, err, sizeof err), SEAL_INVALID);
    assert_null(k);
}

/* ---- certificates ------------------------------------------------------ */

static void test_validity_period(void **state)
{
    Fixture *f = *state;
    assert_int_equal(seal_cert_not_before(f->c), NOT_BEFORE);
    assert_int_equal(seal_cert_not_after(f->c), NOT_AFTER);
    assert_int_equal(seal_cert_bits(f->c), 4096);
    size_t len = strlen(f->cert);
    /* Both ends are inside the period. */
    seal_cert_free(load_cert(f->cert, NOT_BEFORE));
    seal_cert_free(load_cert(f->cert, NOT_AFTER));
    assert_cert_refused(f->cert, len, NOT_AFTER + 1, SEAL_REFUSED, "expired on 2043-11-09 22:13:20 UTC");
    assert_cert_refused(f->cert, len, NOT_BEFORE - 1, SEAL_REFUSED,
                        "not valid before 2023-11-14 22:13:20 UTC");

    /* After 2049 X.509 switches to GeneralizedTime. */
    const int64_t late = INT64_C(4102444800); /* 2100-01-01 */
    char *pem = make_cert(f->rsa, NOT_BEFORE, late);
    SealCert *c = load_cert(pem, NOW);
    assert_int_equal(seal_cert_not_after(c), late);
    seal_cert_free(c);
    free(pem);
}

/* A certificate that expired years ago or starts in the future, refused
 * at the tests' time. */
static void test_expired_and_future_certificates(void **state)
{
    Fixture *f = *state;
    char *old = make_cert(f->rsa, NOW - 3 * 365 * 86400, NOW - 30 * 86400);
    assert_cert_refused(old, strlen(old), NOW, SEAL_REFUSED, "expired");
    free(old);
    char *future = make_cert(f->rsa, NOW + 86400, NOW + 365 * 86400);
    assert_cert_refused(future, strlen(future), NOW, SEAL_REFUSED, "not valid before");
    free(future);
}

static void test_other_keys_refused(void **state)
{
    Fixture *f = *state;
    assert_cert_refused(f->ec_cert, strlen(f->ec_cert), NOW, SEAL_REFUSED, "EC, not RSA");
    assert_cert_refused(f->small_cert, strlen(f->small_cert), NOW, SEAL_REFUSED, "1024 bits");
}

static void test_not_certificates(void **state)
{
    Fixture *f = *state;
    assert_cert_refused("", 0, NOW, SEAL_INVALID, "empty");
    const char *junk = "not a certificate\n";
    assert_cert_refused(junk, strlen(junk), NOW, SEAL_INVALID, "BEGIN CERTIFICATE");
    /* A private key where the certificate should be. */
    assert_cert_refused(f->pkcs1, strlen(f->pkcs1), NOW, SEAL_INVALID, "no PEM certificate");
    /* Cut in the middle of its base64. */
    assert_cert_refused(f->cert, strlen(f->cert) / 2, NOW, SEAL_INVALID, "certificate");
    /* Damaged inside: a base64 digit changed. */
    char *bad = strdup(f->cert);
    assert_non_null(bad);
    char *p = strchr(bad, '\n') + 40;
    *p = *p == 'A' ? 'B' : 'A';
    SealCert *c = NULL;
    char err[256];
    SealStatus st = seal_cert_load(bad, strlen(bad), NOW, &c, err, sizeof err);
    /* Either the DER no longer parses or it parses into another certificate
     * (whose signature is not checked: sealing trusts the file, not a CA). */
    assert_true(st == SEAL_INVALID || st == SEAL_REFUSED || st == SEAL_OK);
    seal_cert_free(c);
    free(bad);
}

/* `openssl x509 -fingerprint -sha256` as 64 lowercase hex digits, or an
 * empty string when the command is missing. */
static void openssl_fingerprint(const char *pem, char *out, size_t n)
{
    out[0] = '\0';
    char path[] = "/tmp/test_seal.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    assert_non_null(fp);
    fputs(pem, fp);
    fclose(fp);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "openssl x509 -noout -fingerprint -sha256 -in %s 2>/dev/null", path);
    FILE *p = popen(cmd, "r");
    char line[256] = "";
    if (p) {
        if (!fgets(line, sizeof line, p))
            line[0] = '\0';
        pclose(p);
    }
    unlink(path);
    const char *eq = strchr(line, '=');
    size_t w = 0;
    for (const char *s = eq ? eq + 1 : ""; *s && w + 1 < n; s++)
        if (*s != ':' && *s != '\n')
            out[w++] = (char)(*s >= 'A' && *s <= 'F' ? *s - 'A' + 'a' : *s);
    out[w] = '\0';
}

static void test_fingerprint(void **state)
{
    Fixture *f = *state;
    const char *fp = seal_cert_fingerprint(f->c);
    assert_int_equal(strlen(fp), 64);
    assert_int_equal(strspn(fp, "0123456789abcdef"), 64);
    SealCert *again = load_cert(f->cert, NOW + 1000);
    assert_string_equal(seal_cert_fingerprint(again), fp);
    seal_cert_free(again);
    char *other_pem = make_cert(f->rsa, NOT_BEFORE, NOT_AFTER + 1);
    SealCert *other = load_cert(other_pem, NOW);
    assert_string_not_equal(seal_cert_fingerprint(other), fp);
    seal_cert_free(other);
    free(other_pem);

    char cli[128];
    openssl_fingerprint(f->cert, cli, sizeof cli);
    if (!cli[0])
        skip(); /* no openssl command here */
    assert_string_equal(fp, cli);
}

/* Several certificates in one file: the first is the one. */
static void test_first_certificate(void **state)
{
    Fixture *f = *state;
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, f->cert);
    sb_puts(&b, f->ec_cert);
    SealCert *c = load_cert(b.data, NOW);
    assert_string_equal(seal_cert_fingerprint(c), seal_cert_fingerprint(f->c));
    seal_cert_free(c);
    sb_free(&b);
}

/* ---- --emit: blobs for the independent decryptor ------------------------ */

static int write_file(const char *dir, const char *name, const void *data, size_t len)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
        return -1;
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return -1;
    size_t w = len ? fwrite(data, 1, len, fp) : 0;
    return fclose(fp) == 0 && w == len ? 0 : -1;
}

static int emit_case(const char *dir, int i, const SealCert *c, const char *label,
                     const void *value, size_t len, const SealRandom *rnd)
{
    StrBuf out;
    sb_init(&out);
    char err[256], name[32];
    if (seal_value(c, label, strlen(label), value, len, rnd, &out, err, sizeof err) != SEAL_OK) {
        fprintf(stderr, "test_seal --emit: %s\n", err);
        return -1;
    }
    int rc = 0;
    snprintf(name, sizeof name, "%d.label", i);
    rc |= write_file(dir, name, label, strlen(label));
    snprintf(name, sizeof name, "%d.plain", i);
    rc |= write_file(dir, name, value, len);
    snprintf(name, sizeof name, "%d.blob", i);
    rc |= write_file(dir, name, out.data, out.len);
    sb_free(&out);
    return rc;
}

static int emit(const char *dir)
{
    EVP_PKEY *k = EVP_RSA_gen(4096);
    if (!k)
        return 1;
    char *cert = make_cert(k, NOT_BEFORE, NOT_AFTER);
    char *p1 = pkcs1_pem(k), *p8 = pkcs8_pem(k);
    SealCert *c = load_cert(cert, NOW);
    size_t big_len = 64 * 1024;
    unsigned char *big = malloc(big_len), bytes[256];
    for (size_t i = 0; big && i < big_len; i++)
        big[i] = (unsigned char)(i * 131 + (i >> 8));
    for (size_t i = 0; i < sizeof bytes; i++)
        bytes[i] = (unsigned char)i;
    const char *utf8 = "p\xc3\xa4ssw\xc3\xb6rd \xe2\x9c\x93";
    int rc = !big;
    rc |= write_file(dir, "cert.pem", cert, strlen(cert));
    rc |= write_file(dir, "key.pem", p1, strlen(p1));
    rc |= write_file(dir, "key8.pem", p8, strlen(p8));
    rc |= emit_case(dir, 1, c, "crown-lab/grafana-admin", "correct horse", 13, NULL);
    rc |= emit_case(dir, 2, c, "crown-lab", bytes, sizeof bytes, NULL);
    rc |= emit_case(dir, 3, c, "", "", 0, NULL);
    rc |= big ? emit_case(dir, 4, c, "monitoring/big", big, big_len, NULL) : -1;
    rc |= emit_case(dir, 5, c, "kube-system/dns-tsig", utf8, strlen(utf8), NULL);
    /* Fixed bytes: the OAEP encoding done in seal.c, with a known seed. */
    Script s = {{5, 6}, 0, 0};
    SealRandom fixed = {script_fill, &s};
    rc |= emit_case(dir, 6, c, "crown-lab/fixed", "fixed random", 12, &fixed);
    seal_cert_free(c);
    free(big), free(cert), free(p1), free(p8);
    EVP_PKEY_free(k);
    return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--emit") == 0)
        return emit(argv[2]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_labels),
        cmocka_unit_test(test_round_trip_scopes),
        cmocka_unit_test(test_empty_and_large_values),
        cmocka_unit_test(test_too_large_value),
        cmocka_unit_test(test_each_seal_differs),
        cmocka_unit_test(test_random_source),
        cmocka_unit_test(test_fixed_source_reproducible),
        cmocka_unit_test(test_fixed_source_seed_fails),
        cmocka_unit_test(test_fixed_source_opens),
        cmocka_unit_test(test_fixed_source_extremes),
        cmocka_unit_test(test_wrong_label),
        cmocka_unit_test(test_wrong_key),
        cmocka_unit_test(test_damaged_blobs),
        cmocka_unit_test(test_private_keys_refused),
        cmocka_unit_test(test_validity_period),
        cmocka_unit_test(test_expired_and_future_certificates),
        cmocka_unit_test(test_other_keys_refused),
        cmocka_unit_test(test_not_certificates),
        cmocka_unit_test(test_fingerprint),
        cmocka_unit_test(test_first_certificate),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
