/* test_derive.c — secret values derived from the master key: HKDF against
 * RFC 5869's first test case; pinned values of every kind for a fixed
 * master key (a change to any of them breaks every deployed secret, so it
 * must be deliberate); distinct identities giving distinct values; the
 * password alphabet and length; TSIG and cookie sizes; the SSH key's
 * OpenSSH blob, and ssh-keygen deriving the same public key from it; key
 * files (mode, size, content, no overwrite); fingerprints.
 *
 * The pinned values were computed once by a separate implementation of
 * the layout documented in derive.h (HKDF from HMAC-SHA256, Ed25519 from
 * another library) and agree with this one. */
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
#include <openssl/evp.h>

#include "derive.h"

/* Bytes 0x00..0x1f: the master key of every known answer below. */
static DeriveMaster test_master(void)
{
    DeriveMaster m;
    for (int i = 0; i < DERIVE_MASTER_SIZE; i++)
        m.key[i] = (unsigned char)i;
    return m;
}

static const DeriveId ID = {"lab", "default", "db", "password", 0};

static char err[512];

/* ---- helpers ---- */

static char *password_of(const DeriveMaster *m, const DeriveId *id, unsigned len, bool sym)
{
    char *s = NULL;
    if (!derive_password(m, id, len, sym, &s, err, sizeof err))
        fail_msg("derive_password: %s", err);
    return s;
}

static char *token_of(const DeriveId *id, unsigned n, DeriveEncoding enc)
{
    DeriveMaster m = test_master();
    char *s = NULL;
    if (!derive_token(&m, id, n, enc, &s, err, sizeof err))
        fail_msg("derive_token: %s", err);
    return s;
}

static void expect_token(const DeriveId *id, const char *want)
{
    char *got = token_of(id, 32, DERIVE_HEX);
    assert_string_equal(got, want);
    derive_free(got);
}

/* Decodes padded base64 (either alphabet) into out; returns the size. */
static size_t unbase64(const char *s, unsigned char *out, size_t cap)
{
    size_t n = strlen(s);
    char *std = malloc(n + 1);
    assert_non_null(std);
    for (size_t i = 0; i <= n; i++)
        std[i] = s[i] == '-' ? '+' : s[i] == '_' ? '/' : s[i];
    assert_true(n % 4 == 0 && n / 4 * 3 <= cap);
    int len = EVP_DecodeBlock(out, (const unsigned char *)std, (int)n);
    assert_true(len >= 0);
    size_t pad = (n && s[n - 1] == '=') + (n > 1 && s[n - 2] == '=');
    free(std);
    return (size_t)len - pad;
}

static char tmpdir[64];

static char *tmp_path(const char *name)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    return path;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
    unlink(path);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    assert_int_equal(chmod(path, mode), 0);
}

static int setup_dir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "%s/derive-test.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* ---- HKDF ---- */

static void test_hkdf_rfc5869_case1(void **state)
{
    (void)state;
    unsigned char ikm[22], salt[13], info[10], okm[42];
    memset(ikm, 0x0b, sizeof ikm);
    for (int i = 0; i < 13; i++)
        salt[i] = (unsigned char)i;
    for (int i = 0; i < 10; i++)
        info[i] = (unsigned char)(0xf0 + i);
    static const unsigned char want[42] = {
        0x3c, 0xb2, 0x5f, 0x25, 0xfa, 0xac, 0xd5, 0x7a, 0x90, 0x43, 0x4f, 0x64, 0xd0, 0x36,
        0x2f, 0x2a, 0x2d, 0x2d, 0x0a, 0x90, 0xcf, 0x1a, 0x5a, 0x4c, 0x5d, 0xb0, 0x2d, 0x56,
        0xec, 0xc4, 0xc5, 0xbf, 0x34, 0x00, 0x72, 0x08, 0xd5, 0xb8, 0x87, 0x18, 0x58, 0x65};
    assert_true(derive_hkdf_sha256(ikm, sizeof ikm, salt, sizeof salt, info, sizeof info, okm,
                                   sizeof okm));
    assert_memory_equal(okm, want, sizeof want);
    /* Prefix-stable, which the password sampler relies on. */
    unsigned char shorter[20];
    assert_true(derive_hkdf_sha256(ikm, sizeof ikm, salt, sizeof salt, info, sizeof info, shorter,
                                   sizeof shorter));
    assert_memory_equal(shorter, want, sizeof shorter);
}

