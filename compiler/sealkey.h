/* sealkey.h — a Sealed Secrets key pair that a site brings itself.
 *
 * The Sealed Secrets controller makes its own key pair when it starts
 * without one. A site can instead make the pair itself, commit the
 * certificate (crownc seals to it; seal.h) and hand the private key to the
 * controller once, as a TLS Secret, before the controller starts (`crownc
 * bootstrap sealing-key`). The controller then opens what crownc sealed
 * without anyone fetching its certificate first, and a cluster rebuilt
 * from scratch opens the repository's sealed values again.
 *
 * The pair is made like the controller's own (upstream pkg/crypto/keys.go):
 *
 *   key          RSA, SEALKEY_BITS bits (the controller's --key-size default)
 *   certificate  X.509 v3, self-signed with SHA-256; a random positive
 *                serial of at most 128 bits; subject = issuer = CN only;
 *                basicConstraints CA:TRUE (critical); keyUsage encipherOnly
 *                (critical) and nothing else, as upstream's; a
 *                subjectKeyIdentifier (which Go adds to every CA
 *                certificate); notBefore = now, notAfter = now + days
 *
 * The private key is written as PKCS#1 PEM ("-----BEGIN RSA PRIVATE
 * KEY-----"), the form the controller keeps in tls.key; the certificate
 * as one "-----BEGIN CERTIFICATE-----" block.
 *
 * Time: the module reads no clock; the caller passes now (seconds since
 * the epoch, UTC).
 *
 * Errors: functions that can fail return false and write a one-line reason
 * into err (at most errlen bytes, NUL included); nothing is printed. Key
 * bytes never appear in a reason, and every buffer that held the private
 * key is cleansed (OPENSSL_cleanse) before it is released. OpenSSL's
 * per-thread error queue is left empty on return. */
#ifndef CROWN_SEALKEY_H
#define CROWN_SEALKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SEALKEY_BITS 4096
#define SEALKEY_DEFAULT_CN "sealed-secret"
/* The controller's default key TTL: ten years. */
#define SEALKEY_DEFAULT_DAYS 3650u
/* A hundred years: past it the date is surely a typo. */
#define SEALKEY_MAX_DAYS 36500u
/* A common name is at most 64 characters (RFC 5280, ub-common-name). */
#define SEALKEY_MAX_CN 64

/* Makes a new key pair and writes the private key to key_path (mode 0600)
 * and the certificate to cert_path (mode 0644). cn is the subject's and
 * issuer's common name (NULL means SEALKEY_DEFAULT_CN; 1 to SEALKEY_MAX_CN
 * printable ASCII characters); the certificate is valid for days days
 * (1 to SEALKEY_MAX_DAYS) from now.
 *
 * Neither file is ever replaced: when either path exists (even as a
 * dangling link) nothing is written, and this is checked before the key is
 * made. The two paths must differ. Each file is written and synced to a temporary file in its own
 * directory and then linked to its path (link() fails if the path exists),
 * so a file appears complete or not at all. If the certificate cannot be
 * linked after the key was, the key file is removed again: either both
 * files exist afterwards or neither was created. Temporary files are
 * always removed. */
bool sealkey_generate(const char *key_path, const char *cert_path, const char *cn,
                      unsigned days, int64_t now, char *err, size_t errlen);

/* Reads a private key file for use: path must be a regular file that
 * neither group nor others may access in any way (mode 0600 or stricter;
 * otherwise the reason names `chmod 600 PATH`), checked on the opened file,
 * of at most 1 MiB, holding a key that seal_key_load (seal.h) accepts. On
 * success *pem is the file's text with a NUL after it (not counted in
 * *len); release it with sealkey_free_pem, which cleanses it. */
bool sealkey_read_private(const char *path, char **pem, size_t *len, char *err, size_t errlen);

/* Reads a certificate file's text (a regular file of at most 1 MiB, any
 * mode) into *pem, NUL-terminated, length in *len; release it with
 * sealkey_free_pem. The text is not checked: seal_cert_load does that. */
bool sealkey_read_cert(const char *path, char **pem, size_t *len, char *err, size_t errlen);

/* Whether the first certificate in cert_pem and the private key in key_pem
 * are one key pair (EVP_PKEY_eq on the public parts). False with a reason
 * when they are not, or when either does not parse. */
bool sealkey_pair_matches(const char *cert_pem, size_t cert_len, const char *key_pem,
                          size_t key_len, char *err, size_t errlen);

/* Cleanses and frees len bytes (and the NUL after them) at pem. NULL is
 * fine. */
void sealkey_free_pem(char *pem, size_t len);

#endif
