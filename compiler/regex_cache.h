/* regex_cache.h — regular expressions compiled once per evaluation.
 *
 * A pattern (a `matches()` argument, a field's regex constraint) is
 * usually checked against every person of the site: compiling it at each
 * use cost more than the matching. The cache keeps each distinct pattern
 * compiled until the evaluation ends. */
#ifndef CROWN_REGEX_CACHE_H
#define CROWN_REGEX_CACHE_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

typedef struct RegexEntry {
    uint64_t hash;
    char *pattern;
    regex_t rx;
    int ok;          /* regcomp succeeded */
} RegexEntry;

typedef struct RegexCache {
    RegexEntry *at;
    size_t len, cap;
} RegexCache;

/* pattern compiled as an extended expression without subexpressions, or
 * NULL when it is not a valid one. */
const regex_t *regex_cached(RegexCache *c, const char *pattern);
void regex_cache_free(RegexCache *c);

#endif
