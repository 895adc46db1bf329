/*
 * test_robust: what salescap promises beyond correct numbers, end to end
 * on the binary named by SALESCAP (make test-run sets it; skipped
 * without):
 * - extreme but valid inputs (0 and 10,000 reps, 0 ops staff,
 *   probabilities 0 and 1, horizons of 1 and 1,000 weeks, very long and
 *   very short durations, 1 and 2 replications) run and write
 *   well-formed CSVs of finite numbers;
 * - a runaway model (an ops queue far overloaded) stops at the event cap
 *   with a clear message and status 1, leaving earlier results as they
 *   were;
 * - so does one that outgrows [simulation] max_memory_mb, in about that
 *   much memory;
 * - a full stdout is an error;
 * - SIGINT, SIGTERM and SIGKILL at random points of the work of a run, a
 *   sweep and a trace leave the previous outputs intact (SIGKILL: every
 *   file is the old or the new one, whole), and after a clean exit no
 *   temporaries.
 * The kill points come from a fixed seed (printed), counted from a sign
 * that the process is at its work (its progress bar, its journal, its
 * temporary file), so that every signal lands during the work, under
 * valgrind too; one that does not fails the test. A process that ends
 * before its signal is run again with the signal sooner.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "robust_util.h"

#define LIMIT 120.0 /* seconds for one process; a hang fails */
#define TINY  "tests/data/tiny.ini"

static void need_binary(void)
{
    if (!getenv("SALESCAP"))
        skip();
}

/* Under tests/valgrind.sh every process runs some 30 times slower: the
 * heaviest cases are left out and the signal tests make fewer rounds. */
static int slow(void)
{
    return getenv("SALESCAP_VALGRIND") != NULL;
}

/* ---- the CSV checker can fail ----------------------------------------- */

static long check_text(const char *text)
{
    char path[] = "/tmp/salescap_csv_XXXXXX", why[512];
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    long rows = ru_csv_check(path, why, sizeof why);
    unlink(path);
    return rows;
}

static void test_csv_checker(void **state)
{
    (void)state;
    assert_int_equal(check_text("scenario,week,mean\nbase,1,2.5\n"
                                "\"a, \"\"b\"\"\",2,\n"),
                     2);
    assert_int_equal(check_text("scenario,mean\nbase,nan\n"), -1);
    assert_int_equal(check_text("scenario,mean\nbase,-inf\n"), -1);
    assert_int_equal(check_text("scenario,mean\nbase,inf\n"), -1);
    assert_int_equal(check_text("scenario,mean\nbase,1e999\n"), -1);
    assert_int_equal(check_text("scenario,mean\nbase,0x10\n"), -1);
    assert_int_equal(check_text("scenario,mean\nbase,1,2\n"), -1);
    assert_int_equal(check_text("scenario,mean\n\"base,1\n"), -1);
    assert_int_equal(check_text("scenario,mean\nbase,1"), -1);
    assert_int_equal(check_text(""), -1);
    assert_true(ru_has_nonfinite_word("revenue nan here"));
    assert_true(ru_has_nonfinite_word("-inf"));
    assert_false(ru_has_nonfinite_word("information, finance"));
}

/* ---- extreme but valid inputs ----------------------------------------- */

struct extreme {
    const char *name;
    const char *n;       /* replications */
    const char *sets[8]; /* --set overrides of the base file */
    int heavy;           /* left out under valgrind */
};

/* The base: short, with a pull scenario so comparison.csv has rows. */
static const char base_ini[] =
    "[simulation]\nwarmup_weeks = 4\nhorizon_weeks = 13\nseed = 7\n\n"
    "[scenario.pull]\npull.start_week = 0\npull.weeks = 1\n";

static const struct extreme extremes[] = {
    {"0 reps", "2", {"sales.reps=0"}, 0},
    {"10,000 reps", "2", {"sales.reps=10000"}, 1},
    {"0 ops staff", "2", {"operations.staff=0"}, 0},
    {"0 ops staff, no clients",
     "2",
     {"operations.staff=0", "clients.initial=0"},
     0},
    {"0 reps, 0 staff, 0 clients",
     "2",
     {"sales.reps=0", "operations.staff=0", "clients.initial=0"},
     0},
    {"advance 0",
     "2",
     {"stage.qualify.advance=0", "stage.discovery.advance=0"},
     0},
    {"advance 1",
     "2",
     {"stage.qualify.advance=1", "stage.discovery.advance=1",
      "stage.proposal.advance=1", "stage.negotiation.advance=1"},
     0},
    {"renewal 0, penalty 1",
     "2",
     {"clients.renewal_rate=0", "clients.late_penalty=1"},
     0},
    {"renewal 1, penalty 0",
     "2",
     {"clients.renewal_rate=1", "clients.late_penalty=0"},
     0},
    {"all prospecting",
     "2",
     {"sales.prospecting_share=1", "sales.admin_share=0"},
     0},
    {"no prospecting",
     "2",
     {"sales.prospecting_share=0", "sales.admin_share=1"},
     0},
    {"ramp from 0",
     "2",
     {"sales.ramp_start=0", "sales.attrition_per_year=12"},
     0},
    {"horizon 1 week", "2", {"simulation.horizon_weeks=1"}, 0},
    {"warm-up 1 week", "2", {"simulation.warmup_weeks=1"}, 0},
    {"horizon 1,000 weeks", "2", {"simulation.horizon_weeks=1000"}, 1},
    {"1 replication", "1", {NULL}, 0},
    {"2 replications", "2", {NULL}, 0},
    {"long durations",
     "2",
     {"stage.qualify.work_hours=1e6", "stage.qualify.buyer_days=1e6",
      "operations.onboarding_hours=1e6", "operations.ticket_hours=1e6",
      "clients.contract_weeks=1e6"},
     0},
    {"short durations",
     "2",
     {"stage.qualify.work_hours=1e-9", "stage.qualify.buyer_days=1e-9",
      "stage.qualify.patience_days=1e-9", "operations.ticket_hours=1e-9",
      "operations.onboarding_hours=exponential(1e-9)",
      "clients.contract_weeks=1e-9"},
     0},
    /* A budget policy that could afford 1e20 reps (once a float to int
     * overflow, found by fuzz_model) and the longest backfill. */
    {"budget past any count",
     "2",
     {"sales.deal_value=1e15", "scenario.grow.budget.type=hire_from_budget",
      "scenario.grow.budget.cost_per_rep=1e-9",
      "scenario.grow.budget.revenue_share=1", "sales.attrition_per_year=50",
      "sales.backfill_weeks=1000000"},
     0},
    {"largest values",
     "2",
     {"sales.deal_value=1e15", "sales.effectiveness=lognormal(1, 1e15)",
      "operations.ticket_hours=gamma(1, 1e15)"},
     0},
    {"tiny hours",
     "2",
     {"sales.hours_per_week=1e-9", "operations.hours_per_week=1e-9"},
     0},
    {"168 hours",
     "2",
     {"sales.hours_per_week=168", "operations.hours_per_week=168"},
     0},
    {"pull the whole horizon",
     "2",
     {"scenario.pull.pull.weeks=13", "scenario.pull.pull.reps=all"},
     0},
};

