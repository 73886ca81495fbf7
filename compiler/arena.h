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
typedef struct Arena {
    ArenaBlock *head;
    size_t total; /* bytes handed out, for statistics and tests */
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

/* Heap memory outside an arena, under the same rule: never NULL, the
 * process reports and aborts instead. free() releases it. */
void *xmalloc(size_t n);

#endif
