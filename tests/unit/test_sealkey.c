/* test_sealkey.c — a site's own Sealed Secrets key pair (sealkey.h): the
 * files and their modes, the certificate's fields, the validity period
 * seen by seal_cert_load, a value sealed to the certificate opening with
 * the key, refusals that leave existing files as they were, no half-done
 * pair (a missing directory, a certificate that cannot be linked), and
 * the key file's permissions.
 *
 * An RSA-4096 key takes about a second to make, so the setup makes one
 * pair for most tests (with the defaults); only the tests of a custom
 * name and of the undo make another. Everything is written in a temporary
 * directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "seal.h"
#include "sealkey.h"
#include "strbuf.h"

/* The tests' clock: 2025-11-24. */
#define NOW INT64_C(1764000000)
#define DAY INT64_C(86400)

static char tmpdir[64];
static char err[512];

static char *tmp_path(const char *name)
{
    static char path[4][160];
    static int next;
    char *p = path[next++ % 4];
    snprintf(p, sizeof path[0], "%s/%s", tmpdir, name);
    return p;
}

/* The whole file, NUL-terminated; NULL if it cannot be read. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    StrBuf b;
    sb_init(&b);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sb_putn(&b, buf, n);
    fclose(f);
    if (len)
        *len = b.len;
    if (!b.data)
        sb_puts(&b, "");
    return sb_take(&b);
}

static void copy_file(const char *from, const char *to, mode_t mode)
{
    size_t n;
    char *text = slurp(from, &n);
    assert_non_null(text);
    unlink(to);
    FILE *f = fopen(to, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, n, f), n);
    fclose(f);
    free(text);
    assert_int_equal(chmod(to, mode), 0);
}

static mode_t mode_of(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_mode & 07777;
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* No temporary file of ours is left in the directory. */
static void assert_no_temporaries(void)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "test $(ls -a '%s' | grep -c '\\.tmp-') -eq 0", tmpdir);
    assert_int_equal(system(cmd), 0);
}

static X509 *read_x509(const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    X509 *x = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    assert_non_null(x);
    return x;
}

