/* diag.h — diagnostics: what went wrong, where, and how to fix it.
 *
 * Stages never print or exit; they append to a DiagList that the CLI
 * renders (diag_render.h). Every code is registered in codes.c with a
 * title and an explanation for `crownc explain`. */
#ifndef CROWN_DIAG_H
#define CROWN_DIAG_H

#include <stdbool.h>
#include <stddef.h>

#include "source.h"

typedef enum Severity { SEV_ERROR, SEV_WARNING } Severity;

typedef struct DiagLabel {
    Span span;
    char *message; /* may be NULL */
} DiagLabel;

typedef struct Diag {
    const char *code;   /* "E0020": a string literal from codes.c */
    Severity severity;
    char *message;
    DiagLabel primary;
    DiagLabel *secondary;
    size_t nsecondary;
    char *hint;         /* may be NULL */
    size_t seq;         /* insertion order, keeps sorting stable */
} Diag;

typedef struct DiagList {
    Diag *items;
    size_t len, cap;
    size_t errors, warnings;
} DiagList;

void diag_init(DiagList *l);
void diag_free(DiagList *l);

/* Appends a diagnostic. The pointer stays valid until the next diag_add. */
Diag *diag_add(DiagList *l, Severity sev, const char *code, Span at, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
Diag *diag_error(DiagList *l, const char *code, Span at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void diag_set_label(Diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void diag_add_secondary(Diag *d, Span at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_set_hint(Diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Drops every diagnostic from the len-th on (what followed from one that
 * stopped the work). */
void diag_truncate(DiagList *l, size_t len);

/* Orders by file, position, then insertion. */
void diag_sort(DiagList *l);

#endif
