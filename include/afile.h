/*
 * afile: output files that appear whole or not at all.
 *
 * afile_open() creates a temporary file beside the target (same folder, so
 * rename() is atomic); afile_commit() flushes, fsyncs, gives it the usual
 * mode (0666 less the umask, not mkstemp's 0600) and renames it over the
 * target. afile_abort() removes the temporary. A reader never sees a half
 * file, and an interrupted run leaves the previous file in place.
 * A target that exists and is not a plain file (a device such as
 * /dev/null, a FIFO, a symbolic link such as /dev/stdout) is written in
 * place instead, without a temporary: replacing it would replace the
 * device node or the link.
 */
#ifndef SALESCAP_AFILE_H
#define SALESCAP_AFILE_H

#include <stdio.h>

#include "err.h"

struct afile {
    FILE *f;    /* write here between open and commit */
    char *path; /* the target */
    char *tmp;  /* the temporary beside it */
};

/* Opens a temporary for path. Returns 0, or -1 with e set (ERR_RUNTIME). */
int afile_open(struct afile *a, const char *path, struct err *e);

/* Flushes, fsyncs, gives the temporary its mode and closes it, without
 * renaming: once every file of a set is finished, the renames cannot fail
 * for a full disk. Returns 0, or -1 with e set, the temporary removed
 * and a freed (afile_abort and afile_commit are then no-ops). */
int afile_finish(struct afile *a, struct err *e);

/* Makes the written content the file at path (finishing it first unless
 * afile_finish did). Returns 0, or -1 with e set; either way a is closed
 * and its memory freed; on a zeroed or freed struct, returns 0. */
int afile_commit(struct afile *a, struct err *e);

/* Discards the temporary; safe on a zeroed or committed struct. */
void afile_abort(struct afile *a);

/* Writes len bytes of data to path atomically. */
int afile_write(const char *path, const void *data, size_t len, struct err *e);

/* Creates dir and its missing parents (mode 0777 less umask). Returns 0,
 * or -1 with e set. */
int mkdir_p(const char *dir, struct err *e);

/* Whether mkdir_p(dir) and writing files in dir would work, checked
 * before hours of simulation rather than after, creating nothing: dir is
 * a writable folder, or the nearest part of its path that exists is
 * one. Returns 0, or -1 with e's message ("DIR: ..."). */
int afile_check_dir(const char *dir, struct err *e);

/* The same for a file that afile_open(path) will write: path is not a
 * folder, and the folder it goes in exists and is writable (afile_open
 * makes no folders). Returns 0, or -1 with e's message ("PATH: ..."). */
int afile_check_file(const char *path, struct err *e);

/* Whether paths a and b name one existing file (device and inode), so
 * that writing one would replace the other. */
int afile_same(const char *a, const char *b);

/* path relative to the folder of file, as an include's or an
 * empirical_file's path is (malloc'd; NULL when out of memory): an
 * absolute path, or a file without a folder (or NULL), leaves it as it
 * is. */
char *afile_join(const char *file, const char *path);

/* Removes the temporaries of every open afile (called from signal
 * handlers before exiting: async-signal-safe, uses only unlink()). */
void afile_cleanup_all(void);

#endif
