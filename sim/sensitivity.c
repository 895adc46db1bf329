/*
 * sensitivity: the tornado and the variance shares of the uncertain
 * inputs (see include/sensitivity.h for the method).
 *
 * Every run goes through run_simulate() with the file's seed and number
 * of replications, so replication r of every run meets the same deals,
 * tickets and people: the runs differ only in the inputs' values. A run
 * with inputs held at chosen values is a shadow of the parameters
 * (uncertain.h) with those values written in and no inputs left to draw;
 * the run with every input drawn is the file's own.
 *
 * Invariant: after sens_run, each accumulator holds the replications
 * 0 .. replications - 1 in order (run_simulate commits in order, and the
 * outcomes are added once every run is done).
 */
#include "sensitivity.h"

#include <gsl/gsl_multifit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "decision.h"
#include "metrics.h"
#include "output.h"
#include "run.h"
#include "uncertain.h"

/* What a run's commit hook keeps: each option's outcome per replication
 * and, for the run that draws, the draws. */
struct arm {
    const struct run_result *rr; /* the run being filled */
    int nopt;
    double *y;              /* [replication * nopt + option] */
    const struct params *p; /* drawing run: the file's params */
    gsl_rng *ur;
    double *x; /* [replication * ninputs + input] */
};

static void arm_commit(void *ctx, long rep, const double *v,
                       const unsigned char *ok, const double *pv,
                       const unsigned char *pok)
{
    struct arm *a = ctx;
    const double *d = a->rr->dec_rep;
    (void)v;
    (void)ok;
    (void)pv;
    (void)pok;
    for (int s = 0; s < a->nopt; s++)
        a->y[rep * a->nopt + s] = s ? d[s] - d[0] : d[0];
    if (a->x)
        uncertain_draw(a->p, (uint64_t)rep, a->ur,
                       a->x + (size_t)rep * a->p->n_uncertain);
}

/* One run of p (the file's params, or a shadow) into a->y. */
static int run_arm(const struct params *p, const struct sens_opts *o,
                   struct arm *a, struct err *e)
{
    struct run_opts ro = {
        .jobs = o->jobs,
        .replications = o->replications,
        .stop = o->stop,
        .on_commit = arm_commit,
        .on_commit_ctx = a,
    };
    struct run_result rr = {0};
    a->rr = &rr;
    int rc = run_simulate(p, &ro, &rr, e);
    if (rc == 0 && rr.dec_metric < 0)
        rc = err_set(e, ERR_CONFIG,
                     "the run made no decision: its "
                     "[decision] quarters are past the horizon");
    run_result_destroy(&rr);
    a->rr = NULL;
    return rc;
}

/* One run with input i at u (i < 0: none moved), the others at their
 * medians, into a->y. */
static int run_fixed(const struct params *p, const struct sens_opts *o, long i,
                     double u, struct arm *a, struct err *e)
{
    struct params q;
    double *x = malloc(p->n_uncertain * sizeof *x);
    if (!x || uncertain_shadow(&q, p) != 0) {
        free(x);
        return err_oom(e);
    }
    for (size_t k = 0; k < p->n_uncertain; k++)
        x[k] = uncertain_value(&p->uncertain[k],
                               (long)k == i ? u : UNCERTAIN_CENTRAL_U);
    uncertain_set(&q, p, x);
    q.n_uncertain = 0; /* nothing left to draw */
    q.uncertain = NULL;
    int rc = run_arm(&q, o, a, e);
    uncertain_shadow_free(&q);
    free(x);
    return rc;
}

static void say(const struct sens_opts *o, int run, int runs, const char *what)
{
    if (!o->progress)
        return;
    fprintf(stderr, "\rsensitivity: run %d of %d: %-60.60s", run, runs, what);
    if (run == runs)
        fputc('\n', stderr);
    fflush(stderr);
}

/* ------------------------------------------------------------ the fit */