static char *KEY, *CERT; /* the setup's pair */

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "%s/sealkey-test.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(tmpdir))
        return -1;
    KEY = strdup(tmp_path("key.pem"));
    CERT = strdup(tmp_path("cert.pem"));
    if (!sealkey_generate(KEY, CERT, NULL, SEALKEY_DEFAULT_DAYS, NOW, err, sizeof err)) {
        fprintf(stderr, "sealkey_generate: %s\n", err);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(KEY);
    free(CERT);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* ---- the files --------------------------------------------------------- */

static void test_files_and_modes(void **state)
{
    (void)state;
    assert_int_equal(mode_of(KEY), 0600);
    assert_int_equal(mode_of(CERT), 0644);
    char *key = slurp(KEY, NULL), *cert = slurp(CERT, NULL);
    assert_non_null(key);
    assert_non_null(cert);
    assert_true(strncmp(key, "-----BEGIN RSA PRIVATE KEY-----\n", 32) == 0);
    assert_non_null(strstr(key, "-----END RSA PRIVATE KEY-----\n"));
    assert_true(strncmp(cert, "-----BEGIN CERTIFICATE-----\n", 28) == 0);
    /* One certificate, nothing after it. */
    const char *end = strstr(cert, "-----END CERTIFICATE-----\n");
    assert_non_null(end);
    assert_string_equal(end, "-----END CERTIFICATE-----\n");
    free(key);
    free(cert);
    assert_no_temporaries();
}

/* The controller's fields (pkg/crypto/keys.go): v3, a positive 128-bit
 * serial, CN as subject and issuer, CA, encipher only, self-signed. */
static void test_certificate_fields(void **state)
{
    (void)state;
    X509 *x = read_x509(CERT);
    assert_int_equal(X509_get_version(x), X509_VERSION_3);
    BIGNUM *serial = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
    assert_non_null(serial);
    assert_false(BN_is_negative(serial));
    assert_false(BN_is_zero(serial));
    assert_true(BN_num_bits(serial) <= 128);
    BN_free(serial);
    char cn[80];
    assert_int_equal(X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, cn,
                                               sizeof cn),
                     (int)strlen(SEALKEY_DEFAULT_CN));
    assert_string_equal(cn, SEALKEY_DEFAULT_CN);
    assert_int_equal(X509_NAME_entry_count(X509_get_subject_name(x)), 1);
    assert_int_equal(X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)), 0);
    /* CA:TRUE, critical */
    int crit = -1;
    BASIC_CONSTRAINTS *bc = X509_get_ext_d2i(x, NID_basic_constraints, &crit, NULL);
    assert_non_null(bc);
    assert_true(bc->ca);
    assert_int_equal(crit, 1);
    BASIC_CONSTRAINTS_free(bc);
    /* keyUsage encipherOnly alone, critical */
    ASN1_BIT_STRING *ku = X509_get_ext_d2i(x, NID_key_usage, &crit, NULL);
    assert_non_null(ku);
    assert_int_equal(crit, 1);
    ASN1_BIT_STRING_free(ku);
    assert_int_equal(X509_get_key_usage(x), KU_ENCIPHER_ONLY);
    assert_non_null(X509_get0_subject_key_id(x));
    /* self-signed with its own key, SHA-256 */
    EVP_PKEY *pub = X509_get0_pubkey(x);
    assert_non_null(pub);
    assert_int_equal(EVP_PKEY_get_bits(pub), SEALKEY_BITS);
    assert_int_equal(X509_verify(x, pub), 1);
    assert_int_equal(X509_get_signature_nid(x), NID_sha256WithRSAEncryption);
    X509_free(x);
}

/* ---- validity ---------------------------------------------------------- */

static void test_validity_period(void **state)
{
    (void)state;
    size_t n;
    char *pem = slurp(CERT, &n);
    assert_non_null(pem);
    SealCert *c = NULL;
    assert_int_equal(seal_cert_load(pem, n, NOW, &c, err, sizeof err), SEAL_OK);
    assert_int_equal(seal_cert_bits(c), SEALKEY_BITS);
    assert_int_equal(seal_cert_not_before(c), NOW);
    int64_t not_after = NOW + (int64_t)SEALKEY_DEFAULT_DAYS * DAY;
    assert_int_equal(seal_cert_not_after(c), not_after);
    seal_cert_free(c);
    c = NULL;
    assert_int_equal(seal_cert_load(pem, n, not_after, &c, err, sizeof err), SEAL_OK);
    seal_cert_free(c);
    c = NULL;
    assert_int_equal(seal_cert_load(pem, n, not_after + 1, &c, err, sizeof err), SEAL_REFUSED);
    assert_non_null(strstr(err, "expired"));
    assert_null(c);
    assert_int_equal(seal_cert_load(pem, n, NOW - 1, &c, err, sizeof err), SEAL_REFUSED);
    assert_null(c);
    free(pem);
}

/* ---- the pair works ---------------------------------------------------- */

