/*
 * plot_pipe: one gnuplot script through popen (see plot_pipe() in
 * include/plot.h).
 *
 * The command is `timeout 60 'GNUPLOT' -d 2>'ERRFILE'`: -d skips the
 * user's ~/.gnuplot so every machine draws the same chart; stderr goes to
 * a file because gnuplot on a pipe keeps going after an error and only
 * says so with exit status 1 at the end, and its message is what the
 * user needs. Without `timeout` on PATH gnuplot runs unguarded.
 * Assumption: gnuplot 5.4 prints errors as "line N: message" (N is 0 on a
 * pipe), after echoing the failing command as "gnuplot> command" for
 * syntax errors; we map that command back to its line in the script.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "csvread.h"
#include "plot.h"

/* True when prog (a path, or a name looked up on PATH) is executable. */
static int have_program(const char *prog)
{
    if (strchr(prog, '/'))
        return access(prog, X_OK) == 0;
    const char *path = getenv("PATH");
    if (!path)
        return 0;
    char buf[4096];
    for (const char *p = path;; p++) {
        size_t n = strcspn(p, ":");
        if (n > 0 && n + strlen(prog) + 2 < sizeof buf) {
            snprintf(buf, sizeof buf, "%.*s/%s", (int)n, p, prog);
            struct stat st;
            if (stat(buf, &st) == 0 && S_ISREG(st.st_mode) &&
                access(buf, X_OK) == 0)
                return 1;
        }
        p += n;
        if (*p == '\0')
            return 0;
    }
}

/* Appends s to the shell command in single quotes. */
static void shell_quote(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'')
            fputs("'\\''", f);
        else
            fputc(*s, f);
    }
    fputc('\'', f);
}

static char *make_command(const char *errfile)
{
    const char *prog = getenv(PLOT_ENV_GNUPLOT);
    if (!prog || !*prog)
        prog = "gnuplot";
    char *cmd = NULL;
    size_t len;
    FILE *f = open_memstream(&cmd, &len);
    if (!f)
        return NULL;
    if (have_program("timeout"))
        fprintf(f, "timeout %d ", PLOT_TIMEOUT_S);
    shell_quote(f, prog);
    fputs(" -d 2>", f);
    shell_quote(f, errfile);
    if (ferror(f) | fclose(f)) {
        free(cmd);
        return NULL;
    }
    return cmd;
}

/* Copies the text of a line (up to its end) without surrounding blanks. */
static void copy_trimmed(char *dst, size_t n, const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t k = strcspn(s, "\r\n");
    while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t'))
        k--;
    if (k >= n)
        k = n - 1;
    memcpy(dst, s, k);
    dst[k] = '\0';
}

/* Line number (1-based) in script of the line that reads cmd, or 0. */
static int script_line(const char *script, size_t len, const char *cmd)
{
    size_t n = strlen(cmd);
    int line = 1;
    for (const char *p = script; p < script + len; line++) {
        const char *nl = memchr(p, '\n', (size_t)(script + len - p));
        size_t k = nl ? (size_t)(nl - p) : (size_t)(script + len - p);
        if (n > 0 && k == n && memcmp(p, cmd, n) == 0)
            return line;
        if (!nl)
            break;
        p = nl + 1;
    }
    return 0;
}

/* Finds gnuplot's first "line N: message" that is not a warning. */
static const char *find_error(const char *text, const char **line_start)
{
    const char *first_warning = NULL, *warning_line = NULL;
    for (const char *p = text; *p;) {
        const char *q = p + strspn(p, " \t");
        const char *msg = NULL;
        if (strncmp(q, "line ", 5) == 0) {
            const char *d = q + 5 + strspn(q + 5, "0123456789");
            if (d > q + 5 && d[0] == ':' && d[1] == ' ')
                msg = d + 2;
        }
        if (msg && strncmp(msg, "warning:", 8) != 0) {
            *line_start = p;
            return msg;
        }
        if (msg && !first_warning)
            first_warning = msg, warning_line = p;
        p += strcspn(p, "\n");
        p += *p == '\n';
    }
    *line_start = warning_line;
    return first_warning;
}

/* The "gnuplot> command" echo in the few lines before pos, or NULL. */
static const char *find_echo(const char *text, const char *pos)
{
    int lines = 0;
    for (const char *p = pos; p > text && lines < 4; lines++) {
        p--;
        while (p > text && p[-1] != '\n')
            p--;
        if (strncmp(p, "gnuplot> ", 9) == 0)
            return p + 9;
    }
    return NULL;
}

