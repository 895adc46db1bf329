/*
 * output_decision: the files and the summary lines that compare options
 * with each other rather than each with the baseline: pairs.csv,
 * ranking.csv, replications.csv (written while the run commits) and the
 * ranking that ends the summary. Numbers are written as output.c writes
 * them (%.10g, empty fields where there is no interval).
 */
#include <math.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "afile.h"
#include "calendar.h"
#include "decision.h"
#include "metrics.h"
#include "output.h"
#include "plot.h"
#include "uncertain.h"

void output_acc(FILE *f, const struct acc *a)
{
    struct summary s;
    char b[3][40];
    acc_summary(a, &s);
    output_num(b[0], sizeof b[0], s.mean);
    b[1][0] = b[2][0] = '\0';
    if (s.has_ci) {
        output_num(b[1], sizeof b[1], s.lo);
        output_num(b[2], sizeof b[2], s.hi);
    }
    fprintf(f, ",%s,%s,%s", b[0], b[1], b[2]);
}

/* ",mean,ci_low,ci_high,n" of a's summary. */
static void put_interval(FILE *f, const struct acc *a)
{
    output_acc(f, a);
    fprintf(f, ",%ld\n", (long)a->n);
}

static void put_ids(FILE *f, const struct params *p, int a, int b)
{
    output_csv_field(f, output_scenario_id(p, a));
    fputc(',', f);
    output_csv_field(f, output_scenario_id(p, b));
}

void output_write_pairs(FILE *f, const struct params *p,
                        const struct run_result *r)
{
    fputs("scenario_a,scenario_b,quarter,metric,mean,ci_low,ci_high,n\n", f);
    for (int k = 0; k < r->npairs; k++)
        for (int q = 0; q <= r->quarters; q++)
            for (int m = 0; m < CMP_COUNT; m++) {
                if (m == CMP_LOST_REVENUE_CUMULATIVE && q == r->quarters)
                    continue; /* as in comparison.csv */
                put_ids(f, p, r->pair_a[k], r->pair_b[k]);
                if (q < r->quarters)
                    fprintf(f, ",%d,%s", q + 1, output_cmp_name(m));
                else
                    fprintf(f, ",total,%s", output_cmp_name(m));
                put_interval(f, &r->pairs[run_pair_index(r, k, q, m)]);
            }
    if (r->dec_metric < 0)
        return;
    /* The decision's own comparisons, labelled by its quarters. */
    for (int k = 0; k < r->npairs; k++) {
        int a = r->pair_a[k], b = r->pair_b[k];
        put_ids(f, p, a, b);
        fprintf(f, ",%d-%d,%s", r->dec_q0 + 1, r->dec_q1 + 1,
                metric_table[r->dec_metric].name);
        put_interval(f, &r->dec_diff[(size_t)a * r->nscen + b]);
    }
}

static const char *truth(int v)
{
    return v < 0 ? "" : v ? "true" : "false";
}

int output_write_ranking(FILE *f, const struct params *p,
                         const struct run_result *r)
{
    fputs("scenario,metric,mean,ci_low,ci_high,p_best,p_best_ci_low,"
          "p_best_ci_high,rank,tied_with_best\n",
          f);
    struct decision_row *rows = malloc((size_t)r->nscen * sizeof *rows);
    if (!rows)
        return -1;
    if (decision_rank(r, rows) == 0)
        for (int i = 0; i < r->nscen; i++) {
            const struct decision_row *d = &rows[i];
            char b[6][40];
            output_csv_field(f, output_scenario_id(p, d->s));
            output_num(b[0], sizeof b[0], d->value.mean);
            b[1][0] = b[2][0] = '\0';
            if (d->value.has_ci) {
                output_num(b[1], sizeof b[1], d->value.lo);
                output_num(b[2], sizeof b[2], d->value.hi);
            }
            output_num(b[3], sizeof b[3], d->p_best);
            output_num(b[4], sizeof b[4], d->p_lo);
            output_num(b[5], sizeof b[5], d->p_hi);
            fprintf(f, ",%s,%s,%s,%s,%s,%s,%s,%d,%s\n",
                    metric_table[r->dec_metric].name, b[0], b[1], b[2], b[3],
                    b[4], b[5], d->rank, truth(d->tied));
        }
    free(rows);
    return 0;
}

