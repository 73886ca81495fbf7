/* secret_chart.c — chart values that are secrets: taken out of the Helm
 * values into the Secret COMPONENT-values, which the HelmRelease reads
 * with valuesFrom (secrets.h). */
#include <stdlib.h>
#include <string.h>

#include "component.h"
#include "secrets_internal.h"
#include "strbuf.h"
#include "value.h"

static Arena *ar(Program *p) { return &p->ar; }


typedef struct Taken {
    const char **paths;
    const Value **vals;
    size_t n;
} Taken;

/* v without its secrets, which go to t with their dotted paths. A key
 * that holds a dot anywhere on the way makes the path ambiguous. */
static const Value *take_secrets(Program *x, const Value *v, const char *path, bool dotted,
                                 Taken *t, Span chart)
{
    if (v->kind != V_OBJECT && v->kind != V_RECORD) {
        secrets_forbid(x, v, chart); /* a secret in a list has no dotted path */
        return v;
    }
    size_t n = v->u.obj.len, k = 0;
    const char **keys = arena_alloc(ar(x), (n ? n : 1) * sizeof *keys);
    const Value **vals = arena_alloc(ar(x), (n ? n : 1) * sizeof *vals);
    for (size_t i = 0; i < n; i++) {
        const char *key = v->u.obj.keys[i];
        const Value *val = v->u.obj.vals[i];
        StrBuf p;
        sb_init(&p);
        sb_printf(&p, "%s%s%s", path, *path ? "." : "", *key ? key : "\"\"");
        char *full = arena_strndup(ar(x), p.data, p.len);
        sb_free(&p);
        if (val->kind == V_SECRET) {
            if (dotted || !*key || strchr(key, '.') || !secrets_key_valid(full)) {
                diag_error(x->diags, "E0702", val->at, "the chart value %s cannot come from "
                           "a Secret: every key on its path must be letters, digits, '-' and '_', not empty",
                           full);
                continue;
            }
            t->paths = realloc(t->paths, (t->n + 1) * sizeof *t->paths);
            t->vals = realloc(t->vals, (t->n + 1) * sizeof *t->vals);
            if (!t->paths || !t->vals)
                abort();
            t->paths[t->n] = full;
            t->vals[t->n++] = val;
            continue;
        }
        keys[k] = key;
        vals[k++] = take_secrets(x, val, full, dotted || !*key || strchr(key, '.'), t, chart);
    }
    return value_object(ar(x), v->at, keys, vals, k);
}

static const Value *str(Program *x, Span at, const char *s)
{
    return value_string(ar(x), at, s, strlen(s));
}

/* The Secret that carries a chart's secret values. */
static Manifest values_secret(Program *x, Component *c, const Taken *t, Span at)
{
    StrBuf n;
    sb_init(&n);
    sb_printf(&n, "%s-values", c->decl->name);
    const char *name = arena_strndup(ar(x), n.data, n.len);
    sb_free(&n);
    const Value *labels = value_object_of(
        ar(x), at, "app.kubernetes.io/managed-by", str(x, at, "crownc"),
        "app.kubernetes.io/part-of", str(x, at, "crownlabs"), "app.kubernetes.io/component",
        str(x, at, c->decl->name), NULL);
    const char **keys = arena_alloc(ar(x), t->n * sizeof *keys);
    const Value **vals = arena_alloc(ar(x), t->n * sizeof *vals);
    memcpy(keys, t->paths, t->n * sizeof *keys);
    memcpy(vals, t->vals, t->n * sizeof *vals);
    const Value *obj = value_object_of(
        ar(x), at, "apiVersion", str(x, at, "v1"), "kind", str(x, at, "Secret"), "metadata",
        value_object_of(ar(x), at, "name", str(x, at, name), "namespace", str(x, at, c->ns),
                        "labels", labels, NULL),
        "type", str(x, at, "Opaque"), "stringData", value_object(ar(x), at, keys, vals, t->n),
        NULL);
    return (Manifest){obj, "Secret", name, c->ns, at, at, NULL};
}

void secrets_chart(Program *x, Component *c)
{
    const Value *values = c->chart ? value_get(c->chart, "values") : NULL;
    if (!values)
        return;
    Taken t = {NULL, NULL, 0};
    const Value *rest = take_secrets(x, values, "", false, &t, c->chart->at);
    if (t.n && !c->ns) {
        Diag *d = diag_error(x->diags, "E0702", c->chart->at, "the chart of `%s` has secret "
                             "values but the component names no namespace for their Secret",
                             c->decl->name);
        diag_set_hint(d, "set `namespace` on the component");
    } else if (t.n) {
        c->chart = value_with_key(ar(x), c->chart, "values", rest);
        c->secret_paths = arena_alloc(ar(x), t.n * sizeof *c->secret_paths);
        memcpy(c->secret_paths, t.paths, t.n * sizeof *c->secret_paths);
        c->nsecret_paths = t.n;
        Manifest *ms = arena_alloc(ar(x), (c->nmanifests + 1) * sizeof *ms);
        if (c->nmanifests)
            memcpy(ms, c->manifests, c->nmanifests * sizeof *ms);
        ms[c->nmanifests] = values_secret(x, c, &t, c->chart->at);
        c->values_secret = ms[c->nmanifests].name;
        c->manifests = ms;
        c->nmanifests++;
    }
    free(t.paths);
    free(t.vals);
}
