/*
 * cmd_calibrate: `salescap calibrate FILE.ini --free KEY[=LO:HI],...
 * -o FITTED.ini`: fits the free keys so that the simulated baseline meets
 * the file's [targets] (calib.h), writes FITTED.ini (an include of FILE
 * with the fitted keys overridden, each with a comment saying how) and
 * prints the fit table.
 *
 * Everything a user can get wrong (the file, the targets and the
 * identities they must satisfy, the free keys and their bounds, the
 * output path) is refused before the first simulation.
 */
#include <getopt.h>
#include <math.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "afile.h"
#include "calib.h"
#include "cli.h"
#include "config.h"
#include "output.h"

#define DEFAULT_MAX_ITER         100
#define MAX_DEFAULT_REPLICATIONS 50
#define LINE_MAX_INIH            199

enum { OPT_FREE = CLI_OPT_NEXT, OPT_MAX_ITER };

static const struct option long_opts[] = {
    {"replications", required_argument, NULL, 'n'},
    {"seed", required_argument, NULL, CLI_OPT_SEED},
    {"jobs", required_argument, NULL, 'j'},
    {"out", required_argument, NULL, 'o'},
    {"set", required_argument, NULL, CLI_OPT_SET},
    {"quiet", no_argument, NULL, 'q'},
    {"progress", no_argument, NULL, CLI_OPT_PROGRESS},
    {"no-progress", no_argument, NULL, CLI_OPT_NO_PROGRESS},
    {"free", required_argument, NULL, OPT_FREE},
    {"max-iter", required_argument, NULL, OPT_MAX_ITER},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

struct cal_args {
    struct cli_opts o;
    const char *file;
    struct calib_free *free;
    size_t n_free;
    long max_iter;
};

static volatile sig_atomic_t stop_signal; /* cli_catch_stop */
static volatile int stop_flag;

/* Parses one option; returns 0, or an exit status (-1: help printed). */
static int take_opt(struct cal_args *a, int c)
{
    int rc = cli_take_shared(&a->o, c, optarg);
    if (rc != 1)
        return rc;
    struct err e = {0};
    switch (c) {
    case OPT_FREE:
        if (calib_parse_free(optarg, &a->free, &a->n_free, &e) == 0)
            return 0;
        cli_error("%s", e.msg);
        return e.kind == ERR_RUNTIME ? EXIT_RUNTIME : EXIT_USAGE;
    case OPT_MAX_ITER:
        if (cli_parse_long(optarg, 1, 1000000, &a->max_iter))
            return cli_bad_value("--max-iter (1 to 1000000)", optarg);
        return 0;
    case 'h':
        cli_help("calibrate");
        return -1;
    default:
        fprintf(stderr, "(see 'salescap help calibrate')\n");
        return EXIT_USAGE;
    }
}

static int parse_args(struct cal_args *a, int argc, char **argv)
{
    memset(a, 0, sizeof *a);
    a->o.replications = -1;
    a->o.jobs = cli_cores();
    a->o.progress = isatty(STDERR_FILENO);
    a->max_iter = DEFAULT_MAX_ITER;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "n:j:o:qh", long_opts, NULL)) != -1) {
        if (c == '?')
            return cli_bad_option("calibrate", long_opts, "n:j:o:qh", argv);
        int rc = take_opt(a, c);
        if (rc)
            return rc;
    }
    if (optind != argc - 1) {
        cli_error("calibrate: expected one scenario file (see 'salescap "
                  "help calibrate')");
        return EXIT_USAGE;
    }
    a->file = argv[optind];
    if (!a->o.out) {
        cli_error("calibrate: -o FITTED.ini is required: the fitted model "
                  "is written there");
        return EXIT_USAGE;
    }
    if (a->n_free == 0) {
        cli_error("calibrate: name the keys to fit with --free "
                  "KEY[=LO:HI],... (for example --free "
                  "sales.opportunities_per_week)");
        return EXIT_USAGE;
    }
    return 0;
}

/* ------------------------------------------------------------ loading */

static int fail(const struct err *e)
{
    cli_error("%s", e->msg);
    return e->kind == ERR_RUNTIME ? EXIT_RUNTIME : EXIT_USAGE;
}

/* Loads and resolves the file with its --set overrides, prepares the free
 * keys and checks the output: all before any simulation. */
