/*
 * crm_fit: estimates from a read export (see include/crm.h), and their
 * mapping onto the model's keys.
 *
 * The cycle times are fitted as one censored likelihood of a mixture: a
 * deal is won with probability p and then closes after a time of the won
 * distribution, or lost after a time of the lost one. A closed deal
 * contributes its density, an open one the chance that it is still open
 * at its age (right-censoring), and a deal created before the window's
 * start is conditioned on having been open then (delayed entry: the
 * export cannot show the deals of its age that closed before the
 * window). Both families (lognormal and gamma) are fitted with GSL's
 * Nelder-Mead; the likelier one is kept, its fit measured against the
 * Aalen-Johansen estimate (the censoring-aware nonparametric one) by the
 * Kolmogorov-Smirnov distance, and the interval of the mean comes from
 * the observed information (a numerical Hessian) by the delta method.
 */
#include "crm.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#define Z95  1.959963984540054
#define NPAR 5
/* Dates without a time put a deal created and closed on one day at 0
 * days; half a day stands for "within the day". */
#define MIN_DAYS 0.5

struct obs {
    double a, x; /* entry and exit age, days */
    int kind;    /* CRM_OPEN (censored), CRM_WON, CRM_LOST */
};

struct sample {
    struct obs *o;
    size_t n;
    enum crm_family fam;
};

/* ------------------------------------------------------- families */

/* Log density and survival of a family with parameters (u, v): for the
 * lognormal mu and log sigma, for the gamma log shape and log scale. */
static double fam_logpdf(enum crm_family f, double x, double u, double v)
{
    if (f == CRM_LOGNORMAL) {
        double s = exp(v), z = (log(x) - u) / s;
        return -log(x * s) - 0.91893853320467274178 - z * z / 2;
    }
    double k = exp(u), th = exp(v);
    return (k - 1) * log(x) - x / th - gsl_sf_lngamma(k) - k * v;
}

static double fam_surv(enum crm_family f, double x, double u, double v)
{
    if (x <= 0)
        return 1;
    if (f == CRM_LOGNORMAL)
        return gsl_cdf_ugaussian_Q((log(x) - u) / exp(v));
    return gsl_cdf_gamma_Q(x, exp(u), exp(v));
}

static void fam_moments(enum crm_family f, double u, double v, double *mean,
                        double *sd)
{
    if (f == CRM_LOGNORMAL) {
        double s2 = exp(2 * v);
        *mean = exp(u + s2 / 2);
        *sd = *mean * sqrt(expm1(s2));
        return;
    }
    double k = exp(u), th = exp(v);
    *mean = k * th;
    *sd = sqrt(k) * th;
}

/* Parameters (u, v) of a family with this mean and sd. */
static void fam_params(enum crm_family f, double mean, double sd, double *u,
                       double *v)
{
    double cv2 = (sd / mean) * (sd / mean);
    if (cv2 < 1e-6)
        cv2 = 1e-6;
    if (f == CRM_LOGNORMAL) {
        double s2 = log1p(cv2);
        *u = log(mean) - s2 / 2;
        *v = 0.5 * log(s2);
        return;
    }
    *u = log(1 / cv2);
    *v = log(mean * cv2);
}

/* ------------------------------------------------------ likelihood */

static double mix_surv(enum crm_family f, const double *t, double x)
{
    double p = 1 / (1 + exp(-t[0]));
    return p * fam_surv(f, x, t[1], t[2]) +
           (1 - p) * fam_surv(f, x, t[3], t[4]);
}

static double safe_log(double v)
{
    return log(v > 1e-300 ? v : 1e-300);
}

static double negloglik(const gsl_vector *tv, void *par)
{
    const struct sample *s = par;
    double t[NPAR];
    for (int i = 0; i < NPAR; i++)
        t[i] = gsl_vector_get(tv, i);
    for (int i = 0; i < NPAR; i++)
        if (!isfinite(t[i]) || fabs(t[i]) > 50)
            return HUGE_VAL;
    double lp = -log1p(exp(-t[0])), lq = -log1p(exp(t[0]));
    double ll = 0;
    for (size_t i = 0; i < s->n; i++) {
        const struct obs *o = &s->o[i];
        if (o->kind == CRM_WON)
            ll += lp + fam_logpdf(s->fam, o->x, t[1], t[2]);
        else if (o->kind == CRM_LOST)
            ll += lq + fam_logpdf(s->fam, o->x, t[3], t[4]);
        else
            ll += safe_log(mix_surv(s->fam, t, o->x));
        if (o->a > 0)
            ll -= safe_log(mix_surv(s->fam, t, o->a));
    }
    return isfinite(ll) ? -ll : HUGE_VAL;
}