/* Runs the base file with the case's overrides into a fresh folder and
 * checks the outputs; returns 0 or -1 (with the reason printed). */
static int run_extreme(const struct extreme *x, const char *ini)
{
    char dir[256], out[300], why[512];
    ru_mkdtemp(dir, sizeof dir, "extreme");
    ru_fmt(out, sizeof out, "%s/out", dir);
    const char *argv[32] = {"run", ini,         "-n", x->n, "-j",
                            "2",   "--no-plot", "-q", "-o", out};
    size_t n = 10;
    for (size_t i = 0; i < 8 && x->sets[i]; i++) {
        argv[n++] = "--set";
        argv[n++] = x->sets[i];
    }
    argv[n] = NULL;
    double t0 = ru_now();
    struct proc r = ru_run(argv, LIMIT);
    int rc = 0;
    if (r.status != 0) {
        print_error("%s: status %d%s: %s", x->name, r.status,
                    r.timed_out ? " (timed out)" : "", r.err);
        rc = -1;
    } else if (ru_check_run_dir(out, why, sizeof why) != 0) {
        print_error("%s: %s\n", x->name, why);
        rc = -1;
    }
    if (rc == 0 && !strcmp(x->n, "1")) {
        /* No interval from one replication: said, never nan. */
        char p[400];
        ru_fmt(p, sizeof p, "%s/summary.txt", out);
        char *text = ru_read_file(p, NULL);
        if (!text || !strstr(text, "no CI: n=1")) {
            print_error("%s: summary.txt does not say 'no CI: n=1'\n", x->name);
            rc = -1;
        }
        free(text);
    }
    print_message("  %-28s %5.2f s\n", x->name, ru_now() - t0);
    ru_proc_free(&r);
    ru_rmdir(dir);
    return rc;
}

static void test_extreme_inputs(void **state)
{
    (void)state;
    need_binary();
    char dir[256], ini[300];
    ru_mkdtemp(dir, sizeof dir, "extreme_base");
    ru_fmt(ini, sizeof ini, "%s/base.ini", dir);
    FILE *f = fopen(ini, "w");
    assert_non_null(f);
    fputs(base_ini, f);
    assert_int_equal(fclose(f), 0);
    int bad = 0;
    for (size_t i = 0; i < sizeof extremes / sizeof extremes[0]; i++)
        if (!(slow() && extremes[i].heavy))
            bad += run_extreme(&extremes[i], ini) != 0;
    ru_rmdir(dir);
    if (bad)
        fail_msg("%d extreme inputs failed", bad);
}

/* ---- snapshots of output folders -------------------------------------- */

#define SNAP_MAX 32

struct snapshot {
    size_t n;
    char name[SNAP_MAX][64];
    char *data[SNAP_MAX];
    size_t len[SNAP_MAX];
};

static void snap_take(struct snapshot *s, const char *dir)
{
    memset(s, 0, sizeof *s);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.' || strstr(de->d_name, ".tmp."))
            continue;
        assert_true(s->n < SNAP_MAX);
        char path[4200];
        ru_fmt(path, sizeof path, "%s/%s", dir, de->d_name);
        ru_fmt(s->name[s->n], sizeof s->name[s->n], "%s", de->d_name);
        s->data[s->n] = ru_read_file(path, &s->len[s->n]);
        assert_non_null(s->data[s->n]);
        s->n++;
    }
    closedir(d);
}

static void snap_free(struct snapshot *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->data[i]);
    s->n = 0;
}

/* Index of name in s, or -1. */
static int snap_find(const struct snapshot *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->name[i], name))
            return (int)i;
    return -1;
}

/* Length of a wall time "(1.46 s)" at p, or 0. */
static size_t timing_at(const char *p, const char *end)
{
    const char *q = p + 1;
    if (*p != '(')
        return 0;
    while (q < end && ((*q >= '0' && *q <= '9') || *q == '.'))
        q++;
    if (q == p + 1 || end - q < 3 || memcmp(q, " s)", 3))
        return 0;
    return (size_t)(q + 3 - p);
}

/* Equal, but for wall times (summary.txt says how long the run took). */
static int same_but_timing(const char *a, size_t na, const char *b, size_t nb)
{
    size_t i = 0, j = 0;
    while (i < na && j < nb) {
        size_t ta = timing_at(a + i, a + na), tb = timing_at(b + j, b + nb);
        if (ta && tb) {
            i += ta;
            j += tb;
        } else if (a[i++] != b[j++]) {
            return 0;
        }
    }
    return i == na && j == nb;
}

