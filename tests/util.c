/*
 * util: the helpers of tests/util.h, linked into every test program.
 *
 * Invariant: what a helper returns is the caller's (malloc'd), and a
 * helper that cannot do its work fails the test rather than return
 * something a test could mistake for a result.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

char *ru_mkdtemp(char *buf, size_t size, const char *name)
{
    const char *t = getenv("TMPDIR");
    snprintf(buf, size, "%s/salescap_%s_XXXXXX", t && *t ? t : "/tmp", name);
    assert_non_null(mkdtemp(buf));
    return buf;
}

char *ru_tmp_dir(const char *name)
{
    char buf[512];
    char *d = strdup(ru_mkdtemp(buf, sizeof buf, name));
    assert_non_null(d);
    return d;
}

void ru_rmdir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    char path[4096];
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (unlink(path) != 0)
            ru_rmdir(path); /* a folder: emptied, then removed */
    }
    closedir(d);
    rmdir(dir);
}

void ru_rm_rf(char *dir)
{
    ru_rmdir(dir);
    free(dir);
}

char *ru_read_file(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return NULL;
    }
    char *buf = malloc((size_t)st.st_size + 1);
    assert_non_null(buf);
    size_t got = 0;
    ssize_t n;
    while (got < (size_t)st.st_size &&
           (n = read(fd, buf + got, (size_t)st.st_size - got)) > 0)
        got += (size_t)n;
    close(fd);
    buf[got] = '\0';
    if (len)
        *len = got;
    return buf;
}

char *ru_slurp(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s%s%s", dir ? dir : "", dir ? "/" : "", name);
    char *s = ru_read_file(path, NULL);
    if (!s)
        fail_msg("%s: %s", path, strerror(errno));
    return s;
}