/* ---- known answers ---- */

static void test_known_password(void **state)
{
    (void)state;
    DeriveMaster m = test_master();
    char *p = password_of(&m, &ID, 0, false);
    assert_string_equal(p, "6q7WGtGTWLvOyFnaLunA3qDhppJRUoZG");
    derive_free(p);
    p = password_of(&m, &ID, 20, true);
    assert_string_equal(p, "Kw8Lg=G+6Bee2Qgt3Phg");
    derive_free(p);
}

static void test_known_token(void **state)
{
    (void)state;
    char *t = token_of(&ID, 0, DERIVE_HEX);
    assert_string_equal(t, "ceec2a513312f935ee9ff962dcb08b404526a27c3bcfeeab492b5daf56b5f424");
    derive_free(t);
    t = token_of(&ID, 16, DERIVE_BASE64);
    assert_string_equal(t, "wzV9J+QuC/HUdd4OwVAE7g==");
    derive_free(t);
}

static void test_known_tsig_cookie(void **state)
{
    (void)state;
    DeriveMaster m = test_master();
    DeriveId id = {"lab", "dns", "tsig", "secret", 0};
    char *s = NULL;
    assert_true(derive_tsig(&m, &id, "hmac-sha256", &s, err, sizeof err));
    assert_string_equal(s, "MBupDOctsodo1UEseKdge9Wb6D0Fya4S5Iem5GfS2Z8=");
    derive_free(s);
    assert_true(derive_tsig(&m, &id, "hmac-sha512", &s, err, sizeof err));
    assert_string_equal(s, "YxGScPKTB2Ml9IObKu48RjPW5N38Myoq8pkSYYPhLDqZzhXtfw8smlxU"
                           "SovEOcJu3qRFXv+RhMNO1RXV2XESwQ==");
    derive_free(s);
    assert_true(derive_cookie(&m, &id, &s, err, sizeof err));
    assert_string_equal(s, "WY6fQ9H5X6AimlGslQtAxXyYGaqqPCtb39LIILQ-4us=");
    derive_free(s);
}

static void test_known_ssh(void **state)
{
    (void)state;
    DeriveMaster m = test_master();
    DeriveId id = {"lab", "ci", "deploy-key", "id_ed25519", 0};
    DeriveSshKey k;
    assert_true(derive_ssh_ed25519(&m, &id, "deploy@lab", &k, err, sizeof err));
    assert_string_equal(k.public_key, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGYPyAZLvXf3RZIi9IgLp"
                                      "8G1dgQxGGxmBp64kup7BCA3 deploy@lab\n");
    derive_ssh_free(&k);
}

static void test_known_dockerconfig(void **state)
{
    (void)state;
    DeriveMaster m = test_master();
    DeriveId id = {"lab", "ci", "pull", ".dockerconfigjson", 0};
    char *s = NULL;
    assert_true(derive_dockerconfigjson(&m, &id, "registry.lab:5000", "robot", NULL, &s, err,
                                        sizeof err));
    assert_string_equal(s, "{\"auths\":{\"registry.lab:5000\":{\"username\":\"robot\","
                           "\"password\":\"ZeUSkx8eDAqQxdyxEPNbr2aArpWSMioW\","
                           "\"auth\":\"cm9ib3Q6WmVVU2t4OGVEQXFReGR5eEVQTmJyMmFBcnBXU01pb1c=\"}}}");
    derive_free(s);
    /* Supplied: base64("r\"b:p\\w") and JSON escapes. */
    assert_true(derive_dockerconfigjson(&m, &id, "ghcr.io", "r\"b", "p\\w", &s, err, sizeof err));
    assert_string_equal(s, "{\"auths\":{\"ghcr.io\":{\"username\":\"r\\\"b\",\"password\":"
                           "\"p\\\\w\",\"auth\":\"ciJiOnBcdw==\"}}}");
    derive_free(s);
    assert_false(derive_dockerconfigjson(&m, &id, "ghcr.io", "a:b", "x", &s, err, sizeof err));
    assert_false(derive_dockerconfigjson(&m, &id, "", "a", "x", &s, err, sizeof err));
}

