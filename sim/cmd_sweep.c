/*
 * cmd_sweep: `salescap sweep SWEEP.ini [options]` and
 * `salescap sweep --merge OUT DIR...`.
 *
 * Loads and checks the whole grid first (a bad value stops the sweep
 * before any simulation), runs it (sweep.h: threads, MPI ranks under
 * mpirun, or one shard), then writes the table of results beside
 * sweep.csv (sweep_table.txt), prints it when it fits the screen (else
 * its highest and lowest means and the file's name), and draws the
 * charts. Under MPI every rank runs this function; only rank 0 prints or
 * writes, and a failure on any rank before the run stops all of them.
 * SIGINT and SIGTERM stop the sweep after the journal line in progress.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "afile.h"
#include "cli.h"
#include "csvread.h"
#include "output.h"
#include "plot.h"
#include "sweep.h"

#define TABLE_ROWS_MAX   40
#define SWEEP_TABLE_COLS 24

struct sweep_args {
    struct cli_opts o; /* the options run, trace and sweep share */
    const char *file, *merge;
    int resume, shard_k, shard_n, separate;
    double precision;
    long max_replications; /* 0: not given */
    char **srcs;           /* --merge: the shard folders */
    int nsrcs;
};

static volatile sig_atomic_t stop_signal;
static volatile int stop_flag;

enum {
    OPT_RESUME = CLI_OPT_NEXT,
    OPT_SHARD,
    OPT_MERGE,
    OPT_PRECISION,
    OPT_MAX_REPS,
    OPT_SEPARATE,
};

static const struct option long_opts[] = {
    CLI_SHARED_OPTIONS,
    {"precision", required_argument, NULL, OPT_PRECISION},
    {"max-replications", required_argument, NULL, OPT_MAX_REPS},
    {"separate-baselines", no_argument, NULL, OPT_SEPARATE},
    {"resume", no_argument, NULL, OPT_RESUME},
    {"shard", required_argument, NULL, OPT_SHARD},
    {"merge", required_argument, NULL, OPT_MERGE},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* "K/N" with 1 <= K <= N. */
static int parse_shard(const char *s, int *k, int *n)
{
    char a[32];
    const char *slash = strchr(s, '/');
    long x, y;
    if (!slash || (size_t)(slash - s) >= sizeof a)
        return -1;
    memcpy(a, s, (size_t)(slash - s));
    a[slash - s] = '\0';
    if (cli_parse_long(a, 1, 1000000, &x) ||
        cli_parse_long(slash + 1, 1, 1000000, &y) || x > y)
        return -1;
    *k = (int)x;
    *n = (int)y;
    return 0;
}

/* Parses one option; returns 0, or an exit status (-1: help printed). */
static int take_opt(struct sweep_args *a, int c)
{
    int rc = cli_take_shared(&a->o, c, optarg);
    if (rc != 1)
        return rc;
    switch (c) {
    case OPT_RESUME:
        a->resume = 1;
        return 0;
    case OPT_PRECISION:
        return cli_precision_value(optarg, &a->precision);
    case OPT_MAX_REPS:
        return cli_max_reps_value(optarg, &a->max_replications);
    case OPT_SEPARATE:
        a->separate = 1;
        return 0;
    case OPT_MERGE:
        a->merge = optarg;
        return cli_path_value("--merge", optarg);
    case OPT_SHARD:
        if (parse_shard(optarg, &a->shard_k, &a->shard_n))
            return cli_bad_value("--shard (K/N, 1 <= K <= N)", optarg);
        return 0;
    case 'h':
        cli_help("sweep");
        return -1;
    default:
        fprintf(stderr, "(see 'salescap help sweep')\n");
        return EXIT_USAGE;
    }
}

static int parse_args(struct sweep_args *a, int argc, char **argv)
{
    memset(a, 0, sizeof *a);
    a->o.progress = -1;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "n:j:o:qh", long_opts, NULL)) != -1) {
        if (c == '?')
            return cli_bad_option("sweep", long_opts, "n:j:o:qh", argv);
        int rc = take_opt(a, c);
        if (rc)
            return rc;
    }
    if (a->merge) {
        /* A merge gathers finished shards: what would change results
         * has no place in it, and silently ignoring it would mislead. */
        const char *no = a->o.replications     ? "-n"
                         : a->o.has_seed       ? "--seed"
                         : a->o.nsets          ? "--set"
                         : a->shard_n          ? "--shard"
                         : a->resume           ? "--resume"
                         : a->o.out            ? "-o"
                         : a->precision > 0.0  ? "--precision"
                         : a->max_replications ? "--max-replications"
                         : a->separate         ? "--separate-baselines"
                                               : NULL;
        if (no) {
            cli_error("--merge gathers finished shards: %s has no effect on "
                      "it (give it to the shards' runs)",
                      no);
            return EXIT_USAGE;
        }
        a->srcs = argv + optind;
        a->nsrcs = argc - optind;
        if (a->nsrcs > 0)
            return 0;
        cli_error("--merge OUT: name the folders holding the shards");
        return EXIT_USAGE;
    }
    if (optind != argc - 1) {
        cli_error("sweep: expected one sweep file (see 'salescap help "
                  "sweep')");
        return EXIT_USAGE;
    }
    a->file = argv[optind];
    if (a->max_replications && !(a->precision > 0.0)) {
        cli_error("sweep: --max-replications goes with --precision (without "
                  "it, -n sets the replications)");
        return EXIT_USAGE;
    }
    return 0;
}