static void test_sealed_value_opens(void **state)
{
    (void)state;
    size_t cert_len, key_len;
    char *cert = slurp(CERT, &cert_len), *key = NULL;
    assert_non_null(cert);
    assert_true(sealkey_read_private(KEY, &key, &key_len, err, sizeof err));
    assert_int_equal(key[key_len], '\0');
    assert_true(strncmp(key, "-----BEGIN RSA PRIVATE KEY-----", 31) == 0);
    SealCert *c = NULL;
    SealKey *k = NULL;
    assert_int_equal(seal_cert_load(cert, cert_len, NOW, &c, err, sizeof err), SEAL_OK);
    assert_int_equal(seal_key_load(key, key_len, &k, err, sizeof err), SEAL_OK);
    StrBuf label, blob;
    sb_init(&label);
    sb_init(&blob);
    assert_int_equal(seal_label(SEAL_STRICT, "crown-lab", "grafana-admin", &label, err,
                                sizeof err),
                     SEAL_OK);
    const char *value = "correct horse battery staple";
    assert_int_equal(seal_value(c, label.data, label.len, value, strlen(value), NULL, &blob, err,
                                sizeof err),
                     SEAL_OK);
    SealPlain p = {0};
    assert_int_equal(
        unseal_value(k, label.data, label.len, blob.data, blob.len, &p, err, sizeof err),
        SEAL_OK);
    assert_int_equal(p.len, strlen(value));
    assert_memory_equal(p.data, value, p.len);
    seal_plain_free(&p);
    assert_true(sealkey_pair_matches(cert, cert_len, key, key_len, err, sizeof err));
    sb_free(&label);
    sb_free(&blob);
    seal_key_free(k);
    seal_cert_free(c);
    sealkey_free_pem(key, key_len);
    free(cert);
}

static void test_other_key_does_not_match(void **state)
{
    (void)state;
    EVP_PKEY *other = EVP_RSA_gen(2048);
    assert_non_null(other);
    BIO *bio = BIO_new(BIO_s_mem());
    assert_true(PEM_write_bio_PrivateKey_traditional(bio, other, NULL, NULL, 0, NULL, NULL));
    char *p = NULL;
    long n = BIO_get_mem_data(bio, &p);
    assert_true(n > 0);
    size_t cert_len;
    char *cert = slurp(CERT, &cert_len);
    assert_false(sealkey_pair_matches(cert, cert_len, p, (size_t)n, err, sizeof err));
    assert_non_null(strstr(err, "not one pair"));
    assert_false(sealkey_pair_matches(cert, cert_len, "junk", 4, err, sizeof err));
    assert_false(sealkey_pair_matches("junk", 4, p, (size_t)n, err, sizeof err));
    BIO_free(bio);
    EVP_PKEY_free(other);
    free(cert);
}

/* ---- refusals ---------------------------------------------------------- */

static void test_never_overwrites(void **state)
{
    (void)state;
    size_t key_len, cert_len, n;
    char *key = slurp(KEY, &key_len), *cert = slurp(CERT, &cert_len);
    /* The key exists. */
    char *fresh = tmp_path("fresh.pem");
    assert_false(sealkey_generate(KEY, fresh, NULL, 30, NOW, err, sizeof err));
    assert_non_null(strstr(err, "already exists"));
    assert_non_null(strstr(err, KEY));
    assert_false(exists(fresh));
    /* The certificate exists. */
    assert_false(sealkey_generate(fresh, CERT, NULL, 30, NOW, err, sizeof err));
    assert_non_null(strstr(err, "already exists"));
    assert_non_null(strstr(err, CERT));
    assert_false(exists(fresh));
    /* Both exist, either way round. */
    assert_false(sealkey_generate(KEY, CERT, NULL, 30, NOW, err, sizeof err));
    assert_false(sealkey_generate(CERT, KEY, NULL, 30, NOW, err, sizeof err));
    /* A dangling link counts as existing. */
    char *link = tmp_path("dangling.pem");
    assert_int_equal(symlink("nowhere", link), 0);
    assert_false(sealkey_generate(link, fresh, NULL, 30, NOW, err, sizeof err));
    assert_false(exists(fresh));
    unlink(link);
    /* Byte for byte as they were, with their modes. */
    char *key2 = slurp(KEY, &n);
    assert_int_equal(n, key_len);
    assert_memory_equal(key2, key, n);
    char *cert2 = slurp(CERT, &n);
    assert_int_equal(n, cert_len);
    assert_memory_equal(cert2, cert, n);
    assert_int_equal(mode_of(KEY), 0600);
    assert_int_equal(mode_of(CERT), 0644);
    assert_no_temporaries();
    free(key), free(cert), free(key2), free(cert2);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    char *k = tmp_path("args.key"), *c = tmp_path("args.crt");
    assert_false(sealkey_generate(k, c, NULL, 0, NOW, err, sizeof err));
    assert_false(sealkey_generate(k, c, NULL, SEALKEY_MAX_DAYS + 1, NOW, err, sizeof err));
    assert_false(sealkey_generate(k, c, "", 30, NOW, err, sizeof err));
    assert_false(sealkey_generate(k, c, "a\nb", 30, NOW, err, sizeof err));
    char long_cn[SEALKEY_MAX_CN + 2];
    memset(long_cn, 'a', sizeof long_cn - 1);
    long_cn[sizeof long_cn - 1] = '\0';
    assert_false(sealkey_generate(k, c, long_cn, 30, NOW, err, sizeof err));
    assert_false(sealkey_generate(k, k, NULL, 30, NOW, err, sizeof err));
    assert_non_null(strstr(err, "two files"));
    assert_false(sealkey_generate("", c, NULL, 30, NOW, err, sizeof err));
    assert_false(exists(k));
    assert_false(exists(c));
}

