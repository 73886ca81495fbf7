/* inputs.h — what a build read, and one digest of all of it.
 *
 * The language is pure: a build whose inputs are byte for byte those of
 * the build before gives the tree that build gave. So a rebuild can stop
 * before evaluating anything when it proves that: each commit carries the
 * digest of its build's inputs (the Inputs-Digest trailer), and the
 * tree's index lists what the build read beyond the site's files and the
 * library (found again by loading them): its data files, its sealing
 * certificate, the supplied secrets it used, and whether it used the
 * master key.
 *
 * The digest covers contents, never where they are: the compiler itself
 * (its executable), the --engine option, every site and library file in
 * load order, every data file in the order read, the certificate's
 * fingerprint, and HMACs under the master key of each supplied secret's
 * value and of the key itself — so no secret can be learnt from it, and
 * a new key, value, file, compiler or engine gives another digest. */
#ifndef CROWN_INPUTS_H
#define CROWN_INPUTS_H

#include <stdbool.h>
#include <stddef.h>

#include "derive.h"
#include "program.h"
#include "secret_inputs.h"
#include "strbuf.h"

typedef struct Inputs {
    char **data;        /* data files: site-relative, or stdlib/... */
    size_t ndata;
    char *cert;         /* the certificate, site-relative; NULL: none */
    char **secrets;     /* names of the supplied secrets used, sorted */
    size_t nsecrets;
    bool master;        /* the build derived or sealed with the master key */
} Inputs;

#define INPUTS_DIGEST_SIZE 65

/* A file's place as the index gives it: relative to the site's
 * directory, or stdlib/... for the library's. */
void inputs_stable_path(const Program *p, const char *path, StrBuf *out);
/* What the checked program p read and used. */
void inputs_of_program(const Program *p, Inputs *out);
/* The index's "inputs" member: `,\n  "inputs": [...]`, one string per
 * entry ("data:PATH", "cert:PATH", "secret:NAME", "master:"). */
void inputs_index_json(const Inputs *in, StrBuf *out);
/* The inputs an index lists; false when it lists none or is not one. */
bool inputs_from_index(const char *index, Inputs *out);
void inputs_free(Inputs *in);

/* The bytes of the i-th data file, listed as path; NULL when unreadable. */
typedef const char *(*InputsRead)(void *ctx, size_t i, const char *path, size_t *len);

/* The digest of a build of the loaded program p (its units) with in,
 * reading data files through read, the certificate's fingerprint cert
 * (NULL: none), the master key m (when in->master) and the supplied
 * secrets si. False with a reason when one of them is missing. */
bool inputs_digest(const Program *p, const Inputs *in, InputsRead read, void *ctx,
                   const char *cert, const DeriveMaster *m, const SecretInputs *si,
                   const char *engine, char hex[INPUTS_DIGEST_SIZE], char *err, size_t errlen);

#endif