/* ---- replications.csv ------------------------------------------------- */

/* The outermost folder of dir's path that does not exist yet (new
 * memory), or NULL when dir exists or no memory. */
static char *first_missing(const char *dir)
{
    char *p = strdup(dir), *missing = NULL;
    while (p && *p && access(p, F_OK) != 0) {
        free(missing);
        missing = strdup(p);
        char *slash = strrchr(p, '/');
        if (!slash || slash == p)
            break;
        *slash = '\0';
    }
    free(p);
    return missing;
}

int output_reps_open(struct output_reps *o, const char *dir,
                     const struct params *p, struct err *e)
{
    memset(o, 0, sizeof *o);
    o->p = p;
    o->quarters = (p->sim.horizon_weeks + 12) / 13;
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/replications.csv", dir) >=
        sizeof path)
        return err_set(e, ERR_RUNTIME, "%s: path too long", dir);
    o->dir = strdup(dir);
    if (!o->dir)
        return err_oom(e);
    o->made = first_missing(dir);
    if (p->n_uncertain > 0) {
        o->ur = gsl_rng_alloc(rng_type(p->sim.rng));
        o->draws = malloc(p->n_uncertain * sizeof *o->draws);
        if (!o->ur || !o->draws)
            return err_oom(e);
    }
    if (mkdir_p(dir, e) != 0 || afile_open(&o->af, path, e) != 0)
        return -1;
    fputs("scenario,replication,metric,value", o->af.f);
    for (size_t i = 0; i < p->n_uncertain; i++) {
        char name[200];
        snprintf(name, sizeof name, "uncertain.%s", p->uncertain[i].name);
        fputc(',', o->af.f);
        output_csv_field(o->af.f, name);
    }
    fputc('\n', o->af.f);
    return 0;
}

void output_reps_close(struct output_reps *o, int failed)
{
    afile_abort(&o->af);
    /* A run that fails leaves no folder it made (rmdir removes only
     * empty ones): from dir up to the outermost one it created. */
    for (char *d = failed && o->made ? o->dir : NULL; d;) {
        rmdir(d);
        char *slash = strrchr(d, '/');
        if (!strcmp(d, o->made) || !slash)
            break;
        *slash = '\0';
    }
    free(o->dir);
    free(o->made);
    o->dir = o->made = NULL;
    if (o->ur)
        gsl_rng_free(o->ur);
    free(o->draws);
    o->ur = NULL;
    o->draws = NULL;
}

void output_reps_draws(FILE *f, const struct params *p, const double *draws)
{
    char b[40];
    for (size_t i = 0; draws && i < p->n_uncertain; i++) {
        output_num(b, sizeof b, draws[i]);
        fprintf(f, ",%s", b);
    }
    fputc('\n', f);
}

void output_reps_commit(void *ctx, long rep, const double *v,
                        const unsigned char *ok, const double *pv,
                        const unsigned char *pok)
{
    struct output_reps *o = ctx;
    int nscen = 1 + (int)o->p->n_scenarios;
    /* The draws the run's workers made: a function of the seed, the
     * replication and the input alone. */
    if (o->draws)
        uncertain_draw(o->p, (uint64_t)rep, o->ur, o->draws);
    for (int s = 0; s < nscen; s++) {
        size_t at = ((size_t)s * (o->quarters + 1) + o->quarters) * M_COUNT;
        for (int m = 0; m < M_COUNT; m++) {
            char b[40];
            if (metric_table[m].kind != METRIC_FLOW || !ok[at + m])
                continue;
            output_num(b, sizeof b, v[at + m]);
            output_csv_field(o->af.f, output_scenario_id(o->p, s));
            fprintf(o->af.f, ",%ld,%s,%s", rep, metric_table[m].name, b);
            output_reps_draws(o->af.f, o->p, o->draws);
        }
        output_plan_reps(o->af.f, o->p, o->quarters, s, rep, pv, pok, o->draws);
    }
}

