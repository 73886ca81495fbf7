/* data.c — csv(), yaml() and file(): data a site reads from its own
 * directory.
 *
 * A path is relative to the file that names it and must resolve (symbolic
 * links followed) to a file inside the site's directory: a site file can
 * read its rosters, never /etc/passwd. Each file is read once per build
 * and kept as a Source, so a value read from it points at its own line and
 * column: a bad e-mail address in row 17 of a roster is reported at
 * rosters/netlab.csv:17:24. */
#define _XOPEN_SOURCE 700 /* realpath */

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "eval_internal.h"
#include "hashidx.h"
#include "utf8.h"

enum { YAML_MAX_NODES = 1000000, YAML_MAX_DEPTH = 256 };

/* ---- paths ---- */

static bool inside(const char *dir, const char *path)
{
    size_t n = strlen(dir);
    return strncmp(path, dir, n) == 0 && path[n] == '/';
}

/* The DataFile for path (read now if new), or NULL after a diagnostic. */
static DataFile *open_data(Eval *ev, const Value *path, const Node *at, int kind)
{
    const char *rel = path->u.str.s;
    if (rel[0] == '/' || rel[0] == '\0' || memchr(rel, '\0', path->u.str.len)) {
        Diag *d = eval_error(ev, "E0301", path->at, "a data path is relative to the file that "
                             "names it");
        diag_set_hint(d, "write it from this file's directory: csv(\"rosters/netlab.csv\")");
        return NULL;
    }
    char *shown = source_join(at->span.src->path, rel);
    char real[PATH_MAX];
    if (!realpath(shown, real)) {
        eval_error(ev, "E0301", path->at, "cannot read %s: %s", shown, strerror(errno));
        free(shown);
        return NULL;
    }
    /* The library reads its own data (CRDs, dashboards) from below its
     * directory and nothing else; a site from below its own. */
    char caller[PATH_MAX];
    bool from_library = ev->stdlib_dir && realpath(at->span.src->path, caller) &&
                        inside(ev->stdlib_dir, caller);
    if (from_library) {
        if (!inside(ev->stdlib_dir, real)) {
            Diag *d = eval_error(ev, "E0301", path->at, "%s is outside the library's directory",
                                 shown);
            diag_set_hint(d, "the library reads data only from its own directory and below, "
                             "never from the site's");
            free(shown);
            return NULL;
        }
    } else if (!ev->site_dir || !inside(ev->site_dir, real)) {
        Diag *d = eval_error(ev, "E0301", path->at, "%s is outside the site's directory", shown);
        /* The hint names no absolute path: messages stay the same in every
         * checkout, and the site's directory is the one its file is in. */
        diag_set_hint(d, "%s", ev->site_dir ? "a site reads data only from the directory of "
                                              "its site file and below"
                                            : "data files are read only by a site");
        free(shown);
        return NULL;
    }
    for (size_t i = 0; i < ev->ndata; i++) {
        if (strcmp(ev->data[i].real, real) == 0 && ev->data[i].kind == kind) {
            free(shown);
            return &ev->data[i];
        }
    }
    Source *src = NULL;
    char err[512];
    size_t size = 0;
    SourceStatus st = source_load(shown, &src, err, sizeof err, &size);
    if (st == SOURCE_TOO_LARGE) {
        Diag *d = eval_error(ev, "E0301", path->at, "%s is too large (%zu bytes or more; the "
                             "limit is %zu)", shown, size, (size_t)SOURCE_MAX_BYTES);
        diag_set_hint(d, "split the data into several files");
    } else if (st != SOURCE_OK) {
        eval_error(ev, "E0301", path->at, "%s", err);
    }
    if (st != SOURCE_OK) {
        free(shown);
        return NULL;
    }
    free(shown);
    src->id = ev->next_source_id++;
    if (ev->ndata == ev->capdata) {
        size_t cap = ev->capdata ? ev->capdata * 2 : 8;
        DataFile *p = realloc(ev->data, cap * sizeof *p);
        if (!p)
            abort();
        ev->data = p;
        ev->capdata = cap;
    }
    DataFile *df = &ev->data[ev->ndata++];
    memset(df, 0, sizeof *df);
    df->src = src;
    df->kind = kind;
    df->real = arena_strndup(ev->ar, real, strlen(real));
    return df;
}