/* ------------------------------------------------------------ setup */

/* Prints e (on rank 0) and returns the exit status of its kind. */
static int fail(const struct err *e, int rank)
{
    if (rank == 0)
        cli_error("%s", e->msg);
    return e->kind == ERR_CONFIG ? EXIT_USAGE : EXIT_RUNTIME;
}

/* Loads the sweep, applies the options, checks every point. */
static int load(const struct sweep_args *a, struct sweep *sw, int rank)
{
    struct err e = {0};
    if (sweep_load(sw, a->file, &e) != 0)
        return fail(&e, rank);
    if (a->o.replications > 0) {
        sw->replications = a->o.replications;
        sw->line_reps = 0;
    }
    if (a->o.has_seed) {
        sw->seed = a->o.seed;
        sw->has_seed = 1;
        sw->line_seed = 0;
    }
    sw->precision = a->precision;
    sw->max_replications = a->max_replications ? a->max_replications : 10000;
    sw->separate = a->separate;
    for (int i = 0; i < a->o.nsets; i++)
        if (config_set(&sw->base, a->o.sets[i], &e) != 0)
            return fail(&e, rank);
    /* Every point puts its own value of a varied key over a --set. */
    for (size_t k = 0; k < sw->n_params; k++) {
        const struct sweep_param *pa = &sw->params[k];
        const struct config_entry *en =
            *pa->section ? config_find(&sw->base, pa->section, pa->key) : NULL;
        if (en && !strcmp(en->file, "--set")) {
            err_set(&e, ERR_CONFIG,
                    "--set %s.%s: the sweep varies it "
                    "([vary] %s, line %d), so every point would override "
                    "the --set",
                    pa->section, pa->key, pa->name, pa->line);
            return fail(&e, rank);
        }
    }
    if (sweep_prepare(sw, &e) != 0)
        return fail(&e, rank);
    return 0;
}

/* ------------------------------------------------------------ output */

/* Cell k of a printed table whose text in sweep.csv is v: the mean and
 * the interval (k - n_params < 3) in the metric's unit. */
static void stat_cell(const struct sweep *sw, size_t k, const char *v,
                      char *buf, size_t n)
{
    size_t np = sw->n_params;
    double x = strtod(v, NULL);
    int money = sw->metrics[0] == SWEEP_LOST_REVENUE ||
                !strcmp(metric_table[sw->metrics[0]].unit, "$");
    if (k < np + 3 && k >= np && *v && money)
        output_money(buf, n, x);
    else if (k < np + 3 && k >= np && *v)
        snprintf(buf, n, "%.4g", x);
    else
        snprintf(buf, n, "%s", v);
}

/* Cell k of the printed table for data row r (r < 0: the header):
 * the varied values, then the metric's mean, 95 % interval and n. */
static void table_cell(const struct csv *c, const struct sweep *sw, long r,
                       size_t k, char *buf, size_t n)
{
    static const char *const head[] = {"mean", "ci_low", "ci_high", "n"};
    size_t np = sw->n_params;
    if (r < 0) {
        snprintf(buf, n, "%s", k < np ? sw->params[k].name : head[k - np]);
        return;
    }
    /* By name: a shard's file has a "point" column first. */
    const char *col = k < np ? sw->params[k].name : head[k - np];
    stat_cell(sw, k, csv_get(c, (size_t)r, csv_col(c, col)), buf, n);
}

/* Writes the main columns of sweep.csv to out as an aligned table.
 * Returns its lines (the header included), or -1 when sweep.csv cannot
 * be read. */
