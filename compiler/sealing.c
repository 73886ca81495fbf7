/* sealing.c — every planned Secret becomes a SealedSecret, reusing the
 * previous tree's ciphertext where the value has not changed
 * (secrets.h). */
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "component.h"
#include "git_out.h"
#include "random_source.h"
#include "sealed_prev.h"
#include "secrets.h"
#include "strbuf.h"
#include "tree.h"
#include "value.h"

typedef struct Sealer {
    Program *p;
    const SecretsSealing *s;
    char cert[7 + SEAL_FINGERPRINT_SIZE]; /* "sha256:" HEX */
    size_t reused, sealed;
    bool ok;
} Sealer;

static Arena *ar(Sealer *x) { return &x->p->ar; }

static const Value *str(Sealer *x, Span at, const char *s)
{
    return value_string(ar(x), at, s, strlen(s));
}

static void fail(Sealer *x, const char *code, Span at, const char *reason)
{
    diag_error(x->p->diags, code, at, "%s", reason);
    x->ok = false;
}

/* The previous tree's file of this SealedSecret, if it has one. */
static bool previous(Sealer *x, const SecretObject *o, SealedPrev *prev)
{
    if (!x->s->prev)
        return false;
    const char *prefix = tree_prefix(x->p);
    if (!prefix || gitout_path_problem(prefix))
        return false;
    if (!o->m->path)
        return false;
    StrBuf path;
    sb_init(&path);
    sb_printf(&path, "%s/%s", prefix, o->m->path);
    char *data = NULL;
    size_t len = 0;
    bool ok = x->s->prev->read(x->s->prev->ctx, path.data, &data, &len) &&
              sealed_prev_parse(data, len, prev);
    sb_free(&path);
    free(data);
    return ok;
}

static const char *scope_word(SealScope s)
{
    return s == SEAL_STRICT ? "strict" : s == SEAL_NAMESPACE_WIDE ? "namespace-wide"
                                                                   : "cluster-wide";
}

/* The plaintext of one entry: text, or the secret's value. */
static char *plaintext(Sealer *x, const SecretEntry *e, char *err, size_t errlen)
{
    if (e->text) {
        char *t = strndup(e->text->u.str.s, e->text->u.str.len);
        if (!t)
            abort();
        return t;
    }
    return secrets_value(x->p->secrets, e->ident, e->public_half, x->s->master, x->s->inputs,
                         err, errlen);
}

typedef struct Sealed {
    StrBuf blob;
    char tag[DERIVE_FINGERPRINT_SIZE];
} Sealed;

/* The tag of one sealed value: a keyed fingerprint (derive_fingerprint)
 * of its ciphertext, under a scope that holds the certificate, the
 * value's place and the fingerprint of its plaintext:
 *
 *   scope = "sealed CERT WORD:NAMESPACE/NAME/KEY PLAINFP"
 *
 * Only a holder of the master key can make one, so a ciphertext is
 * reused only if crownc sealed it, to this certificate, at this place,
 * from this very plaintext: one planted in the branch by hand, or
 * corrupted, is sealed anew. The ciphertext is random, so equal values
 * never show equal tags. */
static bool tag_of(Sealer *x, const char *place, const char *plainfp, const char *blob,
                   size_t len, char tag[DERIVE_FINGERPRINT_SIZE], char *err, size_t errlen)
{
    StrBuf scope;
    sb_init(&scope);
    sb_printf(&scope, "sealed %s %s %s", x->cert, place, plainfp);
    bool ok = derive_fingerprint(x->s->master, scope.data, blob, len, tag, err, errlen);
    sb_free(&scope);
    return ok;
}

/* The previous tree's ciphertext of this value, if its tag proves it. */
static const char *reusable(Sealer *x, const SealedPrev *prev, const char *key,
                            const char *place, const char *plainfp)
{
    const char *blob, *stored;
    char tag[DERIVE_FINGERPRINT_SIZE], err[256];
    if (!prev || !sealed_prev_value(prev, key, &blob, &stored))
        return NULL;
    if (!tag_of(x, place, plainfp, blob, strlen(blob), tag, err, sizeof err))
        return NULL;
    /* The length first: stored is as long as the line someone wrote. */
    return strlen(stored) == DERIVE_FINGERPRINT_SIZE - 1 &&
                   CRYPTO_memcmp(tag, stored, DERIVE_FINGERPRINT_SIZE - 1) == 0
               ? blob
               : NULL;
}

static bool seal_anew(Sealer *x, const StrBuf *label, const char *place, const char *plainfp,
                      const char *plain, size_t len, StrBuf *out, char *err, size_t errlen)
{
    /* The context names the value, never holds it. */
    StrBuf ctx;
    sb_init(&ctx);
    sb_printf(&ctx, "%s %s", place, plainfp);
    SealRandom *r = random_source_open(ctx.data, ctx.len);
    bool ok = seal_value(x->s->cert, label->data, label->len, plain, len, r, out, err, errlen) ==
              SEAL_OK;
    random_source_close(r);
    sb_free(&ctx);
    return ok;
}