/* ---- the ranking in the summary --------------------------------------- */

/* x in the metric's unit, for tables: "$1,234,567" or "1234.5"; with
 * sign, "+" before a positive value. */
static void table_value(char *buf, size_t size, double x, int m, int sign)
{
    char v[48];
    if (!strcmp(metric_table[m].unit, "$"))
        output_money(v, sizeof v, x);
    else
        snprintf(v, sizeof v, "%.1f", x == 0.0 ? 0.0 : x);
    snprintf(buf, size, "%s%s",
             sign && x > 0.0 && strcmp(v, "$0") && strcmp(v, "0.0") ? "+" : "",
             v);
}

/* x for a sentence, as precise as its half-width h calls for: "+$218k",
 * "$37k" (money), "+12.5" (others). */
static void short_value(char *buf, size_t size, double x, double h, int m,
                        int sign)
{
    char v[48];
    if (!strcmp(metric_table[m].unit, "$")) {
        double step = h > 0.0 ? pow(10.0, floor(log10(h)) - 1.0) : 0.0;
        plot_fmt_money(v, sizeof v, x, step >= 1.0 ? step : 0.0);
    } else {
        snprintf(v, sizeof v, "%.3g", x == 0.0 ? 0.0 : x);
    }
    snprintf(buf, size, "%s%s",
             sign && x > 0.0 && v[0] != '0' && strcmp(v, "$0") ? "+" : "", v);
}

void output_share(char *buf, size_t size, double p)
{
    if (p > 0.995 && p < 1.0)
        snprintf(buf, size, "%.1f %%", floor(1000.0 * p) / 10.0);
    else if (p > 0.0 && p < 0.005)
        snprintf(buf, size, "%.1f %%", fmax(0.1, ceil(1000.0 * p) / 10.0));
    else
        snprintf(buf, size, "%.0f %%", 100.0 * p);
}

static const char *option_title(const struct params *p, int s)
{
    return s == 0 ? "Baseline (doing nothing)" : p->scenarios[s - 1].title;
}

static void ranking_table(FILE *out, const struct params *p,
                          const struct run_result *r,
                          const struct decision_row *rows)
{
    const struct metric_info *mi = &metric_table[r->dec_metric];
    char over[128];
    struct cal c;
    output_calendar(p, &c);
    cal_quarters(&c, r->dec_q0 + 1, r->dec_q1 + 1, over, sizeof over);
    fprintf(out,
            "\nWhich option is best: %s over %s, %s is better (%ld "
            "paired replication%s)\n",
            mi->name, over, r->dec_lower ? "lower" : "higher", r->replications,
            r->replications == 1 ? "" : "s");
    fprintf(out, "%4s %18s %30s %8s  %s\n", "rank", mi->name,
            "vs doing nothing (95% CI)", "best in", "option");
    for (int i = 0; i < r->nscen; i++) {
        const struct decision_row *d = &rows[i];
        char v[64], x[64], h[64], vs[160], sh[32];
        table_value(v, sizeof v, d->value.mean, r->dec_metric, 0);
        table_value(x, sizeof x, d->vs_base.mean, r->dec_metric, 1);
        table_value(h, sizeof h, d->vs_base.hi - d->vs_base.mean, r->dec_metric,
                    0);
        if (d->s == 0)
            snprintf(vs, sizeof vs, "-");
        else if (d->vs_base.has_ci)
            snprintf(vs, sizeof vs, "%s ± %s", x, h);
        else
            snprintf(vs, sizeof vs, "%s", x);
        output_share(sh, sizeof sh, d->p_best);
        /* "±" is two bytes and one column: one more byte of width. */
        fprintf(out, "%4d %18s %*s %8s  %s%s\n", d->rank, v,
                d->s && d->vs_base.has_ci ? 31 : 30, vs, sh,
                option_title(p, d->s),
                i > 0 && d->tied == 1 ? " (tied with the best)" : "");
    }
}

