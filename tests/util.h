/*
 * util: helpers linked into every test program (tests/util.c):
 * temporary folders, their removal, and a file's whole text. One copy
 * of each, where the test files each had their own.
 *
 * A helper that "fails the test" does so with cmocka's fail_msg or an
 * assertion, so it may only be called from a test (or its set-up).
 */
#ifndef SALESCAP_TEST_UTIL_H
#define SALESCAP_TEST_UTIL_H

#include <stddef.h>

/* A fresh empty folder $TMPDIR/salescap_NAME_XXXXXX (TMPDIR unset or
 * empty: /tmp), written into buf (of size bytes), which it returns;
 * fails the test when it cannot be made. */
char *ru_mkdtemp(char *buf, size_t size, const char *name);

/* The same folder in new memory (free it, or pass it to ru_rm_rf). */
char *ru_tmp_dir(const char *name);

/* Removes dir and everything under it; a missing dir is no error. */
void ru_rmdir(const char *dir);

/* ru_rmdir(dir), then frees dir. */
void ru_rm_rf(char *dir);

/* The content of path in new memory with a NUL after it, or NULL when it
 * cannot be read; *len its size (len may be NULL). */
char *ru_read_file(const char *path, size_t *len);

/* The content of DIR/NAME (dir NULL: of NAME) in new memory; fails the
 * test, naming the file, when it cannot be read. */
char *ru_slurp(const char *dir, const char *name);

#endif