static int snap_same_file(const struct snapshot *s, int i, const char *data,
                          size_t len)
{
    return i >= 0 && same_but_timing(s->data[i], s->len[i], data, len);
}

/* Writes the files of s into dir (which must exist). */
static void snap_restore(const struct snapshot *s, const char *dir)
{
    for (size_t i = 0; i < s->n; i++) {
        char path[4200];
        ru_fmt(path, sizeof path, "%s/%s", dir, s->name[i]);
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(s->data[i], 1, s->len[i], f), s->len[i]);
        assert_int_equal(fclose(f), 0);
    }
}

/* Compares dir with the files listed in only (NULL: all of old): each
 * must equal old's (mode 0), new's (1), or either (2). Returns the number
 * of files that differ, printing them. */
static int snap_compare(const char *dir, const struct snapshot *old,
                        const struct snapshot *new, int mode,
                        const char *const *only)
{
    int bad = 0;
    for (size_t i = 0; i < old->n; i++) {
        if (only) {
            const char *const *o = only;
            while (*o && strcmp(*o, old->name[i]))
                o++;
            if (!*o)
                continue;
        }
        char path[4200];
        size_t len = 0;
        ru_fmt(path, sizeof path, "%s/%s", dir, old->name[i]);
        char *data = ru_read_file(path, &len);
        int is_old = data && snap_same_file(old, (int)i, data, len);
        int is_new = data && snap_same_file(new, snap_find(new, old->name[i]),
                                            data, len);
        int ok = mode == 0 ? is_old : mode == 1 ? is_new : is_old || is_new;
        if (!ok) {
            print_error("  %s: %s\n", path,
                        !data ? "missing" : "neither the old nor the new file");
            bad++;
        }
        free(data);
    }
    return bad;
}

/* ---- the event cap ---------------------------------------------------- */

/* One ops person for 100,000 clients with 20 tickets a week each. */
static const char unstable_ini[] =
    "[simulation]\nwarmup_weeks = 4\nhorizon_weeks = 52\nmax_events = 1e6\n"
    "\n[operations]\nstaff = 1\n\n[clients]\ninitial = 100000\n"
    "tickets_per_week = 20\n";

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* A test's own folder: DIR/out for results, DIR/plots for charts,
 * DIR/tmp for $TMPDIR (made by whoever needs it) and DIR/model.ini,
 * written with ini_text unless that is NULL. */
struct scratch {
    char dir[256], out[300], plots[300], tmp[300], ini[300];
};

static void scratch_make(struct scratch *sc, const char *name,
                         const char *ini_text)
{
    ru_mkdtemp(sc->dir, sizeof sc->dir, name);
    ru_fmt(sc->out, sizeof sc->out, "%s/out", sc->dir);
    ru_fmt(sc->plots, sizeof sc->plots, "%s/plots", sc->dir);
    ru_fmt(sc->tmp, sizeof sc->tmp, "%s/tmp", sc->dir);
    ru_fmt(sc->ini, sizeof sc->ini, "%s/model.ini", sc->dir);
    if (ini_text)
        write_text(sc->ini, ini_text);
}

static void test_event_cap(void **state)
{
    (void)state;
    need_binary();
    struct scratch sc;
    scratch_make(&sc, "event_cap", unstable_ini);
    const char *out = sc.out, *ini = sc.ini;
    /* Earlier results in the same folder. */
    const char *first[] = {"run", TINY, "-n", "3", "--no-plot",
                           "-q",  "-o", out,  NULL};
    struct proc r = ru_run(first, LIMIT);
    assert_int_equal(r.status, 0);
    ru_proc_free(&r);
    struct snapshot before, after;
    snap_take(&before, out);
    assert_true(before.n >= 5);

    const char *argv[] = {"run", ini,         "-n", "2", "-j",
                          "2",   "--no-plot", "-o", out, NULL};
    double t0 = ru_now();
    r = ru_run(argv, LIMIT);
    double took = ru_now() - t0;
    print_message("  stopped after %.2f s\n", took);
    assert_false(r.timed_out);
    assert_int_equal(r.status, 1);
    assert_string_equal(r.err, "salescap: more than 1000000 events in one "
                               "replication: the model runs away (an ops queue "
                               "growing without bound?); raise [simulation] "
                               "max_events if it is meant to be this big\n");
    assert_string_equal(r.out, "");
    ru_proc_free(&r);
    /* The earlier results, untouched, and nothing half-written. */
    assert_int_equal(snap_compare(out, &before, &before, 0, NULL), 0);
    snap_take(&after, out);
    assert_int_equal(after.n, before.n);
    assert_int_equal(ru_count_files(out, ".tmp."), 0);
    snap_free(&before);
    snap_free(&after);
    /* A first run into a new folder creates nothing. */
    char fresh[300];
    ru_fmt(fresh, sizeof fresh, "%s/fresh", sc.dir);
    const char *again[] = {"run",       ini,  "-n",  "1",
                           "--no-plot", "-o", fresh, NULL};
    r = ru_run(again, LIMIT);
    assert_int_equal(r.status, 1);
    assert_int_equal(access(fresh, F_OK), -1);
    ru_proc_free(&r);
    ru_rmdir(sc.dir);
}

/* ---- the memory cap --------------------------------------------------- */

/* The unstable model with the event cap out of the way: without the
 * memory cap it would hold gigabytes before 5e7 events. With a cap of
 * 32 MB, two threads stop with the message holding well under 600 MB
 * (two replications' 64 MB, the program, and under ASan its quarantine
 * of freed blocks and shadow memory). */
