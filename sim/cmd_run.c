/*
 * cmd_run: `salescap run` and `salescap trace`.
 *
 * run: load and resolve the file, simulate (run.h), write the outputs
 * (output.h), print the summary, draw the charts (plot.h) and, with
 * --report, report.html. Plotting failures are warnings unless charts
 * were asked for explicitly (--format or --plots), so CSVs are never lost
 * to a missing gnuplot.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "afile.h"
#include "calendar.h"
#include "cli.h"
#include "config.h"
#include "crm.h"
#include "model.h"
#include "output.h"
#include "plot.h"
#include "report.h"
#include "run.h"
#include "uncertain.h"

struct run_args {
    struct cli_opts o; /* the options run, trace and sweep share */
    const char *file, *scenario;
    long replication, max_replications;
    int report;
    double precision;
    int crm;     /* trace --crm: style + 1, 0 for none */
    long w0, w1; /* trace --window; w1 0: the horizon */
    int has_window, has_date;
    double week0; /* trace --date, days */
};

static volatile sig_atomic_t stop_signal;
static volatile int stop_flag;

enum {
    OPT_PRECISION = CLI_OPT_NEXT,
    OPT_MAX_REPS,
    OPT_REPORT,
    OPT_SCENARIO,
    OPT_REPLICATION,
    OPT_CRM,
    OPT_WINDOW,
    OPT_DATE,
};

static const struct option long_opts[] = {
    CLI_SHARED_OPTIONS,
    {"precision", required_argument, NULL, OPT_PRECISION},
    {"max-replications", required_argument, NULL, OPT_MAX_REPS},
    {"report", no_argument, NULL, OPT_REPORT},
    {"scenario", required_argument, NULL, OPT_SCENARIO},
    {"replication", required_argument, NULL, OPT_REPLICATION},
    {"crm", required_argument, NULL, OPT_CRM},
    {"window", required_argument, NULL, OPT_WINDOW},
    {"date", required_argument, NULL, OPT_DATE},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* trace's --crm, --window W0:W1 and --date YYYY-MM-DD. */
static int take_crm_opt(struct run_args *a, int c)
{
    if (c == OPT_CRM) {
        a->crm = crm_style_parse(optarg) + 1;
        return a->crm ? 0
                      : cli_bad_value("--crm (salesforce, hubspot, "
                                      "pipedrive or plain)",
                                      optarg);
    }
    if (c == OPT_DATE) {
        a->has_date = 1;
        return crm_parse_date(optarg, CRM_DATE_AUTO, &a->week0)
                   ? cli_bad_value("--date (YYYY-MM-DD)", optarg)
                   : 0;
    }
    char w0[32], w1[32];
    const char *colon = strchr(optarg, ':');
    a->has_window = 1;
    if (!colon || colon - optarg >= 31 || strlen(colon + 1) >= 31)
        return cli_bad_value("--window (W0:W1, reported weeks)", optarg);
    snprintf(w0, sizeof w0, "%.*s", (int)(colon - optarg), optarg);
    snprintf(w1, sizeof w1, "%s", colon + 1);
    if (cli_parse_long(w0, 0, 5200, &a->w0) ||
        cli_parse_long(w1, 1, 5200, &a->w1) || a->w1 <= a->w0)
        return cli_bad_value("--window (W0:W1, reported weeks, W0 < W1)",
                             optarg);
    return 0;
}

/* Parses one option; returns 0, or an exit status (-1: help printed). */
static int take_opt(struct run_args *a, int c, const char *cmd)
{
    int rc = cli_take_shared(&a->o, c, optarg);
    if (rc != 1)
        return rc;
    switch (c) {
    case OPT_PRECISION:
        return cli_precision_value(optarg, &a->precision);
    case OPT_MAX_REPS:
        return cli_max_reps_value(optarg, &a->max_replications);
    case OPT_REPORT:
        a->report = 1;
        return 0;
    case OPT_SCENARIO:
        a->scenario = optarg;
        return 0;
    case OPT_REPLICATION:
        if (cli_parse_long(optarg, 0, LONG_MAX, &a->replication))
            return cli_bad_value("--replication (0 or more)", optarg);
        return 0;
    case OPT_CRM:
    case OPT_WINDOW:
    case OPT_DATE:
        return take_crm_opt(a, c);
    case 'h':
        cli_help(cmd);
        return -1;
    default:
        fprintf(stderr, "(see 'salescap help %s')\n", cmd);
        return EXIT_USAGE;
    }
}

static int parse_args(struct run_args *a, int argc, char **argv,
                      const char *cmd)
{
    memset(a, 0, sizeof *a);
    a->o.replications = -1;
    a->max_replications = 10000;
    a->o.jobs = cli_cores();
    a->o.progress = isatty(STDERR_FILENO);
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "n:j:o:qh", long_opts, NULL)) != -1) {
        if (c == '?')
            return cli_bad_option(cmd, long_opts, "n:j:o:qh", argv);
        /* trace runs one replication and draws nothing. */
        static const int run_only[] = {'n',
                                       'j',
                                       CLI_OPT_PLOTS,
                                       CLI_OPT_FORMAT,
                                       CLI_OPT_NO_PLOT,
                                       CLI_OPT_PROGRESS,
                                       CLI_OPT_NO_PROGRESS,
                                       OPT_PRECISION,
                                       OPT_MAX_REPS,
                                       OPT_REPORT};
        for (size_t i = 0;
             !strcmp(cmd, "trace") && i < sizeof run_only / sizeof run_only[0];
             i++)
            if (c == run_only[i]) {
                const struct option *o = long_opts;
                while (o->name && o->val != c)
                    o++;
                cli_error("trace: --%s belongs to 'salescap run' (see "
                          "'salescap help trace')",
                          o->name);
                return EXIT_USAGE;
            }
        int rc = take_opt(a, c, cmd);
        if (rc)
            return rc;
    }
    if (optind != argc - 1) {
        cli_error("%s: expected one scenario file (see 'salescap help %s')",
                  cmd, cmd);
        return EXIT_USAGE;
    }
    a->file = argv[optind];
    if (a->max_replications != 10000 && !(a->precision > 0.0)) {
        cli_error("%s: --max-replications goes with --precision (without "
                  "it, -n sets the replications)",
                  cmd);
        return EXIT_USAGE;
    }
    if (strcmp(cmd, "trace") != 0 && (a->crm || a->has_window || a->has_date)) {
        cli_error("%s: --crm, --window and --date belong to 'salescap "
                  "trace'",
                  cmd);
        return EXIT_USAGE;
    }
    if (!a->crm && (a->has_window || a->has_date)) {
        cli_error("trace: --window and --date go with --crm STYLE");
        return EXIT_USAGE;
    }
    if (strcmp(cmd, "trace") != 0 && (a->scenario || a->replication)) {
        cli_error("%s: --scenario and --replication belong to 'salescap "
                  "trace'",
                  cmd);
        return EXIT_USAGE;
    }
    return 0;
}

