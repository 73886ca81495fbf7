/* arena.h — bump allocation for one compilation.
 *
 * Everything a build creates (tokens, AST nodes, strings) lives as long as
 * the build, so it is allocated from one arena and released at once.
 * Allocation never fails: on exhaustion the process reports and aborts,
 * which is the only sane answer for a compiler out of memory. */
#ifndef CROWN_ARENA_H
#define CROWN_ARENA_H

#include <stddef.h>

typedef struct ArenaBlock ArenaBlock;
enum { ARENA_CLASSES = 48 };
typedef struct Arena {
    ArenaBlock *head;
    size_t total; /* bytes handed out, for statistics and tests */
    /* Arrays that arena_grow outgrew, for the next one to grow into: a
     * list built by doubling would otherwise leave as much behind as it
     * keeps. spare[k] holds blocks of at least 2^k bytes. */
    void *spare[ARENA_CLASSES];
} Arena;

void arena_init(Arena *a);
void arena_free(Arena *a);
/* Zeroed, aligned for any object. */
void *arena_alloc(Arena *a, size_t size);
/* A NUL-terminated copy of s[0..n). */
char *arena_strndup(Arena *a, const char *s, size_t n);
/* Grow an array that lives in the arena: returns a copy of old (old_n
 * elements of elem bytes) with room for new_n elements. */
void *arena_grow(Arena *a, void *old, size_t old_n, size_t new_n, size_t elem);
/* The same for an array that nothing else points into (a list under
 * construction): old, which must hold old_n elements, is given back for
 * the next array to grow into, so it must not be used again. The room
 * past old_n is zeroed. */
void *arena_regrow(Arena *a, void *old, size_t old_n, size_t new_n, size_t elem);
/* A copy of the first n elements of an array from arena_regrow, at their
 * exact size (never NULL); the array, of room elements, is given back. */
void *arena_shrink(Arena *a, void *old, size_t n, size_t room, size_t elem);
/* Gives back p, of bytes, that nothing points into any more. */
void arena_release(Arena *a, void *p, size_t bytes);

/* Heap memory outside an arena, under the same rule: never NULL, the
 * process reports and aborts instead. free() releases it. */
void *xmalloc(size_t n);

#endif