/* Nelder-Mead from t (kept on failure), restarted once at its optimum. */
static double nm_minimise(double (*fn)(const gsl_vector *, void *), void *par,
                          double *t, size_t n)
{
    gsl_multimin_function f = {fn, n, par};
    gsl_vector *x = gsl_vector_alloc(n), *step = gsl_vector_alloc(n);
    gsl_multimin_fminimizer *m =
        gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, n);
    double best = HUGE_VAL;
    for (int round = 0; x && step && m && round < 2; round++) {
        for (size_t i = 0; i < n; i++)
            gsl_vector_set(x, i, t[i]);
        gsl_vector_set_all(step, round ? 0.05 : 0.3);
        if (gsl_multimin_fminimizer_set(m, &f, x, step))
            break;
        for (int it = 0; it < 5000; it++) {
            if (gsl_multimin_fminimizer_iterate(m))
                break;
            if (gsl_multimin_test_size(gsl_multimin_fminimizer_size(m), 1e-8) ==
                GSL_SUCCESS)
                break;
        }
        if (m->fval < best) {
            best = m->fval;
            for (size_t i = 0; i < n; i++)
                t[i] = gsl_vector_get(m->x, i);
        }
    }
    gsl_multimin_fminimizer_free(m);
    gsl_vector_free(x);
    gsl_vector_free(step);
    return best;
}

static double nll_at(struct sample *s, const double *t)
{
    gsl_vector_const_view v = gsl_vector_const_view_array(t, NPAR);
    return negloglik(&v.vector, s);
}

/* The inverse of the numerical Hessian of the negative log likelihood at
 * t, into cov; -1 when it is not positive definite. */
static int covariance(struct sample *s, const double *t, double *cov)
{
    const double h = 1e-3;
    gsl_matrix *H = gsl_matrix_alloc(NPAR, NPAR);
    gsl_matrix *inv = gsl_matrix_alloc(NPAR, NPAR);
    gsl_permutation *perm = gsl_permutation_alloc(NPAR);
    int rc = -1, sign;
    if (!H || !inv || !perm)
        goto done;
    for (int i = 0; i < NPAR; i++)
        for (int j = i; j < NPAR; j++) {
            double q[4], tt[NPAR];
            for (int k = 0; k < 4; k++) {
                memcpy(tt, t, sizeof tt);
                tt[i] += k < 2 ? h : -h;
                tt[j] += k % 2 ? -h : h;
                q[k] = nll_at(s, tt);
            }
            double v = (q[0] - q[1] - q[2] + q[3]) / (4 * h * h);
            gsl_matrix_set(H, (size_t)i, (size_t)j, v);
            gsl_matrix_set(H, (size_t)j, (size_t)i, v);
        }
    if (gsl_linalg_LU_decomp(H, perm, &sign) ||
        gsl_linalg_LU_invert(H, perm, inv))
        goto done;
    rc = 0;
    for (int i = 0; i < NPAR && !rc; i++) {
        for (int j = 0; j < NPAR; j++)
            cov[i * NPAR + j] = gsl_matrix_get(inv, (size_t)i, (size_t)j);
        if (!(cov[i * NPAR + i] > 0) || !isfinite(cov[i * NPAR + i]))
            rc = -1;
    }
done:
    gsl_permutation_free(perm);
    gsl_matrix_free(inv);
    gsl_matrix_free(H);
    return rc;
}

/* The 95 % interval of the mean of component c (0 won, 1 lost). */
static void mean_interval(enum crm_family f, const double *t, const double *cov,
                          int c, double *lo, double *hi)
{
    double g[NPAR] = {0}, m0, sd, tt[NPAR];
    const double h = 1e-5;
    fam_moments(f, t[1 + 2 * c], t[2 + 2 * c], &m0, &sd);
    for (int i = 1 + 2 * c; i <= 2 + 2 * c; i++) {
        double mp, mm;
        memcpy(tt, t, sizeof tt);
        tt[i] += h;
        fam_moments(f, tt[1 + 2 * c], tt[2 + 2 * c], &mp, &sd);
        tt[i] -= 2 * h;
        fam_moments(f, tt[1 + 2 * c], tt[2 + 2 * c], &mm, &sd);
        g[i] = (mp - mm) / (2 * h);
    }
    double var = 0;
    for (int i = 0; i < NPAR; i++)
        for (int j = 0; j < NPAR; j++)
            var += g[i] * cov[i * NPAR + j] * g[j];
    double half = var > 0 ? Z95 * sqrt(var) : NAN;
    *lo = m0 - half;
    *hi = m0 + half;
}