/* Loads, overrides and resolves the file. Returns 0 or an exit status. */
static int load(const struct run_args *a, struct config *cfg, struct params *p)
{
    struct err e = {0};
    if (config_load(cfg, a->file, &e) != 0)
        goto fail;
    for (int i = 0; i < a->o.nsets; i++)
        if (config_set(cfg, a->o.sets[i], &e) != 0)
            goto fail;
    if (config_resolve(cfg, p, &e) != 0)
        goto fail;
    if (a->o.replications > 0)
        p->sim.replications = (int)a->o.replications;
    if (a->o.has_seed)
        p->sim.seed = a->o.seed;
    return 0;
fail:
    cli_error("%s", e.msg);
    return e.kind == ERR_RUNTIME ? EXIT_RUNTIME : EXIT_USAGE;
}

/* MSER-5 on the baseline's mean weekly revenue and ops backlog, from the
 * start of warm-up to the ops incident if there is one (a flood the
 * file schedules is part of the experiment, not a start-up transient).
 * A truncation short of the largest MSER-5 considers suggests a longer
 * warm-up; the largest means the series drifts all along, which no
 * warm-up removes: said once, as a note. A run that starts from a
 * [start] with no warm-up begins at "today" on purpose: how it moves
 * from there is the forecast, not a transient to cut. */
