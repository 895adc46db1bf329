/*
 * cmd_check: `salescap check FILE.ini [--set S.K=V]... [--keys]`.
 *
 * Validates a scenario file, prints every resolved parameter with its
 * source, then the analytic model's table (capacity.h): what the
 * baseline's queues, pipeline and client base come to, from the
 * parameters alone, before any simulation.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capacity.h"
#include "cli.h"
#include "config.h"
#include "output.h"
#include "run.h"

/* ------------------------------------------------------------ printing */

/* "1,234,567" (rounded to whole units); "n/a" when not finite. */
static void fmt_thousands(double v, char *buf, size_t size)
{
    if (!isfinite(v)) {
        snprintf(buf, size, "n/a");
        return;
    }
    if (fabs(v) >= 1e12) { /* past a table's width: 1.2e+15 */
        snprintf(buf, size, "%.3g", v);
        return;
    }
    char digits[64];
    snprintf(digits, sizeof digits, "%.0f", fabs(v));
    size_t n = strlen(digits), k = 0;
    if (v <= -0.5 && k + 1 < size)
        buf[k++] = '-';
    for (size_t i = 0; i < n && k + 2 < size; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            buf[k++] = ',';
        buf[k++] = digits[i];
    }
    buf[k] = '\0';
}

static void fmt_money(double v, char *buf, size_t size)
{
    char t[64];
    fmt_thousands(v, t, sizeof t);
    snprintf(buf, size, isfinite(v) ? "$%s" : "%s", t);
}

/* v with `decimals` decimals and a unit; "n/a" when not finite. */
static void fmt_num(double v, int decimals, const char *unit, char *buf,
                    size_t size)
{
    if (isfinite(v) && (fabs(v) >= 1e9 || (v != 0 && fabs(v) < 1e-3)))
        snprintf(buf, size, "%.3g%s", v, unit); /* 6.14e+62, 1.2e-301 */
    else if (isfinite(v))
        snprintf(buf, size, "%.*f%s", decimals, v, unit);
    else
        snprintf(buf, size, "n/a");
}

static void fmt_pct(double v, char *buf, size_t size)
{
    if (fabs(v) < 5e-4) /* a share too small to show: 0.0 % */
        v = 0;
    fmt_num(100 * v, 1, " %", buf, size);
}

/* One row: a label and up to three right-aligned cells (NULL: none). */
static void row(const char *label, const char *a, const char *b, const char *c)
{
    printf("  %-38s", label);
    const char *cells[] = {a, b, c};
    for (size_t i = 0; i < 3 && cells[i]; i++)
        printf(" %14s", cells[i]);
    printf("\n");
}

