#!/usr/bin/env python3
"""Writes the plot/report test fixture: the output folder of a pretend run.

Not a simulation: smooth, deterministic curves shaped like salescap's
flagship story (a two-week pull of the sales team into operations dips
revenue a quarter later; hiring ops instead costs little). Baseline plus
two scenarios, 26 weekly rows, 2 quarters, 40 replications, ranked on
revenue over both quarters (ranking.csv and pairs.csv), with each
week's paired revenue difference (weekly_comparison.csv). The second
title holds a comma and quotes, to exercise RFC 4180 quoting, gnuplot
string escaping and HTML escaping; the first has a label (the legends'
text), and the hire acts from week 8, four weeks after its decision.
Run it from this folder:
    python3 make_fixture.py
"""
import math

H, Q, N = 26, 2, 40
T = 2.0227  # t(0.975, 39)
SCEN = [
    ("baseline", "Baseline", "", ""),
    ("pull_two_weeks", "Pull sales into ops for two weeks", "4", "5"),
    ("hire_ops", 'Hire two ops staff, "plan B"', "4", ""),
]
# scenarios.csv's later columns: label, chart, acts_from_week.
EXTRA = {
    "baseline": ("", "yes", ""),
    "pull_two_weeks": ("Pull two weeks", "yes", "4"),
    "hire_ops": ("", "yes", "8"),
}


def bump(w, centre, width):
    return math.exp(-((w - centre) / width) ** 2)


def pulled(s, w):
    return s == "pull_two_weeks" and 4 <= w <= 5


def weekly(s, w):
    """{metric: (mean, sd)} for scenario s in week w."""
    m = {}
    rev = 96000 * (1 + 0.003 * w) + 1500 * math.sin(w / 2.0)
    if s == "pull_two_weeks":
        rev *= 1 - 0.09 * bump(w, 14, 5)
    if s == "hire_ops":
        rev *= 1 + 0.015 * (w >= 8)
    m["revenue"] = (rev, 0.12 * rev)
    cnt = 60 + 2 * math.sin(w / 3.0)
    if s == "pull_two_weeks":
        cnt *= 1 - 0.3 * bump(w, 7, 4)
    m["pipeline_count"] = (cnt, 0.15 * cnt)
    m["pipeline_value"] = (cnt * 41000, 0.2 * cnt * 41000)
    back = 300 + 20 * math.sin(w / 2.5)
    delay = 12 + math.sin(w / 2.5)
    if s == "pull_two_weeks":
        back *= 1 - 0.6 * bump(w, 5.5, 2.5)
        delay *= 1 - 0.55 * bump(w, 5.5, 2.5)
    if s == "hire_ops" and w >= 4:
        back *= 0.65
        delay *= 0.6
    m["ops_backlog_hours"] = (back, 0.25 * back)
    m["expected_delay_days"] = (delay, 0.3 * delay)
    hrs = {"prospecting": 130, "selling": 220, "admin": 72, "ops": 8,
           "idle": 50}
    if pulled(s, w):
        hrs = {"prospecting": 20, "selling": 30, "admin": 40, "ops": 380,
               "idle": 10}
    if s == "hire_ops":
        hrs = dict(hrs, ops=0, idle=58)
    for k, v in hrs.items():
        m["rep_hours_" + k] = (v, 0.05 * v)
    m["deals_won"] = (2.5, 1.4)
    m["future_metric"] = (1.0, 0.0)  # unknown to the reader: skipped
    return m


def fmt(x):
    return "%.6g" % x


def ci(mean, sd):
    h = T * sd / math.sqrt(N)
    return fmt(mean - h), fmt(mean + h)


def quote(s):
    if any(c in s for c in ',"\n'):
        return '"' + s.replace('"', '""') + '"'
    return s


def write_weekly():
    with open("weekly.csv", "w", newline="") as f:
        f.write("scenario,week,metric,mean,sd,ci_low,ci_high,n\r\n")
        for s, _, _, _ in SCEN:
            for w in range(H):
                for k, (mean, sd) in weekly(s, w).items():
                    lo, hi = ci(mean, sd)
                    f.write(",".join([s, str(w), k, fmt(mean), fmt(sd), lo,
                                      hi, str(N)]) + "\r\n")


def quarter_revenue(s, q):
    return sum(weekly(s, w)["revenue"][0] for w in range(13 * (q - 1),
                                                         13 * q))


def write_quarterly():
    with open("quarterly.csv", "w", newline="") as f:
        f.write("scenario,quarter,metric,mean,sd,ci_low,ci_high,n\r\n")
        for s, _, _, _ in SCEN:
            for q in range(1, Q + 1):
                mean = quarter_revenue(s, q)
                lo, hi = ci(mean, 0.05 * mean)
                f.write(",".join([s, str(q), "revenue", fmt(mean),
                                  fmt(0.05 * mean), lo, hi, str(N)]) + "\r\n")


def comp_row(f, s, q, metric, b, v, d, sd):
    lo, hi = ci(d, sd)
    f.write(",".join([s, str(q), metric, fmt(b), fmt(v), fmt(d), lo, hi,
                      str(N)]) + "\r\n")