/* -------------------------------------------------- nonparametric */

static int by_x(const void *a, const void *b)
{
    const struct obs *p = a, *q = b;
    return (p->x > q->x) - (p->x < q->x);
}

static int by_double(const void *a, const void *b)
{
    double p = *(const double *)a, q = *(const double *)b;
    return (p > q) - (p < q);
}

/* Aalen-Johansen: the cumulative incidence of outcome kind at each
 * distinct event time, with delayed entry. o is sorted by x; entries
 * holds the sorted entry ages. Fills t[] and cif[] (n of them at most)
 * and returns how many. */
static size_t aalen_johansen(const struct obs *o, size_t n,
                             const double *entries, int kind, double *t,
                             double *cif)
{
    double S = 1, F = 0;
    size_t ia = 0, k = 0, m = 0;
    while (k < n) {
        double tk = o[k].x;
        while (ia < n && entries[ia] <= tk)
            ia++;
        double at_risk = (double)ia - (double)k;
        size_t d = 0, dk = 0, j = k;
        for (; j < n && o[j].x == tk; j++) {
            d += o[j].kind != CRM_OPEN;
            dk += o[j].kind == kind;
        }
        if (d > 0 && at_risk > 0) {
            F += S * (double)dk / at_risk;
            S *= 1 - (double)d / at_risk;
            t[m] = tk;
            cif[m++] = F;
        }
        k = j;
    }
    return m;
}

/* KS distance of the fitted conditional distribution of component c to
 * the normalised Aalen-Johansen estimate; the nonparametric median too. */
static double cycle_ks(const struct sample *s, const double *entries,
                       const double *th, int c, double *median)
{
    int kind = c == 0 ? CRM_WON : CRM_LOST;
    double *t = malloc((s->n + 1) * sizeof *t);
    double *cif = malloc((s->n + 1) * sizeof *cif);
    double ks = NAN;
    *median = NAN;
    if (!t || !cif)
        goto done;
    size_t m = aalen_johansen(s->o, s->n, entries, kind, t, cif);
    if (m == 0 || !(cif[m - 1] > 0))
        goto done;
    double total = cif[m - 1], prev = 0;
    ks = 0;
    for (size_t i = 0; i < m; i++) {
        double fit = 1 - fam_surv(s->fam, t[i], th[1 + 2 * c], th[2 + 2 * c]);
        double np = cif[i] / total;
        ks = fmax(ks, fmax(fabs(np - fit), fabs(prev - fit)));
        if (isnan(*median) && np >= 0.5)
            *median = t[i];
        prev = np;
    }
done:
    free(t);
    free(cif);
    return ks;
}

/* ---------------------------------------------------------- cycles */

/* Starting values from the closed deals' log moments. */
static void start_values(const struct sample *s, double p, double *t)
{
    double sum[2] = {0, 0}, sq[2] = {0, 0}, n[2] = {0, 0};
    for (size_t i = 0; i < s->n; i++) {
        int c = s->o[i].kind == CRM_WON ? 0 : s->o[i].kind == CRM_LOST ? 1 : -1;
        if (c < 0)
            continue;
        sum[c] += s->o[i].x;
        sq[c] += s->o[i].x * s->o[i].x;
        n[c]++;
    }
    t[0] = log(p / (1 - p));
    for (int c = 0; c < 2; c++) {
        double mean = n[c] > 0 ? sum[c] / n[c] : 30;
        double var = n[c] > 1 ? sq[c] / n[c] - mean * mean : mean * mean;
        fam_params(s->fam, mean, sqrt(var > 0 ? var : mean * mean),
                   &t[1 + 2 * c], &t[2 + 2 * c]);
    }
}

static void fill_fit(struct crm_fit *fit, enum crm_family f, const double *t,
                     const double *cov, int c)
{
    fit->family = f;
    fam_moments(f, t[1 + 2 * c], t[2 + 2 * c], &fit->mean, &fit->sd);
    if (cov)
        mean_interval(f, t, cov, c, &fit->mean_lo, &fit->mean_hi);
    else
        fit->mean_lo = fit->mean_hi = NAN;
}