static void print_sales(const struct params *p, const struct capacity *c)
{
    char a[64], b[64], team[64];
    double reps = c->reps;
    if (p->n_teams)
        snprintf(team, sizeof team, "all (%d reps)", params_reps(p));
    else
        snprintf(team, sizeof team, "team (%d reps)", p->sales.role.count);
    row("Sales, per week", "per rep", team, NULL);
    fmt_num(c->sell_avail, 1, "", a, sizeof a);
    fmt_num(c->sell_avail * reps, 1, "", b, sizeof b);
    row("selling hours available", a, b, NULL);
    fmt_num(c->sell_demand, 1, "", a, sizeof a);
    fmt_num(c->sell_demand * reps, 1, "", b, sizeof b);
    row("selling hours demanded", a, b, NULL);
    fmt_pct(c->sell_util, a, sizeof a);
    row("selling utilisation", a, NULL, NULL);
    fmt_num(c->kpi[KPI_OPPORTUNITIES_PER_REP_WEEK], 2, "", a, sizeof a);
    fmt_num(c->opps, 2, "", b, sizeof b);
    row("opportunities", a, b, NULL);
    fmt_num(reps > 0 ? c->wins / reps : 0, 2, "", a, sizeof a);
    fmt_num(c->wins, 2, "", b, sizeof b);
    row("expected wins", a, b, NULL);
    fmt_money(reps > 0 ? c->bookings / reps : 0, a, sizeof a);
    fmt_money(c->bookings, b, sizeof b);
    row("expected bookings (annual value)", a, b, NULL);
    fmt_num(c->kpi[KPI_OPEN_OPPORTUNITIES_PER_REP], 1, "", a, sizeof a);
    fmt_num(c->kpi[KPI_OPEN_OPPORTUNITIES_PER_REP] * reps, 1, "", b, sizeof b);
    row("open opportunities", a, b, NULL);
    fmt_pct(c->kpi[KPI_WIN_RATE], a, sizeof a);
    fmt_pct(c->odds_win_rate, b, sizeof b);
    row("expected win rate", a, NULL, NULL);
    printf("  %-38s %14s\n", "  (stage odds alone, nobody waiting)", b);
    fmt_pct(c->cold_share, a, sizeof a);
    row("closed deals gone cold", a, NULL, NULL);
    fmt_num(c->kpi[KPI_WON_CYCLE_DAYS], 1, " days", a, sizeof a);
    row("expected cycle of a won deal", a, NULL, NULL);
    /* the opportunities of a rep at full productivity (with teams,
     * their mean over the reps) */
    double opw = 0;
    for (int t = 0; t < params_teams(p); t++)
        opw += params_team_sales(p, t)->role.count *
               params_team_sales(p, t)->opportunities_per_week;
    opw = params_reps(p) > 0 ? opw / params_reps(p) : 0;
    if (c->reps < params_reps(p) ||
        c->kpi[KPI_OPPORTUNITIES_PER_REP_WEEK] < opw)
        printf("  (%.1f reps employed on average, at %.0f %% of full "
               "productivity: attrition, vacancies and ramps)\n",
               c->reps, 100 * c->rep_prod);
}

static void print_ops(const struct capacity *c)
{
    char a[64], b[64], u[64], n[64];
    printf("\n");
    row("Operations, hours per week", "available", "demanded", "utilisation");
    fmt_thousands(c->ops_avail, a, sizeof a);
    fmt_thousands(c->ops_start, b, sizeof b);
    fmt_pct(c->ops_avail > 0 ? c->ops_start / c->ops_avail : INFINITY, u,
            sizeof u);
    row("in the first week", a, b, u);
    fmt_thousands(c->ops_demand, b, sizeof b);
    fmt_pct(c->ops_util, u, sizeof u);
    row("over the horizon", a, b, u);
    if (!isfinite(c->clients_ss)) {
        row("at steady state", a, "unbounded", "unbounded");
        printf("  (renewal_rate is 1: the client base grows without bound)\n");
        return;
    }
    fmt_thousands(c->ops_ss, b, sizeof b);
    fmt_pct(c->ops_ss_util, u, sizeof u);
    row("at steady state", a, b, u);
    fmt_num(c->kpi[KPI_ONBOARDING_WAIT_DAYS], 1, " days", a, sizeof a);
    fmt_num(c->kpi[KPI_ONBOARDING_DAYS], 1, " days", b, sizeof b);
    row("onboarding: wait, and signature to live", a, b, NULL);
    fmt_num(c->kpi[KPI_OPS_BACKLOG_HOURS], 0, " h", a, sizeof a);
    fmt_pct(c->late_share, b, sizeof b);
    row("backlog, and items finished late", a, b, NULL);
    fmt_thousands(c->kpi[KPI_CLIENTS], a, sizeof a);
    fmt_thousands(c->clients_ss, n, sizeof n);
    row("clients, over the horizon and at steady state", a, n, NULL);
}

