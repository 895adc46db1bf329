/*
 * test_hostile: the hostile corpus, end to end. Every file of
 * tests/data/hostile/ (truncated, binary, huge and non-finite numbers,
 * tabs, long lines, include cycles and devices, unknown and duplicate
 * sections, empty files, hostile sweep files) is run through the binary
 * named by SALESCAP with the exit status and stderr that
 * tests/data/hostile/expected.txt records; scenario files are also run
 * with `run -n 2 --no-plot`, which must fail the same way or, on
 * success, write well-formed CSVs of finite numbers. The inputs too big
 * to commit (10 MB lines, 17 nested includes, FIFOs) are made here.
 * Skipped without SALESCAP (make test-run sets it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "robust_util.h"

#define DIR_HOSTILE "tests/data/hostile/"
#define TIME_LIMIT  60.0 /* seconds; a hang fails instead of blocking */

struct expect {
    char file[128];
    char args[128]; /* command and options, space-separated */
    int status;
    char msg[1100]; /* stderr without "salescap: ", lines joined */
};

static struct expect cases[256];
static size_t n_cases;

static void need_binary(void)
{
    if (!getenv("SALESCAP"))
        skip();
}

/* Copies the field up to the next tab of *s, advancing *s past it. */
static int take_field(char **s, char *out, size_t size)
{
    char *tab = strchr(*s, '\t');
    if (!tab)
        return -1;
    *tab = '\0';
    ru_fmt(out, size, "%s", *s);
    *s = tab + 1;
    return 0;
}

static int load_manifest(void **state)
{
    (void)state;
    char *text = ru_read_file(DIR_HOSTILE "expected.txt", NULL);
    if (!text)
        return -1;
    char *line = text, *next;
    for (; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if (line[0] == '#' || !line[0])
            continue;
        if (n_cases == sizeof cases / sizeof cases[0])
            return -1;
        struct expect *c = &cases[n_cases++];
        char status[16];
        if (take_field(&line, c->file, sizeof c->file) ||
            take_field(&line, c->args, sizeof c->args) ||
            take_field(&line, status, sizeof status))
            return -1;
        c->status = atoi(status);
        ru_fmt(c->msg, sizeof c->msg, "%s", line); /* may hold tabs */
    }
    free(text);
    return 0;
}

/* stderr as the manifest writes it: without the program name, lines
 * joined by a blank. */
static void normalise(const char *err, char *out, size_t size)
{
    size_t n = 0;
    for (const char *p = err; *p && n + 1 < size;) {
        if (!strncmp(p, "salescap: ", 10) && (p == err || p[-1] == '\n')) {
            p += 10;
            continue;
        }
        if (*p == '\n') {
            if (p[1] && n + 1 < size)
                out[n++] = ' ';
            p++;
            continue;
        }
        out[n++] = *p++;
    }
    out[n] = '\0';
}

/* Splits c->args into argv words, then adds extra words and the file. */
static void build_args(const struct expect *c, char *words, const char **argv,
                       size_t max, const char *const *extra, const char *file)
{
    size_t n = 0;
    ru_fmt(words, 128, "%s", c->args);
    for (char *w = strtok(words, " "); w && n + 1 < max; w = strtok(NULL, " "))
        argv[n++] = w;
    for (; extra && *extra && n + 1 < max; extra++)
        argv[n++] = *extra;
    argv[n++] = file;
    argv[n] = NULL;
}

/* Checks one run's status and stderr against c; returns 0 or -1. */
static int compare(const struct expect *c, const char *how,
                   const struct proc *r)
{
    char got[4096];
    normalise(r->err, got, sizeof got);
    if (r->timed_out) {
        print_error("%s (%s): still running after %.0f s\n", c->file, how,
                    TIME_LIMIT);
        return -1;
    }
    if (r->status != c->status || (c->status != 0 && strcmp(got, c->msg)) ||
        (c->status == 0 && !strcmp(how, "check") && got[0])) {
        print_error("%s (%s):\n  got:  %d %s\n  want: %d %s\n", c->file, how,
                    r->status, got, c->status, c->msg);
        return -1;
    }
    return 0;
}

/* check's listing without what may differ between a file and the
 * run.ini of its run: comments (the sources), and the replications,
 * which -n sets. */
static void parameters_only(const char *text, char *out, size_t size)
{
    size_t n = 0;
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        const char *cut = line;
        while (cut < line + len && !(cut[0] == ' ' && cut[1] == ';'))
            cut++;
        while (cut > line && cut[-1] == ' ')
            cut--;
        if (line[0] != ';' && strncmp(line, "replications = ", 15) &&
            n + (size_t)(cut - line) + 2 < size) {
            memcpy(out + n, line, (size_t)(cut - line));
            n += (size_t)(cut - line);
            out[n++] = '\n';
        }
        line += len + (end != NULL);
    }
    out[n] = '\0';
}

