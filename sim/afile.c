/*
 * afile: atomic output files (see include/afile.h).
 *
 * Invariant: every temporary that exists on disk is listed in `open_tmps`
 * until it is renamed or removed, so a signal handler can remove them all.
 * The list is the one piece of process-wide state in salescap: it
 * describes the file system, not the simulation, and it is guarded by a
 * mutex (the handler only reads it, with unlink()).
 */
#include "afile.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_OPEN_TMPS 64

static char *volatile open_tmps[MAX_OPEN_TMPS];
static pthread_mutex_t tmps_lock = PTHREAD_MUTEX_INITIALIZER;

static void tmps_add(char *tmp)
{
    pthread_mutex_lock(&tmps_lock);
    for (int i = 0; i < MAX_OPEN_TMPS; i++) {
        if (!open_tmps[i]) {
            open_tmps[i] = tmp;
            break;
        }
    }
    pthread_mutex_unlock(&tmps_lock);
}

static void tmps_remove(const char *tmp)
{
    pthread_mutex_lock(&tmps_lock);
    for (int i = 0; i < MAX_OPEN_TMPS; i++)
        if (open_tmps[i] == tmp)
            open_tmps[i] = NULL;
    pthread_mutex_unlock(&tmps_lock);
}

void afile_cleanup_all(void)
{
    for (int i = 0; i < MAX_OPEN_TMPS; i++) {
        char *t = open_tmps[i];
        if (t)
            unlink(t);
    }
}

static void afile_free(struct afile *a)
{
    free(a->path);
    free(a->tmp);
    a->path = a->tmp = NULL;
    a->f = NULL;
}

/* An existing target that is not a plain file (a device, a FIFO, a
 * symbolic link such as /dev/stdout) is written in place: renaming a
 * temporary over it would replace the device node or the link itself,
 * and as root that means /dev/null becomes a file. Returns 1 when a is
 * open that way, 0 for a plain or new file, -1 with e set. */
static int open_in_place(struct afile *a, const char *path, struct err *e)
{
    struct stat st;
    if (lstat(path, &st) != 0 || S_ISREG(st.st_mode))
        return 0;
    if (S_ISDIR(st.st_mode))
        return err_set(e, ERR_RUNTIME, "%s: cannot write: is a directory",
                       path);
    a->path = strdup(path);
    if (!a->path)
        return err_set(e, ERR_RUNTIME, "%s: out of memory", path);
    a->f = fopen(path, "w");
    if (!a->f) {
        int saved = errno;
        afile_free(a);
        return err_set(e, ERR_RUNTIME, "%s: cannot open: %s", path,
                       strerror(saved));
    }
    return 1;
}

int afile_open(struct afile *a, const char *path, struct err *e)
{
    memset(a, 0, sizeof *a);
    int rc = open_in_place(a, path, e);
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    size_t n = strlen(path);
    a->path = strdup(path);
    a->tmp = malloc(n + 16);
    if (!a->path || !a->tmp) {
        afile_free(a);
        return err_set(e, ERR_RUNTIME, "%s: out of memory", path);
    }
    memcpy(a->tmp, path, n);
    memcpy(a->tmp + n, ".tmp.XXXXXX", 12);
    int fd = mkstemp(a->tmp);
    if (fd < 0) {
        int saved = errno;
        afile_free(a);
        return err_set(e, ERR_RUNTIME, "%s: cannot create: %s", path,
                       strerror(saved));
    }
    tmps_add(a->tmp);
    a->f = fdopen(fd, "w");
    if (!a->f) {
        int saved = errno;
        close(fd);
        afile_abort(a);
        return err_set(e, ERR_RUNTIME, "%s: cannot open: %s", path,
                       strerror(saved));
    }
    return 0;
}

int afile_finish(struct afile *a, struct err *e)
{
    int bad = 0, saved = 0;
    if (!a->f)
        return 0;
    if (fflush(a->f) != 0 || ferror(a->f))
        bad = 1, saved = errno;
    if (!bad && a->tmp && fsync(fileno(a->f)) != 0)
        bad = 1, saved = errno;
    if (!bad && a->tmp) {
        mode_t mask = umask(0);
        umask(mask);
        if (fchmod(fileno(a->f), 0666 & ~mask) != 0)
            bad = 1, saved = errno;
    }
    if (fclose(a->f) != 0 && !bad)
        bad = 1, saved = errno;
    a->f = NULL;
    if (!bad)
        return 0;
    err_set(e, ERR_RUNTIME, "%s: cannot write: %s", a->path,
            strerror(saved ? saved : EIO));
    if (a->tmp) {
        unlink(a->tmp);
        tmps_remove(a->tmp);
    }
    afile_free(a);
    return -1;
}

int afile_commit(struct afile *a, struct err *e)
{
    if (afile_finish(a, e) != 0)
        return -1;
    if (!a->tmp) { /* written in place, or a zeroed struct */
        afile_free(a);
        return 0;
    }
    int rc = 0;
    if (rename(a->tmp, a->path) != 0) {
        rc = err_set(e, ERR_RUNTIME, "%s: cannot write: %s", a->path,
                     strerror(errno));
        unlink(a->tmp);
    }
    tmps_remove(a->tmp);
    afile_free(a);
    return rc;
}

