/* parse_ctx.h — types shared by the scanner (grammar/crown.l), the parser
 * (grammar/crown.y) and parse.c. Not for use outside the parser. */
#ifndef CROWN_PARSE_CTX_H
#define CROWN_PARSE_CTX_H

#include <stdbool.h>
#include <stdint.h>

#include "ast.h"
#include "diag.h"
#include "parse.h"

typedef struct ParseCtx ParseCtx;

/* The value of a scanned token: its decoded text. */
typedef struct TokVal {
    const char *s;
    uint32_t len;
    bool escaped; /* string text that came from an escape sequence */
} TokVal;

#endif