static void warmup_check(const struct params *p, const struct run_result *r,
                         int quiet)
{
    struct acc *series[2] = {r->warm_revenue, r->warm_backlog};
    const char *names[2] = {"revenue", "ops backlog"};
    if (p->start.given && p->sim.warmup_weeks == 0)
        return;
    int n = r->weeks_total;
    if (p->ops.incident_week >= 0 && p->ops.incident_tickets > 0 &&
        p->sim.warmup_weeks + p->ops.incident_week < n)
        n = p->sim.warmup_weeks + p->ops.incident_week;
    double *x = malloc((size_t)n * sizeof *x);
    if (!x)
        return;
    int drifts = 0;
    for (int k = 0; k < 2; k++) {
        for (int w = 0; w < n; w++)
            x[w] = series[k][w].mean;
        int d = stats_mser5(x, (size_t)n);
        if (5 * d <= p->sim.warmup_weeks)
            continue;
        if (d == stats_mser5_max(n) && !drifts++ && !quiet)
            fprintf(stderr,
                    "salescap: note: the baseline's weekly %s "
                    "trends through the first %d weeks (MSER-5 finds no "
                    "settled state); a longer warm-up would not remove "
                    "that, and a trend the scenarios share with the "
                    "baseline cancels in their differences\n",
                    names[k], n);
        else if (d < stats_mser5_max(n))
            fprintf(stderr,
                    "salescap: warning: MSER-5 on the baseline's "
                    "weekly %s suggests a warm-up of %d weeks; "
                    "[simulation] warmup_weeks is %d\n",
                    names[k], 5 * d, p->sim.warmup_weeks);
    }
    free(x);
}

static int draw(const struct run_args *a, const char *out, const char *plots)
{
    struct err e = {0};
    if (plot_run_dir(out, plots, a->o.formats, &e) < 0) {
        cli_error("%s%s", a->o.explicit_plots ? "" : "warning: ", e.msg);
        return a->o.explicit_plots ? EXIT_RUNTIME : 0;
    }
    if (a->report && report_write(out, plots, &e) != 0) {
        cli_error("%s", e.msg);
        return EXIT_RUNTIME;
    }
    if (!a->o.quiet)
        printf("Charts: %s/\n%s", plots, a->report ? "Report: " : "");
    if (!a->o.quiet && a->report)
        printf("%s/report.html\n", out);
    return 0;
}

/* Simulates and writes the results; sets *committed once they replaced
 * the previous ones. An interruption is reported by the caller. */
static int simulate_and_write(const struct run_args *a, struct config *cfg,
                              struct params *p, const char *out, int *committed)
{
    struct run_opts o = {
        .jobs = a->o.jobs,
        .replications = p->sim.replications,
        .precision = a->precision,
        .max_replications = a->max_replications,
        .progress = a->o.progress && !a->o.quiet,
        .stop = &stop_flag,
    };
    struct run_result r = {0};
    struct output_reps reps = {0};
    struct err e = {0};
    char *text = NULL;
    size_t len = 0;
    int rc = EXIT_RUNTIME;
    /* replications.csv is streamed while the run commits, so its folder
     * is made now; its temporary goes when the run fails. */
    if (output_reps_open(&reps, out, p, &e) != 0)
        goto done;
    o.on_commit = output_reps_commit;
    o.on_commit_ctx = &reps;
    if (run_simulate(p, &o, &r, &e) != 0)
        goto done;
    if (a->precision > 0.0)
        p->sim.replications = (int)r.replications;
    FILE *mem = open_memstream(&text, &len);
    /* The stream is closed whether or not the summary fits in memory. */
    int summary_rc = mem ? output_summary(mem, p, &r) : -1;
    if (!mem || fclose(mem) != 0 || summary_rc != 0) {
        err_oom(&e);
        goto done;
    }
    if (output_write_run(out, cfg, p, &r, text, &reps, &stop_flag, &e) != 0)
        goto done;
    *committed = 1;
    if (r.precision > 0.0 && !(r.reached <= r.precision))
        fprintf(stderr,
                "salescap: warning: --precision %g%% not reached "
                "in %ld replications (the cap, --max-replications); see "
                "summary.txt\n",
                100.0 * r.precision, r.replications);
    warmup_check(p, &r, a->o.quiet);
    if (!a->o.quiet) {
        fflush(stderr);
        fputs(text, stdout);
        printf("Results: %s/\n", out);
    }
    rc = 0;
done:
    if (rc && !stop_signal)
        cli_error("%s", e.msg);
    output_reps_close(&reps, rc != 0);
    free(text);
    run_result_destroy(&r);
    return rc;
}

/* The message and status of a run stopped by SIGINT or SIGTERM: before
 * its results replaced the previous ones, or after (while drawing). */
