/* prefault.c — see prefault.h. madvise() is not POSIX. */
#define _DEFAULT_SOURCE
#include "prefault.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#ifdef __linux__
#include <pthread.h>
#include <sys/mman.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14; older kernels answer EINVAL */
#endif

enum {
    QUEUE = 64,              /* ranges waiting; more are dropped, not waited for */
    CHUNK = 2 * 1024 * 1024, /* a huge page per call, so that the work follows
                              * the evaluation's order of use */
    PAGE = 4096,
};

typedef struct Range {
    char *p;
    size_t n;
} Range;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static Range queue[QUEUE];
static unsigned head, tail; /* waiting: queue[tail % QUEUE] up to queue[head % QUEUE] */
static bool started, off;   /* off: no thread, or the kernel lacks the advice */

static Range next_range(void)
{
    pthread_mutex_lock(&lock);
    while (head == tail)
        pthread_cond_wait(&wake, &lock);
    Range r = queue[tail++ % QUEUE];
    pthread_mutex_unlock(&lock);
    return r;
}

static void *worker(void *arg)
{
    (void)arg;
    for (;;) {
        Range r = next_range();
        for (size_t at = 0; at < r.n; at += CHUNK) {
            size_t len = r.n - at < CHUNK ? r.n - at : CHUNK;
            if (madvise(r.p + at, len, MADV_POPULATE_WRITE) == 0)
                continue;
            /* EINVAL: the kernel does not know the advice. Otherwise the
             * block was given back meanwhile: only this range is lost. */
            if (errno == EINVAL) {
                pthread_mutex_lock(&lock);
                off = true;
                pthread_mutex_unlock(&lock);
            }
            break;
        }
    }
    return NULL;
}

/* The thread, at the first range: a small site never starts it. */
static bool start(void)
{
    pthread_attr_t attr;
    pthread_t t;
    bool ok = pthread_attr_init(&attr) == 0;
    ok = ok && pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED) == 0 &&
         pthread_create(&t, &attr, worker, NULL) == 0;
    pthread_attr_destroy(&attr);
    return ok;
}

void prefault_range(void *p, size_t n)
{
    /* whole pages inside the range only */
    uintptr_t lo = ((uintptr_t)p + PAGE - 1) & ~(uintptr_t)(PAGE - 1);
    uintptr_t hi = ((uintptr_t)p + n) & ~(uintptr_t)(PAGE - 1);
    if (hi <= lo)
        return;
    pthread_mutex_lock(&lock);
    if (!started) {
        started = true;
        off = !start();
    }
    if (!off && head - tail < QUEUE) {
        queue[head++ % QUEUE] = (Range){(char *)lo, hi - lo};
        pthread_cond_signal(&wake);
    }
    pthread_mutex_unlock(&lock);
}

#else

void prefault_range(void *p, size_t n)
{
    (void)p;
    (void)n;
}

#endif
