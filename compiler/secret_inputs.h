/* secret_inputs.h — the values of supplied secrets (`input_secret(NAME)`).
 *
 * A supplied secret NAME comes from the environment variable
 * CROWN_SECRET_<NAME>, or else from the secrets file given with
 * `--secrets FILE`: a YAML mapping of NAME to a single text, nothing
 * else (no nesting, one document). A value is its text as written: tags
 * are ignored (`!!int 5` is the text "5"), and anchors and aliases are
 * expanded (`B: *a` is the text anchored as &a). A value that is absent
 * or a plain null (`NAME:`, `~`, `null`) is refused, since it is surely a
 * mistake, not a secret; quoted ("~", "") it is that text. A value
 * holding a NUL character is refused rather than cut short. Reasons name
 * a bad key by its line only, since it may be a misplaced value.
 *
 * The file holds plaintext, so it must be a regular file of at most 1 MiB
 * that neither group nor others may access (mode 0600 or stricter),
 * checked on the opened file (private_file.h).
 *
 * Values are kept in memory only as long as the SecretInputs, and wiped
 * when it is freed. */
#ifndef CROWN_SECRET_INPUTS_H
#define CROWN_SECRET_INPUTS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct SecretInputs {
    char **names, **values; /* from the file */
    size_t n;
    bool use_env;           /* look at CROWN_SECRET_<NAME> first */
} SecretInputs;

/* Empty inputs that read the environment only. */
void secret_inputs_init(SecretInputs *in);
/* Reads the secrets file at path into in (initialised). Returns false
 * with a one-line reason (never a value) in err. */
bool secret_inputs_load(SecretInputs *in, const char *path, char *err, size_t errlen);
/* The value of NAME, or NULL when neither source has it. Borrowed. */
const char *secret_inputs_get(const SecretInputs *in, const char *name);
/* Where NAME would be looked for, for messages: "CROWN_SECRET_NAME". */
void secret_inputs_env_name(const char *name, char *out, size_t outlen);
void secret_inputs_free(SecretInputs *in);

#endif
