/* madvise() and MADV_HUGEPAGE are not POSIX. */
#define _DEFAULT_SOURCE
#include "arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

struct ArenaBlock {
    ArenaBlock *next;
    size_t used, cap;
    alignas(max_align_t) unsigned char data[];
};

/* Blocks start small (most arenas hold a few files) and double up to
 * ARENA_BLOCK_MAX, so that a large site is a few dozen blocks whose pages
 * can be huge ones: at a university's size the evaluation is bound by
 * memory latency, and over 4 KiB pages most value reads miss the TLB. */
enum {
    ARENA_BLOCK = 64 * 1024,
    ARENA_BLOCK_MAX = 32 * 1024 * 1024,
    ARENA_OWN_BLOCK = 16 * 1024, /* a request above this gets a block of its own */
    HUGE_PAGE = 2 * 1024 * 1024,
};

/* What allocations are aligned to: the strictest of what the compiler
 * stores (pointers, 64-bit integers, doubles), not max_align_t, whose 16
 * bytes would cost 8 on every value. */
typedef union ArenaAlign {
    void *p;
    long long i;
    double d;
} ArenaAlign;

void arena_init(Arena *a) { *a = (Arena){0}; }

void arena_free(Arena *a)
{
    ArenaBlock *b = a->head;
    while (b) {
        ArenaBlock *next = b->next;
        free(b);
        b = next;
    }
    *a = (Arena){0};
}

/* A zeroed block: calloc() knows that fresh pages from the system are
 * zero already, so nothing is written twice, and allocations from the
 * block need no clearing. */
static ArenaBlock *new_block(size_t cap)
{
    ArenaBlock *b = calloc(1, sizeof *b + cap);
    if (!b) {
        fputs("crownc: out of memory\n", stderr);
        abort();
    }
#ifdef MADV_HUGEPAGE
    if (cap >= 2 * HUGE_PAGE) {
        /* Advice only: where the system has no huge pages, nothing changes. */
        uintptr_t lo = ((uintptr_t)b + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
        uintptr_t hi = ((uintptr_t)b->data + cap) & ~(uintptr_t)(HUGE_PAGE - 1);
        if (hi > lo)
            (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
    }
#endif
    b->next = NULL;
    b->used = 0;
    b->cap = cap;
    return b;
}

void *arena_alloc(Arena *a, size_t size)
{
    const size_t align = alignof(ArenaAlign);
    if (size > SIZE_MAX / 2) {
        fputs("crownc: allocation too large\n", stderr);
        abort();
    }
    size = (size + align - 1) & ~(align - 1);
    if (size == 0)
        size = align;
    ArenaBlock *b = a->head;
    if (!b || b->cap - b->used < size) {
        /* Large requests get a block of their own, placed behind the
         * current one so the current block keeps serving small ones. */
        if (size > ARENA_OWN_BLOCK && b) {
            ArenaBlock *big = new_block(size);
            big->next = b->next;
            b->next = big;
            big->used = size;
            a->total += size;
            return big->data;
        }
        size_t cap = b ? b->cap * 2 : ARENA_BLOCK;
        if (cap > ARENA_BLOCK_MAX)
            cap = ARENA_BLOCK_MAX;
        b = new_block(size > cap ? size : cap);
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += size;
    a->total += size;
    return p; /* zero: blocks are zeroed, and no byte is handed out twice */
}

char *arena_strndup(Arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static size_t array_bytes(size_t n, size_t elem)
{
    if (n && elem > SIZE_MAX / 4 / n) {
        fputs("crownc: allocation too large\n", stderr);
        abort();
    }
    return n * elem;
}

/* The class of blocks that can hold bytes: the least k with 2^k >= bytes. */
static unsigned class_up(size_t bytes)
{
    unsigned k = 0;
    while (((size_t)1 << k) < bytes)
        k++;
    return k;
}

/* The class a block of bytes can serve: the greatest k with 2^k <= bytes. */
static unsigned class_down(size_t bytes)
{
    unsigned k = 0;
    while (((size_t)2 << k) <= bytes)
        k++;
    return k;
}

void arena_release(Arena *a, void *p, size_t bytes)
{
    /* A block too small to hold the link is left where it is. */
    if (!p || bytes < sizeof(void *))
        return;
    unsigned k = class_down(bytes);
    if (k >= ARENA_CLASSES)
        return;
    *(void **)p = a->spare[k];
    a->spare[k] = p;
}

void *arena_grow(Arena *a, void *old, size_t old_n, size_t new_n, size_t elem)
{
    void *p = arena_alloc(a, array_bytes(new_n, elem));
    if (old_n)
        memcpy(p, old, old_n * elem);
    return p;
}

void *arena_regrow(Arena *a, void *old, size_t old_n, size_t new_n, size_t elem)
{
    size_t bytes = array_bytes(new_n, elem), old_bytes = old_n * elem;
    unsigned k = class_up(bytes);
    void *p;
    if (k < ARENA_CLASSES && a->spare[k]) {
        p = a->spare[k];
        a->spare[k] = *(void **)p;
        memset((char *)p + old_bytes, 0, bytes - old_bytes);
    } else {
        /* Whole classes, so that the block serves the next array of its
         * class when it is given back. */
        p = arena_alloc(a, k < ARENA_CLASSES ? (size_t)1 << k : bytes);
    }
    if (old_bytes)
        memcpy(p, old, old_bytes);
    arena_release(a, old, old_bytes);
    return p;
}

void *arena_shrink(Arena *a, void *old, size_t n, size_t room, size_t elem)
{
    void *p = arena_alloc(a, (n ? n : 1) * elem);
    if (n)
        memcpy(p, old, n * elem);
    arena_release(a, old, room * elem);
    return p;
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fputs("crownc: out of memory\n", stderr);
        abort();
    }
    return p;
}