/* Appends "; X is WHAT", "; X and Y are WHAT" or "; X, Y and Z are
 * WHAT" for the options other than the best that get picks; nothing when
 * there are none. */
static void list_options(FILE *out, const struct params *p,
                         const struct decision_row *rows, int n,
                         int (*get)(const struct decision_row *),
                         const char *what)
{
    int total = 0, k = 0;
    for (int i = 1; i < n; i++)
        total += get(&rows[i]);
    for (int i = 1; i < n; i++) {
        if (!get(&rows[i]))
            continue;
        k++;
        fprintf(out, "%s%s",
                k == 1       ? "; "
                : k == total ? " and "
                             : ", ",
                option_title(p, rows[i].s));
    }
    if (total > 0)
        fprintf(out, " %s %s", total == 1 ? "is" : "are", what);
}

static int get_nothing(const struct decision_row *d)
{
    return d->s != 0 && d->like_nothing == 1;
}

static int get_tied(const struct decision_row *d)
{
    return d->tied == 1 && d->like_nothing != 1;
}

/* "Best: X, revenue +$93k ± $25k over quarters 1-8, best in 97 % of
 * replications; Y is indistinguishable from doing nothing." */
static void ranking_sentence(FILE *out, const struct params *p,
                             const struct run_result *r,
                             const struct decision_row *rows)
{
    const struct decision_row *b = &rows[0];
    int m = r->dec_metric, ci = r->replications >= 2;
    char over[128], x[64], h[64], sh[32], word[64];
    struct cal c;
    output_calendar(p, &c);
    cal_quarters(&c, r->dec_q0 + 1, r->dec_q1 + 1, over, sizeof over);
    snprintf(word, sizeof word, "%s", metric_table[m].label);
    word[0] = (char)(word[0] >= 'A' && word[0] <= 'Z' ? word[0] + 32 : word[0]);
    double hw = b->vs_base.hi - b->vs_base.mean;
    short_value(x, sizeof x, b->vs_base.mean, ci ? hw : 0.0, m, 1);
    short_value(h, sizeof h, hw, hw, m, 0);
    if (b->s == 0)
        fprintf(out, "Best: doing nothing (the baseline) over %s", over);
    else if (ci)
        fprintf(out, "Best: %s, %s %s ± %s over %s", option_title(p, b->s),
                word, x, h, over);
    else
        fprintf(out, "Best: %s, %s %s over %s", option_title(p, b->s), word, x,
                over);
    output_share(sh, sizeof sh, b->p_best);
    if (b->p_best >= 1.0)
        fprintf(out, ", best in every replication");
    else
        fprintf(out, ", best in %s of replications", sh);
    if (!ci) {
        fputs(" (one replication: no intervals).\n", out);
        return;
    }
    if (b->s != 0 && b->like_nothing == 1)
        fputs(", but indistinguishable from doing nothing", out);
    list_options(out, p, rows, r->nscen, get_tied,
                 "statistically tied with it");
    list_options(out, p, rows, r->nscen, get_nothing,
                 "indistinguishable from doing nothing");
    fputs(".\n", out);
}

int output_summary_decision(FILE *out, const struct params *p,
                            const struct run_result *r)
{
    if (r->dec_metric < 0 || r->nscen < 2 || r->replications < 1)
        return 0;
    struct decision_row *rows = malloc((size_t)r->nscen * sizeof *rows);
    if (!rows)
        return -1;
    decision_rank(r, rows);
    ranking_table(out, p, r, rows);
    ranking_sentence(out, p, r, rows);
    free(rows);
    return 0;
}
