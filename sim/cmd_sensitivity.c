/*
 * cmd_sensitivity: `salescap sensitivity FILE.ini`: what the file's
 * uncertain inputs do to its decision metric (sensitivity.h), written as
 * sensitivity.csv and sensitivity.txt into the results folder of the
 * file, and the chart tornado.png into its plots folder.
 *
 * It shares run's options (cli.h) and their defaults; the two files are
 * written to temporaries and renamed together, so a failed or stopped
 * analysis leaves the previous ones as they were. Chart failures are
 * warnings unless charts were asked for (--plots, --format), as in run.
 */
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "afile.h"
#include "cli.h"
#include "config.h"
#include "plot.h"
#include "sensitivity.h"

static const struct option long_opts[] = {
    CLI_SHARED_OPTIONS,
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static const char *const sens_files[] = {"sensitivity.csv", "sensitivity.txt"};
#define N_FILES (sizeof sens_files / sizeof sens_files[0])

static volatile int stop_flag;
static volatile sig_atomic_t stop_sig;

/* Parses the options into o; returns 0, -1 after --help, or a status. */
static int parse_args(struct cli_opts *o, const char **file, int argc,
                      char **argv)
{
    memset(o, 0, sizeof *o);
    o->replications = -1;
    o->jobs = cli_cores();
    o->progress = isatty(STDERR_FILENO);
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "n:j:o:qh", long_opts, NULL)) != -1) {
        if (c == '?')
            return cli_bad_option("sensitivity", long_opts, "n:j:o:qh", argv);
        if (c == 'h') {
            cli_help("sensitivity");
            return -1;
        }
        int rc = cli_take_shared(o, c, optarg);
        if (rc == 1) {
            fprintf(stderr, "(see 'salescap help sensitivity')\n");
            return EXIT_USAGE;
        }
        if (rc)
            return rc;
    }
    if (optind != argc - 1) {
        cli_error("sensitivity: expected one scenario file (see 'salescap "
                  "help sensitivity')");
        return EXIT_USAGE;
    }
    *file = argv[optind];
    return 0;
}

static int load(const struct cli_opts *o, const char *file, struct config *cfg,
                struct params *p)
{
    struct err e = {0};
    if (config_load(cfg, file, &e) != 0)
        goto fail;
    for (int i = 0; i < o->nsets; i++)
        if (config_set(cfg, o->sets[i], &e) != 0)
            goto fail;
    if (config_resolve(cfg, p, &e) != 0)
        goto fail;
    if (o->replications > 0)
        p->sim.replications = (int)o->replications;
    if (o->has_seed)
        p->sim.seed = o->seed;
    if (p->n_uncertain == 0) {
        cli_error("sensitivity: %s has no uncertain inputs: write the keys "
                  "you are unsure of as uncertain(DIST), like "
                  "pull.ops_efficiency = uncertain(triangular(0.4, 0.6, "
                  "0.8)) (docs/config.md, \"Uncertain inputs\")",
                  file);
        return EXIT_USAGE;
    }
    return 0;
fail:
    cli_error("%s", e.msg);
    return e.kind == ERR_RUNTIME ? EXIT_RUNTIME : EXIT_USAGE;
}

/* Checks the output folder before the runs: writable, and not holding
 * the file itself under one of the names written. */
static int check_out(const struct cli_opts *o, const struct config *cfg,
                     const char *out)
{
    struct err e = {0};
    if (afile_check_dir(out, &e) != 0) {
        cli_error("%s%s", o->out ? "-o " : "", e.msg);
        return o->out && e.kind == ERR_CONFIG ? EXIT_USAGE : EXIT_RUNTIME;
    }
    for (size_t i = 0; i < N_FILES; i++) {
        char path[4400];
        snprintf(path, sizeof path, "%s/%s", out, sens_files[i]);
        const char *in = config_file_at(cfg, path);
        if (in) {
            cli_error("%s%s: the analysis would replace %s, which it "
                      "reads; write the results into another folder",
                      o->out ? "-o " : "", out, in);
            return EXIT_USAGE;
        }
    }
    if (!o->no_plot && o->plots && afile_check_dir(o->plots, &e) != 0) {
        cli_error("--plots %s", e.msg);
        return e.kind == ERR_CONFIG ? EXIT_USAGE : EXIT_RUNTIME;
    }
    return 0;
}