int sens_variance_shares(const double *x, size_t n, size_t k, const double *y,
                         double *share, double *r2)
{
    for (size_t i = 0; i < k; i++)
        share[i] = NAN;
    *r2 = NAN;
    if (n <= k + 1)
        return -1;
    double my = 0, ty = 0;
    for (size_t r = 0; r < n; r++)
        my += y[r];
    my /= (double)n;
    for (size_t r = 0; r < n; r++)
        ty += (y[r] - my) * (y[r] - my);
    /* An outcome that does not vary but for rounding explains nothing. */
    if (!(ty > 1e-24 * (double)n * my * my))
        return -1;
    gsl_matrix *X = gsl_matrix_alloc(n, k + 1);
    gsl_matrix *cov = gsl_matrix_alloc(k + 1, k + 1);
    gsl_vector *c = gsl_vector_alloc(k + 1);
    gsl_multifit_linear_workspace *w = gsl_multifit_linear_alloc(n, k + 1);
    double *sx = calloc(k ? k : 1, sizeof *sx);
    int rc = -1;
    if (!X || !cov || !c || !w || !sx)
        goto out;
    /* The inputs centred: the fit is the same, better conditioned. */
    for (size_t i = 0; i < k; i++) {
        double m = 0, t = 0;
        for (size_t r = 0; r < n; r++)
            m += x[r * k + i] / (double)n;
        for (size_t r = 0; r < n; r++) {
            double d = x[r * k + i] - m;
            gsl_matrix_set(X, r, i + 1, d);
            t += d * d;
        }
        sx[i] = sqrt(t / (double)(n - 1));
        if (!(sx[i] > 0))
            goto out;
    }
    for (size_t r = 0; r < n; r++)
        gsl_matrix_set(X, r, 0, 1.0);
    gsl_vector_const_view yv = gsl_vector_const_view_array(y, n);
    double chisq;
    if (gsl_multifit_linear(X, &yv.vector, c, cov, &chisq, w) != 0)
        goto out;
    double sy = sqrt(ty / (double)(n - 1));
    for (size_t i = 0; i < k; i++) {
        double src = gsl_vector_get(c, i + 1) * sx[i] / sy;
        share[i] = src * src;
    }
    *r2 = fmax(0.0, 1.0 - chisq / ty);
    rc = 0;
out:
    free(sx);
    if (w)
        gsl_multifit_linear_free(w);
    if (c)
        gsl_vector_free(c);
    if (cov)
        gsl_matrix_free(cov);
    if (X)
        gsl_matrix_free(X);
    return rc;
}

/* ------------------------------------------------------------ the runs */

static int result_alloc(struct sens_result *r, const struct params *p, long n)
{
    memset(r, 0, sizeof *r);
    size_t k = p->n_uncertain;
    r->nopt = 1 + (int)p->n_scenarios;
    r->ninputs = k;
    r->replications = n;
    r->runs = 2 + 2 * (int)k;
    r->low = malloc(k * sizeof *r->low);
    r->central = malloc(k * sizeof *r->central);
    r->high = malloc(k * sizeof *r->high);
    r->at_central = calloc((size_t)r->nopt, sizeof *r->at_central);
    r->drawn = calloc((size_t)r->nopt, sizeof *r->drawn);
    r->r2 = calloc((size_t)r->nopt, sizeof *r->r2);
    r->cells = calloc((size_t)r->nopt * k, sizeof *r->cells);
    if (!r->low || !r->central || !r->high || !r->at_central || !r->drawn ||
        !r->r2 || !r->cells)
        return -1;
    for (size_t i = 0; i < k; i++) {
        r->low[i] = uncertain_value(&p->uncertain[i], UNCERTAIN_LOW_U);
        r->central[i] = uncertain_value(&p->uncertain[i], UNCERTAIN_CENTRAL_U);
        r->high[i] = uncertain_value(&p->uncertain[i], UNCERTAIN_HIGH_U);
    }
    return 0;
}

void sens_result_destroy(struct sens_result *r)
{
    free(r->low);
    free(r->central);
    free(r->high);
    free(r->at_central);
    free(r->drawn);
    free(r->r2);
    free(r->cells);
    memset(r, 0, sizeof *r);
}

