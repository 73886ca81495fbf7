/* udiff.c — unified diffs (udiff.h).
 *
 * The texts are split into lines (a line keeps its newline, so a last line
 * without one differs from the same line with one, as in diff), the common
 * head and tail are set aside, and Myers' greedy algorithm finds a
 * shortest edit script for the middle. The script becomes a list of
 * operations (keep, remove, add), grouped into hunks with `context` kept
 * lines around each run of changes. */
#include "udiff.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_CYAN "\033[36m"

static void *xrealloc(void *p, size_t n, size_t size)
{
    /* Callers never pass n * size near SIZE_MAX: line counts are bounded
     * by the texts' lengths and the trace by UDIFF_MAX_EDITS. */
    void *q = realloc(p, n ? n * size : 1);
    if (!q) {
        fputs("crownc: out of memory\n", stderr);
        abort();
    }
    return q;
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p) {
        fputs("crownc: out of memory\n", stderr);
        abort();
    }
    return p;
}

/* ---- lines -------------------------------------------------------------- */

typedef struct Line {
    const char *s;
    size_t len;    /* the newline included, when there is one */
    uint64_t hash; /* compares most unequal lines in one step */
} Line;

typedef struct Lines {
    Line *at;
    size_t n;
} Lines;

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 14695981039346656037u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

static Lines split(const char *data, size_t len)
{
    Lines l = {NULL, 0};
    size_t cap = 0;
    for (size_t pos = 0; pos < len;) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - data) + 1 : len;
        if (l.n == cap) {
            cap = cap ? 2 * cap : 64;
            l.at = xrealloc(l.at, cap, sizeof *l.at);
        }
        l.at[l.n++] = (Line){data + pos, end - pos, fnv1a(data + pos, end - pos)};
        pos = end;
    }
    return l;
}