static long format_table(FILE *out, const char *csv, const struct sweep *sw)
{
    struct csv c = {0};
    struct err e = {0};
    size_t nc = sw->n_params + 4, *w = calloc(nc, sizeof *w);
    char cell[256];
    long lines = -1;
    if (!w || csv_read(&c, csv, &e) != 0)
        goto done;
    for (long r = -1; r < (long)c.nrows; r++)
        for (size_t k = 0; k < nc; k++) {
            table_cell(&c, sw, r, k, cell, sizeof cell);
            w[k] = strlen(cell) > w[k] ? strlen(cell) : w[k];
        }
    for (long r = -1; r < (long)c.nrows; r++) {
        for (size_t k = 0; k < nc; k++) {
            table_cell(&c, sw, r, k, cell, sizeof cell);
            fprintf(out, "%s%*s", k ? "  " : "", (int)w[k], cell);
        }
        fputc('\n', out);
    }
    lines = (long)c.nrows + 1;
done:
    free(w);
    csv_destroy(&c);
    return lines;
}

/* The lines a table may take on standard output: the terminal's height
 * less the summary's three lines, or, when it is not a terminal, 40
 * points and the header. */
static long screen_lines(void)
{
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
        ws.ws_row > 0)
        return ws.ws_row > 8 ? (long)ws.ws_row - 3 : 5;
    return TABLE_ROWS_MAX + 1;
}

/* The table's file beside the results: sweep_table.txt for sweep.csv
 * (shard-K-of-N_table.txt for a shard). */
static void table_path(char *buf, size_t n, const char *csv)
{
    size_t len = strlen(csv);
    if (len > 4 && !strcmp(csv + len - 4, ".csv"))
        len -= 4;
    snprintf(buf, n, "%.*s_table.txt", (int)len, csv);
}

/* Cell k of the table of ranked points for t (NULL: the header). */
static void top_cell(const struct sweep *sw, const struct sweep_top *t,
                     size_t k, char *buf, size_t n)
{
    static const char *const head[] = {"mean", "ci_low", "ci_high", "n"};
    size_t np = sw->n_params;
    char v[64] = "";
    if (!t) {
        snprintf(buf, n, "%s", k < np ? sw->params[k].name : head[k - np]);
        return;
    }
    if (k < np) {
        const struct sweep_param *pa = &sw->params[k];
        snprintf(buf, n, "%s", pa->values[sweep_value_index(sw, t->point, k)]);
        return;
    }
    double x = k == np ? t->mean : k == np + 1 ? t->lo : t->hi;
    if (k == np + 3)
        snprintf(v, sizeof v, "%ld", t->n);
    else if (!isnan(x))
        snprintf(v, sizeof v, "%.17g", x);
    stat_cell(sw, k, v, buf, n);
}

/* A sweep too large to print whole: its highest and lowest means. */
static void print_top(const struct sweep *sw, const struct sweep_report *rep)
{
    size_t nc = sw->n_params + 4, w[SWEEP_TABLE_COLS] = {0};
    char cell[256];
    if (nc > SWEEP_TABLE_COLS || rep->n_top == 0)
        return;
    for (int side = 0; side < 2; side++)
        for (long r = -1; r < (long)rep->n_top; r++)
            for (size_t k = 0; k < nc; k++) {
                const struct sweep_top *a = side ? rep->bottom : rep->top;
                top_cell(sw, r < 0 ? NULL : &a[r], k, cell, sizeof cell);
                w[k] = strlen(cell) > w[k] ? strlen(cell) : w[k];
            }
    for (int side = 0; side < 2; side++) {
        const struct sweep_top *a = side ? rep->bottom : rep->top;
        printf("%sThe %zu %s means of %zu points:\n", side ? "\n" : "",
               rep->n_top, side ? "lowest" : "highest", rep->points);
        for (long r = -1; r < (long)rep->n_top; r++) {
            for (size_t k = 0; k < nc; k++) {
                top_cell(sw, r < 0 ? NULL : &a[r], k, cell, sizeof cell);
                printf("%s%*s", k ? "  " : "", (int)w[k], cell);
            }
            putchar('\n');
        }
    }
}

/* Writes the whole table to its file (every sweep: it is never lost to
 * a long one or to -q) and prints it when it fits on the screen; else
 * the highest and lowest means and where the whole table is. */
