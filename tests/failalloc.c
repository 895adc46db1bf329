/*
 * failalloc: the wrappers (see failalloc.h).
 *
 * Invariant: live[] holds every pointer a wrapper returned and free or
 * realloc has not taken back (open addressing, linear probing, TOMB for
 * removed slots); one mutex guards it and the counters, since a run's
 * workers allocate on their own threads.
 */
#include "failalloc.h"

#include <errno.h>
#include <gsl/gsl_rng.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
FILE *__real_open_memstream(char **buf, size_t *len);
gsl_rng *__real_gsl_rng_alloc(const gsl_rng_type *t);
int __real_pthread_create(pthread_t *th, const pthread_attr_t *attr,
                          void *(*fn)(void *), void *arg);

void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);
void __wrap_free(void *p);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
FILE *__wrap_open_memstream(char **buf, size_t *len);
gsl_rng *__wrap_gsl_rng_alloc(const gsl_rng_type *t);
int __wrap_pthread_create(pthread_t *th, const pthread_attr_t *attr,
                          void *(*fn)(void *), void *arg);

#define LIVE_SLOTS (1u << 20)
#define TOMB       ((void *)1)

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static void *live[LIVE_SLOTS];
static size_t n_live;
static long armed, calls;
static int fired;

void failalloc_arm(long n)
{
    pthread_mutex_lock(&lock);
    armed = n;
    calls = 0;
    fired = 0;
    pthread_mutex_unlock(&lock);
}

long failalloc_calls(void)
{
    pthread_mutex_lock(&lock);
    long c = calls;
    pthread_mutex_unlock(&lock);
    return c;
}

int failalloc_fired(void)
{
    pthread_mutex_lock(&lock);
    int f = fired;
    pthread_mutex_unlock(&lock);
    return f;
}

size_t failalloc_live(void)
{
    pthread_mutex_lock(&lock);
    size_t n = n_live;
    pthread_mutex_unlock(&lock);
    return n;
}

/* Counts a call; 1 when this one must fail. */
static int should_fail(void)
{
    pthread_mutex_lock(&lock);
    int f = ++calls == armed;
    if (f)
        fired = 1;
    pthread_mutex_unlock(&lock);
    return f;
}

static size_t slot_of(const void *p)
{
    uintptr_t h = (uintptr_t)p;
    h ^= h >> 17;
    h *= 0x9E3779B97F4A7C15u;
    return (size_t)(h >> 7) & (LIVE_SLOTS - 1);
}

static void track(void *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&lock);
    size_t i = slot_of(p);
    while (live[i] && live[i] != TOMB)
        i = (i + 1) & (LIVE_SLOTS - 1);
    live[i] = p;
    n_live++;
    pthread_mutex_unlock(&lock);
}

/* Forgets p if a wrapper handed it out (libc's own blocks, such as an
 * open_memstream buffer, pass through untracked). */
static void untrack(void *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&lock);
    for (size_t i = slot_of(p); live[i]; i = (i + 1) & (LIVE_SLOTS - 1))
        if (live[i] == p) {
            live[i] = TOMB;
            n_live--;
            break;
        }
    pthread_mutex_unlock(&lock);
}

void *__wrap_malloc(size_t n)
{
    if (should_fail()) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = __real_malloc(n);
    track(p);
    return p;
}

void *__wrap_calloc(size_t k, size_t n)
{
    if (should_fail()) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = __real_calloc(k, n);
    track(p);
    return p;
}

void *__wrap_realloc(void *p, size_t n)
{
    if (should_fail()) {
        errno = ENOMEM;
        return NULL;
    }
    untrack(p);
    void *q = __real_realloc(p, n);
    track(q ? q : p);
    return q;
}

void __wrap_free(void *p)
{
    untrack(p);
    __real_free(p);
}

char *__wrap_strdup(const char *s)
{
    return __wrap_strndup(s, strlen(s));
}

char *__wrap_strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *p = __wrap_malloc(len + 1);
    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

FILE *__wrap_open_memstream(char **buf, size_t *len)
{
    if (should_fail()) {
        errno = ENOMEM;
        return NULL;
    }
    return __real_open_memstream(buf, len);
}

gsl_rng *__wrap_gsl_rng_alloc(const gsl_rng_type *t)
{
    if (should_fail())
        return NULL;
    return __real_gsl_rng_alloc(t);
}

int __wrap_pthread_create(pthread_t *th, const pthread_attr_t *attr,
                          void *(*fn)(void *), void *arg)
{
    if (should_fail())
        return EAGAIN;
    return __real_pthread_create(th, attr, fn, arg);
}