static int interrupted(int committed, const char *out)
{
    afile_cleanup_all();
    const char *sig = stop_signal == SIGINT ? "SIGINT" : "SIGTERM";
    if (committed)
        cli_error("interrupted by %s; the results in %s/ are complete, the "
                  "charts may not be",
                  sig, out);
    else
        cli_error("interrupted by %s; previous results are untouched", sig);
    return 128 + (int)stop_signal;
}

int cmd_run(int argc, char **argv)
{
    struct run_args a;
    int rc = parse_args(&a, argc, argv, "run");
    if (rc)
        return rc < 0 ? 0 : rc;
    /* From the start: a signal while the file loads is still answered
     * with the message and 130/143, not a silent death. */
    cli_catch_stop(&stop_flag, &stop_signal);
    struct config cfg = {0};
    struct params p = {0};
    if ((rc = load(&a, &cfg, &p)) != 0)
        goto done;
    char out[4096], plots[4096];
    cli_default_dir(out, sizeof out, "results", a.file);
    cli_default_dir(plots, sizeof plots, "plots", a.file);
    if (a.o.out)
        snprintf(out, sizeof out, "%s", a.o.out);
    if (a.o.plots)
        snprintf(plots, sizeof plots, "%s", a.o.plots);
    /* Before the simulation, which may take hours: folders that cannot
     * be written. Default chart folders only warn later (the CSVs are
     * what matters). */
    struct err fe = {0};
    if (afile_check_dir(out, &fe) != 0) {
        cli_error("%s%s", a.o.out ? "-o " : "", fe.msg);
        rc = a.o.out && fe.kind == ERR_CONFIG ? EXIT_USAGE : EXIT_RUNTIME;
        goto done;
    }
    for (int i = 0; i < OUTPUT_NFILES; i++) {
        char path[4400];
        snprintf(path, sizeof path, "%s/%s", out, output_files[i]);
        const char *in = config_file_at(&cfg, path);
        if (in) {
            cli_error("%s%s: the run would replace %s, which it reads; "
                      "write the results into another folder",
                      a.o.out ? "-o " : "", out, in);
            rc = EXIT_USAGE;
            goto done;
        }
    }
    if (!a.o.no_plot && a.o.plots && afile_check_dir(plots, &fe) != 0) {
        cli_error("--plots %s", fe.msg);
        rc = fe.kind == ERR_CONFIG ? EXIT_USAGE : EXIT_RUNTIME;
        goto done;
    }
    int committed = 0;
    rc = simulate_and_write(&a, &cfg, &p, out, &committed);
    plot_set_stop(&stop_signal);
    if (rc == 0 && !a.o.no_plot && !stop_signal)
        rc = draw(&a, out, plots);
    if (stop_signal)
        rc = interrupted(committed, out);
done:
    params_destroy(&p);
    config_destroy(&cfg);
    return rc;
}

/* ---- trace ------------------------------------------------------------ */

static int find_scenario(const struct params *p, const char *id)
{
    if (!id || !strcmp(id, "baseline"))
        return -1;
    for (size_t s = 0; s < p->n_scenarios; s++)
        if (!strcmp(p->scenarios[s].id, id))
            return (int)s;
    return -2;
}

/* Writes replication rep's draws of p's uncertain inputs into p.
 * Returns 0, or -1 out of memory. */
static int draw_uncertain(struct params *p, uint64_t rep)
{
    gsl_rng *r = gsl_rng_alloc(rng_type(p->sim.rng));
    double *x = malloc(p->n_uncertain * sizeof *x);
    int rc = r && x ? 0 : -1;
    if (rc == 0) {
        uncertain_draw(p, rep, r, x);
        uncertain_set(p, p, x);
    }
    free(x);
    if (r)
        gsl_rng_free(r);
    return rc;
}

/* SIGINT/SIGTERM during trace -o FILE: remove the temporary and go. */
static void on_trace_signal(int sig)
{
    static const char msg[] = "salescap: interrupted; no trace written\n";
    afile_cleanup_all();
    ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)w;
    _exit(128 + sig);
}

/* Opens trace -o FILE atomically (stdout without -o). */
static int open_trace(const struct run_args *a, struct afile *af, FILE **f,
                      struct err *e)
{
    *f = stdout;
    if (!a->o.out)
        return 0;
    /* The handler first: the temporary must never outlive a signal. */
    cli_on_stop(on_trace_signal);
    if (afile_open(af, a->o.out, e) != 0)
        return -1;
    *f = af->f;
    return 0;
}

