/* secrets_internal.h — what secrets.c and secret_chart.c share; not for
 * use elsewhere. */
#ifndef CROWN_SECRETS_INTERNAL_H
#define CROWN_SECRETS_INTERNAL_H

#include <stdbool.h>

#include "component.h"
#include "program.h"

/* Reports every secret inside v (E0702): it is out of place in object. */
void secrets_forbid(Program *p, const Value *v, Span object);
/* Whether k may be a key of a Secret's data. */
bool secrets_key_valid(const char *k);
/* Takes the secret values of c's chart into the Secret COMPONENT-values,
 * a manifest added to c (secret_chart.c). */
void secrets_chart(Program *p, Component *c);

#endif