/* A certificate in a missing directory is found before anything is made
 * or written. */
static void test_missing_directory(void **state)
{
    (void)state;
    char *k = tmp_path("lonely.key"), *c = tmp_path("no/such/dir/cert.pem");
    assert_false(sealkey_generate(k, c, NULL, 30, NOW, err, sizeof err));
    assert_non_null(strstr(err, "no/such/dir/cert.pem"));
    assert_false(exists(k));
    assert_false(sealkey_generate(c, k, NULL, 30, NOW, err, sizeof err));
    assert_false(exists(k));
    assert_no_temporaries();
}

/* Two spellings of one path pass every check made before the key, so the
 * key is linked and then the certificate is not: the key file must go
 * again. */
static void test_undo_when_certificate_fails(void **state)
{
    (void)state;
    char *k = tmp_path("same.pem"), *c = tmp_path("./same.pem");
    assert_false(sealkey_generate(k, c, NULL, 30, NOW, err, sizeof err));
    assert_non_null(strstr(err, "already exists"));
    assert_non_null(strstr(err, "removed again"));
    assert_false(exists(k));
    assert_no_temporaries();
}

/* A name and a lifetime of the caller's, and a pair unlike the first. */
static void test_custom_name_and_days(void **state)
{
    (void)state;
    char *k = tmp_path("lab.key"), *c = tmp_path("lab.crt");
    assert_true(sealkey_generate(k, c, "lab.example sealing", 1, NOW, err, sizeof err));
    X509 *x = read_x509(c), *first = read_x509(CERT);
    char cn[80];
    X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, cn, sizeof cn);
    assert_string_equal(cn, "lab.example sealing");
    assert_int_not_equal(ASN1_INTEGER_cmp(X509_get0_serialNumber(x),
                                          X509_get0_serialNumber(first)),
                         0);
    assert_int_not_equal(EVP_PKEY_eq(X509_get0_pubkey(x), X509_get0_pubkey(first)), 1);
    X509_free(x);
    X509_free(first);
    size_t n;
    char *pem = slurp(c, &n);
    SealCert *sc = NULL;
    assert_int_equal(seal_cert_load(pem, n, NOW + DAY, &sc, err, sizeof err), SEAL_OK);
    seal_cert_free(sc);
    sc = NULL;
    assert_int_equal(seal_cert_load(pem, n, NOW + DAY + 1, &sc, err, sizeof err), SEAL_REFUSED);
    free(pem);
    /* The second key is not the first certificate's. */
    char *key = NULL, *cert = slurp(CERT, &n);
    size_t key_len;
    assert_true(sealkey_read_private(k, &key, &key_len, err, sizeof err));
    assert_false(sealkey_pair_matches(cert, n, key, key_len, err, sizeof err));
    sealkey_free_pem(key, key_len);
    free(cert);
}