static void test_memory_cap(void **state)
{
    (void)state;
    need_binary();
    struct scratch sc;
    scratch_make(&sc, "memory_cap",
                 "[simulation]\nwarmup_weeks = 4\nhorizon_weeks = 52\n"
                 "max_memory_mb = 32\n\n[operations]\nstaff = 1\n\n"
                 "[clients]\ninitial = 100000\ntickets_per_week = 20\n");
    const char *out = sc.out, *ini = sc.ini;
    const char *argv[] = {"run", ini,         "-n", "2", "-j",
                          "2",   "--no-plot", "-o", out, NULL};
    struct rusage ru;
    double t0 = ru_now();
    struct proc r = ru_run_usage(argv, LIMIT, &ru);
    long rss_kb = ru.ru_maxrss;
    print_message("  stopped after %.2f s, peak RSS %ld KB\n", ru_now() - t0,
                  rss_kb);
    assert_false(r.timed_out);
    assert_int_equal(r.status, 1);
    const char *head = "salescap: one replication needs more than 32 MB (";
    const char *tail = "): the model runs away (an ops queue growing "
                       "without bound?); raise [simulation] max_memory_mb "
                       "if it is meant to be this big\n";
    if (strncmp(r.err, head, strlen(head)) != 0 ||
        strlen(r.err) < strlen(tail) ||
        strcmp(r.err + strlen(r.err) - strlen(tail), tail) != 0)
        fail_msg("stderr: %s", r.err);
    assert_string_equal(r.out, "");
    if (!getenv("SALESCAP_VALGRIND"))
        assert_true(rss_kb < 600 * 1024);
    assert_int_equal(access(out, F_OK), -1);
    ru_proc_free(&r);

    /* Whether a run stops at the cap depends on the replications, not on
     * the threads (arrays that earlier replications of a thread left
     * large once made -j 8 fail where -j 1 ran): caps on both sides of
     * the need of this file. */
    int failed = 0, passed = 0;
    static const char *const caps[] = {"6", "7.9", "8", "9", "12.3"};
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        char text[400];
        snprintf(text, sizeof text,
                 "[simulation]\nwarmup_weeks = 2\nhorizon_weeks = 26\n"
                 "max_memory_mb = %s\n\n[clients]\ninitial = 20000\n\n"
                 "[scenario.s]\npull.start_week = 1\npull.weeks = 4\n",
                 caps[i]);
        write_text(ini, text);
        int st[2];
        for (int k = 0; k < 2; k++) {
            const char *args[] = {"run", ini,           "-n", "8",
                                  "-j",  k ? "8" : "1", "-q", "--no-plot",
                                  "-o",  out,           NULL};
            r = ru_run(args, LIMIT);
            st[k] = r.status;
            ru_proc_free(&r);
        }
        if (st[0] != st[1])
            fail_msg("max_memory_mb = %s: status %d with -j 1, %d with -j 8",
                     caps[i], st[0], st[1]);
        failed += st[0] == 1;
        passed += st[0] == 0;
    }
    assert_true(failed > 0 && passed > 0);

    /* A cap below the initial state: the first allocation of clients. */
    write_text(ini, "[simulation]\nmax_memory_mb = 1\n\n[clients]\n"
                    "initial = 100000\n");
    const char *small[] = {"run", ini, "-n", "1", "--no-plot", "-o", out, NULL};
    r = ru_run(small, LIMIT);
    assert_int_equal(r.status, 1);
    if (strncmp(r.err, "salescap: the starting state of a replication (", 47) ||
        !strstr(r.err, " needs more than 1 MB; raise [simulation] "
                       "max_memory_mb\n"))
        fail_msg("stderr: %s", r.err);
    ru_proc_free(&r);
    ru_rmdir(sc.dir);
}

/* ---- stdout ----------------------------------------------------------- */

/* Runs args with stdout on /dev/full: status 1 and the message. */
static void full_stdout(const char *const *args, int want)
{
    int full = open("/dev/full", O_WRONLY);
    if (full < 0)
        skip();
    int err = ru_temp_fd();
    pid_t pid = ru_spawn(args, full, err);
    int timed_out;
    int status = ru_wait(pid, LIMIT, &timed_out);
    char *text = ru_slurp_fd(err);
    close(full);
    close(err);
    if (status != want ||
        !strstr(text, "salescap: cannot write to standard output\n"))
        fail_msg("%s %s > /dev/full: status %d, stderr: %s", args[0],
                 args[1] ? args[1] : "", status, text);
    free(text);
}

static void test_stdout_full(void **state)
{
    (void)state;
    need_binary();
    const char *help[] = {"--help", NULL};
    const char *version[] = {"--version", NULL};
    const char *help_run[] = {"help", "run", NULL};
    const char *check[] = {"check", TINY, NULL};
    const char *keys[] = {"check", "--keys", NULL};
    const char *trace[] = {"trace", TINY, NULL};
    full_stdout(help, 1);
    full_stdout(version, 1);
    full_stdout(help_run, 1);
    full_stdout(check, 1);
    full_stdout(keys, 1);
    full_stdout(trace, 1);
    /* A usage error keeps its own status. */
    const char *none[] = {NULL};
    full_stdout(none, 2);
    /* A reader that went away (`| head`) is no error to report: the
     * pipe's read end is closed before salescap writes. */
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    close(fds[0]);
    int err = ru_temp_fd();
    pid_t pid = ru_spawn(keys, fds[1], err);
    close(fds[1]);
    int timed_out;
    int status = ru_wait(pid, LIMIT, &timed_out);
    char *text = ru_slurp_fd(err);
    close(err);
    /* Silent; the status may say the output was cut (1), as a
     * command that checks its own writes does. */
    assert_string_equal(text, "");
    assert_true(status == 0 || status == 1);
    free(text);
}

/* ---- signals ---------------------------------------------------------- */

