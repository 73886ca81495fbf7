#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

void diag_init(DiagList *l) { memset(l, 0, sizeof *l); }

static void release(Diag *d)
{
    free(d->message);
    free(d->primary.message);
    for (size_t j = 0; j < d->nsecondary; j++)
        free(d->secondary[j].message);
    free(d->secondary);
    free(d->hint);
}

void diag_free(DiagList *l)
{
    for (size_t i = 0; i < l->len; i++)
        release(&l->items[i]);
    free(l->items);
    diag_init(l);
}

void diag_truncate(DiagList *l, size_t len)
{
    for (size_t i = len; i < l->len; i++) {
        Diag *d = &l->items[i];
        if (d->severity == SEV_ERROR)
            l->errors--;
        else
            l->warnings--;
        release(d);
    }
    if (len < l->len)
        l->len = len;
}

static char *vformat(const char *fmt, va_list ap)
{
    StrBuf b;
    sb_init(&b);
    sb_vprintf(&b, fmt, ap);
    return sb_take(&b);
}

static Diag *vadd(DiagList *l, Severity sev, const char *code, Span at, const char *fmt,
                  va_list ap)
{
    if (l->len == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        Diag *p = realloc(l->items, cap * sizeof *p);
        if (!p) {
            fputs("crownc: out of memory\n", stderr);
            abort();
        }
        l->items = p;
        l->cap = cap;
    }
    Diag *d = &l->items[l->len];
    memset(d, 0, sizeof *d);
    d->seq = l->len++;
    d->code = code;
    d->severity = sev;
    d->primary.span = at;
    d->message = vformat(fmt, ap);
    if (sev == SEV_ERROR)
        l->errors++;
    else
        l->warnings++;
    return d;
}

Diag *diag_add(DiagList *l, Severity sev, const char *code, Span at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    Diag *d = vadd(l, sev, code, at, fmt, ap);
    va_end(ap);
    return d;
}

Diag *diag_error(DiagList *l, const char *code, Span at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    Diag *d = vadd(l, SEV_ERROR, code, at, fmt, ap);
    va_end(ap);
    return d;
}

void diag_set_label(Diag *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    free(d->primary.message);
    d->primary.message = vformat(fmt, ap);
    va_end(ap);
}

void diag_add_secondary(Diag *d, Span at, const char *fmt, ...)
{
    DiagLabel *p = realloc(d->secondary, (d->nsecondary + 1) * sizeof *p);
    if (!p) {
        fputs("crownc: out of memory\n", stderr);
        abort();
    }
    d->secondary = p;
    va_list ap;
    va_start(ap, fmt);
    p[d->nsecondary].span = at;
    p[d->nsecondary].message = vformat(fmt, ap);
    va_end(ap);
    d->nsecondary++;
}

void diag_set_hint(Diag *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    free(d->hint);
    d->hint = vformat(fmt, ap);
    va_end(ap);
}

static int cmp_diag(const void *pa, const void *pb)
{
    const Diag *a = pa, *b = pb;
    unsigned fa = a->primary.span.src ? a->primary.span.src->id : 0;
    unsigned fb = b->primary.span.src ? b->primary.span.src->id : 0;
    if (fa != fb)
        return fa < fb ? -1 : 1;
    if (a->primary.span.start != b->primary.span.start)
        return a->primary.span.start < b->primary.span.start ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void diag_sort(DiagList *l)
{
    if (l->len > 1)
        qsort(l->items, l->len, sizeof *l->items, cmp_diag);
}