/* The run with every input drawn: r->drawn and the variance shares. */
static int run_drawn(const struct params *p, const struct sens_opts *o,
                     struct sens_result *r, double *y, struct err *e)
{
    size_t n = (size_t)r->replications, k = r->ninputs;
    struct arm a = {.nopt = r->nopt, .y = y, .p = p};
    double *yo = malloc(n * sizeof *yo), *share = malloc(k * sizeof *share);
    a.x = malloc(n * k * sizeof *a.x);
    a.ur = gsl_rng_alloc(rng_type(p->sim.rng));
    int rc = -1;
    if (!yo || !share || !a.x || !a.ur) {
        err_oom(e);
        goto out;
    }
    say(o, 1, r->runs, "every input drawn");
    if (run_arm(p, o, &a, e) != 0)
        goto out;
    for (int s = 0; s < r->nopt; s++) {
        for (size_t i = 0; i < n; i++) {
            yo[i] = y[i * (size_t)r->nopt + (size_t)s];
            acc_add(&r->drawn[s], yo[i]);
        }
        sens_variance_shares(a.x, n, k, yo, share, &r->r2[s]);
        for (size_t i = 0; i < k; i++)
            r->cells[(size_t)s * k + i].share = share[i];
    }
    rc = 0;
out:
    free(yo);
    free(share);
    free(a.x);
    if (a.ur)
        gsl_rng_free(a.ur);
    return rc;
}

/* Input i at its 10th and at its 90th percentile: its cells. */
static int run_input(const struct params *p, const struct sens_opts *o,
                     struct sens_result *r, size_t i, const double *cen,
                     double *lo, double *hi, struct err *e)
{
    struct arm a = {.nopt = r->nopt, .y = lo};
    char what[160];
    int run = 3 + 2 * (int)i;
    snprintf(what, sizeof what, "%s at its 10th percentile",
             p->uncertain[i].name);
    say(o, run, r->runs, what);
    if (run_fixed(p, o, (long)i, UNCERTAIN_LOW_U, &a, e) != 0)
        return -1;
    snprintf(what, sizeof what, "%s at its 90th percentile",
             p->uncertain[i].name);
    say(o, run + 1, r->runs, what);
    a.y = hi;
    if (run_fixed(p, o, (long)i, UNCERTAIN_HIGH_U, &a, e) != 0)
        return -1;
    for (int s = 0; s < r->nopt; s++) {
        struct sens_cell *c = &r->cells[(size_t)s * r->ninputs + i];
        for (long q = 0; q < r->replications; q++) {
            size_t at = (size_t)q * (size_t)r->nopt + (size_t)s;
            acc_add(&c->at_low, lo[at]);
            acc_add(&c->at_high, hi[at]);
            acc_add(&c->d_low, lo[at] - cen[at]);
            acc_add(&c->d_high, hi[at] - cen[at]);
            acc_add(&c->swing, hi[at] - lo[at]);
        }
    }
    return 0;
}

int sens_run(const struct params *p, const struct sens_opts *o,
             struct sens_result *r, struct err *e)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    memset(r, 0, sizeof *r);
    if (p->n_uncertain == 0)
        return err_set(e, ERR_CONFIG,
                       "no uncertain inputs to study: write "
                       "a key as uncertain(DIST), like pull.ops_efficiency "
                       "= uncertain(triangular(0.4, 0.6, 0.8))");
    if (p->decision.metric_id < 0)
        return err_set(e, ERR_CONFIG,
                       "no decision metric: [decision] "
                       "metric names the metric the inputs are judged on");
    size_t per = (size_t)o->replications * (size_t)(1 + p->n_scenarios);
    double *lo = malloc(per * sizeof *lo), *hi = malloc(per * sizeof *hi);
    double *cen = malloc(per * sizeof *cen);
    int rc = -1;
    if (!lo || !hi || !cen || result_alloc(r, p, o->replications) != 0) {
        err_oom(e);
        goto out;
    }
    if (run_drawn(p, o, r, lo, e) != 0)
        goto out;
    struct arm a = {.nopt = r->nopt, .y = cen};
    say(o, 2, r->runs, "every input at its median");
    if (run_fixed(p, o, -1, 0.0, &a, e) != 0)
        goto out;
    for (long q = 0; q < r->replications; q++)
        for (int s = 0; s < r->nopt; s++)
            acc_add(&r->at_central[s], cen[(size_t)q * r->nopt + s]);
    for (size_t i = 0; i < r->ninputs; i++)
        if (run_input(p, o, r, i, cen, lo, hi, e) != 0)
            goto out;
    rc = 0;