static int load(struct cal_args *a, struct config *cfg, struct params *p)
{
    struct err e = {0};
    if (config_load(cfg, a->file, &e))
        return fail(&e);
    for (int i = 0; i < a->o.nsets; i++)
        if (config_set(cfg, a->o.sets[i], &e))
            return fail(&e);
    if (config_resolve(cfg, p, &e))
        return fail(&e);
    if (calib_prepare(p, a->free, a->n_free, &e)) {
        cli_error("%s: %s", a->file, e.msg);
        return EXIT_USAGE;
    }
    if (afile_check_file(a->o.out, &e) != 0) {
        cli_error("-o %s", e.msg);
        return e.kind == ERR_CONFIG ? EXIT_USAGE : EXIT_RUNTIME;
    }
    const char *in = config_file_at(cfg, a->o.out);
    if (in) {
        cli_error("-o %s: the fitted model would replace %s, which it "
                  "includes; write it to another file",
                  a->o.out, in);
        return EXIT_USAGE;
    }
    return 0;
}

/* "FILE:LINE", "default" or "--set": where a key's value came from. */
static void source_of(const struct config *cfg, const char *section,
                      const char *key, char *buf, size_t size)
{
    const struct config_entry *en = config_find(cfg, section, key);
    if (!en)
        snprintf(buf, size, "default");
    else if (en->line > 0)
        snprintf(buf, size, "%s:%d", en->file, en->line);
    else
        snprintf(buf, size, "%s", en->file);
}

/* ------------------------------------------------------------ progress */

static void progress(void *ctx, int evaluation, int iteration, double best)
{
    const struct cal_args *a = ctx;
    int width = 30;
    long fill = width * (long)iteration / a->max_iter;
    fprintf(stderr,
            "\r[%.*s%*s] iteration %d/%ld, %d simulations, "
            "objective %.4g ",
            (int)fill, "##############################", width - (int)fill, "",
            iteration, a->max_iter, evaluation, best);
    fflush(stderr);
}

/* ------------------------------------------------------------ FITTED.ini */

/* path made absolute (against the working folder) with "." and ".."
 * resolved by name, into buf: "/a/b". Returns 0, or -1. */
static int absolute(const char *path, char *buf, size_t size)
{
    char tmp[4096];
    size_t n = 0;
    if (path[0] == '/')
        snprintf(tmp, sizeof tmp, "%s", path);
    else if (getcwd(tmp, sizeof tmp))
        snprintf(tmp + strlen(tmp), sizeof tmp - strlen(tmp), "/%s", path);
    else
        return -1;
    buf[0] = '\0';
    for (char *part = strtok(tmp, "/"); part; part = strtok(NULL, "/")) {
        if (!strcmp(part, "."))
            continue;
        if (!strcmp(part, "..")) {
            while (n > 0 && buf[--n] != '/')
                ;
            buf[n] = '\0';
            continue;
        }
        if (n + strlen(part) + 2 > size)
            return -1;
        n += (size_t)snprintf(buf + n, size - n, "/%s", part);
    }
    if (n == 0)
        snprintf(buf, size, "/");
    return 0;
}

/* The path of file `to` relative to folder `from`, by name (symbolic
 * links are not followed: the include reads as written). */
static int relative(const char *from, const char *to, char *buf, size_t size)
{
    char f[4096], t[4096];
    if (absolute(from, f, sizeof f) || absolute(to, t, sizeof t))
        return -1;
    if (!strcmp(f, "/"))
        f[0] = '\0';
    /* The longest common folder: f is a prefix of t up to a '/'. */
    size_t common = 0, i = 0;
    while (f[i] && f[i] == t[i]) {
        if (f[i] == '/')
            common = i;
        i++;
    }
    if (!f[i] && t[i] == '/')
        common = i;
    size_t n = 0;
    buf[0] = '\0';
    for (const char *s = f + common; *s; s++)
        if (*s == '/' && n + 4 < size)
            n += (size_t)snprintf(buf + n, size - n, "../");
    snprintf(buf + n, size - n, "%s", t + common + 1);
    return 0;
}

/* The folder a file goes in ("." for a bare name). */
static void folder_of(const char *path, char *buf, size_t size)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(buf, size, ".");
    else if (slash == path)
        snprintf(buf, size, "/");
    else
        snprintf(buf, size, "%.*s", (int)(slash - path), path);
}