/* A data file is text: a NUL or a byte that is not UTF-8 is refused at
 * its line and column, before any of it becomes a string (a NUL would cut
 * a name short for every check that reads up to it). code is the reader's. */
static bool text_ok(Eval *ev, const Source *src, const char *code)
{
    const char *nul = memchr(src->text, '\0', src->len);
    size_t bad = utf8_invalid_at(src->text, nul ? (size_t)(nul - src->text) : src->len);
    if (!nul && bad == src->len)
        return true;
    Span at = source_span(src, bad, bad + 1);
    if (nul && bad == (size_t)(nul - src->text)) {
        Diag *d = eval_error(ev, code, at, "the file contains a NUL byte");
        diag_set_hint(d, "a data file is text: a NUL byte is not part of any value");
        return false;
    }
    Diag *d = eval_error(ev, code, at, "the file is not valid UTF-8 (byte 0x%02X)",
                         (unsigned char)src->text[bad]);
    diag_set_hint(d, "a data file is UTF-8 text: save it as UTF-8 (for example with "
                     "`iconv -f latin1 -t utf-8`)");
    return false;
}

/* ---- csv ---- */

typedef struct Csv {
    Eval *ev;
    const Source *src;
    size_t i;
} Csv;

/* Reads one field; *end_of_row is set when a line break or the end of the
 * file follows it. Returns false after a diagnostic. */
static bool csv_field(Csv *c, const Value **out, bool *end_of_row)
{
    const char *t = c->src->text;
    size_t n = c->src->len, start = c->i;
    StrBuf b;
    sb_init(&b);
    if (c->i < n && t[c->i] == '"') {
        c->i++;
        for (;;) {
            if (c->i >= n) {
                eval_error(c->ev, "E0302", source_span(c->src, start, start + 1),
                           "a quoted field is never closed");
                sb_free(&b);
                return false;
            }
            if (t[c->i] == '"' && c->i + 1 < n && t[c->i + 1] == '"') {
                sb_putc(&b, '"');
                c->i += 2;
            } else if (t[c->i] == '"') {
                c->i++;
                break;
            } else {
                sb_putc(&b, t[c->i++]);
            }
        }
        if (c->i < n && t[c->i] != ',' && t[c->i] != '\n' && t[c->i] != '\r') {
            eval_error(c->ev, "E0302", source_span(c->src, c->i, c->i + 1),
                       "text after the closing quote of a field");
            sb_free(&b);
            return false;
        }
        *out = value_string(c->ev->ar, source_span(c->src, start, c->i), b.data ? b.data : "",
                            b.len);
        sb_free(&b);
    } else {
        /* Unquoted: the field is the text itself, copied once. */
        while (c->i < n && t[c->i] != ',' && t[c->i] != '\n' && t[c->i] != '\r')
            c->i++;
        *out = value_string(c->ev->ar, source_span(c->src, start, c->i), t + start, c->i - start);
    }
    if (c->i < n && t[c->i] == ',') {
        c->i++;
        *end_of_row = false;
        return true;
    }
    if (c->i < n && t[c->i] == '\r')
        c->i++;
    if (c->i < n && t[c->i] == '\n')
        c->i++;
    *end_of_row = true;
    return true;
}

static bool csv_row(Csv *c, ValueVec *cells)
{
    cells->len = 0;
    bool end = false;
    while (!end) {
        const Value *v;
        if (!csv_field(c, &v, &end))
            return false;
        vec_push(c->ev, cells, v);
    }
    return true;
}

static bool blank_line(const Csv *c)
{
    const char *t = c->src->text;
    return t[c->i] == '\n' || (t[c->i] == '\r' && t[c->i + 1] == '\n');
}

static bool csv_header(Csv *c, ValueVec *head)
{
    if (!csv_row(c, head))
        return false;
    for (size_t i = 0; i < head->len; i++) {
        const Value *h = head->at[i];
        if (h->u.str.len == 0) {
            eval_error(c->ev, "E0302", h->at, "column %zu of the header has no name", i + 1);
            return false;
        }
        for (size_t j = 0; j < i; j++) {
            if (value_equal(head->at[j], h)) {
                Diag *d = eval_error(c->ev, "E0302", h->at, "column \"%s\" appears twice in the "
                                     "header", h->u.str.s);
                diag_add_secondary(d, head->at[j]->at, "first here");
                return false;
            }
        }
    }
    return true;
}