/* The finite market's long run, beside the unlimited table. */
static void print_market(const struct params *p, const struct capacity *c)
{
    char a[64], b[64], n[64];
    if (p->market.accounts <= 0)
        return;
    printf("\n");
    snprintf(n, sizeof n, "%d accounts", p->market.accounts);
    row("Market, long run", "unlimited", n, NULL);
    fmt_num(c->opps, 2, "", a, sizeof a);
    fmt_num(c->market_opps_ss, 2, "", b, sizeof b);
    row("opportunities per week", a, b, NULL);
    fmt_pct(c->market_share_ss, b, sizeof b);
    row("accounts free to approach", "100 %", b, NULL);
    if (!isfinite(c->market_hold_weeks)) {
        printf("  (clients never leave: in the long run they hold the "
               "whole market)\n");
        return;
    }
    printf("  (an opportunity holds its account %.1f weeks on average: "
           "open, then as a\n   client if won, then cooling; the rest of "
           "the table assumes an unlimited\n   market)\n",
           c->market_hold_weeks);
}

static void print_warnings(const struct params *p, const struct capacity *c)
{
    char u[64], v[64];
    if (c->sell_demand > c->sell_avail) {
        fmt_pct(c->sell_demand / c->sell_avail, u, sizeof u);
        fmt_pct(c->cold_share, v, sizeof v);
        printf("note: reps are asked for %s of their selling hours;\n"
               "      deals go cold instead (%s of closed deals)\n",
               u, v);
    }
    if (!(c->ops_avail > 0) && c->ops_start > 0) {
        printf("WARNING: ops has work to do but no hours to do it in: its "
               "backlog grows without bound\n");
        return;
    }
    if (!isfinite(c->clients_ss) && c->wins > 0 &&
        p->clients.tickets_per_week > 0) {
        printf("WARNING: ops demand grows without bound (no churn): the queue "
               "is unstable in the long run\n");
        return;
    }
    if (c->ops_util >= CAPACITY_WAIT_UTIL_MAX) {
        fmt_pct(c->ops_util, v, sizeof v);
        printf("note: ops runs at %s over the horizon: near saturation the "
               "mean wait and backlog\n      are those of the busiest weeks "
               "and replications; the table's are a lower bound\n",
               v);
    }
    fmt_pct(c->ops_ss_util, u, sizeof u);
    if (!c->ops_ss_stable) {
        printf("WARNING: ops demand at steady state is %s of its hours (>= "
               "100 %%): the queue is unstable and its backlog grows without "
               "bound\n",
               u);
        return;
    }
    if (c->start_overload) {
        fmt_pct(c->ops_start / c->ops_avail, v, sizeof v);
        printf("note: ops demand in the first week is %s of its hours: the "
               "backlog grows at first,\n      then settles at %s "
               "utilisation (%s)\n",
               v, u,
               p->market.delay_sensitivity > 0
                   ? "the market wins fewer deals as the delay grows"
                   : "late items cost renewals, the initial base churns");
    }
}

static int print_capacity(const struct params *p)
{
    struct capacity c;
    struct err e = {0};
    if (capacity_compute(p, &c, &e) != 0) {
        cli_error("%s", e.msg);
        return EXIT_RUNTIME;
    }
    printf("\n"
           "; The analytic model of the baseline, from the parameters alone\n"
           "; (docs/model.md, \"The analytic model\"): each rep's queue with\n"
           "; deals going cold, ops as an M/G/c queue (Allen-Cunneen), ramps,\n"
           "; attrition, the market and the client base week by week. Over\n"
           "; the reported weeks it holds to the simulation within %.0f %%\n"
           "; (rates, values, counts), %.0f points (shares) and %.0f %% or\n"
           "; %.0f day (waits, backlog hours, below %.0f %% ops utilisation)\n"
           "; on every file of scenarios/ with an unlimited market.\n\n",
           100 * CAPACITY_TOL_REL, 100 * CAPACITY_TOL_SHARE,
           100 * CAPACITY_TOL_WAIT, CAPACITY_TOL_WAIT_ABS,
           100 * CAPACITY_WAIT_UTIL_MAX);
    print_sales(p, &c);
    print_ops(&c);
    print_market(p, &c);
    printf("\n");
    print_warnings(p, &c);
    return 0;
}

/* ------------------------------------------------------------ command */

