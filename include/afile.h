/*
 * afile: output files that appear whole or not at all.
 *
 * afile_open() creates a temporary file beside the target (same folder, so
 * rename() is atomic); afile_commit() flushes, fsyncs, gives it the usual
 * mode (0666 less the umask, not mkstemp's 0600) and renames it over the
 * target. afile_abort() removes the temporary. A reader never sees a half
 * file, and an interrupted run leaves the previous file in place.
 */
#ifndef SALESCAP_AFILE_H
#define SALESCAP_AFILE_H

#include <stdio.h>

#include "err.h"

struct afile {
    FILE *f;     /* write here between open and commit */
    char *path;  /* the target */
    char *tmp;   /* the temporary beside it */
};

/* Opens a temporary for path. Returns 0, or -1 with e set (ERR_RUNTIME). */
int afile_open(struct afile *a, const char *path, struct err *e);

/* Makes the written content the file at path. Returns 0, or -1 with e set;
 * either way a is closed and its memory freed. */
int afile_commit(struct afile *a, struct err *e);

/* Discards the temporary; safe on a zeroed or committed struct. */
void afile_abort(struct afile *a);

/* Writes len bytes of data to path atomically. */
int afile_write(const char *path, const void *data, size_t len,
                struct err *e);

/* Creates dir and its missing parents (mode 0777 less umask). Returns 0,
 * or -1 with e set. */
int mkdir_p(const char *dir, struct err *e);

/* Removes the temporaries of every open afile (called from signal
 * handlers before exiting: async-signal-safe, uses only unlink()). */
void afile_cleanup_all(void);

#endif
