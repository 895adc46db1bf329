/*
 * failalloc: a test-only shim that makes the N-th allocation fail.
 *
 * tests/test_failalloc is linked with -Wl,--wrap=malloc,--wrap=calloc,
 * --wrap=realloc,--wrap=strdup,--wrap=strndup,--wrap=free and the wrap of
 * open_memstream, gsl_rng_alloc and pthread_create, so every such call
 * made by salescap's library (built into the binary from libsalescap.a)
 * goes through tests/failalloc.c. Calls made inside libc and GSL
 * themselves are not seen. The shim also tracks the blocks it handed out
 * and not yet freed, so a test can see a leak without a leak checker.
 */
#ifndef SALESCAP_FAILALLOC_H
#define SALESCAP_FAILALLOC_H

#include <stddef.h>

/* Makes the n-th wrapped call from now fail (1-based); 0 fails none.
 * Resets the call count. */
void failalloc_arm(long n);

/* Wrapped calls since the last failalloc_arm(). */
long failalloc_calls(void);

/* 1 once the armed call has failed. */
int failalloc_fired(void);

/* Blocks handed out by the wrappers and not freed. */
size_t failalloc_live(void);

#endif
