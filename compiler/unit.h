/* unit.h — one source file, loaded and parsed: the front end's product. */
#ifndef CROWN_UNIT_H
#define CROWN_UNIT_H

#include "arena.h"
#include "diag.h"
#include "parse.h"
#include "source.h"

typedef struct Unit {
    Source *src;        /* owned; free with unit_free */
    ParseOutput parsed; /* lives in the arena given to unit_load */
} Unit;

typedef enum UnitStatus { UNIT_OK, UNIT_IO_ERROR } UnitStatus;

/* Reads and parses path ("-" for standard input). Problems with the text
 * become diagnostics in diags; a file that cannot be read at all returns
 * UNIT_IO_ERROR with a one-line reason in err. id orders diagnostics. */
UnitStatus unit_load(const char *path, unsigned id, Arena *ar, DiagList *diags, Unit *out,
                     char *err, size_t errlen);
void unit_free(Unit *u);

#endif
