/*
 * robust_util: helpers of the end-to-end tests that start the binary
 * (test_hostile, test_robust, test_check): run salescap with a time
 * limit, read files, and check that a CSV is well formed with finite
 * numbers only.
 *
 * Header-only (static functions), over the helpers every test program
 * links (tests/util.h: temporary folders, whole files); include it
 * after <cmocka.h>.
 */
#ifndef SALESCAP_ROBUST_UTIL_H
#define SALESCAP_ROBUST_UTIL_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

extern char **environ;
/* Linux's wait with the child's resource use; <sys/wait.h> declares it
 * only under _DEFAULT_SOURCE, which the tests need not define. */
pid_t wait4(pid_t pid, int *status, int options, struct rusage *usage);

/* Each test program uses some of these helpers. */
#define RU_FN static __attribute__((unused))

/* snprintf that may truncate (messages, paths of tests): a wrapper, so
 * that -Wformat-truncation does not flag every message buffer. */
RU_FN void ru_fmt(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

RU_FN void ru_fmt(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, size, fmt, ap);
    va_end(ap);
}

struct proc {
    int status;    /* exit status; 128 + N when killed by signal N */
    int signaled;  /* killed by a signal (not an exit with 128 + N) */
    int timed_out; /* killed by us after the time limit */
    char *out, *err;
};

/* The status as a shell shows it; sets *signaled. */
RU_FN int ru_status(int st, int *signaled)
{
    *signaled = WIFSIGNALED(st);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* The whole content of fd from its start. Caller frees. */
RU_FN char *ru_slurp_fd(int fd)
{
    size_t len = 0, cap = 4096;
    char *buf = malloc(cap);
    ssize_t n;
    assert_non_null(buf);
    lseek(fd, 0, SEEK_SET);
    while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
        len += (size_t)n;
        if (cap - len < 2) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
    }
    buf[len] = '\0';
    return buf;
}

RU_FN int ru_temp_fd(void)
{
    char path[] = "/tmp/salescap_robust_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    unlink(path);
    return fd;
}

RU_FN double ru_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Starts $SALESCAP with args (NULL-terminated, without argv[0]), stdout
 * and stderr to out_fd and err_fd (-1: /dev/null). Returns the pid. */
RU_FN pid_t ru_spawn(const char *const *args, int out_fd, int err_fd)
{
    const char *bin = getenv("SALESCAP");
    assert_non_null(bin);
    char *argv[64];
    size_t n = 0;
    argv[n++] = (char *)bin;
    for (; args[n - 1] && n < 63; n++)
        argv[n] = (char *)args[n - 1];
    argv[n] = NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (out_fd >= 0)
        posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
    else
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    if (err_fd >= 0)
        posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
    else
        posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    assert_int_equal(posix_spawn(&pid, bin, &fa, NULL, argv, environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    return pid;
}

/* Waits for pid at most timeout_s seconds, then kills it. Returns the
 * status as struct proc reads it; sets *timed_out and, if not NULL,
 * *signaled and the child's resource use *ru (peak memory: ru_maxrss). */
RU_FN int ru_wait_sig(pid_t pid, double timeout_s, int *timed_out,
                      int *signaled, struct rusage *ru)
{
    double end = ru_now() + timeout_s;
    struct rusage ignored;
    int st;
    ru = ru ? ru : &ignored;
    *timed_out = 0;
    for (;;) {
        pid_t r = wait4(pid, &st, WNOHANG, ru);
        if (r == pid)
            break;
        assert_int_equal(r, 0);
        if (ru_now() > end) {
            kill(pid, SIGKILL);
            assert_int_equal(wait4(pid, &st, 0, ru), pid);
            *timed_out = 1;
            break;
        }
        struct timespec ts = {0, 5000000};
        nanosleep(&ts, NULL);
    }
    int sig;
    int status = ru_status(st, &sig);
    if (signaled)
        *signaled = sig;
    return status;
}

RU_FN int ru_wait(pid_t pid, double timeout_s, int *timed_out)
{
    return ru_wait_sig(pid, timeout_s, timed_out, NULL, NULL);
}

/* Runs $SALESCAP with args and a time limit; captures stdout, stderr
 * and, when ru is not NULL, the child's resource use. */
RU_FN struct proc ru_run_usage(const char *const *args, double timeout_s,
                               struct rusage *ru)
{
    int out = ru_temp_fd(), err = ru_temp_fd();
    struct proc r = {0};
    pid_t pid = ru_spawn(args, out, err);
    r.status = ru_wait_sig(pid, timeout_s, &r.timed_out, &r.signaled, ru);
    r.out = ru_slurp_fd(out);
    r.err = ru_slurp_fd(err);
    close(out);
    close(err);
    return r;
}

RU_FN struct proc ru_run(const char *const *args, double timeout_s)
{
    return ru_run_usage(args, timeout_s, NULL);
}

RU_FN void ru_proc_free(struct proc *r)
{
    free(r->out);
    free(r->err);
}

/* Counts the entries of dir whose name contains needle (NULL: all). */
RU_FN int ru_count_files(const char *dir, const char *needle)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") &&
            (!needle || strstr(de->d_name, needle)))
            n++;
    closedir(d);
    return n;
}

/* ------------------------------------------------------------ CSV */

/* Columns that hold text; every other column holds numbers. */
RU_FN int ru_text_column(const char *name)
{
    static const char *const text[] = {
        "scenario",   "metric",         "title", "quarter", "scenario_a",
        "scenario_b", "tied_with_best", "label", "chart",   "team"};
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++)
        if (!strcmp(name, text[i]))
            return 1;
    return 0;
}