/* Fits both families; keeps the likelier. */
static int fit_cycles(struct sample *s, const double *entries, double p,
                      struct crm_estimates *est)
{
    double t[2][NPAR], nll[2], ks[2][2], med[2][2];
    for (int f = 0; f < 2; f++) {
        s->fam = (enum crm_family)f;
        start_values(s, p, t[f]);
        nll[f] = nm_minimise(negloglik, s, t[f], NPAR);
        for (int c = 0; c < 2; c++)
            ks[f][c] = cycle_ks(s, entries, t[f], c, &med[f][c]);
    }
    int b = nll[1] < nll[0];
    if (!isfinite(nll[b]))
        return -1;
    s->fam = (enum crm_family)b;
    double cov[NPAR * NPAR];
    int ok = covariance(s, t[b], cov) == 0;
    fill_fit(&est->won_cycle, s->fam, t[b], ok ? cov : NULL, 0);
    fill_fit(&est->lost_cycle, s->fam, t[b], ok ? cov : NULL, 1);
    for (int c = 0; c < 2; c++) {
        struct crm_fit *fit = c ? &est->lost_cycle : &est->won_cycle;
        fit->ks = ks[b][c];
        fit->ks_other = ks[!b][c];
        fit->median_np = med[b][c];
    }
    est->win_censored = 1 / (1 + exp(-t[b][0]));
    return 0;
}

/* The deals as survival observations in the window [t0, t1). */
static size_t make_obs(const struct crm_export *x, double t0, double t1,
                       struct obs *o, double *entries)
{
    size_t n = 0;
    for (size_t i = 0; i < x->n_deals; i++) {
        const struct crm_deal *d = &x->deals[i];
        int closed = d->outcome != CRM_OPEN;
        if (closed && d->closed < t0)
            continue; /* closed before the window: outside it */
        double a = d->created < t0 ? t0 - d->created : 0;
        double end = closed ? d->closed : t1;
        o[n].a = a;
        o[n].x = fmax(end - d->created, MIN_DAYS);
        if (o[n].x < a)
            o[n].x = a;
        o[n].kind = (int)d->outcome;
        entries[n] = a;
        n++;
    }
    qsort(o, n, sizeof *o, by_x);
    qsort(entries, n, sizeof *entries, by_double);
    return n;
}

/* ------------------------------------------------------ deal value */

static double ks_complete(const double *v, size_t n, enum crm_family f,
                          double u, double w)
{
    double d = 0;
    for (size_t i = 0; i < n; i++) {
        double F = 1 - fam_surv(f, v[i], u, w);
        d = fmax(d, fmax((double)(i + 1) / (double)n - F,
                         F - (double)i / (double)n));
    }
    return d;
}

/* Maximum likelihood for each family on complete data (sorted v). */
static void fit_values(const double *v, size_t n, struct crm_fit *fit)
{
    double sum = 0, sl = 0, sl2 = 0, sq = 0;
    for (size_t i = 0; i < n; i++) {
        sum += v[i];
        sq += v[i] * v[i];
        sl += log(v[i]);
        sl2 += log(v[i]) * log(v[i]);
    }
    double mean = sum / (double)n, ml = sl / (double)n;
    double vl = fmax(sl2 / (double)n - ml * ml, 1e-12);
    double par[2][2] = {{ml, 0.5 * log(vl)}, {0, 0}};
    /* Gamma: Minka's start, then Newton on log k - psi(k) = s. */
    double s = fmax(log(mean) - ml, 1e-9);
    double k = (3 - s + sqrt((s - 3) * (s - 3) + 24 * s)) / (12 * s);
    for (int it = 0; it < 50; it++) {
        double g = log(k) - gsl_sf_psi(k) - s;
        double dg = 1 / k - gsl_sf_psi_1(k);
        double nk = k - g / dg;
        k = nk > 0 ? nk : k / 2;
    }
    par[1][0] = log(k);
    par[1][1] = log(mean / k);
    double ll[2] = {0, 0}, ks[2];
    for (int f = 0; f < 2; f++) {
        for (size_t i = 0; i < n; i++)
            ll[f] += fam_logpdf((enum crm_family)f, v[i], par[f][0], par[f][1]);
        ks[f] = ks_complete(v, n, (enum crm_family)f, par[f][0], par[f][1]);
    }
    int b = ll[1] > ll[0];
    fit->family = (enum crm_family)b;
    fam_moments(fit->family, par[b][0], par[b][1], &fit->mean, &fit->sd);
    fit->ks = ks[b];
    fit->ks_other = ks[!b];
    fit->median_np = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    double var = n > 1 ? (sq - sum * mean) / (double)(n - 1) : 0;
    double tq = n > 1 ? gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) : NAN;
    double half = tq * sqrt(fmax(var, 0) / (double)n);
    fit->sample_mean = mean;
    fit->mean_lo = mean - half;
    fit->mean_hi = mean + half;
}

