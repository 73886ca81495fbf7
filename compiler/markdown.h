/* markdown.h — writing arbitrary text into GitHub-flavoured Markdown
 * without it changing the document's structure.
 *
 * Text from the library (docs, default expressions) is written into table
 * cells, where a `|` would end the cell and a newline the row, and into
 * code spans, where a backtick would end the span early. */
#ifndef CROWN_MARKDOWN_H
#define CROWN_MARKDOWN_H

#include <stddef.h>

#include "strbuf.h"

/* Appends s[0..n) as one code span that shows it verbatim: the fence is
 * one backtick longer than the longest run inside, padded with a space
 * when s starts or ends with a backtick. Safe inside a table cell: `|` is
 * escaped and each line break (with the indentation after it) becomes
 * one space. Nothing is written for empty text. */
void md_code(StrBuf *out, const char *s, size_t n);
/* Appends s as prose, in a paragraph or a table cell. Its code spans
 * (doc strings write names as `network.nodes`) still render; outside
 * them `\` and `<` are escaped, so that `auth.<domain>` is not taken for
 * HTML. Everywhere `|` is escaped and line breaks become spaces, so a
 * cell and its row stay whole. */
void md_text(StrBuf *out, const char *s);

#endif
