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
 * - SIGINT, SIGTERM and SIGKILL at random points of a run, a sweep and a
 *   trace leave the previous outputs intact (SIGKILL: every file is the
 *   old or the new one, whole), and after a clean exit no temporaries.
 * The kill points come from a fixed seed (printed); whatever point a
 * signal lands on, the checks hold, so the tests do not flake.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "robust_util.h"

#define LIMIT 120.0 /* seconds for one process; a hang fails */
#define TINY "tests/data/tiny.ini"

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
                                "\"a, \"\"b\"\"\",2,\n"), 2);
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
    const char *n;          /* replications */
    const char *sets[8];    /* --set overrides of the base file */
    int heavy;              /* left out under valgrind */
};

/* The base: short, with a pull scenario so comparison.csv has rows. */
static const char base_ini[] =
    "[simulation]\nwarmup_weeks = 4\nhorizon_weeks = 13\nseed = 7\n\n"
    "[scenario.pull]\npull.start_week = 0\npull.weeks = 1\n";

static const struct extreme extremes[] = {
    {"0 reps", "2", {"sales.reps=0"}, 0},
    {"10,000 reps", "2", {"sales.reps=10000"}, 1},
    {"0 ops staff", "2", {"operations.staff=0"}, 0},
    {"0 ops staff, no clients", "2",
     {"operations.staff=0", "clients.initial=0"}, 0},
    {"0 reps, 0 staff, 0 clients", "2",
     {"sales.reps=0", "operations.staff=0", "clients.initial=0"}, 0},
    {"advance 0", "2",
     {"stage.qualify.advance=0", "stage.discovery.advance=0"}, 0},
    {"advance 1", "2",
     {"stage.qualify.advance=1", "stage.discovery.advance=1",
      "stage.proposal.advance=1", "stage.negotiation.advance=1"}, 0},
    {"renewal 0, penalty 1", "2",
     {"clients.renewal_rate=0", "clients.late_penalty=1"}, 0},
    {"renewal 1, penalty 0", "2",
     {"clients.renewal_rate=1", "clients.late_penalty=0"}, 0},
    {"all prospecting", "2",
     {"sales.prospecting_share=1", "sales.admin_share=0"}, 0},
    {"no prospecting", "2",
     {"sales.prospecting_share=0", "sales.admin_share=1"}, 0},
    {"ramp from 0", "2", {"sales.ramp_start=0", "sales.attrition_per_year=12"}, 0},
    {"horizon 1 week", "2", {"simulation.horizon_weeks=1"}, 0},
    {"warm-up 1 week", "2", {"simulation.warmup_weeks=1"}, 0},
    {"horizon 1,000 weeks", "2", {"simulation.horizon_weeks=1000"}, 1},
    {"1 replication", "1", {NULL}, 0},
    {"2 replications", "2", {NULL}, 0},
    {"long durations", "2",
     {"stage.qualify.work_hours=1e6", "stage.qualify.buyer_days=1e6",
      "operations.onboarding_hours=1e6", "operations.ticket_hours=1e6",
      "clients.contract_weeks=1e6"}, 0},
    {"short durations", "2",
     {"stage.qualify.work_hours=1e-9", "stage.qualify.buyer_days=1e-9",
      "stage.qualify.patience_days=1e-9", "operations.ticket_hours=1e-9",
      "operations.onboarding_hours=exponential(1e-9)",
      "clients.contract_weeks=1e-9"}, 0},
    /* A budget policy that could afford 1e20 reps (once a float to int
     * overflow, found by fuzz_model) and the longest backfill. */
    {"budget past any count", "2",
     {"sales.deal_value=1e15", "scenario.grow.budget.type=hire_from_budget",
      "scenario.grow.budget.cost_per_rep=1e-9",
      "scenario.grow.budget.revenue_share=1",
      "sales.attrition_per_year=50", "sales.backfill_weeks=1000000"}, 0},
    {"largest values", "2",
     {"sales.deal_value=1e15", "sales.effectiveness=lognormal(1, 1e15)",
      "operations.ticket_hours=gamma(1, 1e15)"}, 0},
    {"tiny hours", "2",
     {"sales.hours_per_week=1e-9", "operations.hours_per_week=1e-9"}, 0},
    {"168 hours", "2",
     {"sales.hours_per_week=168", "operations.hours_per_week=168"}, 0},
    {"pull the whole horizon", "2",
     {"scenario.pull.pull.weeks=13", "scenario.pull.pull.reps=all"}, 0},
};

