/*
 * err: one-line error reports that say where before what.
 *
 * Library code never prints and never exits. A function that can fail for
 * an expected reason (bad input, missing file, no memory) returns -1 or NULL
 * and fills the caller's struct err; main() prints it and picks the exit
 * status. The message reads "FILE:LINE: what went wrong", or just the text
 * when there is no location.
 */
#ifndef SALESCAP_ERR_H
#define SALESCAP_ERR_H

#include <stdarg.h>
#include <stddef.h>

#define ERR_MSG_MAX 1024

/* What kind of failure, which main() maps to an exit status. */
enum err_kind {
    ERR_NONE = 0,
    ERR_CONFIG,  /* bad input the user can fix: exit status 2 */
    ERR_RUNTIME, /* I/O, memory, an external tool: exit status 1 */
};

struct err {
    enum err_kind kind;
    char msg[ERR_MSG_MAX];
};

/* Sets e (if not NULL) to "FILE:LINE: message"; a NULL file or a line < 1
 * drops that part. Keeps the first error: a later call does nothing while
 * e->kind != ERR_NONE. Always returns -1, so callers can `return err_at(...)`.
 */
int err_at(struct err *e, enum err_kind kind, const char *file, int line,
           const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* err_at without a location. Returns -1. */
int err_set(struct err *e, enum err_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* err_at with the arguments of fmt in ap, for a function that takes a
 * format of its own and passes it on. Returns -1. */
int err_vat(struct err *e, enum err_kind kind, const char *file, int line,
            const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

/* Sets e to "out of memory" (ERR_RUNTIME), the one message every
 * allocation failure gives. Returns -1. */
int err_oom(struct err *e);

/* Clears e. */
void err_clear(struct err *e);

#endif