static const Value *parse_csv(Eval *ev, const Source *src)
{
    Csv c = {ev, src, 0};
    if (src->len >= 3 && memcmp(src->text, "\xEF\xBB\xBF", 3) == 0)
        c.i = 3;
    ValueVec head = {0}, cells = {0}, rows = {0};
    if (c.i >= src->len) {
        eval_error(ev, "E0302", source_span(src, 0, 0), "the file is empty: a CSV file starts "
                   "with a header row");
        return NULL;
    }
    if (!csv_header(&c, &head))
        return NULL;
    const char **keys = arena_alloc(ev->ar, head.len * sizeof *keys);
    for (size_t i = 0; i < head.len; i++)
        keys[i] = head.at[i]->u.str.s;
    bool ok = true;
    while (c.i < src->len) {
        if (blank_line(&c)) {
            c.i += src->text[c.i] == '\r' ? 2 : 1;
            continue;
        }
        size_t start = c.i;
        if (!csv_row(&c, &cells))
            return NULL;
        Span row = source_span(src, start, c.i);
        if (cells.len != head.len) {
            Diag *d = eval_error(ev, "E0302", source_span(src, start, start),
                                 "this row has %zu field%s, the header %zu", cells.len,
                                 cells.len == 1 ? "" : "s", head.len);
            diag_set_hint(d, "quote a field that holds a comma: \"Rossi, Jr.\"");
            ok = false;
            continue;
        }
        const Value **vals = arena_alloc(ev->ar, head.len * sizeof *vals);
        memcpy(vals, cells.at, head.len * sizeof *vals);
        vec_push(ev, &rows, value_object(ev->ar, row, keys, vals, head.len));
    }
    vec_free(ev, &head);
    vec_free(ev, &cells);
    const Value **items = vec_take(ev, &rows);
    return ok ? value_list(ev->ar, source_span(src, 0, src->len), items, rows.len) : NULL;
}

const Value *data_csv(Eval *ev, const Value *path, const Node *at)
{
    DataFile *df = open_data(ev, path, at, 'c');
    if (!df)
        return NULL;
    if (!df->done) {
        df->done = true;
        df->value = text_ok(ev, df->src, "E0302") ? parse_csv(ev, df->src) : NULL;
    }
    return df->value;
}

/* ---- yaml ---- */

typedef struct Yaml {
    Eval *ev;
    const Source *src;
    yaml_document_t *doc;
    size_t visited;
    bool failed;
    /* The last mark placed: marks mostly come in document order, so the
     * next one is found by walking on from it, not from its line's start
     * (one long line of flow YAML would cost its length per node). */
    size_t at_line, at_col, at_off;
} Yaml;

/* libyaml marks count characters from the start of the line. */
static Span mark_span(Yaml *y, yaml_mark_t m)
{
    const Source *s = y->src;
    size_t line = m.line < s->nlines ? m.line : s->nlines - 1;
    size_t off = s->lines[line], col = 0;
    if (line == y->at_line && m.column >= y->at_col && y->at_off >= off) {
        off = y->at_off;
        col = y->at_col;
    }
    for (; col < m.column && off < s->len && s->text[off] != '\n'; off++)
        if (((unsigned char)s->text[off + 1] & 0xC0) != 0x80)
            col++;
    y->at_line = line;
    y->at_col = col;
    y->at_off = off;
    return source_span(s, off, off);
}

static bool plain_is(const char *s, const char *const *words)
{
    for (; *words; words++)
        if (strcmp(s, *words) == 0)
            return true;
    return false;
}

/* Escapes ("\0", "\x00", "\uD800") make what the file's bytes are not:
 * a scalar, key or value, is text too. */
static bool scalar_text_ok(Yaml *y, yaml_node_t *node)
{
    const char *s = (const char *)node->data.scalar.value;
    size_t n = node->data.scalar.length;
    if (!memchr(s, '\0', n) && utf8_invalid_at(s, n) == n)
        return true;
    Diag *d = eval_error(y->ev, "E0303", mark_span(y, node->start_mark), "this string holds %s",
                         memchr(s, '\0', n) ? "a NUL character" : "text that is not UTF-8");
    diag_set_hint(d, "strings of a data file are text: remove the escape");
    y->failed = true;
    return false;
}

