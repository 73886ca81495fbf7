/* secret_inputs.c — supplied secrets from the environment and a secrets
 * file (secret_inputs.h). */
#include "secret_inputs.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "private_file.h"

/* A secrets file is a few lines; anything this large is not one. */
enum { INPUTS_MAX_FILE = 1024 * 1024, INPUTS_MAX_ENTRIES = 4096 };

void secret_inputs_init(SecretInputs *in)
{
    memset(in, 0, sizeof *in);
    in->use_env = true;
}

void secret_inputs_env_name(const char *name, char *out, size_t outlen)
{
    snprintf(out, outlen, "CROWN_SECRET_%s", name);
}

/* Reads the whole file, after checking that only its owner can reach it
 * (private_file.h); the reason says which file it was. */
static char *read_private(const char *path, size_t *len, char *err, size_t errlen)
{
    char *text = NULL, why[1024];
    if (!private_file_read(path, "secrets", INPUTS_MAX_FILE, true, &text, len, why, sizeof why))
        snprintf(err, errlen, "the secrets file %s", why);
    return text;
}

static bool input_name(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

static char *dup_or_die(const char *s)
{
    char *d = strdup(s);
    if (!d)
        abort();
    return d;
}

static bool add(SecretInputs *in, const char *name, const char *value, const char *path,
                size_t line, char *err, size_t errlen)
{
    for (size_t i = 0; i < in->n; i++) {
        if (strcmp(in->names[i], name) == 0) {
            snprintf(err, errlen, "%s: line %zu: %s is given twice", path, line, name);
            return false;
        }
    }
    if (in->n == INPUTS_MAX_ENTRIES) {
        snprintf(err, errlen, "%s: more than %d secrets", path, INPUTS_MAX_ENTRIES);
        return false;
    }
    in->names = realloc(in->names, (in->n + 1) * sizeof *in->names);
    in->values = realloc(in->values, (in->n + 1) * sizeof *in->values);
    if (!in->names || !in->values)
        abort();
    in->names[in->n] = dup_or_die(name);
    in->values[in->n++] = dup_or_die(value);
    return true;
}

/* Whether a scalar's text is all of it: a NUL inside (YAML's "\0") would
 * cut the C string short. */
static bool whole_text(const yaml_node_t *n)
{
    return strlen((const char *)n->data.scalar.value) == n->data.scalar.length;
}

/* A plain scalar that YAML reads as null: nothing at all, ~ or null. */
static bool null_looking(const yaml_node_t *n)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
    if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    for (size_t i = 0; i < sizeof nulls / sizeof *nulls; i++)
        if (strcmp((const char *)n->data.scalar.value, nulls[i]) == 0)
            return true;
    return false;
}

/* One NAME: value entry. A bad key is named by its line only: it may be a
 * value pasted in the wrong place. */
static bool read_entry(SecretInputs *in, yaml_document_t *doc, const yaml_node_pair_t *p,
                       const char *path, char *err, size_t errlen)
{
    yaml_node_t *k = yaml_document_get_node(doc, p->key);
    yaml_node_t *v = yaml_document_get_node(doc, p->value);
    size_t line = (k ? k->start_mark.line : 0) + 1;
    if (!k || !v || k->type != YAML_SCALAR_NODE || v->type != YAML_SCALAR_NODE) {
        snprintf(err, errlen, "%s: line %zu: each entry is NAME: value, a single text", path,
                 line);
        return false;
    }
    const char *name = (const char *)k->data.scalar.value;
    if (!whole_text(k) || !input_name(name)) {
        snprintf(err, errlen, "%s: line %zu: the key is not a secret NAME (capital letters, "
                 "digits, '_')", path, line);
        return false;
    }
    if (null_looking(v)) {
        snprintf(err, errlen, "%s: line %zu: %s has no value (quote a value that is ~ or null)",
                 path, line, name);
        return false;
    }
    if (!whole_text(v)) {
        snprintf(err, errlen, "%s: line %zu: the value of %s holds a NUL character", path, line,
                 name);
        return false;
    }
    return add(in, name, (const char *)v->data.scalar.value, path, line, err, errlen);
}

/* The document's root must map plain names to scalars. */
static bool read_mapping(SecretInputs *in, yaml_document_t *doc, const char *path, char *err,
                         size_t errlen)
{
    yaml_node_t *root = yaml_document_get_root_node(doc);
    if (!root)
        return true; /* an empty file supplies nothing */
    if (root->type != YAML_MAPPING_NODE) {
        snprintf(err, errlen, "%s: the secrets file is a mapping of NAME: value", path);
        return false;
    }
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++)
        if (!read_entry(in, doc, p, path, err, errlen))
            return false;
    return true;
}

/* A second document would be ignored: refuse it rather than report its
 * names missing later. */
static bool only_document(yaml_parser_t *parser, const char *path, char *err, size_t errlen)
{
    yaml_document_t doc;
    if (!yaml_parser_load(parser, &doc)) {
        snprintf(err, errlen, "%s: line %zu: not valid YAML", path,
                 parser->problem_mark.line + 1);
        return false;
    }
    bool empty = yaml_document_get_root_node(&doc) == NULL;
    yaml_document_delete(&doc);
    if (!empty)
        snprintf(err, errlen, "%s: the secrets file is one YAML document; it has more", path);
    return empty;
}

bool secret_inputs_load(SecretInputs *in, const char *path, char *err, size_t errlen)
{
    size_t len = 0;
    char *text = read_private(path, &len, err, errlen);
    if (!text)
        return false;
    yaml_parser_t parser;
    yaml_document_t doc;
    bool ok = false;
    if (!yaml_parser_initialize(&parser))
        abort();
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &doc)) {
        /* The parser's message may quote the text around the error: give
         * the position only, so no value reaches a log. */
        snprintf(err, errlen, "%s: line %zu: not valid YAML", path, parser.problem_mark.line + 1);
    } else {
        ok = read_mapping(in, &doc, path, err, errlen);
        yaml_document_delete(&doc);
        ok = ok && only_document(&parser, path, err, errlen);
    }
    yaml_parser_delete(&parser);
    private_file_free(text, len);
    return ok;
}

const char *secret_inputs_get(const SecretInputs *in, const char *name)
{
    if (in->use_env) {
        char var[256];
        secret_inputs_env_name(name, var, sizeof var);
        const char *v = getenv(var);
        if (v)
            return v;
    }
    for (size_t i = 0; i < in->n; i++)
        if (strcmp(in->names[i], name) == 0)
            return in->values[i];
    return NULL;
}

void secret_inputs_free(SecretInputs *in)
{
    for (size_t i = 0; i < in->n; i++) {
        /* strdup'ed: OPENSSL_clear_free would pair with OPENSSL_malloc. */
        OPENSSL_cleanse(in->names[i], strlen(in->names[i]));
        OPENSSL_cleanse(in->values[i], strlen(in->values[i]));
        free(in->names[i]);
        free(in->values[i]);
    }
    free(in->names);
    free(in->values);
    secret_inputs_init(in);
}