void afile_abort(struct afile *a)
{
    if (a->f)
        fclose(a->f);
    if (a->tmp) {
        unlink(a->tmp);
        tmps_remove(a->tmp);
    }
    afile_free(a);
}

int afile_write(const char *path, const void *data, size_t len, struct err *e)
{
    struct afile a;
    if (afile_open(&a, path, e) != 0)
        return -1;
    if (len && fwrite(data, 1, len, a.f) != len) {
        afile_abort(&a);
        return err_set(e, ERR_RUNTIME, "%s: cannot write", path);
    }
    return afile_commit(&a, e);
}

int afile_check_dir(const char *dir, struct err *e)
{
    if (!*dir)
        return err_set(e, ERR_CONFIG, "'': an empty folder name");
    char *p = strdup(dir);
    if (!p)
        return err_set(e, ERR_RUNTIME, "%s: out of memory", dir);
    int rc = 0;
    /* Trailing slashes off first: "file/" must be found to be a file. */
    for (size_t n = strlen(p); n > 1 && p[n - 1] == '/'; n--)
        p[n - 1] = '\0';
    for (;;) {
        struct stat st;
        if (stat(p, &st) == 0) {
            int self = !strcmp(p, dir);
            if (!S_ISDIR(st.st_mode) && self)
                rc = err_set(e, ERR_CONFIG, "%s: exists and is not a folder",
                             dir);
            else if (!S_ISDIR(st.st_mode))
                rc = err_set(e, ERR_CONFIG,
                             "%s: cannot create it: %s is not "
                             "a folder",
                             dir, p);
            else if (access(p, W_OK | X_OK) != 0 && self)
                rc = err_set(e, ERR_CONFIG, "%s: cannot write there: %s", dir,
                             strerror(errno));
            else if (access(p, W_OK | X_OK) != 0)
                rc = err_set(e, ERR_CONFIG, "%s: cannot create it in %s: %s",
                             dir, p, strerror(errno));
            break;
        }
        if (errno != ENOENT && errno != ENOTDIR) {
            rc = err_set(e, ERR_CONFIG, "%s: %s", dir, strerror(errno));
            break;
        }
        /* Up one: drop the last component, then the slashes before it. */
        char *s = p + strlen(p);
        while (s > p && s[-1] != '/')
            s--;
        if (s == p) { /* a relative name: the working folder */
            strcpy(p, ".");
            continue;
        }
        while (s > p + 1 && s[-1] == '/')
            s--;
        *s = '\0'; /* "/x" leaves "/" */
    }
    free(p);
    return rc;
}

int afile_check_file(const char *path, struct err *e)
{
    struct stat st;
    if (!*path)
        return err_set(e, ERR_CONFIG, "'': an empty file name");
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return err_set(e, ERR_CONFIG, "%s: is a folder; give a file name",
                       path);
    const char *slash = strrchr(path, '/');
    char *dir = slash
                    ? strndup(path, slash == path ? 1 : (size_t)(slash - path))
                    : strdup(".");
    if (!dir)
        return err_set(e, ERR_RUNTIME, "%s: out of memory", path);
    int rc = 0;
    if (stat(dir, &st) != 0)
        rc = err_set(e, ERR_CONFIG, "%s: cannot create it: %s: %s", path, dir,
                     strerror(errno));
    else if (!S_ISDIR(st.st_mode))
        rc = err_set(e, ERR_CONFIG,
                     "%s: cannot create it: %s is not a "
                     "folder",
                     path, dir);
    else if (access(dir, W_OK | X_OK) != 0)
        rc = err_set(e, ERR_CONFIG, "%s: cannot create it in %s: %s", path, dir,
                     strerror(errno));
    free(dir);
    return rc;
}

int afile_same(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

int mkdir_p(const char *dir, struct err *e)
{
    char *p = strdup(dir);
    if (!p)
        return err_set(e, ERR_RUNTIME, "%s: out of memory", dir);
    for (char *s = p + 1;; s++) {
        int end = (*s == '\0');
        if (*s == '/' || end) {
            *s = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                int saved = errno;
                err_set(e, ERR_RUNTIME, "%s: cannot create folder: %s", p,
                        strerror(saved));
                free(p);
                return -1;
            }
            if (end)
                break;
            *s = '/';
        }
    }
    struct stat st;
    int ok = stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
    free(p);
    if (!ok)
        return err_set(e, ERR_RUNTIME, "%s: not a folder", dir);
    return 0;
}

char *afile_join(const char *file, const char *path)
{
    const char *slash = file ? strrchr(file, '/') : NULL;
    size_t dlen = path[0] == '/' || !slash ? 0 : (size_t)(slash - file) + 1;
    size_t plen = strlen(path);
    char *out = malloc(dlen + plen + 1);
    if (!out)
        return NULL;
    if (dlen)
        memcpy(out, file, dlen);
    memcpy(out + dlen, path, plen + 1);
    return out;
}