def write_comparison():
    with open("comparison.csv", "w", newline="") as f:
        f.write("scenario,quarter,metric,baseline_mean,scenario_mean,"
                "delta_mean,delta_ci_low,delta_ci_high,n\r\n")
        for s, _, _, _ in SCEN[1:]:
            cum = 0.0
            rows = []
            for q in list(range(1, Q + 1)) + ["total"]:
                qs = range(1, Q + 1) if q == "total" else [q]
                b = sum(quarter_revenue("baseline", x) for x in qs)
                v = sum(quarter_revenue(s, x) for x in qs)
                lost = b - v
                if q != "total":
                    cum += lost
                sd = 0.35 * abs(lost) + 4000
                rows.append((q, b, v, lost, sd, cum))
            for q, b, v, lost, sd, cum in rows:
                comp_row(f, s, q, "revenue", b, v, -lost, sd)
            for q, b, v, lost, sd, cum in rows:
                comp_row(f, s, q, "lost_revenue", b, v, lost, sd)
            for q, b, v, lost, sd, cum in rows:
                comp_row(f, s, q, "lost_revenue_cumulative", b, v, cum,
                         sd * 1.2)


def wilson(p):
    z = 1.959963984540054
    d = 1 + z * z / N
    c = (p + z * z / (2 * N)) / d
    h = z * math.sqrt(p * (1 - p) / N + z * z / (4 * N * N)) / d
    return (0.0 if p == 0 else max(0.0, c - h),
            1.0 if p == 1 else min(1.0, c + h))


def total_revenue(s):
    return sum(quarter_revenue(s, q) for q in range(1, Q + 1))


# The decision: revenue over quarters 1-2, who wins how often.
P_BEST = {"hire_ops": 0.85, "baseline": 0.15, "pull_two_weeks": 0.0}


def diff_sd(a, b):
    return 0.35 * abs(total_revenue(a) - total_revenue(b)) + 4000


def write_decision():
    """ranking.csv, and the decision's rows of pairs.csv (a run writes
    every quarter's too; the charts read only these)."""
    ids = [s for s, _, _, _ in SCEN]
    rank = sorted(ids, key=lambda s: -total_revenue(s))
    best = rank[0]
    with open("ranking.csv", "w", newline="") as f:
        f.write("scenario,metric,mean,ci_low,ci_high,p_best,p_best_ci_low,"
                "p_best_ci_high,rank,tied_with_best\r\n")
        for i, s in enumerate(rank):
            mean = total_revenue(s)
            lo, hi = ci(mean, 0.05 * mean)
            p = P_BEST[s]
            plo, phi = wilson(p)
            d = total_revenue(s) - total_revenue(best)
            h = T * diff_sd(s, best) / math.sqrt(N)
            tied = s == best or abs(d) <= h
            f.write(",".join([s, "revenue", fmt(mean), lo, hi, fmt(p),
                              fmt(plo), fmt(phi), str(i + 1),
                              "true" if tied else "false"]) + "\r\n")
    with open("pairs.csv", "w", newline="") as f:
        f.write("scenario_a,scenario_b,quarter,metric,mean,ci_low,ci_high,"
                "n\r\n")
        for i, a in enumerate(ids[1:], 1):
            for b in ["baseline"] + ids[i + 1:]:
                d = total_revenue(a) - total_revenue(b)
                lo, hi = ci(d, diff_sd(a, b))
                f.write(",".join([a, b, "1-%d" % Q, "revenue", fmt(d), lo,
                                  hi, str(N)]) + "\r\n")


def write_scenarios():
    with open("scenarios.csv", "w", newline="") as f:
        f.write("scenario,title,start_week,end_week,label,chart,"
                "acts_from_week\r\n")
        for s, t, a, b in SCEN:
            f.write(",".join([s, quote(t), a, b] + list(EXTRA[s])) + "\r\n")


def write_weekly_comparison():
    with open("weekly_comparison.csv", "w", newline="") as f:
        f.write("scenario,week,metric,baseline_mean,scenario_mean,"
                "delta_mean,delta_ci_low,delta_ci_high,n\r\n")
        for s, _, _, _ in SCEN[1:]:
            for w in range(H):
                b = weekly("baseline", w)["revenue"][0]
                v = weekly(s, w)["revenue"][0]
                lo, hi = ci(v - b, 0.3 * abs(v - b) + 200)
                f.write(",".join([s, str(w), "revenue", fmt(b), fmt(v),
                                  fmt(v - b), lo, hi, str(N)]) + "\r\n")


def write_text():
    with open("summary.txt", "w") as f:
        f.write("salescap run: fixture (40 replications, 26 weeks)\n\n")
        for s, t, _, _ in SCEN[1:]:
            lost = sum(quarter_revenue("baseline", q) - quarter_revenue(s, q)
                       for q in range(1, Q + 1))
            verb = "loses" if lost >= 0 else "gains"
            f.write("Headline: %s %s $%.0fk of revenue over %d quarters "
                    "against the baseline.\n" % (t, verb, abs(lost) / 1e3, Q))
        gain = total_revenue("hire_ops") - total_revenue("baseline")
        f.write("Best: %s, revenue +$%.0fk over quarters 1-%d, best in "
                "%.0f %% of replications.\n"
                % (SCEN[2][1], gain / 1e3, Q, 100 * P_BEST["hire_ops"]))
    with open("run.ini", "w") as f:
        f.write("; every resolved parameter (fixture) & <escaping> test\n"
                "[simulation]\nwarmup_weeks = 26\nhorizon_weeks = 26\n"
                "replications = 40\nseed = 42\n\n[sales]\nreps = 12\n"
                "hours_per_week = 40\n\n[scenario.pull_two_weeks]\n"
                "title = Pull sales into ops for two weeks\n"
                "pull.start_week = 30\npull.weeks = 2\n\n"
                "[scenario.hire_ops]\n"
                "title = Hire two ops staff, \"plan B\"\nhire.role = ops\n"
                "hire.count = 2\nhire.week = 30\n")


write_weekly()
write_quarterly()
write_comparison()
write_scenarios()
write_weekly_comparison()
write_decision()
write_text()
