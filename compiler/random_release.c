/* random_release.c — the random source of a release build: always
 * OpenSSL's RAND_bytes (see random_source.h). It must stay free of any
 * deterministic generator: tests/support/random_test.c, linked into
 * build/crownc-test instead of this file, is the only one. */
#include "random_source.h"

SealRandom *random_source_open(const char *context, size_t len)
{
    (void)context, (void)len;
    return NULL; /* seal_value then takes both session key and seed from RAND_bytes */
}

void random_source_close(SealRandom *r) { (void)r; }

bool random_source_is_deterministic(void) { return false; }