/* Writes both files as temporaries, then renames them together. */
static int write_files(const char *out, const struct params *p,
                       const struct sens_result *r, const char *text,
                       struct err *e)
{
    struct afile af[N_FILES];
    memset(af, 0, sizeof af);
    int rc = mkdir_p(out, e);
    for (size_t i = 0; rc == 0 && i < N_FILES; i++) {
        char path[4400];
        snprintf(path, sizeof path, "%s/%s", out, sens_files[i]);
        rc = afile_open(&af[i], path, e);
    }
    if (rc == 0 &&
        (sens_write_csv(af[0].f, p, r) != 0 || fputs(text, af[1].f) == EOF))
        rc = err_set(e, ERR_RUNTIME, "%s: cannot write", out);
    for (size_t i = 0; rc == 0 && i < N_FILES; i++)
        rc = afile_finish(&af[i], e);
    if (rc == 0 && stop_flag)
        rc = err_set(e, ERR_RUNTIME, "interrupted");
    for (size_t i = 0; rc == 0 && i < N_FILES; i++)
        rc = afile_commit(&af[i], e);
    for (size_t i = 0; i < N_FILES; i++)
        afile_abort(&af[i]);
    return rc;
}

/* Runs the analysis and writes its files. Returns an exit status. */
static int analyse(const struct cli_opts *o, const struct params *p,
                   const char *out)
{
    struct sens_opts so = {
        .jobs = o->jobs,
        .replications = p->sim.replications,
        .progress = o->progress && !o->quiet,
        .stop = &stop_flag,
    };
    struct sens_result r = {0};
    struct err e = {0};
    char *text = NULL;
    size_t len = 0;
    int rc = EXIT_RUNTIME;
    if (sens_run(p, &so, &r, &e) != 0) {
        rc = e.kind == ERR_CONFIG ? EXIT_USAGE : EXIT_RUNTIME;
        goto done;
    }
    FILE *mem = open_memstream(&text, &len);
    int wrc = mem ? sens_write_summary(mem, p, &r) : -1;
    if (!mem || fclose(mem) != 0 || wrc != 0) {
        err_oom(&e);
        goto done;
    }
    if (write_files(out, p, &r, text, &e) != 0)
        goto done;
    if (!o->quiet) {
        fputs(text, stdout);
        printf("Results: %s/\n", out);
    }
    rc = 0;
done:
    if (rc && !stop_sig)
        cli_error("%s", e.msg);
    free(text);
    sens_result_destroy(&r);
    return rc;
}

int cmd_sensitivity(int argc, char **argv)
{
    struct cli_opts o;
    const char *file = NULL;
    int rc = parse_args(&o, &file, argc, argv);
    if (rc)
        return rc < 0 ? 0 : rc;
    cli_catch_stop(&stop_flag, &stop_sig);
    struct config cfg = {0};
    struct params p = {0};
    char out[4096], plots[4096];
    cli_default_dir(out, sizeof out, "results", file);
    cli_default_dir(plots, sizeof plots, "plots", file);
    if (o.out)
        snprintf(out, sizeof out, "%s", o.out);
    if (o.plots)
        snprintf(plots, sizeof plots, "%s", o.plots);
    if ((rc = load(&o, file, &cfg, &p)) == 0 &&
        (rc = check_out(&o, &cfg, out)) == 0)
        rc = analyse(&o, &p, out);
    if (rc == 0 && !o.no_plot && !stop_sig) {
        struct err e = {0};
        _Static_assert(sizeof(sig_atomic_t) == sizeof(int), "stop flag");
        plot_set_stop((volatile sig_atomic_t *)&stop_flag);
        if (plot_sensitivity_dir(out, plots, o.formats, &e) < 0) {
            if (!stop_sig)
                cli_error("%s%s", o.explicit_plots ? "" : "warning: ", e.msg);
            rc = o.explicit_plots ? EXIT_RUNTIME : 0;
        } else if (!o.quiet) {
            printf("Chart: %s/\n", plots);
        }
    }
    if (stop_sig) {
        afile_cleanup_all();
        cli_error("interrupted by %s; previous results are untouched",
                  stop_sig == SIGINT ? "SIGINT" : "SIGTERM");
        rc = 128 + stop_sig;
    }
    params_destroy(&p);
    config_destroy(&cfg);
    return rc;
}
