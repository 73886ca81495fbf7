/* secrets.c — planning the site's secrets: which Secret objects carry
 * which values, and what each distinct secret is called (secrets.h). */
#include "secrets.h"
#include "secrets_internal.h"

#include <stdlib.h>
#include <string.h>

#include "component.h"
#include "source.h"
#include "strbuf.h"
#include "value.h"

typedef struct Planner {
    Program *p;
    SecretPlan *plan;
    const Secret **bases;   /* unnamed secrets: the base of idents[i], or NULL */
    size_t capobjs, capids;
} Planner;

static Arena *ar(Planner *x) { return &x->p->ar; }

static const char *text_of(const Value *v)
{
    return v && v->kind == V_STRING ? v->u.str.s : NULL;
}

/* ---- secrets out of place ---- */

static void misplaced(Program *p, const Value *v, Span object)
{
    Diag *d = diag_error(p->diags, "E0702", v->at, "a secret cannot go here");
    diag_add_secondary(d, object, "in this object");
    diag_set_hint(d, "a secret is a value of a Secret's `stringData`, or of a chart's values");
}

void secrets_forbid(Program *p, const Value *v, Span object)
{
    if (v->kind == V_SECRET) {
        misplaced(p, v, object);
    } else if (v->kind == V_LIST) {
        for (size_t i = 0; i < v->u.list.len; i++)
            secrets_forbid(p, v->u.list.items[i], object);
    } else if (v->kind == V_OBJECT || v->kind == V_RECORD) {
        for (size_t i = 0; i < v->u.obj.len; i++)
            secrets_forbid(p, v->u.obj.vals[i], object);
    }
}

/* ---- idents ---- */

static size_t add_ident(Planner *x, const char *name, const Secret *s, const Secret *base,
                        DeriveId id)
{
    SecretPlan *pl = x->plan;
    if (pl->nidents == x->capids) {
        x->capids = x->capids ? 2 * x->capids : 16;
        pl->idents = realloc(pl->idents, x->capids * sizeof *pl->idents);
        x->bases = realloc(x->bases, x->capids * sizeof *x->bases);
        if (!pl->idents || !x->bases)
            abort();
    }
    pl->idents[pl->nidents] = (SecretIdent){name, s, id, NULL, 0};
    x->bases[pl->nidents] = base;
    return pl->nidents++;
}

static bool find_name(const Planner *x, const char *name, size_t *at)
{
    for (size_t i = 0; i < x->plan->nidents; i++) {
        if (strcmp(x->plan->idents[i].name, name) == 0) {
            *at = i;
            return true;
        }
    }
    return false;
}

static bool find_base(const Planner *x, const Secret *base, size_t *at)
{
    for (size_t i = 0; i < x->plan->nidents; i++) {
        if (x->bases[i] == base) {
            *at = i;
            return true;
        }
    }
    return false;
}

/* "COMPONENT NS/SECRET KEY", and ", as its password" for the password
 * inside a registry document, which is not the value at that key. */
static void consumer_as(Planner *x, size_t ident, const SecretObject *o, const char *key,
                        const char *as)
{
    SecretIdent *id = &x->plan->idents[ident];
    StrBuf b;
    sb_init(&b);
    sb_printf(&b, "%s %s/%s %s%s", o->component->decl->name, o->ns, o->name, key, as);
    id->consumers = realloc(id->consumers, (id->nconsumers + 1) * sizeof *id->consumers);
    if (!id->consumers)
        abort();
    id->consumers[id->nconsumers++] = sb_take(&b);
}

static void consumer(Planner *x, size_t ident, const SecretObject *o, const char *key)
{
    consumer_as(x, ident, o, key, "");
}

static const char *placement(Planner *x, const SecretObject *o, const char *key)
{
    StrBuf b;
    sb_init(&b);
    sb_printf(&b, "%s/%s/%s", o->ns, o->name, key);
    const char *s = arena_strndup(ar(x), b.data, b.len);
    sb_free(&b);
    return s;
}

