/* yaml_out.h — one value as one canonical YAML document.
 *
 * What the compiler writes to disk must be byte-for-byte reproducible
 * (diffs, Git, Argo CD) and must mean to every reader exactly what the
 * site says, so the spelling is fixed here. It is the spelling of
 * libyaml 0.2.5's emitter (2-space indentation, unlimited width), written
 * directly:
 *
 *   - block style, 2-space indentation, UTF-8; no `---` start marker and
 *     no `...` end marker; the text ends with exactly one newline;
 *   - a sequence under a mapping key is not indented (the layout of
 *     `kubectl get -o yaml`), a mapping or a sequence inside a sequence
 *     starts on the dash's line:
 *         containers:
 *         - name: web
 *           ports:
 *           - 80
 *         matrix:
 *         - - 1
 *           - 2
 *   - empty lists and objects are written `[]` and `{}`;
 *   - lines are never folded, however long;
 *   - null, bools, ints and floats are plain YAML scalars (`null`, `true`,
 *     `42`, `0.5`, `1.0e+20`, `.inf`, `.nan`); every other scalar —
 *     strings, quantities, addresses, enum members — is written as a
 *     string, from value_to_text for the non-strings;
 *   - a string (or key) is plain only when a YAML 1.1 and a YAML 1.2
 *     reader both read it back as that same string (yaml_plain_ok);
 *     otherwise it is double-quoted. A value of several lines is a
 *     literal block (`|` when it ends with a newline, else `|-`; its
 *     lines two spaces in from the key or dash, empty lines left empty)
 *     when that round-trips exactly: no line ends in a space, it starts
 *     with neither a space nor a newline, it does not end with two
 *     newlines, it holds nothing that needs an escape, and it is not the
 *     whole document; otherwise it too is double-quoted, newlines written
 *     `\n`. Keys are never blocks;
 *   - between double quotes, spaces and other non-ASCII text are written
 *     as is, and these are escaped: `"` `\` and the newline, controls
 *     (tab and CR included), DEL, C1 controls, U+2028/U+2029, the BOM,
 *     U+FFFE/U+FFFF and characters beyond U+FFFF. The escapes are
 *     `\0 \a \b \t \n \v \f \r \e \" \\ \N \L \P`, else `\xXX`, `\uXXXX`
 *     or `\UXXXXXXXX` in upper-case hex (`\x7F`, `\uFEFF`, `\U0001F600`);
 *   - a key longer than 128 bytes, or holding a line break (a newline,
 *     or a CR, NEL, U+2028 or U+2029, written escaped), is an explicit
 *     key: `? key`, then `: value` on the next line at the key's
 *     indentation, a collection value starting on that line as after a
 *     dash (`: - x`, `: k: v`).
 *
 * Whatever a string holds, it stays one scalar: it cannot add keys,
 * items or documents to the output.
 *
 * Keys are written in the object's order except for a Kubernetes object
 * (see YamlOptions.k8s_order). Object keys are taken to be unique, as
 * the evaluator makes them. */
#ifndef CROWN_YAML_OUT_H
#define CROWN_YAML_OUT_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"
#include "value.h"

typedef struct YamlOptions {
    /* When the document is an object (or record) with both `apiVersion`
     * and `kind`, write apiVersion, kind, metadata first, and inside
     * metadata name, namespace, labels, annotations first; the other keys
     * follow in their own order. Only the document's top level is
     * reordered. Default: on. */
    bool k8s_order;
} YamlOptions;

typedef struct YamlError {
    const char *reason; /* static text, for a diagnostic */
    const Value *value; /* the value that cannot be written (its `at` says
                         * where it came from); for a key, its object */
} YamlError;

/* Appends doc to out as one YAML document. opt may be NULL: the defaults.
 * Returns false, leaving out as it was and filling err (which may be NULL),
 * when some value cannot be written: a secret (a plain secret must never
 * reach a file: secrets go out sealed), a poison value, a string that is
 * not valid UTF-8. Deterministic: equal values give identical bytes. */
bool yaml_render(const Value *doc, const YamlOptions *opt, StrBuf *out, YamlError *err);

/* True when s[0..len) can be written as a plain (unquoted) scalar in
 * block context: it is valid UTF-8 needing no escape, and no YAML 1.1 or
 * 1.2 reader would take it for null, a bool, a number, a timestamp, a
 * merge key or an indicator. Deliberately cautious: it quotes some strings
 * every reader would take right (`1-2`, `0x`, `nO`), since the reserved
 * words are matched in any letter case and anything shaped like a number
 * or a date is quoted. */
bool yaml_plain_ok(const char *s, size_t len);

#endif