static void test_known_fingerprint(void **state)
{
    (void)state;
    DeriveMaster m = test_master();
    char fp[DERIVE_FINGERPRINT_SIZE];
    assert_true(derive_fingerprint(&m, "default/db/password", "hunter2", 7, fp, err, sizeof err));
    assert_string_equal(fp, "88da41b3ad155a7fe8ff950fa3a548c5743ca615bfd1be106d8e18bccbffb290");
}

/* ---- identities ---- */

static void test_identity_changes_value(void **state)
{
    (void)state;
    char *base = token_of(&ID, 32, DERIVE_HEX);
    const DeriveId others[] = {
        {"lab", "default", "db", "password", 1},  {"lab", "default", "db2", "password", 0},
        {"lab", "default", "db", "password2", 0}, {"lab2", "default", "db", "password", 0},
        {"lab", "other", "db", "password", 0},    {"", "", "", "", 0},
        /* the same bytes split differently: length prefixes tell them apart */
        {"labd", "efault", "db", "password", 0},  {"lab", "defaultdb", "", "password", 0},
    };
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        char *t = token_of(&others[i], 32, DERIVE_HEX);
        assert_string_not_equal(t, base);
        derive_free(t);
    }
    expect_token(&ID, base); /* and the same identity, the same value */
    /* A token's encoding does not change its bytes; its size does. */
    char *t16 = token_of(&ID, 16, DERIVE_HEX);
    assert_int_equal(strlen(t16), 32);
    assert_memory_not_equal(t16, base, 32);
    derive_free(t16);
    derive_free(base);
}

static void test_kinds_are_separate(void **state)
{
    (void)state;
    DeriveMaster m = test_master();
    char *a = password_of(&m, &ID, 32, false), *b = password_of(&m, &ID, 33, false);
    /* A longer password is not the shorter one extended. */
    assert_memory_not_equal(a, b, 32);
    derive_free(a);
    derive_free(b);
    DeriveMaster other = test_master();
    other.key[31] ^= 1;
    a = password_of(&m, &ID, 32, false);
    b = password_of(&other, &ID, 32, false);
    assert_string_not_equal(a, b);
    derive_free(a);
    derive_free(b);
}

static void test_identity_too_long(void **state)
{
    (void)state;
    DeriveMaster m = test_master();
    char *big = malloc(DERIVE_INFO_MAX + 1);
    assert_non_null(big);
    memset(big, 'x', DERIVE_INFO_MAX);
    big[DERIVE_INFO_MAX] = '\0';
    DeriveId id = {"lab", "ns", big, "k", 0};
    char *s = NULL;
    assert_false(derive_token(&m, &id, 32, DERIVE_HEX, &s, err, sizeof err));
    assert_non_null(strstr(err, "longer than"));
    DeriveId none = {"lab", NULL, "n", "k", 0};
    assert_false(derive_token(&m, &none, 32, DERIVE_HEX, &s, err, sizeof err));
    free(big);
}

/* ---- shapes ---- */

