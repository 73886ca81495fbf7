/* value.h — the values a crown program computes.
 *
 * Values are immutable once built and live in the build's arena, so they
 * are shared freely: a reference to a declared block is a pointer to that
 * block's record. Every value remembers where it came from (`at`), which
 * is what a diagnostic about it points at.
 *
 * Objects, maps and records keep their keys in order: the order written,
 * or the schema's field order for records. */
#ifndef CROWN_VALUE_H
#define CROWN_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "decl.h"
#include "net.h"
#include "quantity.h"
#include "source.h"
#include "strbuf.h"
#include "types.h"

typedef enum ValueKind {
    V_NULL,
    V_BOOL,
    V_INT,
    V_FLOAT,
    V_STRING,   /* also hostname, email, url, name, path: see text_type */
    V_QUANTITY,
    V_IP,
    V_CIDR,
    V_RANGE,
    V_LIST,
    V_OBJECT,   /* object literal, map, CSV row */
    V_RECORD,   /* an instance of a schema or of a union's variant */
    V_ENUM,
    V_SECRET,
    V_POISON,   /* stands for a value whose evaluation failed and was reported */
} ValueKind;

typedef struct Secret Secret; /* defined by the secrets stage */

struct Value {
    ValueKind kind;
    Span at;
    union {
        bool b;
        int64_t i;
        double f;
        struct {
            const char *s;
            size_t len;
            TypeKind text_type; /* TY_STRING, or the scalar it was checked as */
            /* Caches, written through const by value_str_hash and the
             * case builtins (the text never changes): the hash, 0 until
             * computed; STR_NO_UPPER/STR_NO_LOWER once the text is known
             * to hold no ASCII capital/small letter. */
            uint64_t hash;
            uint8_t cases;
        } str;
        struct {
            QDim dim;
            int64_t v;
        } q;
        IpAddr ip;
        Cidr cidr;
        IpRange range;
        struct {
            const Value **items;
            size_t len;
            /* elements that failed (and were reported) were left out: a
             * sum or a count of it would be wrong, so those give up */
            bool partial;
            /* the items by hash, built by the fifth `in` of a long list
             * (a cache: the list itself never changes); the first four
             * scan it, as a list asked a few times is cheaper to read than
             * to index, and four scans more keep it linear */
            uint8_t scans;
            const struct HashIndex *index;
        } list;
        struct {
            const char **keys;
            const Value **vals;
            size_t len;
            /* V_RECORD: the schema or variant */
            const Decl *decl;
            union {
                /* V_OBJECT: the keys by hash, for HASHIDX_MIN keys or
                 * more (a record's are its schema's: value_keys_index) */
                const struct HashIndex *index;
                /* V_RECORD: the label it was written with, or NULL */
                const char *label;
            };
        } obj;
        struct {
            const Decl *decl;
            int index;
        } en;
        const Secret *secret;
    } u;
};

const Value *value_null(Arena *ar, Span at);
const Value *value_bool(Arena *ar, Span at, bool b);
const Value *value_int(Arena *ar, Span at, int64_t i);
const Value *value_float(Arena *ar, Span at, double f);
/* Copies s[0..len) into the arena. */
const Value *value_string(Arena *ar, Span at, const char *s, size_t len);
/* The same without the copy, for text that lives as long as the build
 * and never changes (an object's key): s[len] must be its NUL. */
const Value *value_string_ref(Arena *ar, Span at, const char *s, size_t len);
const Value *value_quantity(Arena *ar, Span at, QDim dim, int64_t v);
const Value *value_ip(Arena *ar, Span at, IpAddr ip);
const Value *value_cidr(Arena *ar, Span at, Cidr c);
const Value *value_range(Arena *ar, Span at, IpRange r);
const Value *value_enum(Arena *ar, Span at, const Decl *e, int index);
/* Takes ownership of items (arena memory). */
const Value *value_list(Arena *ar, Span at, const Value **items, size_t len);
const Value *value_object(Arena *ar, Span at, const char **keys, const Value **vals, size_t len);
/* An object over keys that other objects share (never changed, like a
 * schema's field names); *index is their hash index, made here when the
 * keys are many and it is still NULL. */
const Value *value_object_shared(Arena *ar, Span at, const char **keys, const Value **vals,
                                 size_t len, const struct HashIndex **index);
/* value_object_of(ar, at, "k1", v1, "k2", v2, ..., NULL): an object of at
 * most 32 keys (more aborts), in that order; a NULL value leaves its key
 * out. */
const Value *value_object_of(Arena *ar, Span at, ...);
/* v without the attributes set to null, at every depth: v itself when it
 * has none (values are never changed, so they can be shared), else a copy
 * of what holds them. A record comes out as a plain object either way. */
const Value *value_without_nulls(Arena *ar, const Value *v);
/* obj with key set to v: replaced in place, or added last. */
const Value *value_with_key(Arena *ar, const Value *obj, const char *key, const Value *v);
/* A copy of v that points at another place. */
const Value *value_moved(Arena *ar, const Value *v, Span at);

enum { STR_NO_UPPER = 1, STR_NO_LOWER = 2 };

/* The hash index of an object's or record's keys, or NULL when they are
 * few enough to be scanned. */
const struct HashIndex *value_keys_index(const Value *obj);
/* The value of key in an object or record, or NULL. */
const Value *value_get(const Value *obj, const char *key);
/* The same for a key given as a string value: its length and hash are
 * known, so a long object is searched without measuring the key. */
const Value *value_get_str(const Value *obj, const Value *key);
bool value_truthy(const Value *v);
/* Structural equality; records by identity of their label and fields. */
bool value_equal(const Value *a, const Value *b);
/* Total order for sort(), min(), max(), `<`: numbers and quantities of one
 * dimension by value, strings bytewise, addresses numerically. Returns
 * false when a and b cannot be compared. */
bool value_compare(const Value *a, const Value *b, int *cmp);

/* The name of the value's kind for messages: "a string", "a list", "bytes". */
const char *value_kind_name(const Value *v);
/* The text a value has inside an interpolation or string(): quantities and
 * addresses in canonical spelling, numbers in decimal. Lists, objects and
 * records have none: returns false. */
bool value_to_text(const Value *v, StrBuf *out);
/* A short rendering for messages: strings quoted, lists and objects
 * abbreviated past a few elements. */
void value_describe(const Value *v, StrBuf *out);

#endif