static bool named_ident(Planner *x, const Secret *base, size_t *out)
{
    if (!find_name(x, base->name, out)) {
        *out = add_ident(x, base->name, base, NULL,
                         (DeriveId){x->plan->site, "", base->name, "", 1});
        return true;
    }
    const Secret *first = x->plan->idents[*out].secret;
    if (secret_same_spec(first, base) || first == base)
        return true;
    Diag *d = diag_error(x->p->diags, "E0703", base->at, "the secret \"%s\" is described "
                         "twice, differently", base->name);
    diag_add_secondary(d, first->at, "first described here");
    diag_set_hint(d, "one name is one value: give both the same kind and arguments, or "
                     "different names");
    return false;
}

static size_t input_ident(Planner *x, const Secret *s)
{
    StrBuf b;
    sb_init(&b);
    sb_printf(&b, "input:%s", s->input);
    char *name = arena_strndup(ar(x), b.data, b.len);
    sb_free(&b);
    size_t at;
    if (!find_name(x, name, &at))
        at = add_ident(x, name, s, NULL, (DeriveId){x->plan->site, "", name, "", 1});
    return at;
}

/* The ident of a value placed at o/key (not a public half). */
static bool value_ident(Planner *x, const SecretObject *o, const SecretEntry *e, size_t *out)
{
    const Secret *s = e->ref;
    if (s->kind == SECRET_INPUT) {
        *out = input_ident(x, s);
        return true;
    }
    if (s->name)
        return named_ident(x, s, out);
    if (find_base(x, s, out)) {
        Diag *d = diag_error(x->p->diags, "E0703", s->at, "this unnamed secret is placed "
                             "twice: as %s and as %s/%s/%s", x->plan->idents[*out].name, o->ns,
                             o->name, e->key);
        diag_set_hint(d, "a secret used in several places is shared: give it a name, "
                         "secret(name = \"...\", kind = ...)");
        return false;
    }
    *out = add_ident(x, placement(x, o, e->key), s, s,
                     (DeriveId){x->plan->site, o->ns, o->name, e->key, 1});
    return true;
}

static bool public_ident(Planner *x, const SecretEntry *e, size_t *out)
{
    const Secret *pair = e->ref->pair;
    if (pair->name)
        return named_ident(x, pair, out);
    if (find_base(x, pair, out))
        return true;
    Diag *d = diag_error(x->p->diags, "E0703", e->ref->at, "the key pair of this public key "
                         "is placed nowhere");
    diag_add_secondary(d, pair->at, "the key pair");
    diag_set_hint(d, "place the private key in a Secret too, or give the pair a name");
    return false;
}

static void assign_idents(Planner *x, bool public_halves)
{
    SecretPlan *pl = x->plan;
    for (size_t i = 0; i < pl->nobjects; i++) {
        SecretObject *o = &pl->objects[i];
        for (size_t k = 0; k < o->nentries; k++) {
            SecretEntry *e = &o->entries[k];
            if (!e->ref || e->public_half != public_halves)
                continue;
            bool ok = public_halves ? public_ident(x, e, &e->ident) : value_ident(x, o, e, &e->ident);
            if (!ok) {
                e->ref = NULL;
                continue;
            }
            consumer(x, e->ident, o, e->key);
            /* A registry password supplied by the operator is listed, and
             * revealed, as the input it is; a named generated one as the
             * shared secret it is, with its own generation. */
            const Secret *pw = e->ref->kind == SECRET_DOCKERCONFIGJSON ? e->ref->password : NULL;
            size_t at;
            if (pw && pw->kind == SECRET_INPUT)
                consumer_as(x, input_ident(x, pw), o, e->key, ", as its password");
            else if (pw && named_ident(x, pw, &at))
                consumer_as(x, at, o, e->key, ", as its password");
        }
    }
}

/* ---- Secret objects ---- */

/* A key of a Secret's data: what Kubernetes accepts. */
bool secrets_key_valid(const char *k)
{
    size_t n = strlen(k);
    if (n == 0 || n > 253 || strcmp(k, ".") == 0 || strcmp(k, "..") == 0)
        return false;
    for (; *k; k++) {
        char c = *k;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return false;
    }
    return true;
}

static int by_key(const void *a, const void *b)
{
    return strcmp(((const SecretEntry *)a)->key, ((const SecretEntry *)b)->key);
}

