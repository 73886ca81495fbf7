#include "hashidx.h"

#include <string.h>

#include "value.h"

/* One multiply and shift per 8 bytes: keys are names and addresses of a
 * few dozen bytes, hashed at every lookup, and a byte at a time was a
 * visible part of evaluating a large site. Hashes live only in memory
 * (nothing is ordered by them), so the byte order of the loads does not
 * matter. */
static uint64_t mix_word(uint64_t h, uint64_t w)
{
    h = (h ^ w) * 0x9e3779b97f4a7c15ull;
    return h ^ (h >> 29);
}

uint64_t hash_bytes(const void *p, size_t n)
{
    const unsigned char *b = p;
    uint64_t h = 0xcbf29ce484222325ull ^ n;
    for (; n >= 8; b += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, b, 8);
        h = mix_word(h, w);
    }
    if (n) {
        uint64_t w = 0;
        memcpy(&w, b, n);
        h = mix_word(h, w);
    }
    /* a final mix, so that the low bits, which pick the slot, depend on
     * every byte */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

uint64_t hash_string(const char *s) { return hash_bytes(s, strlen(s)); }

static uint64_t mix(uint64_t a, uint64_t b) { return hash_bytes((uint64_t[]){a, b}, 16); }

uint64_t value_hash(const Value *v)
{
    switch (v->kind) {
    case V_STRING:
        if (!v->u.str.hash)
            ((Value *)v)->u.str.hash = hash_bytes(v->u.str.s, v->u.str.len);
        return v->u.str.hash;
    case V_ENUM: return hash_string(v->u.en.decl->members[v->u.en.index].name);
    case V_INT: {
        double d = (double)v->u.i;
        return mix(V_FLOAT, hash_bytes(&d, sizeof d));
    }
    case V_FLOAT: {
        double d = v->u.f == 0 ? 0 : v->u.f; /* -0.0 equals 0.0 */
        return mix(V_FLOAT, hash_bytes(&d, sizeof d));
    }
    case V_BOOL: return mix(V_BOOL, v->u.b);
    case V_QUANTITY: return mix((uint64_t)v->u.q.dim, (uint64_t)v->u.q.v);
    case V_IP: return mix(V_IP, hash_bytes(v->u.ip.b, sizeof v->u.ip.b));
    case V_RECORD:
        return v->u.obj.label ? mix((uintptr_t)v->u.obj.decl, hash_string(v->u.obj.label))
                              : mix(V_RECORD, (uintptr_t)v->u.obj.decl);
    case V_LIST: return mix(V_LIST, v->u.list.len);
    case V_OBJECT: return mix(V_OBJECT, v->u.obj.len);
    default: return mix((uint64_t)v->kind, 0);
    }
}

static void alloc_slots(Arena *ar, HashIndex *x, uint32_t cap)
{
    x->cap = cap;
    x->hashes = arena_alloc(ar, cap * sizeof *x->hashes);
    x->at = arena_alloc(ar, cap * sizeof *x->at);
}

HashIndex *hidx_new(Arena *ar, size_t n)
{
    HashIndex *x = arena_alloc(ar, sizeof *x);
    uint32_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    alloc_slots(ar, x, cap);
    return x;
}

static void put(HashIndex *x, uint64_t h, uint32_t at)
{
    uint32_t s = (uint32_t)h & (x->cap - 1);
    while (x->at[s])
        s = (s + 1) & (x->cap - 1);
    x->hashes[s] = h;
    x->at[s] = at;
}

void hidx_add(Arena *ar, HashIndex *x, uint64_t h, uint32_t i)
{
    if (2 * (x->len + 1) > x->cap) {
        HashIndex old = *x;
        alloc_slots(ar, x, old.cap * 2);
        for (uint32_t s = 0; s < old.cap; s++)
            if (old.at[s])
                put(x, old.hashes[s], old.at[s]);
    }
    put(x, h, i + 1);
    x->len++;
}

int64_t hidx_next(const HashIndex *x, uint64_t h, uint32_t *cursor)
{
    /* *cursor counts the slots already probed from the home slot. */
    for (; *cursor < x->cap; (*cursor)++) {
        uint32_t s = ((uint32_t)h + *cursor) & (x->cap - 1);
        if (!x->at[s])
            return -1;
        if (x->hashes[s] == h) {
            (*cursor)++;
            return (int64_t)x->at[s] - 1;
        }
    }
    return -1;
}

HashIndex *hidx_of_strings(Arena *ar, const char *const *keys, size_t n)
{
    HashIndex *x = hidx_new(ar, n);
    for (size_t i = 0; i < n; i++)
        hidx_add(ar, x, hash_string(keys[i]), (uint32_t)i);
    return x;
}

int64_t hidx_find_str(const HashIndex *x, const char *const *keys, const char *key, size_t len,
                      uint64_t h)
{
    uint32_t cursor = 0;
    int64_t best = -1;
    /* The first of equal keys, as a scan would find it. */
    for (int64_t i; (i = hidx_next(x, h, &cursor)) >= 0;)
        if ((best < 0 || i < best) && strlen(keys[i]) == len && memcmp(keys[i], key, len) == 0)
            best = i;
    return best;
}

int64_t hidx_find_string(const HashIndex *x, const char *const *keys, const char *key)
{
    size_t len = strlen(key);
    return hidx_find_str(x, keys, key, len, hash_bytes(key, len));
}