/* run.ini of the run in dir reproduces the file at path: it reads back,
 * to the same parameters. Returns 0 or -1. */
static int same_parameters(const struct expect *c, const char *path,
                           const char *dir)
{
    char run_ini[400];
    ru_fmt(run_ini, sizeof run_ini, "%s/run.ini", dir);
    const char *first[] = {"check", path, NULL};
    const char *again[] = {"check", run_ini, NULL};
    struct proc r1 = ru_run(first, TIME_LIMIT);
    struct proc r2 = ru_run(again, TIME_LIMIT);
    int rc = 0;
    static char a[1 << 16], b[1 << 16];
    parameters_only(r1.out, a, sizeof a);
    parameters_only(r2.out, b, sizeof b);
    if (r2.status != 0) {
        print_error("%s (run): run.ini does not read back: %s\n", c->file,
                    r2.err);
        rc = -1;
    } else if (strcmp(a, b)) {
        print_error("%s (run): run.ini reads back to other parameters\n",
                    c->file);
        rc = -1;
    }
    ru_proc_free(&r1);
    ru_proc_free(&r2);
    return rc;
}

/* `run -n 2 --no-plot` of a scenario file, with check's options: the
 * same failure and no output folder, or, on success, sound outputs. */
static int run_too(const struct expect *c, const char *path)
{
    char out[256], dir[300], words[128];
    ru_mkdtemp(out, sizeof out, "hostile");
    ru_fmt(dir, sizeof dir, "%s/out", out);
    const char *opts[32];
    build_args(c, words, opts, 32, NULL, path);
    const char *argv[48] = {"run", "-n", "2", "--no-plot", "-q", "-o", dir};
    size_t n = 7;
    for (size_t i = 1; opts[i] && n + 1 < 48; i++) /* opts[0] is "check" */
        argv[n++] = opts[i];
    argv[n] = NULL;
    struct proc r = ru_run(argv, TIME_LIMIT);
    int rc = compare(c, "run", &r);
    char why[512];
    if (rc == 0 && c->status == 0 && ru_check_run_dir(dir, why, sizeof why)) {
        print_error("%s (run): %s\n", c->file, why);
        rc = -1;
    }
    if (rc == 0 && c->status == 0)
        rc = same_parameters(c, path, dir);
    if (rc == 0 && c->status != 0 && access(dir, F_OK) == 0) {
        print_error("%s (run): failed but created %s\n", c->file, dir);
        rc = -1;
    }
    ru_proc_free(&r);
    ru_rmdir(out);
    return rc;
}

static int sweep_case(const struct expect *c, const char *path)
{
    char out[256], words[128], dir[300];
    ru_mkdtemp(out, sizeof out, "hostile_sweep");
    ru_fmt(dir, sizeof dir, "%s/out", out);
    const char *extra[] = {"--no-plot", "-q", "-j", "1", "-o", dir, NULL};
    const char *argv[32];
    build_args(c, words, argv, 32, extra, path);
    struct proc r = ru_run(argv, TIME_LIMIT);
    int rc = compare(c, "sweep", &r);
    ru_proc_free(&r);
    ru_rmdir(out);
    return rc;
}

static void test_corpus(void **state)
{
    (void)state;
    need_binary();
    int bad = 0;
    for (size_t i = 0; i < n_cases; i++) {
        const struct expect *c = &cases[i];
        char path[256], words[128];
        ru_fmt(path, sizeof path, DIR_HOSTILE "%s", c->file);
        if (!strncmp(c->args, "sweep", 5)) {
            bad += sweep_case(c, path) != 0;
            continue;
        }
        const char *argv[32];
        build_args(c, words, argv, 32, NULL, path);
        struct proc r = ru_run(argv, TIME_LIMIT);
        bad += compare(c, "check", &r) != 0;
        ru_proc_free(&r);
        /* Under valgrind (30 times slower), a failing file's run, which
         * takes the very path of its check, is left out. */
        if (c->status == 0 || !getenv("SALESCAP_VALGRIND"))
            bad += run_too(c, path) != 0;
    }
    if (bad)
        fail_msg("%d of %zu hostile files misbehaved", bad, n_cases);
}

/* Every file of the folder has its line, and the corpus is big enough. */
static void test_manifest_complete(void **state)
{
    (void)state;
    DIR *d = opendir(DIR_HOSTILE);
    assert_non_null(d);
    struct dirent *de;
    size_t files = 0;
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (len < 4 || strcmp(de->d_name + len - 4, ".ini"))
            continue;
        files++;
        size_t i = 0;
        while (i < n_cases && strcmp(cases[i].file, de->d_name))
            i++;
        if (i == n_cases)
            fail_msg("%s has no line in expected.txt", de->d_name);
    }
    closedir(d);
    assert_int_equal(files, n_cases);
    assert_true(n_cases >= 60);
}