static bool entries(Planner *x, SecretObject *o, const Value *data)
{
    if (!data || data->kind != V_OBJECT) {
        Diag *d = diag_error(x->p->diags, "E0702", o->m->at, "a Secret holds its values in "
                             "`stringData`");
        diag_set_hint(d, "stringData { password = secret(kind = password) }");
        return false;
    }
    o->entries = calloc(data->u.obj.len ? data->u.obj.len : 1, sizeof *o->entries);
    if (!o->entries)
        abort();
    bool ok = true;
    for (size_t i = 0; i < data->u.obj.len; i++) {
        const Value *v = data->u.obj.vals[i];
        SecretEntry e = {data->u.obj.keys[i], NULL, NULL, 0, false};
        if (!secrets_key_valid(e.key)) {
            diag_error(x->p->diags, "E0702", v->at, "\"%s\" cannot be a key of a Secret "
                       "(letters, digits, '-', '_' and '.')", e.key);
            ok = false;
            continue;
        }
        if (v->kind == V_STRING) {
            e.text = v;
        } else if (v->kind == V_SECRET) {
            e.ref = v->u.secret;
            e.public_half = v->u.secret->pair != NULL;
        } else if (v->kind == V_POISON) {
            ok = false; /* reported where it failed */
            continue;
        } else {
            diag_error(x->p->diags, "E0702", v->at, "a value of a Secret is text or a secret, "
                       "not %s", value_kind_name(v));
            ok = false;
            continue;
        }
        o->entries[o->nentries++] = e;
    }
    qsort(o->entries, o->nentries, sizeof *o->entries, by_key);
    return ok;
}

static SealScope scope_of(const Value *meta)
{
    const Value *a = meta ? value_get(meta, "annotations") : NULL;
    const char *cw = a ? text_of(value_get(a, "sealedsecrets.bitnami.com/cluster-wide")) : NULL;
    const char *nw = a ? text_of(value_get(a, "sealedsecrets.bitnami.com/namespace-wide")) : NULL;
    if (cw && strcmp(cw, "true") == 0)
        return SEAL_CLUSTER_WIDE;
    return nw && strcmp(nw, "true") == 0 ? SEAL_NAMESPACE_WIDE : SEAL_STRICT;
}

static bool known_field(const char *k)
{
    static const char *const keys[] = {"apiVersion", "kind", "metadata", "type", "stringData",
                                       "immutable"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(k, keys[i]) == 0)
            return true;
    return false;
}

/* Labels and annotations are text: a scope annotation written as a
 * boolean would seal strict and be refused by the API server. */
static bool text_maps(Planner *x, const Value *meta)
{
    static const char *const maps[] = {"labels", "annotations"};
    bool ok = true;
    for (size_t k = 0; meta && k < 2; k++) {
        const Value *m = value_get(meta, maps[k]);
        for (size_t i = 0; m && m->kind == V_OBJECT && i < m->u.obj.len; i++) {
            /* A secret here is reported as out of place (secrets_forbid). */
            const ValueKind k = m->u.obj.vals[i]->kind;
            if (k != V_STRING && k != V_SECRET) {
                diag_error(x->p->diags, "E0702", m->u.obj.vals[i]->at, "the %s of a Secret are "
                           "text: write \"%s\" in quotes", maps[k],
                           m->u.obj.vals[i]->kind == V_BOOL ? "true" : "...");
                ok = false;
            }
        }
    }
    return ok;
}

static void plan_object(Planner *x, const Component *c, Manifest *m)
{
    const Value *obj = m->obj;
    for (size_t i = 0; i < obj->u.obj.len; i++) {
        if (!known_field(obj->u.obj.keys[i])) {
            Diag *d = diag_error(x->p->diags, "E0702", obj->u.obj.vals[i]->at, "a Secret "
                                 "here has no field `%s`", obj->u.obj.keys[i]);
            diag_set_hint(d, "%s", strcmp(obj->u.obj.keys[i], "data") == 0
                                       ? "write the values, not their base64, in `stringData`"
                                       : "a Secret sets metadata, type, stringData and immutable");
            return;
        }
    }
    const Value *meta = value_get(obj, "metadata");
    if (!text_maps(x, meta))
        return;
    SecretObject o = {m, c, m->ns, m->name, scope_of(meta), meta, value_get(obj, "type"),
                      value_get(obj, "immutable"), NULL, 0};
    secrets_forbid(x->p, meta, m->at);
    if (!m->ns) {
        diag_error(x->p->diags, "E0702", m->at, "a Secret needs a namespace");
        return;
    }
    if (!entries(x, &o, value_get(obj, "stringData"))) {
        free(o.entries);
        return;
    }
    SecretPlan *pl = x->plan;
    if (pl->nobjects == x->capobjs) {
        x->capobjs = x->capobjs ? 2 * x->capobjs : 16;
        pl->objects = realloc(pl->objects, x->capobjs * sizeof *pl->objects);
        if (!pl->objects)
            abort();
    }
    pl->objects[pl->nobjects++] = o;
}

