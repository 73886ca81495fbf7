#include "regex_cache.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "hashidx.h"

const regex_t *regex_cached(RegexCache *c, const char *pattern)
{
    uint64_t h = hash_string(pattern);
    for (size_t i = 0; i < c->len; i++)
        if (c->at[i].hash == h && strcmp(c->at[i].pattern, pattern) == 0)
            return c->at[i].ok ? &c->at[i].rx : NULL;
    if (c->len == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 16;
        RegexEntry *at = realloc(c->at, c->cap * sizeof *at);
        if (!at)
            abort();
        c->at = at;
    }
    RegexEntry *e = &c->at[c->len++];
    e->hash = h;
    e->pattern = xmalloc(strlen(pattern) + 1);
    strcpy(e->pattern, pattern);
    e->ok = regcomp(&e->rx, pattern, REG_EXTENDED | REG_NOSUB) == 0;
    return e->ok ? &e->rx : NULL;
}

void regex_cache_free(RegexCache *c)
{
    for (size_t i = 0; i < c->len; i++) {
        if (c->at[i].ok)
            regfree(&c->at[i].rx);
        free(c->at[i].pattern);
    }
    free(c->at);
    c->at = NULL;
    c->len = c->cap = 0;
}