/* Every interrupt test signals a process only once it shows that it is
 * at the work to interrupt (which it starts after setting its handlers),
 * and fails unless the signal landed there: one that came before the
 * handlers (a slow start: under valgrind a start takes seconds) or after
 * the work would leave the outputs as they should be and test nothing. */

static const int signals[] = {SIGINT, SIGTERM, SIGKILL};

/* A uniform draw in [0, 1) from a seeded generator of our own, so the
 * kill points repeat run to run. */
static double unit(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*s >> 11) / 9007199254740992.0;
}

/* What shows that a process is at its work: its stderr holds err_text
 * (the progress bar), or dir holds a file whose name holds name, or
 * the file path begins with head. */
struct at_work {
    const char *err_text;
    const char *dir, *name;
    const char *path, *head;
};

/* Whether the first 64 KiB of fd hold text; pread leaves the offset,
 * which the child writing to fd shares, where it is. */
static int fd_holds(int fd, const char *text)
{
    static char buf[1 << 16];
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    return strstr(buf, text) != NULL;
}

static int file_begins(const char *path, const char *head)
{
    char buf[256];
    size_t n = strlen(head);
    assert_true(n < sizeof buf);
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return 0;
    ssize_t got = read(fd, buf, n);
    close(fd);
    return got == (ssize_t)n && memcmp(buf, head, n) == 0;
}

static int is_at_work(const struct at_work *w, int err_fd)
{
    if (w->err_text)
        return fd_holds(err_fd, w->err_text);
    if (w->dir)
        return ru_count_files(w->dir, w->name) > 0;
    return file_begins(w->path, w->head);
}

/* One process signalled at its work. */
struct at_work_run {
    struct proc r;
    double to_work; /* seconds from its start to the sign of work */
    double took;    /* seconds from the signal (none: the sign) to its end */
};

static void sleep_ms(void)
{
    struct timespec ms = {0, 1000000};
    nanosleep(&ms, NULL);
}

/* Starts $SALESCAP with args and waits until w shows it at work (the
 * test fails if it ends before, or shows nothing for LIMIT seconds);
 * then, delay seconds later, sends sig (0: none) unless it has ended,
 * and waits for its end. Status 0: it ended before the signal could
 * stop it. */
static struct at_work_run signal_at_work(const char *const *args,
                                         const struct at_work *w, double delay,
                                         int sig)
{
    struct at_work_run k = {0};
    int out = ru_temp_fd(), err = ru_temp_fd();
    double t0 = ru_now();
    pid_t pid = ru_spawn(args, out, err);
    int st = 0, done = 0;
    while (!is_at_work(w, err)) {
        pid_t got = waitpid(pid, &st, WNOHANG);
        assert_true(got == 0 || got == pid);
        if (got == pid)
            fail_msg("salescap %s ended (status %d) before it showed it "
                     "was at work; stderr: %s",
                     args[0], ru_status(st, &done), ru_slurp_fd(err));
        if (ru_now() - t0 > LIMIT) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            fail_msg("salescap %s: no sign of work after %.0f s", args[0],
                     LIMIT);
        }
        sleep_ms();
    }
    double t1 = ru_now();
    k.to_work = t1 - t0;
    while (sig && !done && ru_now() < t1 + delay) {
        pid_t got = waitpid(pid, &st, WNOHANG);
        assert_true(got == 0 || got == pid);
        done = got == pid;
        if (!done)
            sleep_ms();
    }
    double t2 = ru_now();
    if (done) {
        k.r.status = ru_status(st, &k.r.signaled);
    } else {
        if (sig)
            kill(pid, sig);
        k.r.status =
            ru_wait_sig(pid, LIMIT, &k.r.timed_out, &k.r.signaled, NULL);
    }
    k.took = ru_now() - (sig ? t2 : t1);
    k.r.out = ru_slurp_fd(out);
    k.r.err = ru_slurp_fd(err);
    close(out);
    close(err);
    return k;
}

/* Empties dir and puts the files of s back. */
static void restore_dir(const char *dir, const struct snapshot *s)
{
    ru_rmdir(dir);
    assert_int_equal(mkdir(dir, 0777), 0);
    snap_restore(s, dir);
}

/* signal_at_work; while the process ends before the signal (a machine
 * faster now than when the work was timed), again with half the delay,
 * from out/ restored to old, five times at most. */
static struct at_work_run signal_landed(const char *const *args,
                                        const struct at_work *w, double delay,
                                        int sig, const char *out,
                                        const struct snapshot *old)
{
    for (int tries = 1;; tries++) {
        struct at_work_run k = signal_at_work(args, w, delay, sig);
        if (k.r.status != 0 || tries == 5)
            return k;
        print_message("  signal %d %.3f s into the work: it ended first; "
                      "again, sooner\n",
                      sig, delay);
        ru_proc_free(&k.r);
        restore_dir(out, old);
        delay /= 2;
    }
}

/* The last line of text: a message comes after the progress bar. */
static const char *last_line(const char *text)
{
    size_t n = strlen(text);
    if (n > 0 && text[n - 1] == '\n')
        n--;
    while (n > 0 && text[n - 1] != '\n')
        n--;
    return text + n;
}

/* The run used by the interrupt tests: long enough to be hit. */
#define INT_REPS "800"

/* SIGINT, SIGTERM and SIGKILL at seeded points of a run's work (from
 * its progress bar's first replications to its end, as long as a run
 * took to get there): each must land, and whatever the point, the
 * results are the old ones or (SIGKILL) each file whole, old or new. */