static bool is_secret(const Manifest *m)
{
    const char *api = text_of(value_get(m->obj, "apiVersion"));
    return api && strcmp(api, "v1") == 0 && strcmp(m->kind, "Secret") == 0;
}

/* ---- site settings ---- */

static void generations(Planner *x, const Value *settings)
{
    const Value *g = settings ? value_get(settings, "generations") : NULL;
    for (size_t i = 0; g && g->kind == V_OBJECT && i < g->u.obj.len; i++) {
        size_t at;
        const Value *v = g->u.obj.vals[i];
        if (!find_name(x, g->u.obj.keys[i], &at)) {
            Diag *d = diag_error(x->p->diags, "E0704", v->at, "no secret of the site is named "
                                 "\"%s\"", g->u.obj.keys[i]);
            diag_set_hint(d, "`crownc secrets list SITE` shows the names");
        } else if (x->plan->idents[at].secret->kind == SECRET_INPUT) {
            Diag *d = diag_error(x->p->diags, "E0704", v->at, "\"%s\" is supplied, not "
                                 "generated: it has no generation", g->u.obj.keys[i]);
            diag_set_hint(d, "to rotate a supplied secret, supply its new value");
        } else if (v->kind == V_INT && v->u.i >= 1 && v->u.i <= UINT32_MAX) {
            x->plan->idents[at].id.generation = (uint32_t)v->u.i;
        }
    }
}

static void certificate(Planner *x, const Value *settings)
{
    const Value *c = settings ? value_get(settings, "certificate") : NULL;
    const char *rel = text_of(c) ? text_of(c) : "sealed-secrets.pem";
    SecretPlan *pl = x->plan;
    pl->cert_at = c ? c->at : source_span(x->p->units[0].src, 0, 0);
    if (rel[0] == '/') {
        Diag *d = diag_error(x->p->diags, "E0706", pl->cert_at, "the sealing certificate must be "
                             "named relative to the site file");
        diag_set_hint(d, "keep it beside the site, e.g. certificate = \"sealed-secrets.pem\", "
                         "so that the site builds the same everywhere");
        rel = "sealed-secrets.pem";
    }
    char *j = source_join(x->p->units[0].src->path, rel);
    pl->cert_path = arena_strndup(ar(x), j, strlen(j));
    free(j);
}

void secrets_plan(Program *p)
{
    SecretPlan *pl = calloc(1, sizeof *pl);
    if (!pl)
        abort();
    p->secrets = pl;
    Planner x = {p, pl, NULL, 0, 0};
    const Value *site = value_get(p->root, "site");
    pl->site = site ? text_of(value_get(site, "name")) : NULL;
    if (!pl->site)
        pl->site = "";
    for (size_t i = 0; i < p->components.len; i++) {
        Component *c = &p->components.at[i];
        secrets_chart(p, c);
        for (size_t k = 0; k < c->nmanifests; k++) {
            if (is_secret(&c->manifests[k]))
                plan_object(&x, c, &c->manifests[k]);
            else
                secrets_forbid(p, c->manifests[k].obj, c->manifests[k].at);
        }
    }
    assign_idents(&x, false);
    assign_idents(&x, true);
    const Value *settings = value_get(p->root, "secrets");
    generations(&x, settings);
    certificate(&x, settings);
    free(x.bases);
}

void secrets_plan_free(SecretPlan *plan)
{
    if (!plan)
        return;
    for (size_t i = 0; i < plan->nobjects; i++)
        free(plan->objects[i].entries);
    for (size_t i = 0; i < plan->nidents; i++) {
        for (size_t k = 0; k < plan->idents[i].nconsumers; k++)
            free(plan->idents[i].consumers[k]);
        free(plan->idents[i].consumers);
    }
    free(plan->objects);
    free(plan->idents);
    free(plan);
}
