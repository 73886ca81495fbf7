/* secret.h — what a secret value is, before it has a value.
 *
 * Evaluation never sees a secret's plaintext: `secret(...)` and
 * `input_secret(NAME)` give a reference that says where the value will
 * come from. Values are derived or read, and sealed, only when a tree is
 * built. A secret cannot be interpolated into a string. */
#ifndef CROWN_SECRET_H
#define CROWN_SECRET_H

#include <stdbool.h>

#include "source.h"

typedef struct Value Value;

struct Secret {
    bool supplied;          /* input_secret(NAME): from the operator */
    const char *input;      /* its NAME */
    const Value *params;    /* secret(...): the arguments, as an object */
    Span at;                /* where it is written */
};

#endif