static void check_alphabet(const char *p, size_t len, bool symbols)
{
    assert_int_equal(strlen(p), len);
    for (const char *c = p; *c; c++) {
        bool alnum = (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
                     (*c >= '0' && *c <= '9');
        assert_true(alnum || (symbols && strchr("-._~+=", *c)));
    }
}

static void test_password_alphabet_and_length(void **state)
{
    (void)state;
    DeriveMaster m = test_master();
    static const unsigned lengths[] = {8, 32, 100, 1024};
    size_t counts[256] = {0}, total = 0;
    for (size_t i = 0; i < 4; i++) {
        for (int sym = 0; sym < 2; sym++) {
            char *p = password_of(&m, &ID, lengths[i], sym);
            check_alphabet(p, lengths[i], sym);
            for (const char *c = p; sym && *c; c++, total++)
                counts[(unsigned char)*c]++;
            derive_free(p);
        }
    }
    /* 1164 characters over 68 symbols: every one appears (expected about
     * 17 times each; missing one has probability below 1e-6). */
    const char *all = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+=";
    for (const char *c = all; *c; c++)
        assert_true(counts[(unsigned char)*c] > 0);
    assert_int_equal(total, 1164);
    char *s = NULL;
    assert_false(derive_password(&m, &ID, 7, false, &s, err, sizeof err));
    assert_false(derive_password(&m, &ID, DERIVE_PASSWORD_MAX + 1, false, &s, err, sizeof err));
    s = password_of(&m, &ID, 0, false);
    assert_int_equal(strlen(s), DERIVE_PASSWORD_DEFAULT);
    derive_free(s);
}

static void test_tsig_lengths(void **state)
{
    (void)state;
    DeriveMaster m = test_master();
    unsigned char raw[128];
    char *s = NULL;
    assert_true(derive_tsig(&m, &ID, "hmac-sha256", &s, err, sizeof err));
    assert_int_equal(strlen(s), 44);
    assert_int_equal(unbase64(s, raw, sizeof raw), 32);
    derive_free(s);
    assert_true(derive_tsig(&m, &ID, "hmac-sha512", &s, err, sizeof err));
    assert_int_equal(strlen(s), 88);
    assert_int_equal(unbase64(s, raw, sizeof raw), 64);
    derive_free(s);
    assert_false(derive_tsig(&m, &ID, "hmac-md5", &s, err, sizeof err));
    assert_false(derive_tsig(&m, &ID, NULL, &s, err, sizeof err));
}

static void test_cookie_shape(void **state)
{
    (void)state;
    DeriveMaster m = test_master();
    unsigned char raw[64];
    char *s = NULL;
    assert_true(derive_cookie(&m, &ID, &s, err, sizeof err));
    assert_int_equal(strlen(s), 44);
    assert_int_equal(strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
                     43);
    assert_int_equal(s[43], '=');
    assert_int_equal(unbase64(s, raw, sizeof raw), 32);
    derive_free(s);
}

/* ---- SSH ---- */

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Reads an SSH string at *p (bounds-checked against end). */
static const unsigned char *ssh_string(const unsigned char **p, const unsigned char *end,
                                       uint32_t *len)
{
    assert_true(end - *p >= 4);
    *len = be32(*p);
    assert_true((size_t)(end - *p - 4) >= *len);
    const unsigned char *s = *p + 4;
    *p += 4 + *len;
    return s;
}

static void expect_ssh_string(const unsigned char **p, const unsigned char *end, const char *want)
{
    uint32_t n;
    const unsigned char *s = ssh_string(p, end, &n);
    assert_int_equal(n, strlen(want));
    assert_memory_equal(s, want, n);
}

/* The PEM body of an OpenSSH private key, decoded. */
static size_t ssh_blob(const char *pem, unsigned char *out, size_t cap)
{
    const char *begin = "-----BEGIN OPENSSH PRIVATE KEY-----\n";
    const char *end = "-----END OPENSSH PRIVATE KEY-----\n";
    assert_memory_equal(pem, begin, strlen(begin));
    const char *tail = strstr(pem, end);
    assert_non_null(tail);
    assert_string_equal(tail, end);
    char b64[2048];
    size_t n = 0;
    for (const char *c = pem + strlen(begin); c < tail; c++) {
        if (*c == '\n')
            continue;
        assert_true(n < sizeof b64 - 1);
        b64[n++] = *c;
    }
    b64[n] = '\0';
    for (const char *line = pem + strlen(begin); line < tail; line = strchr(line, '\n') + 1)
        assert_true(strchr(line, '\n') - line <= 70);
    return unbase64(b64, out, cap);
}

static void test_ssh_blob_parses(void **state)
{
    (void)state;
    DeriveMaster m = test_master();
    DeriveSshKey k;
    assert_true(derive_ssh_ed25519(&m, &ID, "me@lab", &k, err, sizeof err));
    unsigned char blob[1024];
    size_t n = ssh_blob(k.private_key, blob, sizeof blob);
    const unsigned char *p = blob, *end = blob + n;
    assert_memory_equal(p, "openssh-key-v1\0", 15);
    p += 15;
    expect_ssh_string(&p, end, "none");
    expect_ssh_string(&p, end, "none");
    expect_ssh_string(&p, end, "");
    assert_int_equal(be32(p), 1);
    p += 4;
    uint32_t publen, privlen;
    const unsigned char *pub = ssh_string(&p, end, &publen);
    const unsigned char *priv = ssh_string(&p, end, &privlen);
    assert_ptr_equal(p, end);
    assert_int_equal(privlen % 8, 0);
    /* check-ints, then the key repeating the public blob */
    const unsigned char *q = priv + 8, *qend = priv + privlen;
    assert_int_equal(be32(priv), be32(priv + 4));
    assert_memory_equal(q, pub, publen);
    q += publen;
    uint32_t keylen;
    const unsigned char *both = ssh_string(&q, qend, &keylen);
    assert_int_equal(keylen, 64);
    assert_memory_equal(both + 32, pub + publen - 32, 32);
    expect_ssh_string(&q, qend, "me@lab");
    for (unsigned char i = 1; q < qend; i++, q++)
        assert_int_equal(*q, i);
    /* The public line carries the same blob. */
    char line[256];
    snprintf(line, sizeof line, "ssh-ed25519 ");
    EVP_EncodeBlock((unsigned char *)line + 12, pub, (int)publen);
    strcat(line, " me@lab\n");
    assert_string_equal(k.public_key, line);
    /* Deterministic. */
    DeriveSshKey again;
    assert_true(derive_ssh_ed25519(&m, &ID, "me@lab", &again, err, sizeof err));
    assert_string_equal(again.private_key, k.private_key);
    derive_ssh_free(&again);
    derive_ssh_free(&k);
    assert_false(derive_ssh_ed25519(&m, &ID, "a\nb", &k, err, sizeof err));
}

static bool have_ssh_keygen(void)
{
    return system("command -v ssh-keygen >/dev/null 2>&1") == 0;
}

static void test_ssh_keygen_agrees(void **state)
{
    (void)state;
    if (!have_ssh_keygen())
        skip();
    DeriveMaster m = test_master();
    DeriveSshKey k;
    assert_true(derive_ssh_ed25519(&m, &ID, "me@lab", &k, err, sizeof err));
    char *path = tmp_path("id_ed25519");
    write_file(path, k.private_key, 0600);
    char cmd[256], out[256] = "";
    snprintf(cmd, sizeof cmd, "ssh-keygen -y -f '%s' 2>&1", path);
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    size_t n = fread(out, 1, sizeof out - 1, f);
    out[n] = '\0';
    assert_int_equal(pclose(f), 0);
    assert_string_equal(out, k.public_key);
    derive_ssh_free(&k);
}

/* ---- the key file ---- */

static const char KEY_TEXT[] =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n";

static void test_load_master_mode(void **state)
{
    (void)state;
    DeriveMaster want = test_master(), m;
    char *path = tmp_path("master.key");
    write_file(path, KEY_TEXT, 0644);
    assert_false(derive_load_master(&m, path, err, sizeof err));
    assert_non_null(strstr(err, "chmod 600"));
    assert_non_null(strstr(err, path));
    write_file(path, KEY_TEXT, 0640);
    assert_false(derive_load_master(&m, path, err, sizeof err));
    write_file(path, KEY_TEXT, 0600);
    assert_true(derive_load_master(&m, path, err, sizeof err));
    assert_memory_equal(m.key, want.key, DERIVE_MASTER_SIZE);
    write_file(path, KEY_TEXT, 0400);
    assert_true(derive_load_master(&m, path, err, sizeof err));
}

static void test_load_master_content(void **state)
{
    (void)state;
    DeriveMaster m;
    char *path = tmp_path("bad.key");
    write_file(path, "00010203\n", 0600);
    assert_false(derive_load_master(&m, path, err, sizeof err));
    assert_non_null(strstr(err, "9 bytes"));
    char longer[sizeof KEY_TEXT + 2];
    snprintf(longer, sizeof longer, "%s00", KEY_TEXT);
    write_file(path, longer, 0600);
    assert_false(derive_load_master(&m, path, err, sizeof err));
    assert_non_null(strstr(err, "67 bytes"));
    /* 65 bytes, but no newline at the end. */
    snprintf(longer, sizeof longer, "%.64s0", KEY_TEXT);
    write_file(path, longer, 0600);
    assert_false(derive_load_master(&m, path, err, sizeof err));
    char nonhex[sizeof KEY_TEXT];
    memcpy(nonhex, KEY_TEXT, sizeof KEY_TEXT);
    nonhex[10] = 'g';
    write_file(path, nonhex, 0600);
    assert_false(derive_load_master(&m, path, err, sizeof err));
    assert_false(derive_load_master(&m, tmp_path("missing.key"), err, sizeof err));
    assert_false(derive_load_master(&m, tmpdir, err, sizeof err));
    /* A FIFO is refused at once rather than waited on. */
    assert_int_equal(mkfifo(tmp_path("fifo.key"), 0600), 0);
    assert_false(derive_load_master(&m, tmp_path("fifo.key"), err, sizeof err));
    assert_non_null(strstr(err, "not a regular file"));
    /* An environment variable's value: with or without its newline. */
    DeriveMaster want = test_master();
    assert_true(derive_parse_master(&m, KEY_TEXT, strlen(KEY_TEXT), "ENV", err, sizeof err));
    assert_memory_equal(m.key, want.key, DERIVE_MASTER_SIZE);
    assert_true(derive_parse_master(&m, KEY_TEXT, 64, "ENV", err, sizeof err));
    assert_false(derive_parse_master(&m, KEY_TEXT, 63, "ENV", err, sizeof err));
    assert_non_null(strstr(err, "ENV"));
}

static void test_write_master(void **state)
{
    (void)state;
    char *path = tmp_path("new.key");
    char copy[128];
    snprintf(copy, sizeof copy, "%s", path);
    unlink(copy);
    DeriveMaster written, loaded;
    assert_true(derive_write_master(copy, &written, err, sizeof err));
    struct stat st;
    assert_int_equal(stat(copy, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_int_equal(st.st_size, 65);
    assert_true(derive_load_master(&loaded, copy, err, sizeof err));
    assert_memory_equal(loaded.key, written.key, DERIVE_MASTER_SIZE);
    /* Never overwritten, and no temporary file is left behind. */
    assert_false(derive_write_master(copy, NULL, err, sizeof err));
    assert_non_null(strstr(err, "already exists"));
    assert_true(derive_load_master(&loaded, copy, err, sizeof err));
    assert_memory_equal(loaded.key, written.key, DERIVE_MASTER_SIZE);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "test $(ls '%s' | grep -c tmp) -eq 0", tmpdir);
    assert_int_equal(system(cmd), 0);
    assert_false(derive_write_master(tmp_path("no/such/dir.key"), NULL, err, sizeof err));
}

/* ---- fingerprints ---- */

static void test_fingerprint(void **state)
{
    (void)state;
    DeriveMaster m = test_master(), other = test_master();
    other.key[0] ^= 0x80;
    char a[DERIVE_FINGERPRINT_SIZE], b[DERIVE_FINGERPRINT_SIZE];
    assert_true(derive_fingerprint(&m, "ns/a/k", "value", 5, a, err, sizeof err));
    assert_true(derive_fingerprint(&m, "ns/a/k", "value", 5, b, err, sizeof err));
    assert_string_equal(a, b);
    assert_int_equal(strlen(a), 64);
    assert_true(derive_fingerprint(&m, "ns/b/k", "value", 5, b, err, sizeof err));
    assert_string_not_equal(a, b);
    assert_true(derive_fingerprint(&m, "ns/a/k", "valuf", 5, b, err, sizeof err));
    assert_string_not_equal(a, b);
    assert_true(derive_fingerprint(&other, "ns/a/k", "value", 5, b, err, sizeof err));
    assert_string_not_equal(a, b);
    /* scope and plaintext cannot trade bytes */
    assert_true(derive_fingerprint(&m, "ns/a/kv", "alue", 4, b, err, sizeof err));
    assert_string_not_equal(a, b);
    /* an empty plaintext is a plaintext */
    assert_true(derive_fingerprint(&m, "ns/a/k", "", 0, b, err, sizeof err));
    assert_string_not_equal(a, b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hkdf_rfc5869_case1),
        cmocka_unit_test(test_known_password),
        cmocka_unit_test(test_known_token),
        cmocka_unit_test(test_known_tsig_cookie),
        cmocka_unit_test(test_known_ssh),
        cmocka_unit_test(test_known_dockerconfig),
        cmocka_unit_test(test_known_fingerprint),
        cmocka_unit_test(test_identity_changes_value),
        cmocka_unit_test(test_kinds_are_separate),
        cmocka_unit_test(test_identity_too_long),
        cmocka_unit_test(test_password_alphabet_and_length),
        cmocka_unit_test(test_tsig_lengths),
        cmocka_unit_test(test_cookie_shape),
        cmocka_unit_test(test_ssh_blob_parses),
        cmocka_unit_test(test_ssh_keygen_agrees),
        cmocka_unit_test(test_load_master_mode),
        cmocka_unit_test(test_load_master_content),
        cmocka_unit_test(test_write_master),
        cmocka_unit_test(test_fingerprint),
    };
    return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