/* Whether the files define stages themselves: a [stage.NAME] of
 * FITTED.ini would otherwise replace the built-in pipeline. */
static int file_stages(const struct config *cfg)
{
    for (size_t i = 0; i < cfg->n_sections; i++)
        if (cfg->sections[i].header &&
            !strncmp(cfg->sections[i].name, "stage.", 6))
            return 1;
    return 0;
}

struct fitted {
    const struct cal_args *a;
    const struct config *cfg; /* holds the fitted values */
    const struct params *p;   /* resolved from it */
    char (*src)[320];         /* where each free key's start came from */
    const struct calib_result *r;
};

/* A key FITTED.ini overrides: a fitted key or a --set of the command. */
struct override {
    char section[128], key[128], value[256], comment[400];
};

/* The overrides in order: the fitted keys, then each --set that does not
 * name one of them. Returns their number, or -1 when out of memory. */
static long overrides(const struct cal_args *a, char (*src)[320],
                      struct override **out)
{
    size_t n = a->n_free + (size_t)a->o.nsets, k = 0;
    struct override *ov = calloc(n + 1, sizeof *ov);
    if (!ov)
        return -1;
    for (size_t i = 0; i < a->n_free; i++, k++) {
        const struct calib_free *x = &a->free[i];
        snprintf(ov[k].section, sizeof ov[k].section, "%s", x->section);
        snprintf(ov[k].key, sizeof ov[k].key, "%s", x->key);
        calib_format(x->fitted, ov[k].value, sizeof ov[k].value);
        snprintf(ov[k].comment, sizeof ov[k].comment,
                 "%s.%s fitted in [%g, %g]; was %.10g (%s)", x->section, x->key,
                 x->lo, x->hi, x->start, src[i]);
    }
    for (int i = 0; i < a->o.nsets; i++) {
        const char *set = a->o.sets[i], *eq = strchr(set, '=');
        struct calib_free *one = NULL;
        size_t m = 0;
        char name[256];
        struct err e = {0};
        snprintf(name, sizeof name, "%.*s", (int)(eq - set), set);
        if (calib_parse_free(name, &one, &m, &e) == 0 && m == 1) {
            int dup = 0;
            for (size_t j = 0; j < a->n_free; j++)
                dup |= !strcmp(a->free[j].section, one[0].section) &&
                       !strcmp(a->free[j].key, one[0].key);
            if (!dup) {
                snprintf(ov[k].section, sizeof ov[k].section, "%s",
                         one[0].section);
                snprintf(ov[k].key, sizeof ov[k].key, "%s", one[0].key);
                snprintf(ov[k].value, sizeof ov[k].value, "%s", eq + 1);
                snprintf(ov[k].comment, sizeof ov[k].comment,
                         "--set %s of the calibration", name);
                k++;
            }
        }
        calib_free_destroy(one, m);
    }
    *out = ov;
    return (long)k;
}

/* Writes FITTED.ini's body: the include, then each section once. When the
 * files define no stage, a [stage.NAME] here would replace the built-in
 * pipeline: every stage is then written in full, as resolved. */
static void put_body(FILE *out, const struct config *cfg,
                     const struct params *pf, const struct override *ov, long n,
                     const char *include)
{
    int whole_stages = 0;
    for (long i = 0; i < n; i++)
        whole_stages |=
            !strncmp(ov[i].section, "stage.", 6) && !file_stages(cfg);
    fprintf(out, "include = %s\n", include);
    for (long i = 0; i < n; i++) {
        int first = 1;
        for (long j = 0; j < i; j++)
            first &= strcmp(ov[j].section, ov[i].section) != 0;
        if (!first || (whole_stages && !strncmp(ov[i].section, "stage.", 6)))
            continue;
        fprintf(out, "\n[%s]\n", ov[i].section);
        for (long j = i; j < n; j++) {
            if (strcmp(ov[j].section, ov[i].section))
                continue;
            if (strlen(ov[j].comment) + 2 <= LINE_MAX_INIH)
                fprintf(out, "; %s\n", ov[j].comment);
            fprintf(out, "%s = %s\n", ov[j].key, ov[j].value);
        }
    }
    if (!whole_stages)
        return;
    fputs("\n; The files define no stage: the built-in pipeline, written out"
          "\n; in full, since a [stage.NAME] section replaces it.\n",
          out);
    for (long i = 0; i < n; i++)
        if (!strncmp(ov[i].section, "stage.", 6) &&
            strlen(ov[i].comment) + 2 <= LINE_MAX_INIH)
            fprintf(out, "; %s\n", ov[i].comment);
    for (size_t s = 0; s < pf->n_stages; s++) {
        char section[160];
        snprintf(section, sizeof section, "stage.%s", pf->stages[s].name);
        config_write_section(out, pf, section);
    }
}