/* Last non-empty line of text, trimmed, into buf. */
static void last_line(char *buf, size_t n, const char *text)
{
    const char *last = "";
    for (const char *p = text; *p;) {
        if (p[strspn(p, " \t\r")] != '\n' && p[strspn(p, " \t\r")])
            last = p;
        p += strcspn(p, "\n");
        p += *p == '\n';
    }
    copy_trimmed(buf, n, last);
}

/* Turns gnuplot's stderr into one error line about script name. */
static int report_failure(const char *errtext, const char *script, size_t len,
                          const char *name, int status, struct err *e)
{
    char msg[ERR_MSG_MAX / 2], cmd[ERR_MSG_MAX / 4];
    const char *at = NULL;
    const char *m = errtext ? find_error(errtext, &at) : NULL;
    if (!m) {
        last_line(msg, sizeof msg, errtext ? errtext : "");
        if (!msg[0])
            return err_set(e, ERR_RUNTIME,
                           "%s: gnuplot failed with exit status %d", name,
                           status);
        return err_set(e, ERR_RUNTIME, "%s: gnuplot: %s", name, msg);
    }
    copy_trimmed(msg, sizeof msg, m);
    const char *echo = find_echo(errtext, at);
    if (!echo)
        return err_set(e, ERR_RUNTIME, "%s: gnuplot: %s", name, msg);
    copy_trimmed(cmd, sizeof cmd, echo);
    int line = script_line(script, len, cmd);
    if (line > 0)
        return err_at(e, ERR_RUNTIME, name, line, "gnuplot: %s", msg);
    return err_set(e, ERR_RUNTIME, "%s: gnuplot: %s (in: %s)", name, msg, cmd);
}

/* Interprets pclose's status; errfile holds gnuplot's stderr. */
static int check_status(int st, const char *errfile, const char *script,
                        size_t len, const char *name, struct err *e)
{
    if (st == -1)
        return err_set(e, ERR_RUNTIME, "%s: cannot run gnuplot: %s", name,
                       strerror(errno));
    if (WIFSIGNALED(st))
        return err_set(e, ERR_RUNTIME, "%s: gnuplot killed by signal %d", name,
                       WTERMSIG(st));
    int code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    if (code == 0)
        return 0;
    if (code == 127)
        return err_set(e, ERR_RUNTIME, "%s", PLOT_MSG_NOT_FOUND);
    if (code == 126)
        return err_set(e, ERR_RUNTIME, "%s: gnuplot cannot be executed", name);
    if (code == 124)
        return err_set(e, ERR_RUNTIME, "%s: gnuplot timed out after %d s", name,
                       PLOT_TIMEOUT_S);
    size_t n;
    char *text = csv_slurp(errfile, &n, NULL);
    int rc = report_failure(text, script, len, name, code, e);
    free(text);
    return rc;
}

static int make_errfile(char *buf, size_t n, struct err *e)
{
    const char *t = getenv("TMPDIR");
    if (!t || !*t || strlen(t) > n - 40)
        t = "/tmp";
    snprintf(buf, n, "%s/salescap-gnuplot-err.XXXXXX", t);
    int fd = mkstemp(buf);
    if (fd < 0)
        return err_set(e, ERR_RUNTIME, "%s: cannot create: %s", buf,
                       strerror(errno));
    close(fd);
    return 0;
}

int plot_pipe(const char *script, size_t len, const char *name, struct err *e)
{
    char errfile[4200];
    if (make_errfile(errfile, sizeof errfile, e) != 0)
        return -1;
    char *cmd = make_command(errfile);
    if (!cmd) {
        unlink(errfile);
        return err_oom(e);
    }
    FILE *p = popen(cmd, "w");
    free(cmd);
    if (!p) {
        unlink(errfile);
        return err_set(e, ERR_RUNTIME, "%s: cannot start gnuplot: %s", name,
                       strerror(errno));
    }
    /* A short write (gnuplot gone: EPIPE, SIGPIPE ignored) is judged by
     * the exit status below, which says why. */
    fwrite(script, 1, len, p);
    int st = pclose(p);
    int rc = check_status(st, errfile, script, len, name, e);
    unlink(errfile);
    return rc;
}
