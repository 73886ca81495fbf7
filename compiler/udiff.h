/* udiff.h — a line-based unified diff of two texts, as `diff -u` prints it.
 *
 * The edit script is a shortest one (Myers' O(ND) algorithm) after the
 * common head and tail are set aside. Its memory grows with the square of
 * the number of edits, so past UDIFF_MAX_EDITS differing lines the middle
 * is reported as removed and added as a whole: still a correct diff, only
 * not a minimal one. A text whose last line has no newline gets diff's
 * "\ No newline at end of file" marker after that line. */
#ifndef CROWN_UDIFF_H
#define CROWN_UDIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

#define UDIFF_MAX_EDITS 2000

/* One side of the comparison: its name in the header line and its bytes
 * (which need not end with a newline nor be NUL-terminated). */
typedef struct UdiffText {
    const char *name;
    const char *data;
    size_t len;
} UdiffText;

typedef struct UdiffOptions {
    unsigned context; /* unchanged lines around each change (diff -u: 3) */
    bool color;       /* ANSI colours: removals red, additions green */
} UdiffOptions;

/* Appends "--- OLD", "+++ NEW" and the hunks that turn old into new to
 * out. Returns the number of hunks: 0 when the texts are equal, and then
 * nothing is appended. */
size_t udiff(StrBuf *out, const UdiffText *old, const UdiffText *new_,
             const UdiffOptions *opt);

#endif
