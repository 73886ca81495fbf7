#include "types.h"

#include <string.h>

#include "decl.h"

static const struct {
    const char *name;
    Type type;
} builtins[] = {
    {"any", {TY_ANY, NULL, NULL, NULL, 0}},
    {"null", {TY_NULL, NULL, NULL, NULL, 0}},
    {"bool", {TY_BOOL, NULL, NULL, NULL, 0}},
    {"int", {TY_INT, NULL, NULL, NULL, 0}},
    {"float", {TY_FLOAT, NULL, NULL, NULL, 0}},
    {"string", {TY_STRING, NULL, NULL, NULL, 0}},
    {"hostname", {TY_HOSTNAME, NULL, NULL, NULL, 0}},
    {"email", {TY_EMAIL, NULL, NULL, NULL, 0}},
    {"url", {TY_URL, NULL, NULL, NULL, 0}},
    {"name", {TY_NAME, NULL, NULL, NULL, 0}},
    {"path", {TY_PATH, NULL, NULL, NULL, 0}},
    {"bytes", {TY_BYTES, NULL, NULL, NULL, 0}},
    {"cpu", {TY_CPU, NULL, NULL, NULL, 0}},
    {"duration", {TY_DURATION, NULL, NULL, NULL, 0}},
    {"ip", {TY_IP, NULL, NULL, NULL, 0}},
    {"cidr", {TY_CIDR, NULL, NULL, NULL, 0}},
    {"iprange", {TY_IPRANGE, NULL, NULL, NULL, 0}},
    {"secret", {TY_SECRET, NULL, NULL, NULL, 0}},
    {"object", {TY_OBJECT, NULL, NULL, NULL, 0}},
};

enum { NBUILTINS = sizeof builtins / sizeof builtins[0] };

const Type *type_basic(TypeKind k)
{
    for (size_t i = 0; i < NBUILTINS; i++)
        if (builtins[i].type.kind == k)
            return &builtins[i].type;
    return &builtins[0].type;
}

const Type *type_builtin(const char *name)
{
    for (size_t i = 0; i < NBUILTINS; i++)
        if (strcmp(builtins[i].name, name) == 0)
            return &builtins[i].type;
    return NULL;
}

const char *type_kind_name(TypeKind k)
{
    switch (k) {
    case TY_LIST: return "list";
    case TY_MAP: return "map";
    case TY_RECORD: return "record";
    case TY_ENUM: return "enum";
    case TY_UNION: return "union";
    case TY_REF: return "ref";
    case TY_OPTIONAL: return "optional";
    default:
        for (size_t i = 0; i < NBUILTINS; i++)
            if (builtins[i].type.kind == k)
                return builtins[i].name;
        return "?";
    }
}

static Type *new_type(Arena *ar, TypeKind k)
{
    Type *t = arena_alloc(ar, sizeof *t);
    t->kind = k;
    return t;
}

const Type *type_list(Arena *ar, const Type *elem)
{
    Type *t = new_type(ar, TY_LIST);
    t->elem = elem;
    return t;
}

const Type *type_map(Arena *ar, const Type *elem)
{
    Type *t = new_type(ar, TY_MAP);
    t->elem = elem;
    return t;
}

const Type *type_optional(Arena *ar, const Type *inner)
{
    if (inner->kind == TY_OPTIONAL || inner->kind == TY_ANY || inner->kind == TY_NULL)
        return inner;
    Type *t = new_type(ar, TY_OPTIONAL);
    t->elem = inner;
    return t;
}

const Type *type_decl(Arena *ar, TypeKind k, const Decl *d)
{
    Type *t = new_type(ar, k);
    t->decl = d;
    return t;
}

const Type *type_unopt(const Type *t)
{
    return t && t->kind == TY_OPTIONAL ? t->elem : t;
}

bool type_is_quantity(const Type *t)
{
    return t->kind == TY_BYTES || t->kind == TY_CPU || t->kind == TY_DURATION;
}

bool type_is_text(const Type *t)
{
    switch (t->kind) {
    case TY_STRING: case TY_HOSTNAME: case TY_EMAIL: case TY_URL: case TY_NAME: case TY_PATH:
        return true;
    default:
        return false;
    }
}

void type_format(const Type *t, StrBuf *out)
{
    switch (t->kind) {
    case TY_LIST:
    case TY_MAP:
        sb_printf(out, "%s(", type_kind_name(t->kind));
        type_format(t->elem, out);
        sb_putc(out, ')');
        break;
    case TY_OPTIONAL:
        type_format(t->elem, out);
        sb_putc(out, '?');
        break;
    case TY_REF:
        sb_printf(out, "ref(%s)", t->decl->name);
        break;
    case TY_RECORD:
    case TY_ENUM:
    case TY_UNION:
        sb_puts(out, t->decl->name);
        break;
    default:
        sb_puts(out, type_kind_name(t->kind));
        break;
    }
}
