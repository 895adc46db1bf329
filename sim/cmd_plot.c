/*
 * cmd_plot: `salescap plot DIR [--plots DIR] [--format FMT ...] [--only
 * ID,...] [--exclude ID,...] [--report]`, which redraws the charts of a
 * finished run (weekly.csv) or sweep (sweep.csv) from its CSVs, without
 * simulating again.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "afile.h"
#include "cli.h"
#include "plot.h"
#include "report.h"
#include "rundata.h"

struct plot_args {
    struct cli_opts o; /* --plots (NULL: plots/<basename of dir>/),
                        * --format and -q */
    const char *dir;
    int report;           /* also write DIR/report.html */
    struct rd_select sel; /* --only, --exclude (a run's charts only) */
};

enum { OPT_ONLY = CLI_OPT_NEXT, OPT_EXCLUDE };

static int parse_args(int argc, char **argv, struct plot_args *a)
{
    static const struct option opts[] = {
        {"plots", required_argument, NULL, CLI_OPT_PLOTS},
        {"format", required_argument, NULL, CLI_OPT_FORMAT},
        {"size", required_argument, NULL, CLI_OPT_SIZE},
        {"quiet", no_argument, NULL, 'q'},
        {"report", no_argument, NULL, 'r'},
        {"only", required_argument, NULL, OPT_ONLY},
        {"exclude", required_argument, NULL, OPT_EXCLUDE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
        if (c == 'r') {
            a->report = 1;
        } else if (c == OPT_ONLY) {
            a->sel.only = optarg;
        } else if (c == OPT_EXCLUDE) {
            a->sel.exclude = optarg;
        } else if (c == 'h') {
            return -1;
        } else if (c == '?') {
            return cli_bad_option("plot", opts, "qh", argv);
        } else if (cli_take_shared(&a->o, c, optarg) != 0) {
            return EXIT_USAGE; /* a bad --format, said */
        }
    }
    if (optind != argc - 1) {
        cli_error("plot: expected one folder (try 'salescap help plot')");
        return EXIT_USAGE;
    }
    a->dir = argv[optind];
    return 0;
}

/* plots/<last path component of dir>, in new memory. */
static char *default_plots_dir(const char *dir)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    size_t b = n;
    while (b > 0 && dir[b - 1] != '/')
        b--;
    char *base = strndup(dir + b, n - b);
    if (!base)
        return NULL;
    const char *name =
        (!strcmp(base, ".") || !strcmp(base, "..") || !*base) ? "run" : base;
    char *path = rundata_path("plots", name);
    free(base);
    return path;
}

static int has_file(const char *dir, const char *name)
{
    char *p = rundata_path(dir, name);
    int ok = p && access(p, F_OK) == 0;
    free(p);
    return ok;
}

static volatile sig_atomic_t stop_signal;

/* Prints e and returns the exit status its kind calls for. */
static int fail(const struct err *e)
{
    if (stop_signal) /* the failure is the interruption: said by the caller */
        return EXIT_RUNTIME;
    cli_error("%s", e->msg);
    return e->kind == ERR_CONFIG ? EXIT_USAGE : EXIT_RUNTIME;
}

static int draw(const struct plot_args *a, const char *plots)
{
    struct err e = {0};
    int n;
    struct stat st;
    int found = stat(a->dir, &st) == 0;
    if (!found || !S_ISDIR(st.st_mode)) {
        cli_error("plot: %s: %s; give the results folder of a run or a "
                  "sweep (results/NAME)",
                  a->dir, found ? "not a folder" : strerror(errno));
        return EXIT_USAGE;
    }
    int run = has_file(a->dir, "weekly.csv");
    int sweep = !run && has_file(a->dir, "sweep.csv");
    /* `salescap sensitivity` writes into the run's folder by default:
     * its chart is redrawn beside the run's, or alone. */
    int sens = has_file(a->dir, "sensitivity.csv");
    if (!run && !sweep && !sens) {
        cli_error("plot: %s: not the results folder of a run (no "
                  "weekly.csv), of a sweep (no sweep.csv) or of a "
                  "sensitivity analysis (no sensitivity.csv)",
                  a->dir);
        return EXIT_USAGE;
    }
    if (run && has_file(a->dir, "sweep.csv"))
        cli_error("warning: %s holds a run and a sweep; the run's charts "
                  "are drawn",
                  a->dir);
    if (!run && a->report)
        cli_error("warning: --report: a %s has no report (its charts are "
                  "the whole of it)",
                  sweep ? "sweep"
                        : "sensitivity "
                          "analysis");
    if (!run && (a->sel.only || a->sel.exclude)) {
        cli_error("plot: --only and --exclude choose a run's scenarios; %s",
                  sweep ? "a sweep's are its [vary] scenario list"
                        : "a sensitivity analysis has none to choose");
        return EXIT_USAGE;
    }
    /* report.html goes into the run's folder: writable, before drawing. */
    if (run && a->report && afile_check_dir(a->dir, &e) != 0) {
        cli_error("--report %s", e.msg);
        return e.kind == ERR_CONFIG ? EXIT_USAGE : EXIT_RUNTIME;
    }
    if (sweep)
        n = plot_sweep_dir(a->dir, plots, a->o.formats, &e);
    else
        n = run ? plot_run_dir_sel(a->dir, plots, a->o.formats, &a->sel, &e)
                : 0;
    int k = n >= 0 && sens
                ? plot_sensitivity_dir(a->dir, plots, a->o.formats, &e)
                : 0;
    if (n < 0 || k < 0)
        return fail(&e);
    n += k;
    if (!a->o.quiet)
        printf("%d chart%s written to %s/\n", n, n == 1 ? "" : "s", plots);
    if (!a->report || !run)
        return 0;
    /* The report inlines the SVGs just drawn, of the same scenarios, or
     * draws its own: an SVG of an earlier drawing may show others. */
    if (report_write_sel(a->dir, a->o.formats & PLOT_SVG ? plots : NULL,
                         &a->sel, &e) != 0)
        return fail(&e);
    if (!a->o.quiet)
        printf("report written to %s/report.html\n", a->dir);
    return 0;
}

int cmd_plot(int argc, char **argv)
{
    struct plot_args a = {0};
    int rc = parse_args(argc, argv, &a);
    if (rc < 0)
        return cli_help("plot");
    if (rc > 0)
        return rc;
    char *plots = a.o.plots ? strdup(a.o.plots) : default_plots_dir(a.dir);
    if (!plots) {
        cli_error("out of memory");
        return EXIT_RUNTIME;
    }
    /* SIGINT or SIGTERM: gnuplot, in the same process group, stops too;
     * the drawing then fails, its temporaries are removed, and the
     * charts already installed stay, each whole. */
    cli_catch_stop(NULL, &stop_signal);
    plot_set_stop(&stop_signal);
    struct err fe = {0};
    if (a.o.plots && afile_check_dir(plots, &fe) != 0) {
        cli_error("--plots %s", fe.msg);
        free(plots);
        return fe.kind == ERR_CONFIG ? EXIT_USAGE : EXIT_RUNTIME;
    }
    rc = stop_signal ? 1 : draw(&a, plots);
    if (stop_signal && rc != 0) {
        afile_cleanup_all();
        fflush(stdout);
        cli_error("interrupted by %s; the charts in %s/ may be incomplete",
                  stop_signal == SIGINT ? "SIGINT" : "SIGTERM", plots);
        rc = 128 + (int)stop_signal;
    }
    free(plots);
    return rc;
}
