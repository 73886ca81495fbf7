/* cmd_bootstrap.c — `crownc bootstrap sealing-key --key KEY --cert CERT
 * [--namespace NS]`: the Sealed Secrets controller's key pair as one
 * Kubernetes Secret on standard output, to apply once before the
 * controller starts (a site's own pair, made by `crownc keygen
 * --sealing-key`; sealkey.h).
 *
 * The Secret is what the controller looks for at start-up (upstream
 * pkg/controller/keys.go): type kubernetes.io/tls in its namespace, the
 * label sealedsecrets.bitnami.com/sealed-secrets-key=active, tls.key a
 * PKCS#1 key and tls.crt its certificate. Its name is
 * sealed-secrets-key-crownc-<the first 16 hex digits of the certificate's
 * SHA-256>: applying one pair again updates its own Secret, and a new pair
 * is added beside the old one.
 *
 * Everything is checked before anything is printed: the certificate loads
 * at the current time (seal_cert_load: RSA of at least 2048 bits, not
 * expired), the key file is private (mode 0600), the key parses and is the
 * certificate's. A failure prints one line on standard error, nothing on
 * standard output, and exits 2. The Secret is written with write(2), not
 * through stdio, so that no buffer that is never wiped keeps the key. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "arena.h"
#include "cli.h"
#include "private_file.h"
#include "seal.h"
#include "sealkey.h"

/* The Secret is named after its certificate, SECRET_PREFIX + the first 16
 * hex digits of the fingerprint: applying one pair again updates its own
 * Secret, and a new pair is added beside the old one, which the controller
 * keeps using to open what is still sealed to it. */
#define SECRET_PREFIX "sealed-secrets-key-crownc-"
#define DEFAULT_NAMESPACE "kube-system"
#define KEY_LABEL "sealedsecrets.bitnami.com/sealed-secrets-key"

/* A DNS-1123 label, as Kubernetes wants a namespace: 1 to 63 of a-z, 0-9
 * and '-', starting and ending with a letter or digit. Nothing else can
 * reach the YAML. */
static bool dns_label(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 63 || s[0] == '-' || s[n - 1] == '-')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return false;
    return true;
}

/* Standard base64, padded, on one line. The caller cleanses and frees. */
static char *base64(const char *data, size_t len, size_t *out_len)
{
    size_t n = 4 * ((len + 2) / 3);
    unsigned char *out = xmalloc(n + 1);
    /* Both files are at most 1 MiB (sealkey_read_*), within int. */
    int w = EVP_EncodeBlock(out, (const unsigned char *)data, (int)len);
    *out_len = (size_t)w;
    return (char *)out;
}

/* The Secret, checked, as YAML in a new buffer (cleansed by the caller). */
static char *secret_yaml(const char *ns, const char *fp, const char *cert, size_t cert_len,
                         const char *key, size_t key_len, size_t *len)
{
    size_t crt_n, key_n;
    char *crt64 = base64(cert, cert_len, &crt_n);
    char *key64 = base64(key, key_len, &key_n);
    static const char fmt[] = "apiVersion: v1\n"
                              "kind: Secret\n"
                              "metadata:\n"
                              "  name: " SECRET_PREFIX "%.16s\n"
                              "  namespace: %s\n"
                              "  labels:\n"
                              "    " KEY_LABEL ": active\n"
                              "type: kubernetes.io/tls\n"
                              "data:\n"
                              "  tls.crt: %s\n"
                              "  tls.key: %s\n";
    size_t cap = sizeof fmt + 16 + strlen(ns) + crt_n + key_n;
    char *out = xmalloc(cap);
    int w = snprintf(out, cap, fmt, fp, ns, crt64, key64);
    *len = w > 0 ? (size_t)w : 0;
    OPENSSL_cleanse(key64, key_n + 1);
    free(key64);
    free(crt64);
    return out;
}

static int usage(const char *msg)
{
    cli_error("bootstrap: %s (see 'crownc help bootstrap')", msg);
    return EXIT_USAGE;
}

typedef struct SealingKeyOptions {
    const char *key_path, *cert_path, *ns;
} SealingKeyOptions;