/* The header: how the file was made, what it achieved. */
static void put_header(FILE *out, const struct cal_args *a,
                       const struct calib_result *r, long reps,
                       unsigned long long seed)
{
    fprintf(out, "; Fitted by salescap calibrate from %s\n",
            strlen(a->file) < 150 ? a->file : "its model");
    for (size_t i = 0; i < a->n_free; i++)
        fprintf(out, ";   --free %s.%s=%g:%g\n", a->free[i].section,
                a->free[i].key, a->free[i].lo, a->free[i].hi);
    fprintf(out,
            "; %d simulations of %ld replications (seed %llu), %d "
            "iterations%s.\n; The objective (the squared misses of the "
            "targets, in tolerances) went\n; from %.6g at the start to "
            "%.6g with the values below.\n",
            r->evaluations, reps, seed, r->iterations,
            r->converged ? ", converged" : " (the limit, --max-iter)",
            r->f_start, r->f_fit);
}

/* Writes FITTED.ini atomically. Returns 0, or an exit status. */
static int write_fitted(const struct cal_args *a, const struct fitted *ft,
                        long reps, unsigned long long seed)
{
    char dir[4096], include[4096];
    struct override *ov = NULL;
    struct afile af = {0};
    struct err e = {0};
    folder_of(a->o.out, dir, sizeof dir);
    if (relative(dir, a->file, include, sizeof include) != 0)
        snprintf(include, sizeof include, "%s", a->file);
    if (strlen(include) + 10 > LINE_MAX_INIH) {
        cli_error("-o %s: the path from it to %s is too long for an "
                  "include line (%d bytes at most)",
                  a->o.out, a->file, LINE_MAX_INIH);
        return EXIT_USAGE;
    }
    long n = overrides(a, ft->src, &ov);
    if (n < 0 || afile_open(&af, a->o.out, &e) != 0) {
        free(ov);
        if (n < 0)
            err_oom(&e);
        cli_error("%s", e.msg);
        return EXIT_RUNTIME;
    }
    put_header(af.f, a, ft->r, reps, seed);
    put_body(af.f, ft->cfg, ft->p, ov, n, include);
    free(ov);
    if (afile_commit(&af, &e) != 0) {
        cli_error("%s", e.msg);
        return EXIT_RUNTIME;
    }
    return 0;
}

/* ------------------------------------------------------------ the table */

static void print_table(const struct cal_args *a, const struct params *p,
                        const struct calib_result *r, long reps,
                        unsigned long long seed)
{
    char s[96], f[96], t[96];
    printf("salescap: calibrated %s: %d simulations of %ld replications "
           "(seed %llu), %d iterations%s\n",
           a->file, r->evaluations, reps, seed, r->iterations,
           r->converged ? ", converged" : ", stopped at --max-iter");
    printf("Objective (squared misses of the targets, in tolerances): "
           "%.4g at the start, %.4g fitted\n\n",
           r->f_start, r->f_fit);
    printf(" %-40s %12s %12s   %s\n", "free key", "start", "fitted", "bounds");
    for (size_t i = 0; i < a->n_free; i++) {
        const struct calib_free *x = &a->free[i];
        char name[200];
        snprintf(name, sizeof name, "%s.%s", x->section, x->key);
        calib_format(x->fitted, f, sizeof f);
        printf(" %-40s %12.6g %12s   [%g, %g]\n", name, x->start, f, x->lo,
               x->hi);
    }
    printf("\n %-28s %14s %24s %22s %7s\n", "kpi", "start", "fitted", "target",
           "within");
    int met = 0, set = 0;
    for (int k = 0; k < KPI_COUNT; k++) {
        const struct target *g = &p->targets.kpi[k];
        struct summary a0, a1;
        acc_summary(&r->kpi_start[k], &a0);
        acc_summary(&r->kpi_fit[k], &a1);
        snprintf(s, sizeof s, "n/a");
        snprintf(f, sizeof f, "n/a");
        snprintf(t, sizeof t, "-");
        if (a0.n > 0)
            output_kpi_value(s, sizeof s, (enum kpi)k, a0.mean, -1);
        if (a1.n > 0)
            output_kpi_value(f, sizeof f, (enum kpi)k, a1.mean,
                             a1.has_ci ? (a1.hi - a1.lo) / 2 : -1);
        const char *within = "-";
        if (g->set) {
            output_kpi_value(t, sizeof t, (enum kpi)k, g->value, g->tol);
            int ok = a1.n > 0 && fabs(a1.mean - g->value) <= g->tol;
            within = ok ? "yes" : "no";
            met += ok;
            set++;
        }
        printf(" %-28s %14s %*s %*s %7s\n", kpi_table[k].name, s,
               24 + (strstr(f, "±") != NULL), f, 22 + (strstr(t, "±") != NULL),
               t, within);
    }
    printf("Targets: %d of %d within tolerance.\nWritten: %s\n", met, set,
           a->o.out);
}