/* ---- inputs made at run time ------------------------------------------ */

static void write_file(const char *path, const char *head, size_t fill, char c,
                       const char *tail)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(head, f);
    for (size_t i = 0; i < fill; i++)
        putc(c, f);
    fputs(tail, f);
    assert_int_equal(fclose(f), 0);
}

/* check FILE must exit with status and exactly "salescap: msg\n". */
static void check_fails(const char *file, int status, const char *msg)
{
    const char *argv[] = {"check", file, NULL};
    struct proc r = ru_run(argv, TIME_LIMIT);
    char want[2048];
    ru_fmt(want, sizeof want, "salescap: %s\n", msg);
    if (r.timed_out || r.status != status || strcmp(r.err, want))
        fail_msg("check %s:\n  got:  %d %s  want: %d %s", file, r.status, r.err,
                 status, want);
    ru_proc_free(&r);
}

#define TEN_MB (10u << 20)

static void test_ten_megabyte_lines(void **state)
{
    (void)state;
    need_binary();
    char dir[256], a[300], b[300], c[300], msg[1024];
    ru_mkdtemp(dir, sizeof dir, "hostile_10mb");
    /* A 10 MB title on line 3. */
    ru_fmt(a, sizeof a, "%s/long_title.ini", dir);
    write_file(a, "[sales]\nreps = 3\n[scenario.x]\ntitle = ", TEN_MB, 'x',
               "\n");
    ru_fmt(msg, sizeof msg,
           "%s:4: line is %u bytes long; inih reads at most 199 (it would "
           "split the line)",
           a, TEN_MB + 8);
    check_fails(a, 2, msg);
    /* 10 MB of one byte and no line end at all. */
    ru_fmt(b, sizeof b, "%s/one_line.ini", dir);
    write_file(b, "", TEN_MB, '[', "");
    ru_fmt(msg, sizeof msg,
           "%s:1: line is %u bytes long; inih reads at most 199 (it would "
           "split the line)",
           b, TEN_MB);
    check_fails(b, 2, msg);
    /* 10 MB of empty lines, then an error: lines are still counted. */
    ru_fmt(c, sizeof c, "%s/many_lines.ini", dir);
    write_file(c, "", TEN_MB, '\n', "[sales]\nreps = ten\n");
    ru_fmt(msg, sizeof msg,
           "%s:%u: [sales] reps: expected a whole number, got 'ten'", c,
           TEN_MB + 2);
    check_fails(c, 2, msg);
    /* An include of the 10 MB line: reported in the included file. */
    char inc[300];
    ru_fmt(inc, sizeof inc, "%s/includes_long.ini", dir);
    write_file(inc, "include = long_title.ini\n", 0, 0, "");
    ru_fmt(msg, sizeof msg,
           "%s:4: line is %u bytes long; inih reads at most 199 (it would "
           "split the line)",
           a, TEN_MB + 8);
    check_fails(inc, 2, msg);
    ru_rmdir(dir);
}

static void test_deep_includes(void **state)
{
    (void)state;
    need_binary();
    char dir[256], path[300], msg[1024];
    ru_mkdtemp(dir, sizeof dir, "hostile_deep");
    /* f0 includes f1 ... includes f17: 17 levels below the top file. */
    for (int i = 0; i <= 17; i++) {
        char head[64];
        ru_fmt(path, sizeof path, "%s/f%d.ini", dir, i);
        ru_fmt(head, sizeof head, "include = f%d.ini\n", i + 1);
        write_file(path, i < 17 ? head : "[sales]\nreps = 2\n", 0, 0, "");
    }
    ru_fmt(path, sizeof path, "%s/f0.ini", dir);
    ru_fmt(msg, sizeof msg, "%s/f16.ini:1: includes nested deeper than 16",
           dir);
    check_fails(path, 2, msg);
    /* 16 levels are fine. */
    ru_fmt(path, sizeof path, "%s/f1.ini", dir);
    const char *argv[] = {"check", path, NULL};
    struct proc r = ru_run(argv, TIME_LIMIT);
    assert_int_equal(r.status, 0);
    ru_proc_free(&r);
    ru_rmdir(dir);
}

/* FIFOs, folders and devices, as the top file and as includes: an error,
 * never a hang (a FIFO with no writer blocks a plain open). */
