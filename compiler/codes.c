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
     "comprehension: {for p in pools: p.name => p.addresses}."},    {"E0101", "declaration defined twice",
     "Every schema, enum, union, check and component has a name of its own, and\n"
     "so has every `let` of the standard library: a site's declarations and the\n"
     "library's share one table. A builtin type name (string, int, list, ...)\n"
     "cannot be declared either.\n\n"
     "Fix: rename one of the two, or remove the copy."},
    {"E0102", "unknown type",
     "A field's type must be a builtin type (string, int, float, bool, bytes, cpu,\n"
     "duration, ip, cidr, iprange, hostname, email, url, name, path, secret),\n"
     "list(T), map(T), ref(KIND), label, or a schema, enum or union that is\n"
     "declared somewhere. The name may be misspelt:\n\n"
     "    size: bites      # write `size: bytes`"},
    {"E0103", "invalid type arguments",
     "The arguments in parentheses after a type do not fit it. `list` and `map`\n"
     "need an element type first; `ref` takes the name of a schema; a schema,\n"
     "enum or union takes no arguments; a constraint applies only to what it can\n"
     "measure (bounds to numbers and quantities, `len` to strings and lists, a\n"
     "pattern to strings), and `len` is the only subject:\n\n"
     "    paths: list(path, len >= 1)\n"
     "    owner: ref(person)\n\n"
     "A schema also has at most one `label` field: the label of a block fills it."},
    {"E0104", "declared twice in one declaration",
     "A field of a schema or of a union variant, a member of an enum and a\n"
     "variant of a union are each declared once. The second declaration is\n"
     "ignored; remove it or give it another name."},
    {"E0105", "invalid constraint",
     "A bound must be a number or a quantity of the constrained type's dimension:\n"
     "`bytes(>= 1Gi)`, `int(1 .. 64)`, `duration(<= 1h)`; the bounds of `len`\n"
     "are plain numbers. A pattern must be a valid POSIX extended regular\n"
     "expression, anchored by the writer: `string(\"^[a-z][a-z0-9-]*$\")`."},
    {"E0106", "invalid check attribute",
     "A check may set one attribute, `code`: the code its failures are reported\n"
     "under, a string of E and four digits, stable once released:\n\n"
     "    check quorum \"The control plane can keep a quorum.\" {\n"
     "      code = \"E0601\"\n"
     "      require len(planes) >= 1 else \"no control-plane server\"\n"
     "    }\n\n"
     "Any other attribute has no meaning in a check. A check without a code\n"
     "reports under E0500."},
    {"E0107", "invalid component name",
     "A component's name becomes the directory of its objects, the name of its\n"
     "Helm release and part of the GitOps objects' names (SITE-COMPONENT), so it\n"
     "is a Kubernetes label: lowercase letters, digits and inner '-', at most 63\n"
     "characters. Write `component lab-probe`, not `component Probe_X`."},
    {"E0201", "unknown name",
     "A name in an expression must be a `let` in this body or an enclosing one,\n"
     "a loop variable, a `let` of the standard library, or, where a reference,\n"
     "an enum member or a union variant is expected, one of those. The hint\n"
     "suggests the closest name that exists. Fields of the enclosing block are\n"
     "not names: give a shared value a name with `let`."},
    {"E0202", "type mismatch",
     "A value does not have the type that is expected where it is used. The\n"
     "message says what was expected and what was found:\n\n"
     "    cpu = \"4\"        # a string where an int is expected: write `cpu = 4`\n"
     "    memory = 30s     # a duration where bytes are expected\n\n"
     "The same code covers other uses of a value of the wrong kind: a list or\n"
     "an object put into a string, indexing what cannot be indexed, `for` over\n"
     "something that is not a list or an object, ordering values that have no\n"
     "order."},
    {"E0203", "unknown field",
     "A block or an object sets a field that its schema does not declare. The\n"
     "hint suggests the closest field when there is one; the schemas of the\n"
     "standard library list the fields of each block kind."},
    {"E0204", "missing required field",
     "A field without a default and without an optional type (`T?`) must be set.\n"
     "The hint names the field's type and its documentation. A label field is\n"
     "set by writing the label after the kind: `server \"node-1\" { ... }`."},
    {"E0205", "field set twice",
     "A field of a block or a key of an object is given a value once. Setting it\n"
     "again, by an attribute or by a nested block, is an error rather than an\n"
     "override, so that no value is silently lost. Remove one of the two."},
    {"E0206", "constraint not satisfied",
     "The value has the right type but breaks a constraint of the field, shown\n"
     "with the message: a bound (`int(>= 1)`), a range (`int(1 .. 7)`), a\n"
     "length (`len <= 63`), a pattern (`\"^[a-z]+$\"`) or `unique` (a list whose\n"
     "elements must all differ)."},
    {"E0207", "invalid text for a type",
     "Some types are written as strings and checked: ip, cidr, iprange, hostname,\n"
     "email, url, name (a DNS-1123 label), path, and the members of an enum when\n"
     "they come from a string. The message says what is wrong:\n\n"
     "    address = \"10.0.0.256\"   # an IPv4 octet is at most 255"},
    {"E0208", "ambiguous unit",
     "`m` means millicores for cpu and minutes for durations. Where the expected\n"
     "type decides, `500m` is read accordingly; where nothing does (a `let`\n"
     "used only in a string, an element of an untyped list), the compiler does\n"
     "not guess. Write cpu as cores (`0.5`) and durations in seconds or hours\n"
     "(`300s`, `1h`), or use the value where its type is known."},
    {"E0209", "incompatible arithmetic",
     "Arithmetic needs operands of matching kinds: numbers with numbers,\n"
     "quantities with quantities of the same dimension. A quantity may be\n"
     "multiplied or divided by a plain number:\n\n"
     "    let spare = 4Gi + 2      # bytes plus a number: write 4Gi + 2Gi\n"
     "    let double = 4Gi * 2     # fine\n\n"
     "Where a field's type is known, its literals are read in that type, so\n"
     "`memory = 4Gi + 512Mi` works and `memory = 4Gi + 2` adds 2 bytes."},
    {"E0210", "no place for a nested block",
     "A nested block fills the field of the enclosing block whose type is its\n"
     "kind (or a list of it). Here no field has that type, or two fields do and\n"
     "the block cannot say which. Check the kind's spelling, or set the field\n"
     "with an attribute: `field = kind { ... }`."},
    {"E0211", "label not allowed",
     "Only blocks whose schema has a `label` field take a label, and blocks\n"
     "inside an object take none (an object's keys are plain names):\n\n"
     "    network { timeout = 10s }          # not network \"main\" { ... }\n"
     "    labels = { owner = \"ops\" }"},
    {"E0212", "reference to an undeclared block",
     "A `ref(KIND)` field, or a list of them, names blocks declared elsewhere in\n"
     "the site by their label: `admins = [alice]` needs a block\n"
     "`person \"alice\" { ... }`. No block of that kind has this label; check\n"
     "the spelling or declare the block."},
    {"E0213", "cycle",
     "A value is defined in terms of itself, directly or through other names:\n\n"
     "    let cores = spare + 1\n"
     "    let spare = cores - 1\n\n"
     "Values are computed on first use, so the order of definitions does not\n"
     "matter, but a cycle has no value. Break it by defining one of the values\n"
     "without the other."},
    {"E0214", "no such field",
     "`x.name` reads a field of a record or a key of an object, and `x` has\n"
     "none called `name` (the hint suggests the closest), or `x` is a number,\n"
     "a string or a list, which have no fields. For a union, the fields are\n"
     "those of the variant the value holds: test it first with `is` or `match`."},
    {"E0215", "index out of range",
     "`xs[i]` needs 0 <= i < len(xs), and `obj[\"key\"]` needs the key to exist.\n"
     "Guard the access (`if len(xs) > 2 then xs[2] else ...`,\n"
     "`if \"key\" in obj then obj[\"key\"] else ...`)."},
    {"E0216", "invalid builtin call",
     "A call names a builtin or a schema, with the number and kinds of arguments\n"
     "it takes: `upper(\"x\")`, `join(list, \", \")`, `secret(kind = \"tsig\", ...)`.\n"
     "The message says which argument is wrong, or that no function has that\n"
     "name. A schema's name called with one object builds a record of it:\n"
     "`person(row)`."},
    {"E0217", "arithmetic overflow or division by zero",
     "Integers and quantities are 64-bit; a result that does not fit is an error\n"
     "rather than a wrapped value, and so is a division or a remainder by zero.\n"
     "Address arithmetic (`ip_add`) must stay inside the address family."},
    {"E0218", "no match arm",
     "A `match` must handle the variant its value holds. Add an arm for it, or a\n"
     "catch-all `_ => ...`; for an optional union, `null => ...` handles an\n"
     "unset value:\n\n"
     "    match lb { l2 => \"arp\", bgp => \"bgp\", _ => \"none\" }"},
    {"E0219", "unknown union variant",
     "`tag { ... }` or a bare tag is a variant of the union the field expects,\n"
     "and the union has no variant of that name (the hint suggests the closest),\n"
     "or the field expects no union at all. `x is tag` and `match` arms name\n"
     "variants of the value's union too."},
    {"E0220", "duplicate label or key",
     "Two blocks of one kind carry the same label, or an object comprehension\n"
     "produces the same key twice. Labels name blocks for references, so each\n"
     "must be unique; for keys, filter or rename the elements:\n\n"
     "    {for p in pools if p.enabled: p.name => p.addresses}"},
    {"E0221", "evaluation nested too deep",
     "Evaluation may nest 400 levels (--max-depth N raises it, up to 10000), and\n"
     "never more than the process's stack holds (ulimit -s): deeper values are\n"
     "refused so that no site can overflow the stack. Such depth comes from a\n"
     "very long chain of names, each defined by the next; compute the value\n"
     "directly, or from a list, instead."},
    {"E0222", "secret put into a string",
     "Values from secret() and input_secret() never become text: an\n"
     "interpolation or join() would copy them into manifests and logs. Pass the\n"
     "secret itself to a field of type `secret`; components turn it into a\n"
     "reference to a Kubernetes Secret."},
    {"E0223", "evaluation takes too many steps",
     "Evaluating a site may take 1,000,000,000 steps (one per expression\n"
     "evaluated; a site of 100,000 people takes some 31 million), so that\n"
     "no input can keep crownc busy for ever. Past the limit evaluation stops at\n"
     "the expression that crossed it. A comprehension over several long lists\n"
     "costs the product of their lengths:\n\n"
     "    [for p in people, c in courses if p.username in c.students: ...]\n\n"
     "iterate over the short side, or look up by key (`roles[c.name]`). If the\n"
     "site really is that large, raise the limit with --max-steps N."},
    {"E0224", "evaluation needs too much memory",
     "Evaluating a site may hold 8 GiB (--max-memory SIZE raises it: bytes, or\n"
     "a number with Ki, Mi, Gi or Ti; a site of 100,000 people holds some\n"
     "2 GiB), so that no input can exhaust the machine. A string or a\n"
     "list built before it is checked counts in advance: `s + s` repeated, or\n"
     "a comprehension over the product of long lists, stops at the expression\n"
     "that would cross the limit, before it allocates."},
    {"E0230", "invalid import",
     "`import \"path\"` names a .crown file relative to the importing file, as a\n"
     "plain string, inside the site's directory (the directory of the site file\n"
     "given to crownc, or below it). Files may not import each other in a\n"
     "cycle, and imports may nest 64 files deep. A file imported twice is read\n"
     "once."},
    {"E0231", "standard library holds more than declarations",
     "The standard library declares what a site may write (schema, enum, union,\n"
     "check, component) and may name shared values with `let`. A block, an\n"
     "attribute or an `import` describing a site belongs in a site's files."},
    {"E0232", "no root schema",
     "The standard library must declare `schema root`: its fields are what a\n"
     "site file may hold at the top level. The library given with --stdlib (or\n"
     "found next to crownc) lacks it; it is probably the wrong directory."},
    {"E0301", "invalid data file path",
     "csv(), yaml() and file() read a file named relative to the .crown file\n"
     "that calls them, inside the site's directory (the directory of the site\n"
     "file, or below it). An absolute path, a file that cannot be read, or a\n"
     "path that leaves the site's directory (through `..` or a symbolic link) is\n"
     "refused, so that a site builds the same on every machine."},
    {"E0302", "invalid CSV",
     "csv() reads RFC 4180 CSV: a header row of distinct, non-empty column\n"
     "names, then rows with as many fields as the header. A field holding a\n"
     "comma, a quote or a newline is quoted, with quotes doubled inside:\n\n"
     "    name,display\n"
     "    rossi,\"Rossi, Jr.\"\n\n"
     "The message points at the row and column of the file where reading stopped."},
    {"E0303", "invalid YAML",
     "yaml() reads one YAML document. It must be well formed, its mappings have\n"
     "plain, distinct keys, and once anchors and aliases are expanded it must\n"
     "stay small and shallow (a guard against \"billion laughs\" documents)."},
    {"E0409", "reference nothing provides",
     "An object or a chart value of the tree names something the cluster must\n"
     "have: a host, a storage class, an ingress class, a cluster issuer, a\n"
     "Secret, a service URL, a CRD or a namespace. Components say what they\n"
     "need (`needs`) and what they provide (`provides`, and the objects they\n"
     "emit); a need that no enabled component provides would leave the\n"
     "installation waiting for something that never comes.\n\n"
     "Fix: enable the part of the site that deploys it (for example a storage\n"
     "backend), or, when it exists by other means, list it in the site's\n"
     "`external` block:\n\n"
     "    external {\n"
     "      ingress_classes = [\"nginx-external\"]\n"
     "      hosts           = [\"auth.example.org\"]\n"
     "    }\n"},
    {"E0410", "unknown kind of reference",
     "A component's `provides` or `needs` names a kind of reference the library\n"
     "does not list in `reference_kinds` (stdlib/components/kinds.crown), or a\n"
     "need is not of the form {kind = \"...\", name = \"...\"}. A misspelt kind\n"
     "would never match, so it is refused."},
    {"E0411", "invalid apiVersion or kind",
     "Every object's `apiVersion` is `v1` or GROUP/VERSION (`apps/v1`,\n"
     "`cert-manager.io/v1`) and its `kind` is CamelCase (`Secret`, `ConfigMap`),\n"
     "spelt exactly: no other case, no spaces around them. Kubernetes clients\n"
     "differ in how they read other spellings, and a Secret that crownc did not\n"
     "recognise as one would not be sealed, so they are refused."},
    {"E0500", "check failed",
     "A `check` of the standard library found a rule broken. The message, places\n"
     "and hint come from the check; checks that set a `code` report under their\n"
     "own code instead of this one."},
    {"E0701", "invalid secret() arguments",
     "secret() takes named arguments; `kind` is required:\n\n"
     "    password          length = 8..1024 (32), symbols = true|false (false)\n"
     "    token             bytes = 8..1024 (32), encoding = hex|base64|base64url (hex)\n"
     "    tsig              algorithm = hmac-sha256|hmac-sha512 (hmac-sha512)\n"
     "    cookie            (32 bytes for oauth2-proxy, base64url)\n"
     "    ssh-ed25519       comment = \"text\"; public_key(k) is its public half\n"
     "    dockerconfigjson  host, username, password = input_secret(NAME) (derived\n"
     "                      when left out)\n\n"
     "Every kind also takes `name = \"dns-tsig\"`: a shared secret, one value\n"
     "wherever it is placed, which `crownc secrets reveal` and\n"
     "`secrets.generations` know by that name (a DNS label)."},
    {"E0702", "secret out of place",
     "A secret reaches the cluster only inside a Secret: as a value of the\n"
     "`stringData` of an object with apiVersion \"v1\" and kind \"Secret\", or as a\n"
     "value of a chart's values (it then goes to the Secret COMPONENT-values,\n"
     "which the HelmRelease reads with valuesFrom). Such a Secret sets only\n"
     "metadata, type, stringData and immutable, has a namespace, and its keys\n"
     "are letters, digits, '-', '_' and '.'. Write values, not base64: `data` is\n"
     "refused. A secret in a list of chart values has no path to read it by."},
    {"E0703", "one secret, two identities",
     "A generated secret without a name takes its identity from the one place it\n"
     "is put, NAMESPACE/SECRET/KEY; put into two places it would have two. Give\n"
     "it a name to share it: `secret(name = \"dns-tsig\", kind = tsig)`. Two\n"
     "secret() calls with one name must describe the same secret, and the key\n"
     "pair behind a public_key() must itself be placed or named."},
    {"E0704", "unknown secret in secrets.generations",
     "`secrets { generations = { \"NAME\" = 2 } }` rotates the generated secret\n"
     "NAME. The name must be one that `crownc secrets list SITE` shows; a\n"
     "supplied secret has no generation: supply its new value instead."},
    {"E0705", "secret value unavailable",
     "A supplied secret (`input_secret(NAME)`) comes from the environment\n"
     "variable CROWN_SECRET_NAME or from the secrets file given with\n"
     "--secrets FILE. `check` warns when it is missing; `build` cannot seal\n"
     "without it and stops, writing nothing."},
    {"E0706", "sealing failed",
     "Secrets are sealed to the certificate of the cluster's Sealed Secrets\n"
     "controller that the site names (`secrets { certificate = \"...\" }`,\n"
     "default sealed-secrets.pem beside the site file). It must be readable,\n"
     "hold an RSA key of 2048 to 16384 bits and be valid now. Fetch the\n"
     "controller's with `kubeseal --fetch-cert`, or bring a key pair of your own\n"
     "(`crownc keygen --sealing-key`, `crownc bootstrap sealing-key`)."},
    {"E0707", "plain Secret in the tree",
     "Nothing but a SealedSecret may carry a secret into git. A Secret object\n"
     "that reaches the writer unsealed is refused: it is a fault of the build,\n"
     "never of the site."},
    {"E0708", "no usable master key",
     "Generated secrets are derived from the site's master key: 64 hex digits,\n"
     "from --master-key FILE, the environment variable CROWNC_MASTER_KEY, or a\n"
     "file named by CROWNC_MASTER_KEY_FILE. A key file may be read by its owner\n"
     "only (`chmod 600 FILE`). `crownc keygen FILE` makes one; keep it out of the\n"
     "repository and back it up (docs/secrets.md)."},
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
