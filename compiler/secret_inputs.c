/* secret_inputs.c — supplied secrets from the environment and a secrets
 * file (secret_inputs.h). */
#include "secret_inputs.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

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

/* Reads the whole file, after checking that only its owner can reach it. */
static char *read_private(const char *path, size_t *len, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open the secrets file %s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    char *buf = NULL;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "the secrets file %s is not a regular file", path);
    } else if (st.st_mode & 077) {
        snprintf(err, errlen, "the secrets file %s may be read by others (mode %03o): "
                 "run `chmod 600 %s`", path, (unsigned)(st.st_mode & 0777), path);
    } else if (st.st_size > INPUTS_MAX_FILE) {
        snprintf(err, errlen, "the secrets file %s is larger than 1 MiB", path);
    } else if (!(buf = malloc((size_t)st.st_size + 1))) {
        abort();
    } else {
        ssize_t n = read(fd, buf, (size_t)st.st_size);
        if (n != st.st_size) {
            snprintf(err, errlen, "cannot read the secrets file %s", path);
            OPENSSL_clear_free(buf, (size_t)st.st_size + 1);
            buf = NULL;
        } else {
            buf[n] = '\0';
            *len = (size_t)n;
        }
    }
    close(fd);
    return buf;
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
                char *err, size_t errlen)
{
    if (!input_name(name)) {
        snprintf(err, errlen, "%s: \"%.60s\" is not a secret NAME (capital letters, digits, '_')",
                 path, name);
        return false;
    }
    for (size_t i = 0; i < in->n; i++) {
        if (strcmp(in->names[i], name) == 0) {
            snprintf(err, errlen, "%s: %s is given twice", path, name);
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
         p++) {
        yaml_node_t *k = yaml_document_get_node(doc, p->key);
        yaml_node_t *v = yaml_document_get_node(doc, p->value);
        if (!k || !v || k->type != YAML_SCALAR_NODE || v->type != YAML_SCALAR_NODE) {
            snprintf(err, errlen, "%s: line %zu: each entry is NAME: value, a single text", path,
                     (k ? k->start_mark.line : 0) + 1);
            return false;
        }
        if (!add(in, (const char *)k->data.scalar.value, (const char *)v->data.scalar.value, path,
                 err, errlen))
            return false;
    }
    return true;
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
    }
    yaml_parser_delete(&parser);
    OPENSSL_clear_free(text, len + 1);
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
        OPENSSL_clear_free(in->names[i], strlen(in->names[i]) + 1);
        OPENSSL_clear_free(in->values[i], strlen(in->values[i]) + 1);
    }
    free(in->names);
    free(in->values);
    secret_inputs_init(in);
}