static void test_special_files(void **state)
{
    (void)state;
    need_binary();
    char dir[256], fifo[300], inc[300], msg[1024];
    ru_mkdtemp(dir, sizeof dir, "hostile_special");
    ru_fmt(fifo, sizeof fifo, "%s/fifo.ini", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    ru_fmt(msg, sizeof msg, "%s: cannot open: not a regular file", fifo);
    check_fails(fifo, 2, msg);
    ru_fmt(inc, sizeof inc, "%s/includes_fifo.ini", dir);
    write_file(inc, "include = fifo.ini\n", 0, 0, "");
    ru_fmt(msg, sizeof msg, "%s:1: cannot include '%s': not a regular file",
           inc, fifo);
    check_fails(inc, 2, msg);
    ru_fmt(msg, sizeof msg, "%s: cannot open: is a directory", dir);
    check_fails(dir, 2, msg);
    check_fails("/dev/zero", 2, "/dev/zero: cannot open: not a regular file");
    check_fails(DIR_HOSTILE "no_such_file.ini", 2,
                DIR_HOSTILE "no_such_file.ini: cannot open: No such file or "
                            "directory");
    /* A sweep whose model is a FIFO. */
    char sw[300];
    ru_fmt(sw, sizeof sw, "%s/sweep.ini", dir);
    write_file(sw,
               "[sweep]\nfile = fifo.ini\nscenario = a\n\n[vary]\n"
               "sales.reps = 1, 2\n",
               0, 0, "");
    const char *argv[] = {"sweep", sw, "--no-plot", "-o", dir, NULL};
    struct proc r = ru_run(argv, TIME_LIMIT);
    ru_fmt(msg, sizeof msg,
           "salescap: %s:2: [sweep] file: cannot open '%s': not a regular "
           "file\n",
           sw, fifo);
    assert_false(r.timed_out);
    assert_int_equal(r.status, 2);
    assert_string_equal(r.err, msg);
    ru_proc_free(&r);
    ru_rmdir(dir);
}

/* Hostile --set values get the same treatment as a file's. */
static void test_hostile_sets(void **state)
{
    (void)state;
    need_binary();
    static const struct {
        const char *set, *msg;
    } sets[] = {
        {"sales.reps=nan",
         "--set: [sales] reps: expected a whole number, got 'nan'"},
        {"sales.hours_per_week=1e999",
         "--set: [sales] hours_per_week: number out of range, got '1e999'"},
        {"sales.admin_share=-inf",
         "--set: [sales] admin_share: expected a finite number, got '-inf'"},
        {"scenario.a.title=caf\xe9",
         "--set: [scenario.a] title: the value holds bytes that are not "
         "UTF-8"},
        {"scenario.a.title=a\x1b[31m",
         "--set: [scenario.a] title: the value holds a control character"},
        {"sales.deal_value=exponential(1e308)",
         "--set: [sales] deal_value: exponential(mean): parameters out of "
         "range for sampling"},
        {"nosuchsection.key=1",
         "--set: unknown section [nosuchsection]; known: simulation, sales, "
         "team.NAME, stage.NAME, operations, support, clients, market, "
         "calendar, start, "
         "costs, "
         "targets, "
         "decision, plan, report, "
         "scenario.ID"},
        {"=1", "--set '=1': expected SECTION.KEY=VALUE (no '.' between "
               "section and key)"},
    };
    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
        const char *argv[] = {"check", DIR_HOSTILE "empty.ini", "--set",
                              sets[i].set, NULL};
        struct proc r = ru_run(argv, TIME_LIMIT);
        char want[1024];
        ru_fmt(want, sizeof want, "salescap: %s\n", sets[i].msg);
        if (r.status != 2 || strcmp(r.err, want))
            fail_msg("--set %s:\n  got:  %d %s  want: 2 %s", sets[i].set,
                     r.status, r.err, want);
        ru_proc_free(&r);
    }
    /* A value too long for run.ini. */
    char set[400];
    ru_fmt(set, sizeof set, "scenario.a.title=%0300d", 0);
    const char *argv[] = {"check", DIR_HOSTILE "empty.ini", "--set", set, NULL};
    struct proc r = ru_run(argv, TIME_LIMIT);
    assert_int_equal(r.status, 2);
    assert_string_equal(r.err,
                        "salescap: --set: [scenario.a] title: 'KEY = VALUE' "
                        "would be 308 bytes long; a line of a scenario file "
                        "holds at most 199\n");
    ru_proc_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_manifest_complete),
        cmocka_unit_test(test_corpus),
        cmocka_unit_test(test_ten_megabyte_lines),
        cmocka_unit_test(test_deep_includes),
        cmocka_unit_test(test_special_files),
        cmocka_unit_test(test_hostile_sets),
    };
    return cmocka_run_group_tests(tests, load_manifest, NULL);
}
