/* sealed_prev.c — reading a previous SealedSecret (sealed_prev.h). */
#include "sealed_prev.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "secrets.h"

static yaml_node_t *get(yaml_document_t *d, yaml_node_t *map, const char *key)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(d, p->key);
        if (k && k->type == YAML_SCALAR_NODE && strcmp((char *)k->data.scalar.value, key) == 0)
            return yaml_document_get_node(d, p->value);
    }
    return NULL;
}

static const char *scalar(yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static char *dup(const char *s, size_t n)
{
    char *d = strndup(s, n);
    if (!d)
        abort();
    return d;
}

static void push(char ***a, char ***b, size_t *n, char *x, char *y)
{
    *a = realloc(*a, (*n + 1) * sizeof **a);
    *b = realloc(*b, (*n + 1) * sizeof **b);
    if (!*a || !*b)
        abort();
    (*a)[*n] = x;
    (*b)[(*n)++] = y;
}

/* "KEY HEX" lines. */
static void hmac_lines(SealedPrev *out, const char *text)
{
    while (*text) {
        const char *nl = strchr(text, '\n');
        size_t len = nl ? (size_t)(nl - text) : strlen(text);
        const char *sp = memchr(text, ' ', len);
        if (sp)
            push(&out->keys, &out->hmacs, &out->nhmacs, dup(text, (size_t)(sp - text)),
                 dup(sp + 1, len - (size_t)(sp - text) - 1));
        text += len + (nl ? 1 : 0);
    }
}

static bool read_doc(yaml_document_t *d, SealedPrev *out)
{
    yaml_node_t *root = yaml_document_get_root_node(d);
    const char *kind = scalar(get(d, root, "kind"));
    if (!kind || strcmp(kind, "SealedSecret") != 0)
        return false;
    yaml_node_t *ann = get(d, get(d, root, "metadata"), "annotations");
    const char *cert = scalar(get(d, ann, SECRETS_ANNOTATION_CERT));
    const char *hmacs = scalar(get(d, ann, SECRETS_ANNOTATION_HMAC));
    yaml_node_t *enc = get(d, get(d, root, "spec"), "encryptedData");
    if (!cert || !hmacs || !enc || enc->type != YAML_MAPPING_NODE)
        return false;
    out->cert = dup(cert, strlen(cert));
    hmac_lines(out, hmacs);
    for (yaml_node_pair_t *p = enc->data.mapping.pairs.start; p < enc->data.mapping.pairs.top;
         p++) {
        const char *k = scalar(yaml_document_get_node(d, p->key));
        const char *v = scalar(yaml_document_get_node(d, p->value));
        if (k && v)
            push(&out->names, &out->blobs, &out->nblobs, dup(k, strlen(k)), dup(v, strlen(v)));
    }
    return true;
}

bool sealed_prev_parse(const char *text, size_t len, SealedPrev *out)
{
    memset(out, 0, sizeof *out);
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser))
        abort();
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    bool ok = false;
    if (yaml_parser_load(&parser, &doc)) {
        ok = read_doc(&doc, out);
        yaml_document_delete(&doc);
    }
    yaml_parser_delete(&parser);
    if (!ok)
        sealed_prev_free(out);
    return ok;
}

bool sealed_prev_value(const SealedPrev *p, const char *key, const char **blob,
                       const char **tag)
{
    *blob = *tag = NULL;
    for (size_t i = 0; i < p->nhmacs && !*tag; i++)
        if (strcmp(p->keys[i], key) == 0)
            *tag = p->hmacs[i];
    for (size_t i = 0; i < p->nblobs && !*blob; i++)
        if (strcmp(p->names[i], key) == 0)
            *blob = p->blobs[i];
    return *blob && *tag;
}

static void free_all(char **a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(a[i]);
    free(a);
}

void sealed_prev_free(SealedPrev *p)
{
    free(p->cert);
    free_all(p->keys, p->nhmacs);
    free_all(p->hmacs, p->nhmacs);
    free_all(p->names, p->nblobs);
    free_all(p->blobs, p->nblobs);
    memset(p, 0, sizeof *p);
}