/* A finite decimal number, the whole field (no nan, inf, hex). */
RU_FN int ru_finite_number(const char *s)
{
    if (!*s)
        return 0;
    for (const char *p = s; *p; p++)
        if (!strchr("0123456789+-.eE", *p))
            return 0;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    return *end == '\0' && errno == 0 && isfinite(v);
}

/* Splits one RFC 4180 record at *pos into fields (copied into f, at most
 * max); returns the number of fields, or -1 when the record is malformed
 * (an unterminated quote, text after a closing quote, no line end). */
RU_FN int ru_csv_record(const char *s, size_t *pos, char f[][256], int max)
{
    size_t i = *pos;
    int n = 0;
    for (;;) {
        char buf[256];
        size_t len = 0;
        if (s[i] == '"') {
            i++;
            for (;;) {
                if (s[i] == '\0')
                    return -1;
                if (s[i] == '"' && s[i + 1] == '"') {
                    i += 2;
                    if (len < 255)
                        buf[len++] = '"';
                } else if (s[i] == '"') {
                    i++;
                    break;
                } else {
                    if (len < 255)
                        buf[len++] = s[i];
                    i++;
                }
            }
            if (s[i] != ',' && s[i] != '\n' && s[i] != '\r')
                return -1;
        } else {
            while (s[i] && s[i] != ',' && s[i] != '\n' && s[i] != '\r') {
                if (s[i] == '"')
                    return -1;
                if (len < 255)
                    buf[len++] = s[i];
                i++;
            }
        }
        buf[len] = '\0';
        if (n < max)
            memcpy(f[n], buf, len + 1);
        n++;
        if (s[i] == ',') {
            i++;
            continue;
        }
        if (s[i] == '\r')
            i++;
        if (s[i] != '\n')
            return -1;
        *pos = i + 1;
        return n;
    }
}

#define RU_MAX_COLS 64

/* Checks a CSV file: a header, then rows with as many fields, each
 * field of a numeric column empty or a finite number. Returns the number
 * of data rows, or -1 with the reason in why. */
RU_FN long ru_csv_check(const char *path, char *why, size_t size)
{
    size_t len;
    char *s = ru_read_file(path, &len);
    if (!s) {
        ru_fmt(why, size, "%s: cannot read", path);
        return -1;
    }
    static char head[RU_MAX_COLS][256], row[RU_MAX_COLS][256];
    size_t pos = 0;
    long rows = 0;
    int ncol = len ? ru_csv_record(s, &pos, head, RU_MAX_COLS) : -1;
    if (ncol < 1 || ncol > RU_MAX_COLS) {
        ru_fmt(why, size, "%s: no header", path);
        free(s);
        return -1;
    }
    while (pos < len) {
        int n = ru_csv_record(s, &pos, row, RU_MAX_COLS);
        rows++;
        if (n != ncol) {
            ru_fmt(why, size, "%s: row %ld has %d fields, the header %d", path,
                   rows, n, ncol);
            free(s);
            return -1;
        }
        for (int c = 0; c < n; c++) {
            if (ru_text_column(head[c]) || row[c][0] == '\0' ||
                ru_finite_number(row[c]))
                continue;
            ru_fmt(why, size,
                   "%s: row %ld, column %s: '%s' is not a "
                   "finite number",
                   path, rows, head[c], row[c]);
            free(s);
            return -1;
        }
    }
    free(s);
    return rows;
}

/* Whether text holds nan or inf as a word (as printf writes them). */
RU_FN int ru_has_nonfinite_word(const char *text)
{
    static const char *const words[] = {"nan", "inf", "NaN",
                                        "Inf", "NAN", "INF"};
    for (size_t w = 0; w < sizeof words / sizeof words[0]; w++)
        for (const char *p = strstr(text, words[w]); p;
             p = strstr(p + 1, words[w])) {
            int before = p == text || !((p[-1] >= 'a' && p[-1] <= 'z') ||
                                        (p[-1] >= 'A' && p[-1] <= 'Z'));
            char a = p[3];
            int after = !((a >= 'a' && a <= 'z') || (a >= 'A' && a <= 'Z'));
            if (before && after)
                return 1;
        }
    return 0;
}

/* Checks the files of a finished run in dir: the CSVs well formed with
 * finite numbers, summary.txt free of nan and inf, no temporaries.
 * Returns 0, or -1 with why set. */
RU_FN int ru_check_run_dir(const char *dir, char *why, size_t size)
{
    static const char *const csvs[] = {
        "weekly.csv",       "quarterly.csv",
        "comparison.csv",   "scenarios.csv",
        "pairs.csv",        "ranking.csv",
        "replications.csv", "weekly_comparison.csv"};
    /* Without scenarios, or without a decision, these have no rows. */
    static const char *const may_be_empty = "comparison.csv pairs.csv "
                                            "ranking.csv "
                                            "weekly_comparison.csv";
    char path[4096];
    for (size_t i = 0; i < sizeof csvs / sizeof csvs[0]; i++) {
        ru_fmt(path, sizeof path, "%s/%s", dir, csvs[i]);
        long rows = ru_csv_check(path, why, size);
        if (rows < 0)
            return -1;
        if (rows == 0 && !strstr(may_be_empty, csvs[i])) {
            ru_fmt(why, size, "%s: no rows", path);
            return -1;
        }
    }
    ru_fmt(path, sizeof path, "%s/summary.txt", dir);
    char *text = ru_read_file(path, NULL);
    if (!text) {
        ru_fmt(why, size, "%s: missing", path);
        return -1;
    }
    int bad = ru_has_nonfinite_word(text);
    free(text);
    if (bad) {
        ru_fmt(why, size, "%s: holds nan or inf", path);
        return -1;
    }
    if (ru_count_files(dir, ".tmp.") != 0) {
        ru_fmt(why, size, "%s: a temporary file is left", dir);
        return -1;
    }
    return 0;
}

#endif
