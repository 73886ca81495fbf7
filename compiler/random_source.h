/* random_source.h — where the compiler gets the random bytes it seals
 * Sealed Secrets values with (see seal.h: a session key, then an OAEP
 * seed, for each value).
 *
 * The implementation is chosen at link time, not by an option:
 *
 *   compiler/random_release.c   linked into build/crownc and the unit
 *                               tests: always NULL, i.e. OpenSSL's
 *                               RAND_bytes; no deterministic generator
 *   tests/support/random_test.c linked into build/crownc-test only: a
 *                               fixed stream per value, so that a test
 *                               can compare sealed output byte for byte,
 *                               and only when CROWNC_TEST_RANDOM is
 *                               "fixed-for-tests-only" (else RAND_bytes)
 *
 * So a release binary has no deterministic source to select, by accident
 * or by option; tests/run.sh checks that the test source's seed string is
 * absent from build/crownc.
 *
 * Usage, for each value sealed:
 *
 *   SealRandom *r = random_source_open(ctx, ctx_len);
 *   st = seal_value(cert, label, label_len, value, len, r, out, err, errlen);
 *   random_source_close(r);
 *
 * seal_value takes NULL as "use RAND_bytes", so the caller needs no branch.
 */
#ifndef CROWN_RANDOM_SOURCE_H
#define CROWN_RANDOM_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "seal.h"

/* The source to seal one value with, or NULL, meaning "use OpenSSL's
 * RAND_bytes" (what the release build always returns).
 *
 * context[0..len) identifies the value being sealed; it may hold any
 * bytes. The caller passes, e.g., the namespace, the name and the key of
 * the Secret entry plus a keyed fingerprint (HMAC) of the plaintext, so
 * that a deterministic source gives each value its own stream, the same
 * whatever order the build seals values in, and a new stream when the
 * value changes. Never put the plaintext itself in the context.
 *
 * The source is for one value only: open one per seal_value call and
 * close it afterwards. */
SealRandom *random_source_open(const char *context, size_t len);

/* Releases a source from random_source_open, wiping its state. NULL is
 * accepted and does nothing. */
void random_source_close(SealRandom *r);

/* Whether this binary's sources are deterministic: false in a release
 * build, true in build/crownc-test. For messages and self-checks; the
 * caller never needs it to seal. */
bool random_source_is_deterministic(void);

#endif