static void test_interrupt_run(void **state)
{
    (void)state;
    need_binary();
    char dir[256], out[300], ref[300];
    ru_mkdtemp(dir, sizeof dir, "interrupt_run");
    ru_fmt(out, sizeof out, "%s/out", dir);
    ru_fmt(ref, sizeof ref, "%s/ref", dir);
    /* The previous results, and what the interrupted run would write. */
    const char *prev_args[] = {"run",       TINY, "-n", "4", "--seed", "1",
                               "--no-plot", "-q", "-o", out, NULL};
    struct proc r = ru_run(prev_args, LIMIT);
    assert_int_equal(r.status, 0);
    ru_proc_free(&r);
    const char *reps = slow() ? "80" : INT_REPS;
    int rounds = slow() ? 3 : 12;
    /* At work once the bar shows replications done (the handlers are
     * set before the file is even read). */
    const struct at_work w = {.err_text = " replications, "};
    const char *new_args[] = {"run", TINY, "-n", reps,        "--seed",
                              "2",   "-j", "2",  "--no-plot", "--progress",
                              "-o",  ref,  NULL};
    struct at_work_run k = signal_at_work(new_args, &w, 0, 0);
    assert_int_equal(k.r.status, 0);
    ru_proc_free(&k.r);
    double work = k.took;
    struct snapshot old, new;
    snap_take(&old, out);
    snap_take(&new, ref);
    assert_int_equal(old.n, new.n);

    uint64_t seed = 20260523;
    print_message("  %.2f s of work after %.2f s of start; kill points "
                  "from seed %llu\n",
                  work, k.to_work, (unsigned long long)seed);
    const char *args[] = {"run", TINY, "-n", reps,        "--seed",
                          "2",   "-j", "2",  "--no-plot", "--progress",
                          "-o",  out,  NULL};
    int bad = 0, hit = 0;
    for (int i = 0; i < rounds; i++) {
        int sig = signals[i % 3];
        double delay = work * 0.9 * unit(&seed);
        k = signal_landed(args, &w, delay, sig, out, &old);
        r = k.r;
        int mode; /* what out/ must hold: 0 old, 1 new, 2 each file either */
        char want[600];
        if (r.timed_out) {
            print_error("  signal %d at %.3f s: still running\n", sig, delay);
            bad++;
            mode = 2;
        } else if (r.status == 0) {
            print_error("  signal %d: the run ended before it, every time\n",
                        sig);
            bad++;
            mode = 1;
        } else if (sig == SIGKILL) {
            mode = 2;
            hit += r.signaled;
            if (!r.signaled) {
                print_error("  SIGKILL at %.3f s: status %d, stderr: %s", delay,
                            r.status, r.err);
                bad++;
            }
        } else if (r.signaled) {
            print_error("  signal %d at %.3f s: killed by it, though at "
                        "work, so with its handlers set\n",
                        sig, delay);
            bad++;
            mode = 0;
        } else {
            hit++;
            const char *name = sig == SIGINT ? "SIGINT" : "SIGTERM";
            int committed = strstr(r.err, "are complete") != NULL;
            if (committed)
                ru_fmt(want, sizeof want,
                       "salescap: interrupted by %s; the "
                       "results in %s/ are complete, the charts may not "
                       "be\n",
                       name, out);
            else
                ru_fmt(want, sizeof want,
                       "salescap: interrupted by %s; "
                       "previous results are untouched\n",
                       name);
            if (r.status != 128 + sig || strcmp(last_line(r.err), want)) {
                print_error("  signal %d at %.3f s: status %d, stderr: %s", sig,
                            delay, r.status, r.err);
                bad++;
            }
            mode = committed;
            if (ru_count_files(out, ".tmp.") != 0) {
                print_error("  signal %d at %.3f s: temporaries left\n", sig,
                            delay);
                bad++;
            }
        }
        int diff = snap_compare(out, &old, &new, mode, NULL);
        if (diff)
            print_error("  signal %d at %.3f s (status %d): %d files wrong\n",
                        sig, delay, r.status, diff);
        bad += diff;
        ru_proc_free(&r);
        /* The next round starts from the previous results again; a
         * SIGKILL may leave temporaries, which it cannot clean. */
        restore_dir(out, &old);
    }
    print_message("  %d of %d signals landed during the run\n", hit, rounds);
    snap_free(&old);
    snap_free(&new);
    ru_rmdir(dir);
    if (bad || hit != rounds)
        fail_msg("%d problems; %d of %d signals landed during the run", bad,
                 hit, rounds);
}

/* One long replication stops within its current week: two replications
 * (about a second each; under valgrind several) on one thread, SIGINT
 * as soon as the bar shows the first done, so during the second: status
 * 130 and the message, the second never done, and the run over in less
 * than half the time the first took. */
static void test_interrupt_long_replication(void **state)
{
    (void)state;
    need_binary();
    struct scratch sc;
    scratch_make(&sc, "interrupt_long",
                 slow() ? "[simulation]\nhorizon_weeks = 250\n\n[sales]\n"
                          "reps = 400\n"
                        : "[simulation]\nhorizon_weeks = 250\n\n[sales]\n"
                          "reps = 1500\n");
    const char *out = sc.out, *ini = sc.ini;
    const char *argv[] = {"run",       ini,          "-n", "2", "-j", "1",
                          "--no-plot", "--progress", "-o", out, NULL};
    const struct at_work w = {.err_text = " 1/2 replications"};
    struct at_work_run k = signal_at_work(argv, &w, 0, SIGINT);
    print_message("  first replication done at %.2f s; stopped %.3f s "
                  "after SIGINT\n",
                  k.to_work, k.took);
    assert_false(k.r.timed_out);
    assert_int_equal(k.r.status, 130);
    assert_string_equal(last_line(k.r.err),
                        "salescap: interrupted by "
                        "SIGINT; previous results are untouched\n");
    /* Under valgrind a signal reaches a thread only at its next system
     * call: when the kernel picks the worker busy computing, the handler
     * runs once its replication ends. There the signal must still land
     * (status 130, the message, no results), but how soon is not tested. */
    if (!slow()) {
        assert_null(strstr(k.r.err, "2/2 replications"));
        assert_true(k.took < 0.5 * k.to_work);
        assert_true(k.took < 1.0);
    }
    assert_int_equal(access(out, F_OK), -1);
    ru_proc_free(&k.r);
    ru_rmdir(sc.dir);
}