/* EXIT_OK, or EXIT_USAGE once the reason is printed. */
static int parse_sealing_key(int argc, char **argv, SealingKeyOptions *o)
{
    *o = (SealingKeyOptions){.ns = DEFAULT_NAMESPACE};
    for (int i = 0; i < argc; i++) {
        int r;
        if ((r = cli_value_option("--key", &o->key_path, argc, argv, &i)) != 0 ||
            (r = cli_value_option("--cert", &o->cert_path, argc, argv, &i)) != 0 ||
            (r = cli_value_option("--namespace", &o->ns, argc, argv, &i)) != 0) {
            if (r < 0)
                return EXIT_USAGE;
        } else {
            cli_error("bootstrap sealing-key: unexpected '%s' (see 'crownc help bootstrap')",
                      argv[i]);
            return EXIT_USAGE;
        }
    }
    if (!o->key_path || !o->cert_path)
        return usage("sealing-key needs --key KEY.pem and --cert CERT.pem");
    if (!dns_label(o->ns)) {
        cli_error("bootstrap sealing-key: --namespace '%s' is not a namespace name (1 to 63 "
                  "of a-z, 0-9 and '-', starting and ending with a letter or digit)",
                  o->ns);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* The key pair as read from its files; pair_free cleanses the key. */
typedef struct Pair {
    char *cert, *key;
    size_t cert_len, key_len;
    SealCert *c;
} Pair;

static void pair_free(Pair *p)
{
    seal_cert_free(p->c);
    sealkey_free_pem(p->key, p->key_len);
    sealkey_free_pem(p->cert, p->cert_len);
    *p = (Pair){0};
}

/* Reads both files and checks them (see the top of this file); false once
 * the reason is printed. */
static bool load_pair(const SealingKeyOptions *o, Pair *p)
{
    char err[512];
    *p = (Pair){0};
    if (!sealkey_read_cert(o->cert_path, &p->cert, &p->cert_len, err, sizeof err)) {
        cli_error("bootstrap sealing-key: %s", err);
        return false;
    }
    if (seal_cert_load(p->cert, p->cert_len, (int64_t)time(NULL), &p->c, err, sizeof err) !=
        SEAL_OK) {
        cli_error("bootstrap sealing-key: %s: %s", o->cert_path, err);
        return false;
    }
    if (!sealkey_read_private(o->key_path, &p->key, &p->key_len, err, sizeof err)) {
        cli_error("bootstrap sealing-key: %s", err);
        return false;
    }
    if (!sealkey_pair_matches(p->cert, p->cert_len, p->key, p->key_len, err, sizeof err)) {
        cli_error("bootstrap sealing-key: %s and %s: %s", o->key_path, o->cert_path, err);
        return false;
    }
    return true;
}

/* The Secret on standard output, then the note on standard error; false
 * once the reason is printed. */
static bool print_secret(const SealingKeyOptions *o, const Pair *p)
{
    size_t len = 0;
    char *yaml = secret_yaml(o->ns, seal_cert_fingerprint(p->c), p->cert, p->cert_len, p->key,
                             p->key_len, &len);
    bool ok = fflush(stdout) == 0 && private_file_write_all(STDOUT_FILENO, yaml, len);
    OPENSSL_cleanse(yaml, len);
    free(yaml);
    if (!ok) {
        cli_error("bootstrap sealing-key: cannot write standard output");
        return false;
    }
    fprintf(stderr,
            "crownc: the Secret printed holds the private key of %s: pipe it to "
            "`kubectl apply -f -` before the Sealed Secrets controller starts in namespace %s; "
            "never write it into the repository\n",
            o->key_path, o->ns);
    return true;
}

static int sealing_key(int argc, char **argv)
{
    SealingKeyOptions o;
    int status = parse_sealing_key(argc, argv, &o);
    if (status != EXIT_OK)
        return status;
    Pair p;
    status = load_pair(&o, &p) && print_secret(&o, &p) ? EXIT_OK : EXIT_USAGE;
    pair_free(&p);
    return status;
}

int cmd_bootstrap(CliOptions *o, int argc, char **argv)
{
    (void)o;
    if (argc < 1)
        return usage("what to bootstrap? (sealing-key)");
    if (strcmp(argv[0], "sealing-key") == 0)
        return sealing_key(argc - 1, argv + 1);
    cli_error("bootstrap: unknown item '%s'; the one known is sealing-key", argv[0]);
    return EXIT_USAGE;
}
