/*
 * cmd_check: `salescap check FILE.ini [--set S.K=V]... [--keys]`.
 *
 * Validates a scenario file, prints every resolved parameter with its
 * source, then a steady-state capacity table computed from the inputs
 * alone: the spreadsheet a sales-operations analyst would build before
 * simulating. It ignores queueing delays, going cold, ramps, attrition and
 * the variability of every distribution (only means enter), so it is a
 * first check of whether the numbers can work at all, not a forecast.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "capacity.h"
#include "config.h"

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
    double reps = p->sales.role.count;
    double util = c->sell_demand / c->sell_avail;
    snprintf(team, sizeof team, "team (%d reps)", p->sales.role.count);
    row("Sales, per week", "per rep", team, NULL);
    fmt_num(c->sell_avail, 1, "", a, sizeof a);
    fmt_num(c->sell_avail * reps, 1, "", b, sizeof b);
    row("selling hours available", a, b, NULL);
    fmt_num(c->sell_demand, 1, "", a, sizeof a);
    fmt_num(c->sell_demand * reps, 1, "", b, sizeof b);
    row("selling hours demanded", a, b, NULL);
    fmt_pct(util, a, sizeof a);
    row("selling utilisation", a, NULL, NULL);
    fmt_num(p->sales.opportunities_per_week, 2, "", a, sizeof a);
    fmt_num(c->opps, 2, "", b, sizeof b);
    row("opportunities", a, b, NULL);
    fmt_num(reps > 0 ? c->wins / reps : 0, 2, "", a, sizeof a);
    fmt_num(c->wins, 2, "", b, sizeof b);
    row("expected wins", a, b, NULL);
    fmt_money(reps > 0 ? c->bookings / reps : 0, a, sizeof a);
    fmt_money(c->bookings, b, sizeof b);
    row("expected bookings (annual value)", a, b, NULL);
    fmt_pct(c->win_rate, a, sizeof a);
    row("expected win rate (approximation)", a, NULL, NULL);
    fmt_num(c->cycle_days, 1, " days", a, sizeof a);
    row("expected cycle of a won deal", a, NULL, NULL);
}

static void print_ops(const struct capacity *c)
{
    char a[64], b[64], u[64], n[64];
    printf("\n");
    row("Operations, hours per week", "available", "demanded", "utilisation");
    fmt_thousands(c->ops_avail, a, sizeof a);
    fmt_thousands(c->ops_start, b, sizeof b);
    fmt_pct(c->ops_start / c->ops_avail, u, sizeof u);
    row("at the start", a, b, u);
    if (!isfinite(c->clients_ss)) {
        row("at steady state", a, "unbounded", "unbounded");
        printf("  (renewal_rate is 1: the client base grows without bound)\n");
        return;
    }
    fmt_thousands(c->ops_ss, b, sizeof b);
    fmt_pct(c->ops_ss / c->ops_avail, u, sizeof u);
    row("at steady state", a, b, u);
    fmt_thousands(c->clients_ss, n, sizeof n);
    printf(
        "  (steady-state clients: %s = wins x contract_weeks / (1 - renewal_rate))\n",
        n);
}

static void warn(const char *what, double util)
{
    char u[64];
    if (!(util >= 1))
        return;
    if (isinf(util)) {
        printf("WARNING: %s has work to do but no hours to do it in: its "
               "backlog grows without bound\n", what);
        return;
    }
    fmt_pct(util, u, sizeof u);
    printf(
        "WARNING: %s utilisation is %s (>= 100 %%): the queue is unstable and its backlog grows without bound\n",
        what, u);
}

static void print_capacity(const struct params *p)
{
    struct capacity c = {0};
    capacity_compute(p, &c);
    printf("\n"
           "; Steady-state capacity: an analytic approximation (means only,\n"
           "; full ramp, no queueing or going cold): a spreadsheet's view,\n"
           "; not a simulation. Win rate = product over stages of\n"
           "; min(1, advance x mean effectiveness).\n\n");
    print_sales(p, &c);
    print_ops(&c);
    printf("\n");
    warn("selling", c.sell_demand / c.sell_avail);
    warn("ops (at the start)", c.ops_start / c.ops_avail);
    if (!isfinite(c.clients_ss) && c.wins > 0 &&
        p->clients.tickets_per_week > 0)
        printf(
            "WARNING: ops demand grows without bound (no churn): the queue is unstable in the long run\n");
    else
        warn("ops (at steady state)", c.ops_ss / c.ops_avail);
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
    const char *file;
};

/* Parses argv into a (a->sets has room for argc entries). Returns -1 to
 * go on, else the exit status to return now. */
static int parse_args(int argc, char **argv, struct check_args *a)
{
    static const struct option opts[] = {
        {"set", required_argument, NULL, 's'},
        {"keys", no_argument, NULL, 'k'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h')
            return cli_help("check");
        if (c == '?')
            return cli_bad_option("check", opts, "h", argv);
        if (c == 'k')
            a->keys = 1;
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
                           NULL};
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
        print_capacity(&p);
    }
    params_destroy(&p);
    config_destroy(&cfg);
    free(a.sets);
    return rc;
}