/* The folders of a drawing to interrupt, with DIR/tmp made. */
static void drawing_dirs(struct scratch *d, const char *name)
{
    scratch_make(d, name, NULL);
    assert_int_equal(mkdir(d->tmp, 0777), 0);
}

/* Sends SIGINT as soon as the first chart file is written and checks
 * status 130 (0 if the drawing ended first), the message `want` and an
 * empty $TMPDIR; prints `what`. */
static void interrupt_drawing(const struct scratch *d, const char *what,
                              const char *const *args, const char *want)
{
    setenv("TMPDIR", d->tmp, 1); /* passed on at the spawn */
    const struct at_work w = {.dir = d->plots, .name = ""};
    struct at_work_run k = signal_at_work(args, &w, 0, SIGINT);
    unsetenv("TMPDIR");
    print_message("  %s: status %d, %.3f s after SIGINT\n", what, k.r.status,
                  k.took);
    assert_false(k.r.timed_out);
    assert_int_equal(k.r.status, 130);
    assert_string_equal(k.r.err, want);
    assert_int_equal(ru_count_files(d->tmp, ""), 0);
    ru_proc_free(&k.r);
}

/* SIGINT while `plot` draws (27 charts, each its own gnuplot: about a
 * second of work), as soon as its first chart is written: status 130
 * and the message, and no private folder of gnuplot's images left in
 * $TMPDIR. */
static void test_interrupt_plot(void **state)
{
    (void)state;
    need_binary();
    struct scratch d;
    drawing_dirs(&d, "interrupt_plot");
    const char *first[] = {"run", TINY, "-n",  "3", "--no-plot",
                           "-q",  "-o", d.out, NULL};
    struct proc r = ru_run(first, LIMIT);
    assert_int_equal(r.status, 0);
    ru_proc_free(&r);
    const char *args[] = {"plot",     d.out, "--plots",  d.plots,
                          "--format", "svg", "--format", "pdf",
                          "--format", "png", "-q",       NULL};
    char want[400];
    ru_fmt(want, sizeof want,
           "salescap: interrupted by SIGINT; the charts "
           "in %s/ may be incomplete\n",
           d.plots);
    interrupt_drawing(&d, "plot", args, want);
    ru_rmdir(d.dir);
}

/* The same while a sweep draws its charts (one chart in three formats;
 * the signal stops it before the next format): sweep.csv is complete,
 * the charts may not be. */
static void test_interrupt_sweep_charts(void **state)
{
    (void)state;
    need_binary();
    struct scratch d;
    drawing_dirs(&d, "interrupt_sweep_charts");
    const char *args[] = {"sweep", "tests/data/sweep_tiny.ini",
                          "-q",    "-o",
                          d.out,   "--plots",
                          d.plots, "--format",
                          "svg",   "--format",
                          "pdf",   "--format",
                          "png",   NULL};
    char want[400], csv[320];
    ru_fmt(want, sizeof want,
           "salescap: interrupted by SIGINT; the results "
           "in %s/ are complete, the charts may not be\n",
           d.out);
    interrupt_drawing(&d, "sweep charts", args, want);
    ru_fmt(csv, sizeof csv, "%s/sweep.csv", d.out);
    assert_int_equal(ru_csv_check(csv, want, sizeof want), 6);
    ru_rmdir(d.dir);
}

/* SIGINT, SIGTERM and SIGKILL at seeded points of a sweep's work (from
 * its journal's first line to its end): each must land; the results
 * are the old ones or the new, and --resume finishes an interrupted
 * sweep to the very same sweep.csv. */
