#include "codes.h"

#include <strings.h>

static const CodeInfo codes[] = {
    {"E0001", "file is not valid UTF-8",
     "A .crown file must be UTF-8 text. The compiler reports the first byte that\n"
     "is not part of a valid UTF-8 sequence and reads no further, because a file\n"
     "in another encoding (or a binary file) would otherwise produce a flood of\n"
     "meaningless errors.\n\n"
     "Fix: save the file as UTF-8 (`iconv -f latin1 -t utf-8`)."},
    {"E0002", "file contains a NUL byte",
     "A NUL byte never appears in text, so the file is most likely binary or\n"
     "corrupted. The compiler stops at the first one."},
    {"E0003", "file is too large",
     "Site files are hand-written text; the compiler refuses inputs over 16 MiB\n"
     "so that no input can exhaust memory or time. Large data such as rosters\n"
     "belongs in CSV or YAML files read with csv() or yaml()."},
    {"E0004", "unexpected character",
     "The character has no meaning outside strings and comments.\n\n"
     "Common causes: a `;` at the end of a line (items end at a newline or a\n"
     "comma), single quotes (strings use double quotes), `&` or `|` instead of\n"
     "`&&` or `||`."},
    {"E0005", "unterminated string",
     "A string opened with \" must close with \" on the same line; a string opened\n"
     "with \"\"\" must close with \"\"\". For text over several lines use \"\"\":\n\n"
     "    motd = \"\"\"\n"
     "      Welcome to ${site.name}.\n"
     "      \"\"\"\n"},
    {"E0006", "unterminated interpolation",
     "An interpolation `${` inside a string must be closed with `}` before the\n"
     "string ends: \"tenant-${p.username}\". To write a literal `${`, escape the\n"
     "dollar: \"\\${\"."},
    {"E0007", "invalid escape sequence",
     "Inside strings, a backslash starts one of these escapes: \\n \\t \\r \\\" \\\\\n"
     "\\$ and \\u{HEX} (a Unicode scalar value from 1 to 10FFFF, not a surrogate).\n"
     "Any other character after a backslash is an error, so that a Windows path\n"
     "or a regular expression is never silently changed. Write `\\\\` for a\n"
     "backslash."},
    {"E0008", "unknown unit",
     "A number followed by letters is a quantity, and the letters must be a unit:\n\n"
     "    bytes      Ki Mi Gi Ti Pi Ei (powers of 1024), k M G T P E (powers of 1000)\n"
     "    cpu        m (millicores): 500m is half a core\n"
     "    durations  s m h d: 30s, 10m, 2h, 7d\n\n"
     "`4GB` is not a quantity: write `4Gi` or `4G`. Identifiers cannot start with\n"
     "a digit."},
    {"E0009", "invalid number",
     "Integers are written in decimal without leading zeros (a leading zero would\n"
     "suggest octal, as in YAML 1.1 and file modes); write `755`, or quote the\n"
     "text: \"0755\". Integers must fit in 64 bits."},
    {"E0010", "address literal must be quoted",
     "IP addresses and CIDRs are written as strings: \"10.0.0.1\", \"10.0.0.0/24\".\n"
     "The type checker then validates them against the expected type."},
    {"E0020", "syntax error",
     "The parser met a token it did not expect. The message says what was found\n"
     "and what could have come instead. The parser recovers at the next item or\n"
     "block, so later errors are reported too.\n\n"
     "Items in a block are separated by a newline or a comma:\n\n"
     "    quota { cpu = 4, memory = 8Gi }"},
    {"E0021", "nesting too deep",
     "Brackets may nest 256 levels deep and expressions 1000 levels; deeper\n"
     "inputs are refused so that no file can exhaust the stack. Give parts of\n"
     "the value names with `let`."},
    {"E0022", "too many syntax errors",
     "After 200 syntax errors in one file the parser stops reading it: the rest\n"
     "would mostly be consequences of the first errors."},
    {"E0030", "item not allowed here",
     "Each kind of body holds certain items:\n\n"
     "    top level   import, let, blocks, for, if\n"
     "    block       attributes (name = value), blocks, let, for, if\n"
     "    schema      fields (name: type = default \"doc\")\n"
     "    enum        member names, each with an optional doc string\n"
     "    union       variants: name { fields } or a bare name\n"
     "    check       let, attributes, for, if, require, warn\n"
     "    component   like a block\n\n"
     "A common cause is `name: value` where `name = value` was meant."},
    {"E0031", "declaration needs a name",
     "schema, enum, union, check and component declarations are named:\n\n"
     "    schema server \"A machine of the cluster.\" { address: ip }"},
    {"E0032", "attribute name cannot be interpolated",
     "A quoted attribute name is a fixed name such as\n"
     "\"crownlabs.polito.it/operator-selector\". To compute keys, use an object\n"
     "comprehension: {for p in pools: p.name => p.addresses}."},
};

const CodeInfo *code_lookup(const char *code)
{
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (strcasecmp(codes[i].code, code) == 0)
            return &codes[i];
    return NULL;
}

const CodeInfo *code_all(size_t *n)
{
    *n = sizeof codes / sizeof codes[0];
    return codes;
}