/* Runs the base file with the case's overrides into a fresh folder and
 * checks the outputs; returns 0 or -1 (with the reason printed). */
static int run_extreme(const struct extreme *x, const char *ini)
{
    char dir[256], out[300], why[512];
    ru_mkdtemp(dir, sizeof dir, "extreme");
    ru_fmt(out, sizeof out, "%s/out", dir);
    const char *argv[32] = {"run", ini, "-n", x->n, "-j", "2", "--no-plot",
                            "-q", "-o", out};
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
            print_error("%s: summary.txt does not say 'no CI: n=1'\n",
                        x->name);
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
static int same_but_timing(const char *a, size_t na, const char *b,
                           size_t nb)
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
    const char *first[] = {"run", TINY, "-n", "3", "--no-plot", "-q", "-o",
                           out, NULL};
    struct proc r = ru_run(first, LIMIT);
    assert_int_equal(r.status, 0);
    ru_proc_free(&r);
    struct snapshot before, after;
    snap_take(&before, out);
    assert_true(before.n >= 5);

    const char *argv[] = {"run", ini, "-n", "2", "-j", "2", "--no-plot",
                          "-o", out, NULL};
    double t0 = ru_now();
    r = ru_run(argv, LIMIT);
    double took = ru_now() - t0;
    print_message("  stopped after %.2f s\n", took);
    assert_false(r.timed_out);
    assert_int_equal(r.status, 1);
    assert_string_equal(r.err,
                        "salescap: more than 1000000 events in one "
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
    const char *again[] = {"run", ini, "-n", "1", "--no-plot", "-o", fresh,
                           NULL};
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
    const char *argv[] = {"run", ini, "-n", "2", "-j", "2", "--no-plot",
                          "-o", out, NULL};
    struct rusage ru;
    double t0 = ru_now();
    struct proc r = ru_run_usage(argv, LIMIT, &ru);
    long rss_kb = ru.ru_maxrss;
    print_message("  stopped after %.2f s, peak RSS %ld KB\n",
                  ru_now() - t0, rss_kb);
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
            const char *args[] = {"run", ini, "-n", "8", "-j", k ? "8" : "1",
                                  "-q", "--no-plot", "-o", out, NULL};
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
    const char *small[] = {"run", ini, "-n", "1", "--no-plot", "-o", out,
                           NULL};
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

static const int signals[] = {SIGINT, SIGTERM, SIGKILL};

/* A uniform draw in [0, 1) from a seeded generator of our own, so the
 * kill points repeat run to run. */
static double unit(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*s >> 11) / 9007199254740992.0;
}

/* Starts args, sends sig after delay seconds, waits. */
static struct proc kill_after(const char *const *args, double delay, int sig)
{
    int out = ru_temp_fd(), err = ru_temp_fd();
    struct proc r = {0};
    pid_t pid = ru_spawn(args, out, err);
    double end = ru_now() + delay;
    int st, done = 0;
    while (!done && ru_now() < end) {
        pid_t w = waitpid(pid, &st, WNOHANG);
        assert_true(w == 0 || w == pid);
        done = w == pid;
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    if (done) {
        r.status = ru_status(st, &r.signaled);
    } else {
        kill(pid, sig);
        r.status = ru_wait_sig(pid, LIMIT, &r.timed_out, &r.signaled, NULL);
    }
    r.out = ru_slurp_fd(out);
    r.err = ru_slurp_fd(err);
    close(out);
    close(err);
    return r;
}

/* The run used by the interrupt tests: long enough to be hit. */
#define INT_REPS "800"

static void test_interrupt_run(void **state)
{
    (void)state;
    need_binary();
    char dir[256], out[300], ref[300];
    ru_mkdtemp(dir, sizeof dir, "interrupt_run");
    ru_fmt(out, sizeof out, "%s/out", dir);
    ru_fmt(ref, sizeof ref, "%s/ref", dir);
    /* The previous results, and what the interrupted run would write. */
    const char *prev_args[] = {"run", TINY, "-n", "4", "--seed", "1",
                               "--no-plot", "-q", "-o", out, NULL};
    struct proc r = ru_run(prev_args, LIMIT);
    assert_int_equal(r.status, 0);
    ru_proc_free(&r);
    const char *reps = slow() ? "40" : INT_REPS;
    int rounds = slow() ? 3 : 12;
    const char *new_args[] = {"run", TINY, "-n", reps, "--seed", "2",
                              "-j", "2", "--no-plot", "-q", "-o", ref, NULL};
    double t0 = ru_now();
    r = ru_run(new_args, LIMIT);
    double full = ru_now() - t0;
    assert_int_equal(r.status, 0);
    ru_proc_free(&r);
    struct snapshot old, new;
    snap_take(&old, out);
    snap_take(&new, ref);
    assert_int_equal(old.n, new.n);

    uint64_t seed = 20260523;
    print_message("  full run %.2f s; kill points from seed %llu\n", full,
                  (unsigned long long)seed);
    const char *args[] = {"run", TINY, "-n", reps, "--seed", "2", "-j",
                          "2", "--no-plot", "-q", "-o", out, NULL};
    int bad = 0, hit = 0;
    for (int i = 0; i < rounds; i++) {
        int sig = signals[i % 3];
        double delay = full * 1.1 * unit(&seed);
        r = kill_after(args, delay, sig);
        int mode; /* what out/ must hold: 0 old, 1 new, 2 each file either */
        char want[600];
        if (r.timed_out) {
            print_error("  signal %d at %.3f s: still running\n", sig, delay);
            bad++;
            mode = 2;
        } else if (r.status == 0) {
            mode = 1; /* finished before the signal */
        } else if (sig == SIGKILL) {
            mode = 2;
            hit++;
        } else if (r.signaled) {
            /* Before main() set its handlers (a slow start, valgrind):
             * nothing was written, nothing may be left. */
            mode = 0;
            if (ru_count_files(out, ".tmp.") != 0) {
                print_error("  signal %d at %.3f s: temporaries left\n", sig,
                            delay);
                bad++;
            }
        } else {
            hit++;
            const char *name = sig == SIGINT ? "SIGINT" : "SIGTERM";
            int committed = strstr(r.err, "are complete") != NULL;
            if (committed)
                ru_fmt(want, sizeof want, "salescap: interrupted by %s; the "
                       "results in %s/ are complete, the charts may not "
                       "be\n", name, out);
            else
                ru_fmt(want, sizeof want, "salescap: interrupted by %s; "
                       "previous results are untouched\n", name);
            if (r.status != 128 + sig || strcmp(r.err, want)) {
                print_error("  signal %d at %.3f s: status %d, stderr: %s",
                            sig, delay, r.status, r.err);
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
        ru_rmdir(out);
        assert_int_equal(mkdir(out, 0777), 0);
        snap_restore(&old, out);
    }
    print_message("  %d of %d signals landed during the run\n", hit,
                  rounds);
    snap_free(&old);
    snap_free(&new);
    ru_rmdir(dir);
    if (bad)
        fail_msg("%d problems", bad);
}

/* Starts $SALESCAP with args and sends it SIGINT once it is at work:
 * after `delay` seconds, or, when `ready` names a folder, as soon as
 * something appears in it (a program under valgrind takes seconds to
 * reach its signal handler, and a fixed delay would kill it before);
 * then waits: returns the status, the seconds from the signal to the
 * exit in *took, and its stderr in *err (to free). */
static int interrupt_after(const char *const *args, double delay,
                           const char *ready, double *took, char **err)
{
    int fd = ru_temp_fd();
    pid_t pid = ru_spawn(args, -1, fd);
    if (ready) {
        double t0 = ru_now();
        while (ru_count_files(ready, "") <= 0 && ru_now() - t0 < LIMIT) {
            struct timespec ms = {0, 1000000};
            nanosleep(&ms, NULL);
        }
    } else {
        struct timespec t = {(time_t)delay,
                             (long)((delay - (double)(time_t)delay) * 1e9)};
        nanosleep(&t, NULL);
    }
    double t0 = ru_now();
    kill(pid, SIGINT);
    int timed_out;
    int status = ru_wait(pid, LIMIT, &timed_out);
    *took = ru_now() - t0;
    assert_false(timed_out);
    *err = ru_slurp_fd(fd);
    close(fd);
    return status;
}

/* One long replication (5,000 reps over 1,026 weeks: seconds of work)
 * stops within its current week: SIGINT a second in, the run is over
 * well before the replication could have finished, with the message. */
static void test_interrupt_long_replication(void **state)
{
    (void)state;
    need_binary();
    struct scratch sc;
    scratch_make(&sc, "interrupt_long", "[simulation]\nhorizon_weeks = "
                 "1000\n\n[sales]\nreps = 5000\n");
    const char *out = sc.out, *ini = sc.ini;
    const char *argv[] = {"run", ini, "-n", "1", "-j", "1", "--no-plot",
                          "-q", "-o", out, NULL};
    double took;
    char *text;
    int status = interrupt_after(argv, slow() ? 5.0 : 1.0, NULL, &took,
                                 &text);
    print_message("  stopped %.3f s after SIGINT\n", took);
    assert_int_equal(status, 130);
    assert_string_equal(text, "salescap: interrupted by SIGINT; previous "
                              "results are untouched\n");
    if (!slow())
        assert_true(took < 1.0);
    assert_int_equal(access(out, F_OK), -1);
    free(text);
    ru_rmdir(sc.dir);
}

/* The folders of a drawing to interrupt, with DIR/tmp made. */
static void drawing_dirs(struct scratch *d, const char *name)
{
    scratch_make(d, name, NULL);
    assert_int_equal(mkdir(d->tmp, 0777), 0);
}

/* Sends SIGINT as soon as the first chart file is written and checks
 * status 130, the message `want` and an empty $TMPDIR; prints `what`. */
static void interrupt_drawing(const struct scratch *d, const char *what,
                              const char *const *args, const char *want)
{
    setenv("TMPDIR", d->tmp, 1); /* passed on at the spawn */
    double took;
    char *text;
    int status = interrupt_after(args, 0, d->plots, &took, &text);
    unsetenv("TMPDIR");
    print_message("  %s: status %d\n", what, status);
    assert_int_equal(status, 130);
    assert_string_equal(text, want);
    assert_int_equal(ru_count_files(d->tmp, ""), 0);
    free(text);
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
    const char *first[] = {"run", TINY, "-n", "3", "--no-plot", "-q", "-o",
                           d.out, NULL};
    struct proc r = ru_run(first, LIMIT);
    assert_int_equal(r.status, 0);
    ru_proc_free(&r);
    const char *args[] = {"plot", d.out, "--plots", d.plots, "--format",
                          "svg", "--format", "pdf", "--format", "png", "-q",
                          NULL};
    char want[400];
    ru_fmt(want, sizeof want, "salescap: interrupted by SIGINT; the charts "
           "in %s/ may be incomplete\n", d.plots);
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
    const char *args[] = {"sweep", "tests/data/sweep_tiny.ini", "-q", "-o",
                          d.out, "--plots", d.plots, "--format", "svg",
                          "--format", "pdf", "--format", "png", NULL};
    char want[400], csv[320];
    ru_fmt(want, sizeof want, "salescap: interrupted by SIGINT; the results "
           "in %s/ are complete, the charts may not be\n", d.out);
    interrupt_drawing(&d, "sweep charts", args, want);
    ru_fmt(csv, sizeof csv, "%s/sweep.csv", d.out);
    assert_int_equal(ru_csv_check(csv, want, sizeof want), 6);
    ru_rmdir(d.dir);
}

static void test_interrupt_sweep(void **state)
{
    (void)state;
    need_binary();
    char dir[256], out[300], ref[300];
    ru_mkdtemp(dir, sizeof dir, "interrupt_sweep");
    ru_fmt(out, sizeof out, "%s/out", dir);
    ru_fmt(ref, sizeof ref, "%s/ref", dir);
    const char *prev_args[] = {"sweep", "tests/data/sweep_tiny.ini",
                               "--no-plot", "-q", "-o", out, NULL};
    struct proc r = ru_run(prev_args, LIMIT);
    assert_int_equal(r.status, 0);
    ru_proc_free(&r);
    const char *new_args[] = {"sweep", "tests/data/sweep_slow.ini", "-j", "2",
                              "--no-plot", "-q", "-o", ref, NULL};
    double t0 = ru_now();
    r = ru_run(new_args, LIMIT);
    double full = ru_now() - t0;
    assert_int_equal(r.status, 0);
    ru_proc_free(&r);
    struct snapshot old, new;
    snap_take(&old, out);
    snap_take(&new, ref);
    /* The journal is the sweep's work in progress; the results are these. */
    static const char *const results[] = {"sweep.csv", "sweep.ini", NULL};

    uint64_t seed = 4242;
    print_message("  full sweep %.2f s; kill points from seed %llu\n", full,
                  (unsigned long long)seed);
    const char *args[] = {"sweep", "tests/data/sweep_slow.ini", "-j", "2",
                          "--no-plot", "-q", "-o", out, NULL};
    int bad = 0, rounds = slow() ? 3 : 9;
    for (int i = 0; i < rounds; i++) {
        int sig = signals[i % 3];
        double delay = full * 1.1 * unit(&seed);
        r = kill_after(args, delay, sig);
        int mode = r.status == 0 ? 1 : sig == SIGKILL ? 2 : 0;
        if (r.timed_out) {
            print_error("  signal %d at %.3f s: still running\n", sig, delay);
            bad++;
        } else if (r.status != 0 && sig != SIGKILL && !r.signaled) {
            if (r.status != 128 + sig ||
                !strstr(r.err, "points are done and kept in") ||
                ru_count_files(out, ".tmp.") != 0) {
                print_error("  signal %d at %.3f s: status %d, stderr: %s",
                            sig, delay, r.status, r.err);
                bad++;
            }
        }
        int diff = snap_compare(out, &old, &new, mode, results);
        if (diff)
            print_error("  signal %d at %.3f s (status %d): %d files wrong\n",
                        sig, delay, r.status, diff);
        bad += diff;
        if (r.status != 0 && sig != SIGKILL && !r.signaled) {
            /* --resume finishes it, to the very same sweep.csv. */
            const char *resume[] = {"sweep", "tests/data/sweep_slow.ini",
                                    "--resume", "-j", "2", "--no-plot", "-q",
                                    "-o", out, NULL};
            struct proc r2 = ru_run(resume, LIMIT);
            assert_int_equal(r2.status, 0);
            ru_proc_free(&r2);
            bad += snap_compare(out, &new, &new, 1, results);
        }
        ru_proc_free(&r);
        ru_rmdir(out);
        assert_int_equal(mkdir(out, 0777), 0);
        snap_restore(&old, out);
    }
    snap_free(&old);
    snap_free(&new);
    ru_rmdir(dir);
    if (bad)
        fail_msg("%d problems", bad);
}

static void test_interrupt_trace(void **state)
{
    (void)state;
    need_binary();
    char dir[256], file[300];
    ru_mkdtemp(dir, sizeof dir, "interrupt_trace");
    ru_fmt(file, sizeof file, "%s/trace.csv", dir);
    write_text(file, "previous trace\n");
    /* A long replication: many reps over many weeks; the signal comes
     * half-way through a full trace's time. */
    char full[300];
    ru_fmt(full, sizeof full, "%s/full.csv", dir);
    const char *ref[] = {"trace", TINY, "--set", "sales.reps=400", "--set",
                         "simulation.horizon_weeks=520", "-o", full, NULL};
    double t0 = ru_now();
    struct proc r = ru_run(ref, LIMIT);
    double took = ru_now() - t0;
    assert_int_equal(r.status, 0);
    ru_proc_free(&r);
    const char *args[] = {"trace", TINY, "--set", "sales.reps=400", "--set",
                          "simulation.horizon_weeks=520", "-o", file, NULL};
    r = kill_after(args, took / 2, SIGINT);
    print_message("  status %d at %.2f s of %.2f s\n", r.status, took / 2,
                  took);
    assert_false(r.timed_out);
    char *text = ru_read_file(file, NULL);
    assert_non_null(text);
    if (r.signaled) {
        assert_string_equal(text, "previous trace\n"); /* before main() */
    } else if (r.status == 130) {
        assert_string_equal(r.err, "salescap: interrupted; no trace "
                                   "written\n");
        assert_string_equal(text, "previous trace\n");
    } else {
        assert_int_equal(r.status, 0); /* it won the race */
        assert_true(!strncmp(text, "time,week,event,entity,details\n", 31));
    }
    free(text);
    assert_int_equal(ru_count_files(dir, ".tmp."), 0);
    ru_proc_free(&r);
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
