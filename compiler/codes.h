/* codes.h — the registry of diagnostic codes.
 *
 * Codes are stable: once released, a code keeps its meaning. Each has a
 * one-line title and a longer explanation (`crownc explain CODE`). */
#ifndef CROWN_CODES_H
#define CROWN_CODES_H

#include <stddef.h>

typedef struct CodeInfo {
    const char *code;
    const char *title;
    const char *explanation; /* paragraphs, with an example where it helps */
} CodeInfo;

/* NULL when code is unknown. Case-insensitive ("e0020" works). */
const CodeInfo *code_lookup(const char *code);
/* All codes, in order; *n receives the count. */
const CodeInfo *code_all(size_t *n);

#endif