/* ------------------------------------------------------------ command */

static int fit(struct cal_args *a, struct config *cfg, struct params *p)
{
    struct err e = {0};
    struct calib_result r;
    char(*src)[320] = calloc(a->n_free, sizeof *src);
    if (!src) {
        cli_error("out of memory");
        return EXIT_RUNTIME;
    }
    for (size_t i = 0; i < a->n_free; i++)
        source_of(cfg, a->free[i].section, a->free[i].key, src[i],
                  sizeof src[i]);
    long reps = a->o.replications > 0
                    ? a->o.replications
                    : (p->sim.replications < MAX_DEFAULT_REPLICATIONS
                           ? p->sim.replications
                           : MAX_DEFAULT_REPLICATIONS);
    unsigned long long seed = a->o.has_seed ? a->o.seed : p->sim.seed;
    struct calib_opts o = {.replications = reps,
                           .jobs = a->o.jobs,
                           .max_iter = (int)a->max_iter,
                           .has_seed = a->o.has_seed,
                           .seed = a->o.seed,
                           .stop = &stop_flag,
                           .progress =
                               a->o.progress && !a->o.quiet ? progress : NULL,
                           .ctx = a};
    int rc = calib_run(cfg, a->free, a->n_free, &o, &r, &e);
    if (o.progress)
        fputc('\n', stderr);
    struct params pf = {0};
    if (rc == 0 && config_resolve(cfg, &pf, &e) != 0)
        rc = -1;
    if (rc != 0) {
        if (!stop_signal)
            cli_error("%s", e.msg);
        free(src);
        params_destroy(&pf);
        return stop_signal ? 128 + (int)stop_signal
                           : (e.kind == ERR_CONFIG ? EXIT_USAGE : EXIT_RUNTIME);
    }
    struct fitted ft = {a, cfg, &pf, src, &r};
    rc = write_fitted(a, &ft, reps, seed);
    if (rc == 0 && !a->o.quiet)
        print_table(a, p, &r, reps, seed);
    if (rc == 0 && !r.converged)
        fprintf(stderr,
                "salescap: note: the simplex had not converged "
                "after %ld iterations (--max-iter); %s holds the best "
                "point found\n",
                a->max_iter, a->o.out);
    free(src);
    params_destroy(&pf);
    return rc;
}

int cmd_calibrate(int argc, char **argv)
{
    struct cal_args a;
    int rc = parse_args(&a, argc, argv);
    if (rc) {
        calib_free_destroy(a.free, a.n_free);
        return rc < 0 ? 0 : rc;
    }
    cli_catch_stop(&stop_flag, &stop_signal);
    struct config cfg = {0};
    struct params p = {0};
    rc = load(&a, &cfg, &p);
    if (rc == 0)
        rc = fit(&a, &cfg, &p);
    if (stop_signal) {
        afile_cleanup_all();
        cli_error("interrupted by %s; nothing written",
                  stop_signal == SIGINT ? "SIGINT" : "SIGTERM");
        rc = 128 + (int)stop_signal;
    }
    params_destroy(&p);
    config_destroy(&cfg);
    calib_free_destroy(a.free, a.n_free);
    return rc;
}
