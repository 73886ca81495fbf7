/* random_test.c — a DETERMINISTIC random source, for build/crownc-test ONLY.
 *
 * !!! THIS FILE IS LINKED ONLY INTO build/crownc-test, NEVER INTO         !!!
 * !!! build/crownc. NEVER SEAL A REAL SECRET WITH A BINARY THAT HAS IT.   !!!
 *
 * Why: Sealed Secrets encrypts each value with AES-256-GCM under a 12-byte
 * ZERO nonce, which is safe only because every value gets a fresh, secret,
 * unpredictable session key. Here the session key (and the OAEP seed) are
 * a public function of a seed string printed below and of the context the
 * caller passes: anyone can recompute them, so a value sealed with this
 * source is as good as plaintext. And whenever two different plaintexts
 * get the same context, they get the same session key under the same zero
 * nonce, which reveals the XOR of the two plaintexts and lets GCM tags be
 * forged.
 *
 * What it is for: tests that compare sealed output byte for byte. Each
 * value's stream is the concatenation of the blocks
 *
 *   SHA-256( "crownc deterministic test random v1" (no NUL)
 *            || u32be(len) || context[0..len) || u64be(counter) )
 *
 * for counter = 0, 1, 2, ..., restarted at 0 for every opened source, so
 * a value's bytes depend on its context alone, not on how many values
 * were sealed before it. The Makefile links this object in place of
 * compiler/random_release.o; tests/run.sh checks that the seed string is
 * in build/crownc-test and not in build/crownc. */
#include "random_source.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#define BLOCK 32 /* SHA-256 */

static const char TEST_SEED[] = "crownc deterministic test random v1";

typedef struct TestRandom {
    SealRandom r; /* first, so that a SealRandom * is a TestRandom * */
    unsigned char *context;
    size_t len;
    uint64_t counter;         /* of the next block */
    unsigned char block[BLOCK];
    size_t used;              /* bytes of block already given out */
} TestRandom;

static void put_be(unsigned char *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (unsigned char)(v >> (8 * (n - 1 - i)));
}

static bool next_block(TestRandom *t)
{
    unsigned char len32[4], ctr[8];
    put_be(len32, t->len, 4);
    put_be(ctr, t->counter, 8);
    EVP_MD_CTX *mc = EVP_MD_CTX_new();
    unsigned int n = 0;
    bool ok = mc && EVP_DigestInit_ex(mc, EVP_sha256(), NULL) &&
              EVP_DigestUpdate(mc, TEST_SEED, sizeof TEST_SEED - 1) &&
              EVP_DigestUpdate(mc, len32, sizeof len32) &&
              (t->len == 0 || EVP_DigestUpdate(mc, t->context, t->len)) &&
              EVP_DigestUpdate(mc, ctr, sizeof ctr) && EVP_DigestFinal_ex(mc, t->block, &n) &&
              n == BLOCK;
    EVP_MD_CTX_free(mc);
    t->counter++;
    t->used = 0;
    return ok;
}

/* The next n bytes of the stream: successive fills continue it. */
static bool test_fill(void *ctx, unsigned char *buf, size_t n)
{
    TestRandom *t = ctx;
    for (size_t w = 0; w < n;) {
        if (t->used == BLOCK && !next_block(t))
            return false;
        size_t k = BLOCK - t->used < n - w ? BLOCK - t->used : n - w;
        memcpy(buf + w, t->block + t->used, k);
        t->used += k;
        w += k;
    }
    return true;
}

/* What open returns when it cannot make a source: one that fails, so that
 * sealing fails rather than quietly falling back to RAND_bytes. */
static bool broken_fill(void *ctx, unsigned char *buf, size_t n)
{
    (void)ctx, (void)buf, (void)n;
    return false;
}
static SealRandom broken = {broken_fill, NULL};

/* Even in this binary the fixed stream must be asked for, by name: a
 * build/crownc-test run by mistake on a real site seals with RAND_bytes
 * like the release. */
static bool asked(void)
{
    const char *v = getenv("CROWNC_TEST_RANDOM");
    return v && strcmp(v, "fixed-for-tests-only") == 0;
}

SealRandom *random_source_open(const char *context, size_t len)
{
    if (!asked())
        return NULL;
    if (len > UINT32_MAX || (!context && len))
        return &broken;
    TestRandom *t = calloc(1, sizeof *t);
    if (!t || !(t->context = malloc(len ? len : 1))) {
        free(t);
        return &broken;
    }
    if (len)
        memcpy(t->context, context, len);
    t->len = len;
    t->used = BLOCK; /* the first fill computes block 0 */
    t->r.fill = test_fill;
    t->r.ctx = t;
    return &t->r;
}

void random_source_close(SealRandom *r)
{
    if (!r || r == &broken)
        return;
    TestRandom *t = (TestRandom *)r;
    OPENSSL_cleanse(t->context, t->len);
    free(t->context);
    OPENSSL_cleanse(t, sizeof *t);
    free(t);
}

bool random_source_is_deterministic(void) { return asked(); }