/* ---------------------------------------------------------- reps */

struct bb {
    const size_t *w, *n;
    size_t m;
};

static double bb_negloglik(const gsl_vector *tv, void *par)
{
    const struct bb *b = par;
    double mu = 1 / (1 + exp(-gsl_vector_get(tv, 0)));
    double lphi = gsl_vector_get(tv, 1);
    if (!isfinite(lphi) || lphi > log(1e7) || lphi < -10 || mu <= 0 || mu >= 1)
        return HUGE_VAL;
    double phi = exp(lphi), al = mu * phi, be = (1 - mu) * phi, ll = 0;
    for (size_t i = 0; i < b->m; i++)
        ll += gsl_sf_lnbeta(al + (double)b->w[i],
                            be + (double)(b->n[i] - b->w[i])) -
              gsl_sf_lnbeta(al, be);
    return isfinite(ll) ? -ll : HUGE_VAL;
}

/* Beta-binomial by maximum likelihood over the owners with closed deals:
 * the mean and sd of the reps' true win rates, and each rep's rate
 * shrunk toward the mean. */
static int fit_reps(struct crm_estimates *est)
{
    size_t *w = malloc((est->n_reps_all + 1) * sizeof *w);
    size_t *n = malloc((est->n_reps_all + 1) * sizeof *n);
    if (!w || !n) {
        free(w);
        free(n);
        return -1;
    }
    struct bb b = {w, n, 0};
    for (size_t i = 0; i < est->n_reps_all; i++)
        if (est->reps[i].closed > 0) {
            w[b.m] = est->reps[i].won;
            n[b.m++] = est->reps[i].closed;
        }
    double mu = est->win, phi = 1e7;
    if (b.m >= 2 && mu > 0 && mu < 1) {
        double t[2] = {log(mu / (1 - mu)), log(20.0)};
        nm_minimise(bb_negloglik, &b, t, 2);
        mu = 1 / (1 + exp(-t[0]));
        phi = exp(t[1]);
    }
    est->rep_mean = mu;
    est->rep_sd = sqrt(mu * (1 - mu) / (phi + 1));
    if (est->rep_sd < 0.005)
        est->rep_sd = 0; /* no spread beyond chance */
    for (size_t i = 0; i < est->n_reps_all; i++) {
        struct crm_rep *r = &est->reps[i];
        r->shrunk = (mu * phi + (double)r->won) / (phi + (double)r->closed);
    }
    free(w);
    free(n);
    return 0;
}

static int tally_reps(const struct crm_export *x, struct crm_estimates *est)
{
    est->reps = calloc(x->n_owners + 1, sizeof *est->reps);
    if (!est->reps)
        return -1;
    est->n_reps_all = x->n_owners;
    for (size_t i = 0; i < x->n_owners; i++)
        est->reps[i].owner = x->owners[i];
    for (size_t i = 0; i < x->n_deals; i++) {
        const struct crm_deal *d = &x->deals[i];
        struct crm_rep *r = &est->reps[d->owner_ix];
        if (d->created >= est->t0 && d->created < est->t1) {
            r->created++;
            est->n_created++;
        }
        if (d->outcome == CRM_OPEN) {
            r->open++;
            r->open_value += d->amount;
            r->open_age_days += est->t1 - d->created;
            est->n_open++;
            est->open_value += d->amount;
            est->open_age_days += est->t1 - d->created;
            est->n_entered_late += d->created < est->t0;
            continue;
        }
        if (d->closed < est->t0)
            continue;
        r->closed++;
        r->won += d->outcome == CRM_WON;
        est->n_closed++;
        est->n_won += d->outcome == CRM_WON;
        est->n_lost += d->outcome == CRM_LOST;
        est->n_entered_late += d->created < est->t0;
        if (d->outcome == CRM_WON)
            est->bookings_per_quarter += d->amount;
    }
    for (size_t i = 0; i < x->n_owners; i++) {
        struct crm_rep *r = &est->reps[i];
        r->active = r->created > 0;
        est->n_reps += (size_t)r->active;
        if (r->open)
            r->open_age_days /= (double)r->open;
    }
    if (est->n_open)
        est->open_age_days /= (double)est->n_open;
    est->bookings_per_quarter *= 13 / est->weeks;
    return 0;
}