static const Value *scalar(Yaml *y, yaml_node_t *node)
{
    const char *s = (const char *)node->data.scalar.value;
    size_t n = node->data.scalar.length;
    Span at = mark_span(y, node->start_mark);
    Arena *ar = y->ev->ar;
    if (!scalar_text_ok(y, node))
        return NULL;
    if (node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
        static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
        static const char *const trues[] = {"true", "True", "TRUE", NULL};
        static const char *const falses[] = {"false", "False", "FALSE", NULL};
        if (plain_is(s, nulls))
            return value_null(ar, at);
        if (plain_is(s, trues) || plain_is(s, falses))
            return value_bool(ar, at, plain_is(s, trues));
        char *end;
        errno = 0;
        long long i = strtoll(s, &end, 10);
        if (n && *end == '\0' && errno == 0 && (s[0] != '0' || n == 1))
            return value_int(ar, at, i);
        double f = strtod(s, &end);
        if (n && *end == '\0' && strpbrk(s, ".eE") && strspn(s, "+-0123456789.eE") == n)
            return value_float(ar, at, f);
    }
    return value_string(ar, at, s, n);
}

static const Value *yaml_value(Yaml *y, yaml_node_t *node, int depth);

static const Value *sequence(Yaml *y, yaml_node_t *node, int depth)
{
    ValueVec items = {0};
    for (yaml_node_item_t *it = node->data.sequence.items.start;
         it < node->data.sequence.items.top; it++) {
        const Value *v = yaml_value(y, yaml_document_get_node(y->doc, *it), depth + 1);
        if (!v)
            return NULL;
        vec_push(y->ev, &items, v);
    }
    const Value **at = vec_take(y->ev, &items);
    return value_list(y->ev->ar, mark_span(y, node->start_mark), at, items.len);
}

/* The position of key among keys (string values), or -1; past
 * HASHIDX_MIN keys through *seen, made here: a mapping may have
 * thousands. */
static int64_t key_seen(Eval *ev, const ValueVec *keys, HashIndex **seen, const char *key)
{
    if (keys->len < HASHIDX_MIN) {
        for (size_t i = 0; i < keys->len; i++)
            if (strcmp(keys->at[i]->u.str.s, key) == 0)
                return (int64_t)i;
        return -1;
    }
    if (!*seen) {
        *seen = hidx_new(ev->ar, 2 * keys->len);
        for (size_t i = 0; i < keys->len; i++)
            hidx_add(ev->ar, *seen, hash_string(keys->at[i]->u.str.s), (uint32_t)i);
    }
    uint64_t h = hash_string(key);
    uint32_t cursor = 0;
    for (int64_t i; (i = hidx_next(*seen, h, &cursor)) >= 0;)
        if (strcmp(keys->at[i]->u.str.s, key) == 0)
            return i;
    return -1;
}

static const Value *mapping(Yaml *y, yaml_node_t *node, int depth)
{
    ValueVec vals = {0}, keys = {0};
    HashIndex *seen = NULL;
    for (yaml_node_pair_t *p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(y->doc, p->key);
        if (!k || k->type != YAML_SCALAR_NODE) {
            eval_error(y->ev, "E0303", mark_span(y, node->start_mark),
                       "a mapping key must be a plain value");
            return NULL;
        }
        if (!scalar_text_ok(y, k))
            return NULL;
        const char *key = (const char *)k->data.scalar.value;
        Span kat = mark_span(y, k->start_mark);
        int64_t twice = key_seen(y->ev, &keys, &seen, key);
        if (twice >= 0) {
            Diag *d = eval_error(y->ev, "E0303", kat, "key \"%s\" appears twice", key);
            diag_add_secondary(d, keys.at[twice]->at, "first here");
            return NULL;
        }
        const Value *v = yaml_value(y, yaml_document_get_node(y->doc, p->value), depth + 1);
        if (!v)
            return NULL;
        if (seen)
            hidx_add(y->ev->ar, seen, hash_string(key), (uint32_t)keys.len);
        vec_push(y->ev, &keys, value_string(y->ev->ar, kat, key, k->data.scalar.length));
        vec_push(y->ev, &vals, v);
    }
    const char **names = arena_alloc(y->ev->ar, (keys.len ? keys.len : 1) * sizeof *names);
    for (size_t i = 0; i < keys.len; i++)
        names[i] = keys.at[i]->u.str.s;
    vec_free(y->ev, &keys);
    const Value **at = vec_take(y->ev, &vals);
    return value_object(y->ev->ar, mark_span(y, node->start_mark), names, at, vals.len);
}