static void print_results(const struct sweep_args *a, const struct sweep *sw,
                          const struct sweep_report *rep)
{
    char *text = NULL, path[4300];
    size_t len = 0;
    struct err e = {0};
    FILE *m = open_memstream(&text, &len);
    long lines = m ? format_table(m, rep->csv, sw) : -1;
    if (m && fclose(m) != 0)
        lines = -1;
    table_path(path, sizeof path, rep->csv);
    int saved = lines > 0 && afile_write(path, text, len, &e) == 0;
    if (lines > 0 && !saved)
        cli_error("warning: %s", e.msg);
    if (!a->o.quiet && lines > 0 && (lines <= screen_lines() || !saved)) {
        fwrite(text, 1, len, stdout);
    } else if (!a->o.quiet) {
        print_top(sw, rep);
        if (saved)
            printf("The whole table, %ld rows: %s\n", lines - 1, path);
    }
    free(text);
}

static void print_summary(const struct sweep_args *a, const struct sweep *sw,
                          const struct sweep_report *rep)
{
    char reps[64], how[96] = "";
    print_results(a, sw, rep);
    if (a->o.quiet)
        return;
    if (rep->reps_min == rep->reps_max)
        snprintf(reps, sizeof reps, "%ld", rep->reps_min);
    else
        snprintf(reps, sizeof reps, "%ld-%ld", rep->reps_min, rep->reps_max);
    if (sw->precision > 0.0)
        snprintf(how, sizeof how, "--precision %g%%, at most %ld; ",
                 100.0 * sw->precision, sw->max_replications);
    printf("%zu point%s of %s replications (%s%zu from the journal); "
           "%ld simulated in %.1f s: %.0f replications/s on %d worker%s\n",
           rep->points, rep->points == 1 ? "" : "s", reps, how, rep->resumed,
           rep->replications, rep->seconds,
           rep->seconds > 0 ? (double)rep->replications / rep->seconds : 0.0,
           rep->workers, rep->workers == 1 ? "" : "s");
    printf("Results: %s\n", rep->csv);
}

/* Draws the charts; a failure is a warning unless charts were asked for. */
/* The message and status of a sweep stopped by SIGINT or SIGTERM while
 * its charts were drawn (sweep.csv is complete by then). */
static int interrupted_drawing(const char *out)
{
    afile_cleanup_all();
    cli_error("interrupted by %s; the results in %s/ are complete, the "
              "charts may not be",
              stop_signal == SIGINT ? "SIGINT" : "SIGTERM", out);
    return 128 + (int)stop_signal;
}

static int draw(const struct sweep_args *a, const char *out, const char *plots)
{
    struct err e = {0};
    plot_set_stop(&stop_signal);
    int n = stop_signal ? -1 : plot_sweep_dir(out, plots, a->o.formats, &e);
    if (stop_signal)
        return interrupted_drawing(out);
    if (n < 0) {
        cli_error("%s%s", a->o.explicit_plots ? "" : "warning: ", e.msg);
        return a->o.explicit_plots ? EXIT_RUNTIME : 0;
    }
    if (!a->o.quiet)
        printf("Charts: %s/\n", plots);
    return 0;
}

static int interrupted(const struct sweep_report *rep, const char *out)
{
    afile_cleanup_all();
    cli_error("interrupted by %s: %zu of %zu points are done and kept in "
              "%s/; run again with --resume to finish",
              stop_signal == SIGINT ? "SIGINT" : "SIGTERM", rep->done,
              rep->points, out);
    return 128 + (int)stop_signal;
}

/* ------------------------------------------------------------ commands */

/* The folders of the results and of the charts, 4096 bytes each. */
static void sweep_dirs(const struct sweep_args *a, char *out, char *plots)
{
    cli_default_dir(out, 4096, "results", a->file);
    cli_default_dir(plots, 4096, "plots", a->file);
    if (a->o.out)
        snprintf(out, 4096, "%s", a->o.out);
    if (a->o.plots)
        snprintf(plots, 4096, "%s", a->o.plots);
}

/* Before the sweep, which may take hours (as for run): the folders can
 * be written, and no file written would replace one the sweep reads.
 * Called on rank 0 before the ranks agree to go on. Returns 0, or the
 * exit status after the message. */