/* ------------------------------------------------- onto the model */

/* Mean and sd of the reps' win rates, and the share of losses in the
 * first stage, when rep effectiveness is lognormal(1, sd_e) and the
 * stages advance a1 and 1: a rep of effectiveness e wins min(1, a1 e) x
 * min(1, e) (the model caps each stage's odds at 1). */
static void eff_moments(double a1, double sd_e, double *mean, double *sd,
                        double *first_share)
{
    double s = sqrt(log1p(sd_e * sd_e));
    double m = 0, m2 = 0, l1 = 0, wsum = 0;
    for (int i = -400; i <= 400; i++) {
        double z = i / 50.0, w = exp(-z * z / 2);
        double e = exp(-s * s / 2 + s * z);
        double g1 = fmin(1, a1 * e), g = g1 * fmin(1, e);
        m += w * g;
        m2 += w * g * g;
        l1 += w * (1 - g1);
        wsum += w;
    }
    m /= wsum;
    *mean = m;
    *sd = sqrt(fmax(m2 / wsum - m * m, 0));
    *first_share = 1 - m > 0 ? (l1 / wsum) / (1 - m) : 1;
}

/* The advance a1 that gives mean win rate p at this spread. */
static double solve_advance(double p, double sd_e)
{
    double lo = 0, hi = 1, m, sd, f;
    for (int it = 0; it < 60; it++) {
        double mid = (lo + hi) / 2;
        eff_moments(mid, sd_e, &m, &sd, &f);
        if (m < p)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}

/* Rep work a stage takes at the model's defaults, in days of a rep's
 * selling time: subtracted from each stage's buyer time, so that the
 * simulated cycle is the observed one. */
static double default_work_days(void)
{
    struct config cfg = {0};
    struct params p = {0};
    struct err e = {0};
    double days = 0;
    if (config_put(&cfg, "stage.pursue", "advance", "0.5", "import", 0, &e) ==
            0 &&
        config_resolve(&cfg, &p, &e) == 0) {
        const struct sales_params *s = &p.sales;
        double per_day = s->role.hours_per_week *
                         (1 - s->prospecting_share - s->admin_share) / 7;
        for (size_t i = 0; per_day > 0 && i < p.n_stages; i++)
            if (!strcmp(p.stages[i].name, "pursue"))
                days = dist_mean(&p.stages[i].work_hours) / per_day;
    }
    params_destroy(&p);
    config_destroy(&cfg);
    return days;
}

static void map_model(struct crm_estimates *est)
{
    double m, sd, f, lo = 0, hi = 2;
    est->eff_sd = 0;
    if (est->rep_sd > 0) {
        for (int it = 0; it < 50; it++) {
            double mid = (lo + hi) / 2;
            eff_moments(solve_advance(est->win, mid), mid, &m, &sd, &f);
            if (sd < est->rep_sd)
                lo = mid;
            else
                hi = mid;
        }
        est->eff_sd = (lo + hi) / 2;
    }
    est->advance = solve_advance(est->win, est->eff_sd);
    eff_moments(est->advance, est->eff_sd, &m, &sd, &f);
    /* won = X1 + X2; lost = X1 (share f) or X1 + X2: the means give
     * m2 = (E[W] - E[L]) / f, m1 = E[W] - m2. */
    double ew = est->won_cycle.mean, el = est->lost_cycle.mean;
    double m2 = f > 0 ? (ew - el) / f : 0, m1 = ew - m2;
    est->work_days = default_work_days();
    est->one_stage = !(m2 > 0 && m1 > 0);
    struct crm_fit *p1 = &est->pursue, *p2 = &est->close;
    *p1 = est->one_stage ? est->won_cycle : est->lost_cycle;
    if (!est->one_stage) {
        /* The lost cycle's spread, scaled to the stage's mean, but never
         * so wide that the won cycle (X1 + X2) would be wider than seen:
         * X1 takes at most its share m1 / E[W] of the won variance. */
        double sw = est->won_cycle.sd;
        p1->sd = fmin(est->lost_cycle.sd * m1 / el, sw * sqrt(m1 / ew));
        p1->mean = m1;
        double v2 = sw * sw - p1->sd * p1->sd;
        p2->family = CRM_GAMMA;
        p2->mean = m2;
        p2->sd = sqrt(fmax(v2, (0.1 * m2) * (0.1 * m2)));
    } else {
        p2->family = CRM_GAMMA;
        p2->mean = p2->sd = 0;
    }
    /* The rep's own work in each stage is part of the observed cycle. */
    p1->mean = fmax(p1->mean - est->work_days, MIN_DAYS);
    if (p2->mean > 0)
        p2->mean = fmax(p2->mean - est->work_days, MIN_DAYS);
}

/* ------------------------------------------------------------ all */

static double wilson(size_t k, size_t n, int upper)
{
    double p = (double)k / (double)n, z2 = Z95 * Z95, nn = (double)n;
    double c = (p + z2 / (2 * nn)) / (1 + z2 / nn);
    double h =
        Z95 * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / (1 + z2 / nn);
    return upper ? c + h : c - h;
}

static int estimate_all(const struct crm_export *x, struct crm_estimates *est,
                        struct err *e)
{
    if (tally_reps(x, est))
        return err_oom(e);
    if (est->n_won < 3 || est->n_lost < 3)
        return err_at(e, ERR_CONFIG, x->path, 0,
                      "%zu won and %zu lost deals "
                      "closed in the window: too few to estimate a cycle "
                      "(at least 3 of each)",
                      est->n_won, est->n_lost);
    if (est->n_reps == 0)
        return err_at(e, ERR_CONFIG, x->path, 0,
                      "no owner created an "
                      "opportunity in the window");
    est->win = (double)est->n_won / (double)est->n_closed;
    est->win_lo = wilson(est->n_won, est->n_closed, 0);
    est->win_hi = wilson(est->n_won, est->n_closed, 1);
    double nr = (double)est->n_reps * est->weeks, nc = (double)est->n_created;
    est->rate = nc / nr;
    est->rate_lo = nc > 0 ? gsl_cdf_chisq_Pinv(0.025, 2 * nc) / 2 / nr : 0;
    est->rate_hi = gsl_cdf_chisq_Pinv(0.975, 2 * nc + 2) / 2 / nr;
    return fit_reps(est) ? err_oom(e) : 0;
}

int crm_estimate(const struct crm_export *x, struct crm_estimates *est,
                 struct err *e)
{
    memset(est, 0, sizeof *est);
    est->t0 = x->since;
    est->t1 = x->as_of + 1;
    est->weeks = (est->t1 - est->t0) / 7;
    struct obs *o = malloc((x->n_deals + 1) * sizeof *o);
    double *entries = malloc((x->n_deals + 1) * sizeof *entries);
    double *vals = malloc((x->n_deals + 1) * sizeof *vals);
    int rc = -1;
    if (!o || !entries || !vals) {
        err_oom(e);
        goto done;
    }
    if (estimate_all(x, est, e))
        goto done;
    struct sample s = {o, make_obs(x, est->t0, est->t1, o, entries),
                       CRM_LOGNORMAL};
    if (fit_cycles(&s, entries, est->win, est)) {
        err_at(e, ERR_CONFIG, x->path, 0,
               "the cycle times could not be "
               "fitted (the likelihood has no finite maximum)");
        goto done;
    }
    for (size_t i = 0; i < x->n_deals; i++) {
        const struct crm_deal *d = &x->deals[i];
        if (d->outcome == CRM_WON && d->closed >= est->t0 && d->amount > 0)
            vals[est->n_value++] = d->amount;
    }
    if (est->n_value < 3) {
        err_at(e, ERR_CONFIG, x->path, 0,
               "%zu won deals with an amount "
               "above 0: too few to fit the deal value",
               est->n_value);
        goto done;
    }
    qsort(vals, est->n_value, sizeof *vals, by_double);
    fit_values(vals, est->n_value, &est->value);
    map_model(est);
    rc = 0;
done:
    free(o);
    free(entries);
    free(vals);
    if (rc)
        crm_estimates_destroy(est);
    return rc;
}

void crm_estimates_destroy(struct crm_estimates *est)
{
    free(est->reps);
    memset(est, 0, sizeof *est);
}