/* Seals one value, or takes its ciphertext from the previous tree. */
static bool seal_entry(Sealer *x, const SecretObject *o, const StrBuf *label,
                       const SealedPrev *prev, const SecretEntry *e, Sealed *out)
{
    char err[512], plainfp[DERIVE_FINGERPRINT_SIZE];
    char *plain = plaintext(x, e, err, sizeof err);
    if (!plain) {
        fail(x, "E0705", e->ref ? e->ref->at : o->m->at, err);
        return false;
    }
    size_t len = strlen(plain);
    StrBuf place;
    sb_init(&place);
    sb_printf(&place, "%s:%s/%s/%s", scope_word(o->scope), o->ns, o->name, e->key);
    bool ok = derive_fingerprint(x->s->master, place.data, plain, len, plainfp, err, sizeof err);
    const char *old = ok ? reusable(x, prev, e->key, place.data, plainfp) : NULL;
    if (old) {
        sb_puts(&out->blob, old);
        x->reused++;
    } else if (ok && seal_anew(x, label, place.data, plainfp, plain, len, &out->blob, err,
                               sizeof err)) {
        x->sealed++;
    } else {
        ok = false;
    }
    ok = ok && tag_of(x, place.data, plainfp, out->blob.data, out->blob.len, out->tag, err,
                      sizeof err);
    if (!ok)
        fail(x, "E0706", e->ref ? e->ref->at : o->m->at, err);
    OPENSSL_cleanse(plain, len);
    OPENSSL_cleanse(plainfp, sizeof plainfp);
    free(plain);
    sb_free(&place);
    return ok;
}

/* metadata.annotations of the SealedSecret: the Secret's own (which
 * carry its scope) and crownc's two. */
static const Value *annotations(Sealer *x, const SecretObject *o, const Sealed *vals, Span at)
{
    StrBuf lines;
    sb_init(&lines);
    for (size_t i = 0; i < o->nentries; i++)
        sb_printf(&lines, "%s %s\n", o->entries[i].key, vals[i].tag);
    const Value *own = o->meta ? value_get(o->meta, "annotations") : NULL;
    const Value *a = own && own->kind == V_OBJECT ? own : value_object_of(ar(x), at, NULL);
    a = value_with_key(ar(x), a, SECRETS_ANNOTATION_HMAC,
                       value_string(ar(x), at, lines.data, lines.len));
    a = value_with_key(ar(x), a, SECRETS_ANNOTATION_CERT, str(x, at, x->cert));
    sb_free(&lines);
    return a;
}

static const Value *sealed_object(Sealer *x, const SecretObject *o, const Sealed *vals)
{
    Span at = o->m->at;
    const char **keys = arena_alloc(ar(x), (o->nentries ? o->nentries : 1) * sizeof *keys);
    const Value **blobs = arena_alloc(ar(x), (o->nentries ? o->nentries : 1) * sizeof *blobs);
    for (size_t i = 0; i < o->nentries; i++) {
        keys[i] = o->entries[i].key;
        blobs[i] = value_string(ar(x), at, vals[i].blob.data, vals[i].blob.len);
    }
    const Value *labels = o->meta ? value_get(o->meta, "labels") : NULL;
    const Value *own = o->meta ? value_get(o->meta, "annotations") : NULL;
    const Value *meta = value_object_of(ar(x), at, "name", str(x, at, o->name), "namespace",
                                        str(x, at, o->ns), "labels", labels, "annotations",
                                        annotations(x, o, vals, at), NULL);
    const Value *tmeta = value_object_of(ar(x), at, "name", str(x, at, o->name), "namespace",
                                         str(x, at, o->ns), "labels", labels, "annotations", own,
                                         NULL);
    const Value *tmpl = value_object_of(ar(x), at, "metadata", tmeta, "type",
                                        o->type ? o->type : str(x, at, "Opaque"), "immutable",
                                        o->immutable, NULL);
    return value_object_of(
        ar(x), at, "apiVersion", str(x, at, "bitnami.com/v1alpha1"), "kind",
        str(x, at, "SealedSecret"), "metadata", meta, "spec",
        value_object_of(ar(x), at, "encryptedData",
                        value_object(ar(x), at, keys, blobs, o->nentries), "template", tmpl, NULL),
        NULL);
}

static void seal_object(Sealer *x, SecretObject *o)
{
    char err[512];
    StrBuf label;
    sb_init(&label);
    if (seal_label(o->scope, o->ns, o->name, &label, err, sizeof err) != SEAL_OK) {
        fail(x, "E0706", o->m->at, err);
        sb_free(&label);
        return;
    }
    SealedPrev prev;
    bool have_prev = previous(x, o, &prev);
    Sealed *vals = calloc(o->nentries ? o->nentries : 1, sizeof *vals);
    if (!vals)
        abort();
    bool ok = true;
    for (size_t i = 0; i < o->nentries; i++) {
        sb_init(&vals[i].blob);
        ok = seal_entry(x, o, &label, have_prev ? &prev : NULL, &o->entries[i], &vals[i]) && ok;
    }
    if (ok) {
        o->m->obj = sealed_object(x, o, vals);
        o->m->kind = "SealedSecret";
    }
    for (size_t i = 0; i < o->nentries; i++)
        sb_free(&vals[i].blob);
    free(vals);
    if (have_prev)
        sealed_prev_free(&prev);
    sb_free(&label);
}

bool secrets_seal(Program *p, const SecretsSealing *s, size_t *reused, size_t *sealed)
{
    Sealer x = {p, s, "", 0, 0, true};
    snprintf(x.cert, sizeof x.cert, "sha256:%s", seal_cert_fingerprint(s->cert));
    for (size_t i = 0; i < p->secrets->nobjects; i++)
        seal_object(&x, &p->secrets->objects[i]);
    *reused = x.reused;
    *sealed = x.sealed;
    return x.ok;
}