/* ---- reading the key --------------------------------------------------- */

static void test_key_permissions(void **state)
{
    (void)state;
    char *loose = tmp_path("loose.key");
    char *pem = NULL;
    size_t len = 0;
    copy_file(KEY, loose, 0644);
    assert_false(sealkey_read_private(loose, &pem, &len, err, sizeof err));
    assert_null(pem);
    assert_non_null(strstr(err, "chmod 600"));
    assert_non_null(strstr(err, loose));
    assert_non_null(strstr(err, "0644"));
    copy_file(KEY, loose, 0640);
    assert_false(sealkey_read_private(loose, &pem, &len, err, sizeof err));
    assert_non_null(strstr(err, "chmod 600"));
    copy_file(KEY, loose, 0601);
    assert_false(sealkey_read_private(loose, &pem, &len, err, sizeof err));
    copy_file(KEY, loose, 0400);
    assert_true(sealkey_read_private(loose, &pem, &len, err, sizeof err));
    sealkey_free_pem(pem, len);
    pem = NULL;
    /* not a regular file, missing, not a key */
    assert_false(sealkey_read_private(tmpdir, &pem, &len, err, sizeof err));
    assert_non_null(strstr(err, "not a regular file"));
    char *fifo = tmp_path("fifo.key");
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_false(sealkey_read_private(fifo, &pem, &len, err, sizeof err));
    assert_non_null(strstr(err, "not a regular file"));
    assert_false(sealkey_read_private(tmp_path("missing.key"), &pem, &len, err, sizeof err));
    char *notkey = tmp_path("cert-as-key.pem");
    copy_file(CERT, notkey, 0600);
    assert_false(sealkey_read_private(notkey, &pem, &len, err, sizeof err));
    assert_non_null(strstr(err, notkey));
    assert_null(pem);
}

static void test_read_cert(void **state)
{
    (void)state;
    char *pem = NULL;
    size_t len = 0, n;
    assert_true(sealkey_read_cert(CERT, &pem, &len, err, sizeof err));
    char *want = slurp(CERT, &n);
    assert_int_equal(len, n);
    assert_memory_equal(pem, want, n);
    assert_int_equal(pem[len], '\0');
    sealkey_free_pem(pem, len);
    free(want);
    pem = NULL;
    assert_false(sealkey_read_cert(tmpdir, &pem, &len, err, sizeof err));
    assert_false(sealkey_read_cert(tmp_path("missing.crt"), &pem, &len, err, sizeof err));
    assert_null(pem);
    /* Over 1 MiB: refused unread, as a private key of that size is. */
    char *big = tmp_path("big.crt");
    FILE *f = fopen(big, "w");
    assert_non_null(f);
    assert_int_equal(fseek(f, 1024 * 1024, SEEK_SET), 0);
    assert_int_equal(fputc('\n', f), '\n');
    assert_int_equal(fclose(f), 0);
    assert_false(sealkey_read_cert(big, &pem, &len, err, sizeof err));
    assert_non_null(strstr(err, "1048577 bytes"));
    assert_null(pem);
    assert_int_equal(chmod(big, 0600), 0);
    assert_false(sealkey_read_private(big, &pem, &len, err, sizeof err));
    assert_non_null(strstr(err, "at most 1048576"));
    assert_null(pem);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_files_and_modes),
        cmocka_unit_test(test_certificate_fields),
        cmocka_unit_test(test_validity_period),
        cmocka_unit_test(test_sealed_value_opens),
        cmocka_unit_test(test_other_key_does_not_match),
        cmocka_unit_test(test_never_overwrites),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_missing_directory),
        cmocka_unit_test(test_undo_when_certificate_fails),
        cmocka_unit_test(test_custom_name_and_days),
        cmocka_unit_test(test_key_permissions),
        cmocka_unit_test(test_read_cert),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