static int load(struct config *cfg, const char *path, char **sets,
                size_t n_sets, struct params *p)
{
    struct err e = {0};
    int rc = config_load(cfg, path, &e);
    for (size_t i = 0; rc == 0 && i < n_sets; i++)
        rc = config_set(cfg, sets[i], &e);
    if (rc == 0)
        rc = config_resolve(cfg, p, &e);
    if (rc == 0)
        return 0;
    cli_error("%s", e.msg);
    return e.kind == ERR_RUNTIME ? EXIT_RUNTIME : EXIT_USAGE;
}

struct check_args {
    char **sets; /* the --set assignments, borrowed from argv */
    size_t n_sets;
    int keys;
    long replications; /* of the KPI table's simulation; 0: none */
    const char *file;
};

#define CHECK_KPI_REPLICATIONS 20

/* With [targets]: the KPI table of a short simulation of the baseline,
 * beside them. */
static int print_kpis(struct params *p, long n)
{
    int any = 0;
    for (int k = 0; k < KPI_COUNT; k++)
        any |= p->targets.kpi[k].set;
    if (!any || n <= 0)
        return 0;
    size_t ns = p->n_scenarios;
    p->n_scenarios = 0; /* the baseline alone */
    struct run_opts o = {.jobs = cli_cores(), .replications = n};
    struct run_result r = {0};
    struct err e = {0};
    int rc = run_simulate(p, &o, &r, &e);
    p->n_scenarios = ns;
    if (rc != 0) {
        cli_error("%s", e.msg);
        run_result_destroy(&r);
        return EXIT_RUNTIME;
    }
    char title[200];
    snprintf(title, sizeof title,
             "Baseline KPIs over the %d reported "
             "weeks: a short simulation, mean ± 95 %% CI of %ld "
             "replications\n(-n sets them; 'salescap run' for the file's)",
             r.weeks, r.replications);
    output_kpi_table(stdout, p, r.kpi, title);
    run_result_destroy(&r);
    return 0;
}

/* Parses argv into a (a->sets has room for argc entries). Returns -1 to
 * go on, else the exit status to return now. */
static int parse_args(int argc, char **argv, struct check_args *a)
{
    static const struct option opts[] = {
        {"set", required_argument, NULL, 's'},
        {"keys", no_argument, NULL, 'k'},
        {"replications", required_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "hn:", opts, NULL)) != -1) {
        if (c == 'h')
            return cli_help("check");
        if (c == '?')
            return cli_bad_option("check", opts, "hn:", argv);
        if (c == 'k')
            a->keys = 1;
        else if (c == 'n' &&
                 cli_parse_long(optarg, 0, 100000000, &a->replications))
            return cli_bad_value("-n (0 to 100000000)", optarg);
        else if (c == 'n')
            continue;
        else if (cli_check_set(optarg) != 0)
            return EXIT_USAGE;
        else
            a->sets[a->n_sets++] = optarg;
    }
    if (a->keys && (optind < argc || a->n_sets > 0)) {
        cli_error("check --keys prints every key and takes no file or "
                  "--set; to check a file, leave out --keys");
        return EXIT_USAGE;
    }
    if (a->keys)
        return config_write_reference(stdout) ? EXIT_RUNTIME : 0;
    if (optind != argc - 1) {
        cli_error("check takes one FILE.ini (try 'salescap help check')");
        return EXIT_USAGE;
    }
    a->file = argv[optind];
    return -1;
}

int cmd_check(int argc, char **argv)
{
    struct check_args a = {calloc((size_t)argc + 1, sizeof(char *)), 0, 0,
                           CHECK_KPI_REPLICATIONS, NULL};
    if (!a.sets) {
        cli_error("out of memory");
        return EXIT_RUNTIME;
    }
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0) {
        free(a.sets);
        return rc;
    }
    struct config cfg = {0};
    struct params p = {0};
    rc = load(&cfg, a.file, a.sets, a.n_sets, &p);
    if (rc == 0) {
        config_write(stdout, &cfg, &p, 1);
        rc = print_capacity(&p);
        if (rc == 0)
            rc = print_kpis(&p, a.replications);
    }
    params_destroy(&p);
    config_destroy(&cfg);
    free(a.sets);
    return rc;
}