static bool same(const Line *a, const Line *b)
{
    return a->hash == b->hash && a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

/* ---- the edit script ---------------------------------------------------- */

/* The furthest point reached on each diagonal after each round d, kept so
 * that the path can be walked back: round d holds diagonals -d..d at
 * offset d * d (rounds 0..d-1 take 1 + 3 + ... + (2d - 1) = d * d). */
typedef struct Trace {
    int *v;
    size_t cap;
} Trace;

static void trace_save(Trace *t, int d, const int *v, int off)
{
    size_t need = (size_t)(d + 1) * (size_t)(d + 1);
    if (need > t->cap) {
        t->cap = need * 2;
        t->v = xrealloc(t->v, t->cap, sizeof *t->v);
    }
    memcpy(t->v + (size_t)d * (size_t)d, v + off - d, (size_t)(2 * d + 1) * sizeof *v);
}

/* Whether round d reached diagonal k from k + 1 (a line of b added) rather
 * than from k - 1 (a line of a removed); prev(j) is round d - 1's value. */
static bool from_above(int d, int k, int prev_km1, int prev_kp1)
{
    return k == -d || (k != d && prev_km1 < prev_kp1);
}

/* Walks the path back from (n, m), marking each removed and added line. */
static void backtrack(const Trace *t, int d, int x, int y, bool *del, bool *ins)
{
    for (; d > 0; d--) {
        const int *pv = t->v + (size_t)(d - 1) * (size_t)(d - 1) + (d - 1);
        int k = x - y;
        bool down = from_above(d, k, k - 1 >= -(d - 1) ? pv[k - 1] : 0,
                               k + 1 <= d - 1 ? pv[k + 1] : 0);
        int pk = down ? k + 1 : k - 1;
        int px = pv[pk], py = px - pk;
        if (down)
            ins[py] = true;
        else
            del[px] = true;
        x = px;
        y = py;
    }
}

/* Marks a shortest edit script from a[0..n) to b[0..m). Returns false,
 * marking nothing, when it needs more than UDIFF_MAX_EDITS edits. */
static bool myers(const Line *a, int n, const Line *b, int m, bool *del, bool *ins)
{
    int dmax = n + m < UDIFF_MAX_EDITS ? n + m : UDIFF_MAX_EDITS;
    int off = dmax + 1;
    int *v = xcalloc((size_t)(2 * dmax + 3), sizeof *v);
    Trace t = {NULL, 0};
    bool found = false;
    for (int d = 0; d <= dmax && !found; d++) {
        for (int k = -d; k <= d; k += 2) {
            int x = from_above(d, k, v[off + k - 1], v[off + k + 1]) ? v[off + k + 1]
                                                                      : v[off + k - 1] + 1;
            int y = x - k;
            while (x < n && y < m && same(&a[x], &b[y]))
                x++, y++;
            v[off + k] = x;
            if (x >= n && y >= m) {
                backtrack(&t, d, n, m, del, ins);
                found = true;
                break;
            }
        }
        if (!found)
            trace_save(&t, d, v, off);
    }
    free(t.v);
    free(v);
    return found;
}

/* Marks every differing line of a and b: the common head and tail are
 * kept, the middle goes to myers (or is replaced whole past the limit). */
static void mark(const Lines *a, const Lines *b, bool *del, bool *ins)
{
    size_t head = 0, tail = 0;
    while (head < a->n && head < b->n && same(&a->at[head], &b->at[head]))
        head++;
    while (tail < a->n - head && tail < b->n - head &&
           same(&a->at[a->n - 1 - tail], &b->at[b->n - 1 - tail]))
        tail++;
    size_t n = a->n - head - tail, m = b->n - head - tail;
    bool small = n <= INT_MAX / 2 && m <= INT_MAX / 2;
    if (small && myers(a->at + head, (int)n, b->at + head, (int)m, del + head, ins + head))
        return;
    for (size_t i = 0; i < n; i++)
        del[head + i] = true;
    for (size_t j = 0; j < m; j++)
        ins[head + j] = true;
}

/* ---- hunks -------------------------------------------------------------- */

typedef enum OpKind { OP_KEEP, OP_DEL, OP_ADD } OpKind;

/* One line of the diff; a and b are the positions in old and new before it. */
typedef struct Op {
    OpKind kind;
    size_t a, b;
} Op;

/* The marks as a sequence: in each run of changes the removals come
 * before the additions, as diff -u prints them. */
static Op *operations(const Lines *a, const Lines *b, const bool *del, const bool *ins,
                      size_t *nops)
{
    Op *ops = xcalloc(a->n + b->n, sizeof *ops);
    size_t i = 0, j = 0, n = 0;
    while (i < a->n || j < b->n) {
        OpKind k = i < a->n && del[i] ? OP_DEL : j < b->n && ins[j] ? OP_ADD : OP_KEEP;
        ops[n++] = (Op){k, i, j};
        i += k != OP_ADD;
        j += k != OP_DEL;
    }
    *nops = n;
    return ops;
}

/* diff's "-START,COUNT": a single line is just its number, and an empty
 * range names the line after which it would be. */
static void range(StrBuf *out, char sign, size_t start, size_t count)
{
    if (count == 1)
        sb_printf(out, "%c%zu", sign, start + 1);
    else
        sb_printf(out, "%c%zu,%zu", sign, count ? start + 1 : start, count);
}

static void line_out(StrBuf *out, char sign, const Line *l, const char *color)
{
    bool nl = l->len && l->s[l->len - 1] == '\n';
    if (color)
        sb_puts(out, color);
    sb_putc(out, sign);
    sb_putn(out, l->s, nl ? l->len - 1 : l->len);
    if (color)
        sb_puts(out, C_RESET);
    sb_putc(out, '\n');
    if (!nl)
        sb_puts(out, "\\ No newline at end of file\n");
}

static void hunk_out(StrBuf *out, const Op *ops, size_t start, size_t end, const Lines *a,
                     const Lines *b, bool color)
{
    size_t na = 0, nb = 0;
    for (size_t i = start; i < end; i++) {
        na += ops[i].kind != OP_ADD;
        nb += ops[i].kind != OP_DEL;
    }
    sb_puts(out, color ? C_CYAN "@@ " : "@@ ");
    range(out, '-', ops[start].a, na);
    sb_putc(out, ' ');
    range(out, '+', ops[start].b, nb);
    sb_puts(out, color ? " @@" C_RESET "\n" : " @@\n");
    for (size_t i = start; i < end; i++) {
        const Op *o = &ops[i];
        if (o->kind == OP_DEL)
            line_out(out, '-', &a->at[o->a], color ? C_RED : NULL);
        else if (o->kind == OP_ADD)
            line_out(out, '+', &b->at[o->b], color ? C_GREEN : NULL);
        else
            line_out(out, ' ', &a->at[o->a], NULL);
    }
}

/* The end of the hunk whose first change is at i: changes closer than
 * two contexts share a hunk, as their contexts would overlap. */
static size_t hunk_end(const Op *ops, size_t nops, size_t i, size_t ctx)
{
    for (;;) {
        while (i < nops && ops[i].kind != OP_KEEP)
            i++;
        size_t next = i;
        while (next < nops && ops[next].kind == OP_KEEP)
            next++;
        if (next == nops || next - i > 2 * ctx)
            return nops - i < ctx ? nops : i + ctx;
        i = next;
    }
}

static void header_out(StrBuf *out, const UdiffText *old, const UdiffText *new_, bool color)
{
    const char *on = color ? C_BOLD : "", *off = color ? C_RESET : "";
    sb_printf(out, "%s--- %s%s\n%s+++ %s%s\n", on, old->name, off, on, new_->name, off);
}

size_t udiff(StrBuf *out, const UdiffText *old, const UdiffText *new_, const UdiffOptions *opt)
{
    Lines a = split(old->data, old->len), b = split(new_->data, new_->len);
    bool *del = xcalloc(a.n, sizeof *del), *ins = xcalloc(b.n, sizeof *ins);
    mark(&a, &b, del, ins);
    size_t nops, hunks = 0;
    Op *ops = operations(&a, &b, del, ins, &nops);
    for (size_t i = 0; i < nops;) {
        while (i < nops && ops[i].kind == OP_KEEP)
            i++;
        if (i == nops)
            break;
        if (hunks++ == 0)
            header_out(out, old, new_, opt->color);
        size_t start = i > opt->context ? i - opt->context : 0;
        size_t end = hunk_end(ops, nops, i, opt->context);
        hunk_out(out, ops, start, end, &a, &b, opt->color);
        i = end;
    }
    free(ops);
    free(ins);
    free(del);
    free(b.at);
    free(a.at);
    return hunks;
}
