/* fmt.h — the canonical layout of a .crown file.
 *
 * The formatter prints a parsed file from its tree and comments, so the
 * layout depends only on the meaning, the comments, blank lines between
 * items, and whether each bracketed construct was written on one line.
 * It is idempotent (fmt(fmt(x)) == fmt(x)) and meaning-preserving (the
 * tree of fmt(x) equals the tree of x); docs/language.md states the rules. */
#ifndef CROWN_FMT_H
#define CROWN_FMT_H

#include "parse.h"
#include "strbuf.h"

/* Lines are kept within this width where a construct can be split. */
#define FMT_WIDTH 100

/* Appends the formatted text of a file parsed without errors to out. */
void fmt_file(const Source *src, const ParseOutput *parsed, StrBuf *out);

#endif
