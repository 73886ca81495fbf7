/* hashidx.h — hash indexes over arrays that live in the arena: the keys
 * of an object, the items of a list, the labels of blocks.
 *
 * An index maps hashes to positions in an array it does not own; a
 * lookup yields the candidate positions whose hash matches, and the
 * caller compares the elements themselves, so that equality stays the
 * evaluator's (an enum equals the string of its member's name, 3 equals
 * 3.0). This is what keeps `key in object`, `object[key]`, `x in list`
 * and the duplicate checks linear in the size of the site instead of
 * quadratic. */
#ifndef CROWN_HASHIDX_H
#define CROWN_HASHIDX_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

typedef struct Value Value;

typedef struct HashIndex {
    uint32_t cap;      /* a power of two, at least twice len */
    uint32_t len;
    uint64_t *hashes;  /* per slot */
    uint32_t *at;      /* per slot: position + 1, 0 for an empty slot */
} HashIndex;

/* Arrays shorter than this are searched directly: an index costs more
 * than it saves. */
#define HASHIDX_MIN 16

uint64_t hash_bytes(const void *p, size_t n);
uint64_t hash_string(const char *s);
/* A hash consistent with the evaluator's equality: equal values (an enum
 * and the string of its name, an int and the float of its value, records
 * with one label) hash alike. */
uint64_t value_hash(const Value *v);

/* An empty index with room for n positions before it grows. */
HashIndex *hidx_new(Arena *ar, size_t n);
/* Adds position i with hash h, growing the index when it is half full. */
void hidx_add(Arena *ar, HashIndex *x, uint64_t h, uint32_t i);
/* Iterates the positions with hash h: start with *cursor = 0; returns the
 * next position, or -1 when there is none. */
int64_t hidx_next(const HashIndex *x, uint64_t h, uint32_t *cursor);

/* An index of strings keys[0..n), built in one go. */
HashIndex *hidx_of_strings(Arena *ar, const char *const *keys, size_t n);
/* The position of key among the keys x indexes, or -1. */
int64_t hidx_find_string(const HashIndex *x, const char *const *keys, const char *key);
/* The same for key[0..len), whose hash_bytes is h. */
int64_t hidx_find_str(const HashIndex *x, const char *const *keys, const char *key, size_t len,
                      uint64_t h);

#endif