static int check_outputs(const struct sweep_args *a, const struct sweep *sw)
{
    char out[4096], plots[4096];
    sweep_dirs(a, out, plots);
    struct err fe = {0};
    if (afile_check_dir(out, &fe) != 0) {
        cli_error("%s%s", a->o.out ? "-o " : "", fe.msg);
        return a->o.out && fe.kind == ERR_CONFIG ? EXIT_USAGE : EXIT_RUNTIME;
    }
    static const char *const written[] = {"sweep.ini", "sweep.csv",
                                          "sweep.journal", "sweep_table.txt"};
    for (size_t i = 0; i < sizeof written / sizeof *written; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", out, written[i]);
        const char *in = afile_same(sw->path, path)
                             ? sw->path
                             : config_file_at(&sw->base, path);
        if (in) {
            cli_error("%s%s: the sweep would replace %s, which it reads; "
                      "write the results into another folder",
                      a->o.out ? "-o " : "", out, in);
            return EXIT_USAGE;
        }
    }
    if (!a->o.no_plot && a->o.plots && afile_check_dir(plots, &fe) != 0) {
        cli_error("--plots %s", fe.msg);
        return fe.kind == ERR_CONFIG ? EXIT_USAGE : EXIT_RUNTIME;
    }
    return 0;
}

static int run_sweep(const struct sweep_args *a, const struct sweep *sw,
                     int rank)
{
    char out[4096], plots[4096];
    sweep_dirs(a, out, plots);
    int tty = isatty(STDERR_FILENO);
    struct sweep_opts o = {
        /* mpirun binds each rank to a core: one thread a rank, unless
         * -j says otherwise (docs/cluster.md). */
        .jobs = a->o.jobs             ? a->o.jobs
                : sweep_mpi_started() ? 1
                                      : cli_cores(),
        .resume = a->resume,
        .shard_k = a->shard_k,
        .shard_n = a->shard_n,
        .out_dir = out,
        .stop = &stop_flag,
        .progress = rank || a->o.quiet || !a->o.progress ? 0
                    : a->o.progress == 1 || tty          ? 1
                                                         : 2,
    };
    struct sweep_report rep;
    struct err e = {0};
    char note[1024] = "";
    if (rank == 0 && !a->o.quiet)
        sweep_baseline_note(sw, note, sizeof note);
    if (note[0])
        fprintf(stderr, "salescap: %s\n", note);
    cli_catch_stop(&stop_flag, &stop_signal);
    if (sweep_run(sw, &o, &rep, &e) != 0) {
        if (rep.stopped && rank == 0)
            return interrupted(&rep, out);
        return rank == 0 ? fail(&e, rank) : EXIT_RUNTIME;
    }
    if (rank > 0)
        return 0;
    print_summary(a, sw, &rep);
    if (a->o.no_plot || a->shard_n > 0)
        return 0;
    return draw(a, out, plots);
}

static int merge(const struct sweep_args *a)
{
    struct err e = {0};
    if (afile_check_dir(a->merge, &e) != 0) {
        cli_error("--merge %s", e.msg);
        return e.kind == ERR_CONFIG ? EXIT_USAGE : EXIT_RUNTIME;
    }
    if (!a->o.no_plot && a->o.plots && afile_check_dir(a->o.plots, &e)) {
        cli_error("--plots %s", e.msg);
        return e.kind == ERR_CONFIG ? EXIT_USAGE : EXIT_RUNTIME;
    }
    long n = sweep_merge(a->merge, a->srcs, a->nsrcs, &e);
    if (n < 0)
        return fail(&e, 0);
    if (!a->o.quiet)
        printf("Merged %ld points into %s/sweep.csv\n", n, a->merge);
    if (a->o.no_plot)
        return 0;
    cli_catch_stop(&stop_flag, &stop_signal);
    char plots[4096];
    cli_default_dir(plots, sizeof plots, "plots", a->merge);
    return draw(a, a->merge, a->o.plots ? a->o.plots : plots);
}

int cmd_sweep(int argc, char **argv)
{
    struct sweep_args a;
    int rc = parse_args(&a, argc, argv);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (a.merge)
        return merge(&a);
    int rank, size;
    struct err e = {0};
    if (sweep_mpi_init(&argc, &argv, &rank, &size, &e) != 0) {
        rc = fail(&e, rank);
        sweep_mpi_finalize();
        return rc;
    }
    struct sweep sw = {0};
    rc = load(&a, &sw, rank);
    if (rc == 0 && rank == 0)
        rc = check_outputs(&a, &sw);
    /* Every rank ends with the status of the worst (rank 0's, in fact:
     * only it checks the outputs), so mpirun reports the same one. */
    int all = sweep_mpi_agree(rc);
    rc = all == 0 ? run_sweep(&a, &sw, rank) : all;
    sweep_destroy(&sw);
    sweep_mpi_finalize();
    return rc;
}