out:
    free(lo);
    free(hi);
    free(cen);
    if (rc != 0)
        sens_result_destroy(r);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    r->seconds = (double)(t1.tv_sec - t0.tv_sec) +
                 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    return rc;
}

/* ------------------------------------------------------------ writing */

void sens_order(const struct sens_result *r, int opt, size_t *order)
{
    const struct sens_cell *c = &r->cells[(size_t)opt * r->ninputs];
    for (size_t i = 0; i < r->ninputs; i++) {
        size_t j = i;
        double m = fabs(c[i].swing.mean);
        while (j > 0 && fabs(c[order[j - 1]].swing.mean) < m) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
}

/* ",x", or "," when x is NaN. */
static void put_num(FILE *f, double x)
{
    char b[40] = "";
    if (!isnan(x))
        output_num(b, sizeof b, x);
    fprintf(f, ",%s", b);
}

int sens_write_csv(FILE *f, const struct params *p, const struct sens_result *r)
{
    const char *metric = metric_table[p->decision.metric_id].name;
    fputs("scenario,title,compared_with,input,distribution,low,central,high,"
          "metric,quarters,metric_central,metric_central_ci_low,"
          "metric_central_ci_high,metric_drawn,metric_drawn_ci_low,"
          "metric_drawn_ci_high,metric_low,metric_low_ci_low,"
          "metric_low_ci_high,metric_high,metric_high_ci_low,"
          "metric_high_ci_high,change_low,change_low_ci_low,"
          "change_low_ci_high,change_high,change_high_ci_low,"
          "change_high_ci_high,swing,swing_ci_low,swing_ci_high,"
          "variance_share,r_squared,replications\n",
          f);
    for (int s = 0; s < r->nopt; s++)
        for (size_t i = 0; i < r->ninputs; i++) {
            const struct sens_cell *c = &r->cells[(size_t)s * r->ninputs + i];
            char spec[256];
            dist_format(&p->uncertain[i].dist, spec, sizeof spec);
            output_csv_field(f, output_scenario_id(p, s));
            fputc(',', f);
            output_csv_field(f, s ? p->scenarios[s - 1].title : "Baseline");
            fprintf(f, ",%s,", s ? "baseline" : "");
            output_csv_field(f, p->uncertain[i].name);
            fputc(',', f);
            output_csv_field(f, spec);
            put_num(f, r->low[i]);
            put_num(f, r->central[i]);
            put_num(f, r->high[i]);
            fprintf(f, ",%s,%d-%d", metric, p->decision.q0 + 1,
                    p->decision.q1 + 1);
            output_acc(f, &r->at_central[s]);
            output_acc(f, &r->drawn[s]);
            output_acc(f, &c->at_low);
            output_acc(f, &c->at_high);
            output_acc(f, &c->d_low);
            output_acc(f, &c->d_high);
            output_acc(f, &c->swing);
            put_num(f, c->share);
            put_num(f, r->r2[s]);
            fprintf(f, ",%ld\n", r->replications);
        }
    return ferror(f) ? -1 : 0;
}

/* x in the metric's unit: "$1,234" or "12.5"; sign: "+" before x > 0. */
static void value(char *buf, size_t size, double x, int money, int sign)
{
    char v[40];
    if (money)
        output_money(v, sizeof v, x);
    else
        snprintf(v, sizeof v, "%.4g", x == 0.0 ? 0.0 : x);
    snprintf(buf, size, "%s%s", sign && x > 0 ? "+" : "", v);
}

/* "mean ± half-width" of a, in the metric's unit. */
static void interval(char *buf, size_t size, const struct acc *a, int money,
                     int sign)
{
    char m[56], h[56];
    value(m, sizeof m, a->mean, money, sign);
    if (a->n < 2) {
        snprintf(buf, size, "%s", m);
        return;
    }
    value(h, sizeof h, acc_halfwidth(a), money, 0);
    snprintf(buf, size, "%s ± %s", m, h);
}

static void option_table(FILE *f, const struct params *p,
                         const struct sens_result *r, int s, size_t *order)
{
    int m = p->decision.metric_id;
    int money = !strcmp(metric_table[m].unit, "$");
    char a[128], b[128], c[128];
    if (s == 0)
        fprintf(f, "\nBaseline: %s\n", metric_table[m].name);
    else
        fprintf(f, "\n%s (%s) minus the baseline: %s\n",
                p->scenarios[s - 1].title, p->scenarios[s - 1].id,
                metric_table[m].name);
    interval(a, sizeof a, &r->drawn[s], money, s > 0);
    interval(b, sizeof b, &r->at_central[s], money, s > 0);
    fprintf(f, "  every input drawn: %s; every input at its median: %s\n", a,
            b);
    fprintf(f, " %-30s %23s %22s %22s %22s %6s\n", "input",
            "10th -> 90th "
            "percentile",
            "outcome at the 10th", "at the 90th", "swing", "share");
    sens_order(r, s, order);
    for (size_t j = 0; j < r->ninputs; j++) {
        size_t i = order[j];
        const struct sens_cell *cl = &r->cells[(size_t)s * r->ninputs + i];
        char range[64], share[16] = "-";
        snprintf(range, sizeof range, "%.4g -> %.4g", r->low[i], r->high[i]);
        interval(a, sizeof a, &cl->at_low, money, s > 0);
        interval(b, sizeof b, &cl->at_high, money, s > 0);
        interval(c, sizeof c, &cl->swing, money, 1);
        if (!isnan(cl->share))
            snprintf(share, sizeof share, "%.0f %%", 100.0 * cl->share);
        fprintf(f, " %-30.30s %23s %22s %22s %22s %6s\n", p->uncertain[i].name,
                range, a, b, c, share);
    }
    if (isnan(r->r2[s]))
        fputs("  R² undefined: the outcome does not vary, or too few "
              "replications for the fit\n",
              f);
    else
        fprintf(f,
                "  R² = %.2f: the inputs together explain %.0f %% of the "
                "outcome's variance over replications; the rest is chance "
                "(deals, tickets, people) and what a straight line misses\n",
                r->r2[s], 100.0 * r->r2[s]);
}

int sens_write_summary(FILE *f, const struct params *p,
                       const struct sens_result *r)
{
    char q[64];
    size_t *order = malloc((r->ninputs ? r->ninputs : 1) * sizeof *order);
    if (!order)
        return -1;
    decision_quarters(q, sizeof q, p->decision.q0, p->decision.q1);
    fprintf(f,
            "salescap sensitivity: %zu uncertain input%s, %d runs of "
            "%ld replications each, %s over %s (%.2f s)\n",
            r->ninputs, r->ninputs == 1 ? "" : "s", r->runs, r->replications,
            metric_table[p->decision.metric_id].name, q, r->seconds);
    fputs("Method: each input at its 10th and at its 90th percentile, the "
          "others at their medians, every run on the same replications "
          "(common random numbers): the swing is the paired difference, "
          "mean ± 95 % CI. Share: the input's standardized regression "
          "coefficient squared, from a least-squares fit of the outcome "
          "on the draws of a run with every input drawn.\n",
          f);
    for (int s = 0; s < r->nopt; s++)
        option_table(f, p, r, s, order);
    free(order);
    return ferror(f) ? -1 : 0;
}
