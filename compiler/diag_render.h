/* diag_render.h — diagnostics as text for people, JSON for tools, and
 * GitHub workflow commands for CI annotations. */
#ifndef CROWN_DIAG_RENDER_H
#define CROWN_DIAG_RENDER_H

#include <stdbool.h>

#include "diag.h"
#include "strbuf.h"

typedef enum DiagFormat { FORMAT_HUMAN, FORMAT_JSON, FORMAT_GITHUB } DiagFormat;

typedef struct RenderOptions {
    DiagFormat format;
    bool color;         /* human only */
    size_t max_shown;   /* human and github: the rest become "and N more" */
} RenderOptions;

/* Renders l (sorted by the caller) into out. */
void diag_render(const DiagList *l, const RenderOptions *opt, StrBuf *out);

/* Appends s[0..n) with every code point that could drive a terminal (C0
 * and C1 controls, line separators, bidirectional controls) and every
 * byte that is not UTF-8 replaced by '?', a tab by spaces. */
void term_clean(StrBuf *out, const char *s, size_t n);

/* Appends s as a JSON string literal. */
void json_string(StrBuf *out, const char *s, size_t n);

#endif