static void test_interrupt_sweep(void **state)
{
    (void)state;
    need_binary();
    char dir[256], out[300], ref[300], jout[320], jref[320];
    ru_mkdtemp(dir, sizeof dir, "interrupt_sweep");
    ru_fmt(out, sizeof out, "%s/out", dir);
    ru_fmt(ref, sizeof ref, "%s/ref", dir);
    ru_fmt(jout, sizeof jout, "%s/sweep.journal", out);
    ru_fmt(jref, sizeof jref, "%s/sweep.journal", ref);
    const char *prev_args[] = {
        "sweep", "tests/data/sweep_tiny.ini", "--no-plot", "-q", "-o", out,
        NULL};
    struct proc r = ru_run(prev_args, LIMIT);
    assert_int_equal(r.status, 0);
    ru_proc_free(&r);
    /* At work once the journal has its first line, which the sweep
     * writes after setting its handlers: in ref/ any journal's, in out/
     * (which holds the previous sweep's) this sweep's. */
    const struct at_work wref = {.path = jref,
                                 .head = "salescap sweep journal "};
    const char *new_args[] = {"sweep",     "tests/data/sweep_slow.ini",
                              "-j",        "2",
                              "--no-plot", "-q",
                              "-o",        ref,
                              NULL};
    struct at_work_run k = signal_at_work(new_args, &wref, 0, 0);
    assert_int_equal(k.r.status, 0);
    ru_proc_free(&k.r);
    double work = k.took;
    char *journal = ru_read_file(jref, NULL), head[200];
    assert_non_null(journal);
    ru_fmt(head, sizeof head, "%.*s", (int)strcspn(journal, "\n") + 1, journal);
    free(journal);
    const struct at_work w = {.path = jout, .head = head};
    struct snapshot old, new;
    snap_take(&old, out);
    snap_take(&new, ref);
    /* The journal is the sweep's work in progress; the results are these. */
    static const char *const results[] = {"sweep.csv", "sweep.ini", NULL};

    uint64_t seed = 4242;
    print_message("  %.2f s of work after %.2f s of start; kill points "
                  "from seed %llu\n",
                  work, k.to_work, (unsigned long long)seed);
    const char *args[] = {"sweep",     "tests/data/sweep_slow.ini",
                          "-j",        "2",
                          "--no-plot", "-q",
                          "-o",        out,
                          NULL};
    int bad = 0, hit = 0, rounds = slow() ? 3 : 9;
    for (int i = 0; i < rounds; i++) {
        int sig = signals[i % 3];
        double delay = work * 0.9 * unit(&seed);
        k = signal_landed(args, &w, delay, sig, out, &old);
        r = k.r;
        int stopped = r.status != 0 && sig != SIGKILL && !r.signaled;
        if (r.timed_out) {
            print_error("  signal %d at %.3f s: still running\n", sig, delay);
            bad++;
        } else if (r.status == 0) {
            print_error("  signal %d: the sweep ended before it, every "
                        "time\n",
                        sig);
            bad++;
        } else if (sig == SIGKILL) {
            hit += r.signaled;
            if (!r.signaled) {
                print_error("  SIGKILL at %.3f s: status %d, stderr: %s", delay,
                            r.status, r.err);
                bad++;
            }
        } else if (!stopped || r.status != 128 + sig ||
                   !strstr(r.err, "points are done and kept in") ||
                   ru_count_files(out, ".tmp.") != 0) {
            print_error("  signal %d at %.3f s: status %d, stderr: %s", sig,
                        delay, r.status, r.err);
            bad++;
        } else {
            hit++;
        }
        int mode = r.status == 0 ? 1 : sig == SIGKILL ? 2 : 0;
        int diff = snap_compare(out, &old, &new, mode, results);
        if (diff)
            print_error("  signal %d at %.3f s (status %d): %d files wrong\n",
                        sig, delay, r.status, diff);
        bad += diff;
        if (stopped) {
            /* --resume finishes it, to the very same sweep.csv. */
            const char *resume[] = {"sweep",    "tests/data/sweep_slow.ini",
                                    "--resume", "-j",
                                    "2",        "--no-plot",
                                    "-q",       "-o",
                                    out,        NULL};
            struct proc r2 = ru_run(resume, LIMIT);
            assert_int_equal(r2.status, 0);
            ru_proc_free(&r2);
            bad += snap_compare(out, &new, &new, 1, results);
        }
        ru_proc_free(&r);
        restore_dir(out, &old);
    }
    print_message("  %d of %d signals landed during the sweep\n", hit, rounds);
    snap_free(&old);
    snap_free(&new);
    ru_rmdir(dir);
    if (bad || hit != rounds)
        fail_msg("%d problems; %d of %d signals landed during the sweep", bad,
                 hit, rounds);
}

/* SIGINT half-way through a trace's work (from its temporary file's
 * appearance to its end): the message, status 130, the previous trace
 * untouched and no temporary left. */
static void test_interrupt_trace(void **state)
{
    (void)state;
    need_binary();
    char dir[256], out[300], file[320], full[300];
    ru_mkdtemp(dir, sizeof dir, "interrupt_trace");
    ru_fmt(out, sizeof out, "%s/out", dir);
    assert_int_equal(mkdir(out, 0777), 0);
    ru_fmt(file, sizeof file, "%s/trace.csv", out);
    write_text(file, "previous trace\n");
    struct snapshot old;
    snap_take(&old, out);
    /* A long replication: many reps over many weeks. At work once the
     * temporary beside the output appears (made after the handlers). */
    const char *reps = slow() ? "sales.reps=100" : "sales.reps=400";
    const char *weeks = slow() ? "simulation.horizon_weeks=260"
                               : "simulation.horizon_weeks=520";
    ru_fmt(full, sizeof full, "%s/full.csv", dir);
    const char *ref[] = {"trace", TINY, "--set", reps, "--set",
                         weeks,   "-o", full,    NULL};
    const struct at_work wref = {.dir = dir, .name = ".tmp."};
    struct at_work_run k = signal_at_work(ref, &wref, 0, 0);
    assert_int_equal(k.r.status, 0);
    ru_proc_free(&k.r);
    double work = k.took;
    const char *args[] = {"trace", TINY, "--set", reps, "--set",
                          weeks,   "-o", file,    NULL};
    const struct at_work w = {.dir = out, .name = ".tmp."};
    k = signal_landed(args, &w, work / 2, SIGINT, out, &old);
    print_message("  status %d, %.3f s after SIGINT, %.2f s of work\n",
                  k.r.status, k.took, work);
    assert_false(k.r.timed_out);
    assert_false(k.r.signaled);
    assert_int_equal(k.r.status, 130);
    assert_string_equal(k.r.err, "salescap: interrupted; no trace "
                                 "written\n");
    char *text = ru_read_file(file, NULL);
    assert_non_null(text);
    assert_string_equal(text, "previous trace\n");
    free(text);
    assert_int_equal(ru_count_files(out, ".tmp."), 0);
    ru_proc_free(&k.r);
    snap_free(&old);
    ru_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_checker),
        cmocka_unit_test(test_extreme_inputs),
        cmocka_unit_test(test_event_cap),
        cmocka_unit_test(test_memory_cap),
        cmocka_unit_test(test_interrupt_long_replication),
        cmocka_unit_test(test_interrupt_plot),
        cmocka_unit_test(test_stdout_full),
        cmocka_unit_test(test_interrupt_run),
        cmocka_unit_test(test_interrupt_sweep),
        cmocka_unit_test(test_interrupt_sweep_charts),
        cmocka_unit_test(test_interrupt_trace),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
