/*
 * err: formatting of one-line error reports (see include/err.h).
 * Invariant: once e->kind is set, the message is never overwritten, so the
 * first (root) cause is the one the user sees.
 */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int err_vat(struct err *e, enum err_kind kind, const char *file, int line,
            const char *fmt, va_list ap)
{
    if (!e || e->kind != ERR_NONE)
        return -1;
    size_t n = 0;
    if (file && line > 0)
        n = (size_t)snprintf(e->msg, sizeof e->msg, "%s:%d: ", file, line);
    else if (file)
        n = (size_t)snprintf(e->msg, sizeof e->msg, "%s: ", file);
    if (n >= sizeof e->msg)
        n = sizeof e->msg - 1;
    vsnprintf(e->msg + n, sizeof e->msg - n, fmt, ap);
    e->kind = kind;
    return -1;
}

int err_at(struct err *e, enum err_kind kind, const char *file, int line,
           const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err_vat(e, kind, file, line, fmt, ap);
    va_end(ap);
    return -1;
}

int err_set(struct err *e, enum err_kind kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err_vat(e, kind, NULL, 0, fmt, ap);
    va_end(ap);
    return -1;
}

int err_oom(struct err *e)
{
    return err_set(e, ERR_RUNTIME, "out of memory");
}

void err_clear(struct err *e)
{
    if (!e)
        return;
    e->kind = ERR_NONE;
    e->msg[0] = '\0';
}
