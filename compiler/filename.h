/* filename.h — file names that every checkout can hold.
 *
 * An object's file is KIND-NAME.yaml (the kind in lowercase) in the
 * directory of its namespace. Kubernetes admits names that some file
 * systems refuse: a name of 253 bytes makes a file name longer than the
 * 255 bytes most of them hold, a namespace `con` or `nul` is a device on
 * Windows, and two kinds that differ only in case (or one kind of two API
 * groups) would share a file. Each is mapped one to one onto a name that
 * any checkout holds: the forms made here contain `_`, which neither a
 * Kubernetes name nor a lowercased kind contains, so a mapped name never
 * meets an unmapped one, and mapped names differ by a digest of the
 * object's whole identity. docs/output.md describes the mapping. */
#ifndef CROWN_FILENAME_H
#define CROWN_FILENAME_H

#include <stdbool.h>

#include "strbuf.h"

/* The longest path component written, in bytes. */
#define FILE_NAME_MAX_BYTES 255

/* Whether s (a label) is a device name of Windows in any case: con, prn,
 * aux, nul, com0 to com9, lpt0 to lpt9. */
bool filename_reserved(const char *s);
/* Appends the directory of a namespace: the name itself, or NAME_ when it
 * is a device name. */
void filename_dir(StrBuf *out, const char *ns);
/* Appends the file of an object: KIND-NAME.yaml, or, when that is longer
 * than FILE_NAME_MAX_BYTES or clash says another object of the directory
 * has the same one, its beginning, `_` and 16 hex digits of the SHA-256
 * of identity (the object's group, kind, namespace and name). */
void filename_object(StrBuf *out, const char *kind, const char *name, const char *identity,
                     bool clash);

/* The file of a component's object, LAYER/COMPONENT/[NS/]FILE: the
 * namespace's directory and the object's file as above (ns NULL:
 * cluster-scoped). Caller frees. */
char *filename_path(const char *layer, const char *component, const char *kind, const char *ns,
                    const char *name, const char *identity, bool clash);

#endif
