#include "unit.h"

#include <string.h>

UnitStatus unit_load(const char *path, unsigned id, Arena *ar, DiagList *diags, Unit *out,
                     char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    size_t size = 0;
    SourceStatus st = source_load(path, &out->src, err, errlen, &size);
    if (st == SOURCE_IO_ERROR)
        return UNIT_IO_ERROR;
    if (st == SOURCE_TOO_LARGE) {
        /* An empty stand-in gives the diagnostic a file to point at. */
        out->src = source_from_bytes(strcmp(path, "-") == 0 ? "<stdin>" : path, "", 0);
        out->src->id = id;
        Diag *d = diag_error(diags, "E0003", source_span(out->src, 0, 0),
                             "file is too large (%zu bytes; the limit is %zu)", size,
                             (size_t)SOURCE_MAX_BYTES);
        diag_set_hint(d, "keep bulk data in CSV or YAML files read with csv() or yaml()");
        out->parsed.root = node_new(ar, N_FILE, source_span(out->src, 0, 0));
        return UNIT_OK;
    }
    out->src->id = id;
    out->parsed = parse_source(out->src, ar, diags);
    return UNIT_OK;
}

void unit_free(Unit *u)
{
    source_free(u->src);
    u->src = NULL;
}
