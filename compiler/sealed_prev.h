/* sealed_prev.h — what a SealedSecret of the previous tree holds that a
 * new build may reuse: the certificate it was sealed to, the keyed
 * fingerprint of each value, and each value's ciphertext.
 *
 * The file is read as YAML (libyaml), not as crownc's own layout, so a
 * file that someone reformatted still works; anything that is not a
 * SealedSecret with both crownc annotations gives nothing to reuse. */
#ifndef CROWN_SEALED_PREV_H
#define CROWN_SEALED_PREV_H

#include <stdbool.h>
#include <stddef.h>

typedef struct SealedPrev {
    char *cert;              /* the sealed-to annotation, "sha256:HEX" */
    char **keys, **hmacs;    /* tag lines of the hmac annotation: KEY HEX */
    size_t nhmacs;
    char **names, **blobs;   /* spec.encryptedData */
    size_t nblobs;
} SealedPrev;

/* Reads text[0..len); false (and *out empty) when there is nothing to
 * reuse in it. */
bool sealed_prev_parse(const char *text, size_t len, SealedPrev *out);
/* The ciphertext of key and the tag its fingerprint line holds, both
 * borrowed from p; false when p lacks either. The caller decides, by
 * recomputing the tag, whether the ciphertext may be reused. */
bool sealed_prev_value(const SealedPrev *p, const char *key, const char **blob,
                       const char **tag);
void sealed_prev_free(SealedPrev *p);

#endif