static const Value *yaml_value(Yaml *y, yaml_node_t *node, int depth)
{
    /* Aliases share nodes, so a small document can describe a huge tree:
     * both the nodes visited and the depth are bounded. */
    if (!node || ++y->visited > YAML_MAX_NODES || depth > YAML_MAX_DEPTH) {
        if (!y->failed)
            eval_error(y->ev, "E0303", source_span(y->src, 0, 0), "the document is too large "
                       "or too deep once its aliases are expanded");
        y->failed = true;
        return NULL;
    }
    switch (node->type) {
    case YAML_SCALAR_NODE: return scalar(y, node);
    case YAML_SEQUENCE_NODE: return sequence(y, node, depth);
    case YAML_MAPPING_NODE: return mapping(y, node, depth);
    default: return value_null(y->ev->ar, mark_span(y, node->start_mark));
    }
}

/* libyaml keeps state per open collection and rescans it per token, so a
 * document nested 200,000 deep costs minutes to load before the depth is
 * seen. Its events are read first, and reading stops at the limit. A
 * syntax error is left for the load to report. */
static bool shallow_enough(Eval *ev, const Source *src)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        abort();
    yaml_parser_set_input_string(&parser, (const unsigned char *)src->text, src->len);
    int depth = 0;
    bool ok = true, done = false;
    while (ok && !done) {
        yaml_event_t e;
        if (!yaml_parser_parse(&parser, &e))
            break;
        if (e.type == YAML_SEQUENCE_START_EVENT || e.type == YAML_MAPPING_START_EVENT)
            depth++;
        else if (e.type == YAML_SEQUENCE_END_EVENT || e.type == YAML_MAPPING_END_EVENT)
            depth--;
        done = e.type == YAML_STREAM_END_EVENT;
        if (depth > YAML_MAX_DEPTH) {
            Yaml y = {ev, src, NULL, 0, false, 0, 0, 0};
            Diag *d = eval_error(ev, "E0303", mark_span(&y, e.start_mark), "the document "
                                 "nests more than %d levels deep", YAML_MAX_DEPTH);
            diag_set_hint(d, "a data file is a shallow table of records");
            ok = false;
        }
        yaml_event_delete(&e);
    }
    yaml_parser_delete(&parser);
    return ok;
}

static const Value *parse_yaml(Eval *ev, const Source *src)
{
    if (!shallow_enough(ev, src))
        return NULL;
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser))
        abort();
    yaml_parser_set_input_string(&parser, (const unsigned char *)src->text, src->len);
    const Value *v = NULL;
    if (!yaml_parser_load(&parser, &doc)) {
        Yaml y = {ev, src, NULL, 0, false, 0, 0, 0};
        Diag *d = eval_error(ev, "E0303", mark_span(&y, parser.problem_mark), "invalid YAML: %s",
                             parser.problem ? parser.problem : "unreadable document");
        /* The problem is often found far from its cause (an unclosed `[` is
         * noticed at the end of the file): show where the construct began. */
        if (parser.context)
            diag_add_secondary(d, mark_span(&y, parser.context_mark), "%s", parser.context);
        yaml_parser_delete(&parser);
        return NULL;
    }
    Yaml y = {ev, src, &doc, 0, false, 0, 0, 0};
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    v = root ? yaml_value(&y, root, 0) : value_null(ev->ar, source_span(src, 0, 0));
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return v;
}

const Value *data_yaml(Eval *ev, const Value *path, const Node *at)
{
    DataFile *df = open_data(ev, path, at, 'y');
    if (!df)
        return NULL;
    if (!df->done) {
        df->done = true;
        df->value = text_ok(ev, df->src, "E0303") ? parse_yaml(ev, df->src) : NULL;
    }
    return df->value;
}

const Value *data_file(Eval *ev, const Value *path, const Node *at)
{
    DataFile *df = open_data(ev, path, at, 'f');
    if (!df)
        return NULL;
    if (!df->done) {
        df->done = true;
        df->value = text_ok(ev, df->src, "E0301")
                        ? value_string(ev->ar, source_span(df->src, 0, df->src->len),
                                       df->src->text, df->src->len)
                        : NULL;
    }
    return df->value;
}
