/* stdlib_doc.h — the reference of the standard library as Markdown
 * (docs/stdlib.md), generated from its declarations by `crownc doc`.
 *
 * The output depends only on the declarations and their source text, so
 * the same library gives the same bytes on every machine: the tests
 * compare the committed file with a fresh one. */
#ifndef CROWN_STDLIB_DOC_H
#define CROWN_STDLIB_DOC_H

#include "decl.h"
#include "strbuf.h"

/* Appends the reference of the declarations in t (as collected by
 * program_load_stdlib) to out: title, contents, schemas, enums, unions
 * with their variants, checks, then components. */
void stdlib_doc_render(const DeclTable *t, StrBuf *out);

#endif