/* The date of week 0 in a CRM export without --date: the file's
 * [simulation] start_date, or 1 January 2024. */
static double crm_week0(const struct params *p)
{
    if (p->sim.start_date != CAL_NO_DATE)
        return (double)p->sim.start_date;
    return crm_days(2024, 1, 1);
}

/* Runs the traced replication into f: the trace itself, or with --crm
 * the trace through a temporary file, written as a CRM export. */
static int trace_run(const struct run_args *a, const struct params *p,
                     struct model *m, int s, double *raw, FILE *f,
                     struct err *e)
{
    if (!a->crm) {
        model_set_trace(m, f);
        return model_run(m, s, (uint64_t)a->replication, raw, NULL, e) ? 1 : 0;
    }
    FILE *tmp = tmpfile();
    if (!tmp)
        return err_set(e, ERR_RUNTIME,
                       "trace --crm: cannot create a "
                       "temporary file")
                   ? EXIT_RUNTIME
                   : 0;
    model_set_trace(m, tmp);
    int rc = model_run(m, s, (uint64_t)a->replication, raw, NULL, e) ? 1 : 0;
    rewind(tmp);
    if (rc == 0 && crm_export_trace(tmp, f, (enum crm_style)(a->crm - 1),
                                    p->sim.warmup_weeks, (int)a->w0,
                                    (int)(a->w1 ? a->w1 : p->sim.horizon_weeks),
                                    a->has_date ? a->week0 : crm_week0(p), e))
        rc = EXIT_RUNTIME;
    fclose(tmp);
    return rc;
}

int cmd_trace(int argc, char **argv)
{
    struct run_args a;
    int rc = parse_args(&a, argc, argv, "trace");
    if (rc)
        return rc < 0 ? 0 : rc;
    struct config cfg = {0};
    struct params p = {0};
    struct model *m = NULL;
    struct afile af = {0};
    FILE *f;
    if ((rc = load(&a, &cfg, &p)) != 0)
        goto done;
    int s = find_scenario(&p, a.scenario);
    if (s == -2) {
        char list[512] = "baseline";
        size_t k = strlen(list);
        for (size_t i = 0; i < p.n_scenarios && k < sizeof list; i++)
            k += (size_t)snprintf(list + k, sizeof list - k, ", %s",
                                  p.scenarios[i].id);
        cli_error("trace: %s has no scenario '%s'; it has: %s", a.file,
                  a.scenario, list);
        rc = EXIT_USAGE;
        goto done;
    }
    struct err e = {0};
    if (a.o.out && afile_check_file(a.o.out, &e) != 0) {
        cli_error("-o %s", e.msg);
        rc = e.kind == ERR_CONFIG ? EXIT_USAGE : EXIT_RUNTIME;
        goto done;
    }
    const char *in = a.o.out ? config_file_at(&cfg, a.o.out) : NULL;
    if (in) {
        cli_error("-o %s: the trace would replace %s, which it reads", a.o.out,
                  in);
        rc = EXIT_USAGE;
        goto done;
    }
    if (a.w1 > p.sim.horizon_weeks) {
        cli_error("trace: --window %ld:%ld ends past the horizon (%d weeks)",
                  a.w0, a.w1, p.sim.horizon_weeks);
        rc = EXIT_USAGE;
        goto done;
    }
    size_t n = model_raw_len(&p);
    double *raw = malloc(n * sizeof *raw);
    if (open_trace(&a, &af, &f, &e) != 0) {
        cli_error("%s", e.msg);
        free(raw);
        rc = EXIT_RUNTIME;
        goto done;
    }
    /* The traced replication's draws of the uncertain inputs, as a run
     * makes them. */
    if (p.n_uncertain > 0 && draw_uncertain(&p, (uint64_t)a.replication)) {
        free(raw);
        raw = NULL;
    }
    m = model_alloc(&p, &e);
    if (m && raw) {
        rc = trace_run(&a, &p, m, s, raw, f, &e);
    } else {
        rc = err_oom(&e) ? EXIT_RUNTIME : 0;
    }
    free(raw);
    if (rc == 0 && af.f && afile_commit(&af, &e) != 0)
        rc = EXIT_RUNTIME;
    if (rc)
        cli_error("%s", e.msg);
done:
    afile_abort(&af);
    model_free(m);
    params_destroy(&p);
    config_destroy(&cfg);
    return rc;
}
