/*
 * cli: help texts, the options run, trace and sweep share, and the small
 * helpers every command uses.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config_int.h"
#include "plot.h"

static const char overview[] =
    "usage: salescap COMMAND [ARGS]\n"
    "\n"
    "Simulates sales capacity tradeoffs: what pulling salespeople into\n"
    "operations costs in later quarters, against hiring or support.\n"
    "\n"
    "Commands:\n"
    "  run FILE.ini       simulate the baseline and every scenario, write "
    "CSVs\n"
    "                     and charts\n"
    "  check FILE.ini     validate, print every resolved parameter and the\n"
    "                     analytic model's table (and the KPI table against\n"
    "                     [targets], from a short simulation)\n"
    "  sweep SWEEP.ini    run a parameter grid in parallel (resumable)\n"
    "  plot DIR           redraw the charts of a finished run, sweep or\n"
    "                     sensitivity analysis\n"
    "  trace FILE.ini     one replication's events as CSV\n"
    "  import EXPORT.csv  a CRM's opportunity export in, an includable\n"
    "                     company.ini (fitted keys and targets) out\n"
    "  calibrate FILE.ini --free KEY[=LO:HI],... -o FITTED.ini\n"
    "                     fit keys so the simulated baseline meets the\n"
    "                     file's [targets]\n"
    "  sensitivity FILE.ini\n"
    "                     what each uncertain input does to the decision\n"
    "                     metric: a tornado and variance shares\n"
    "  help COMMAND       the options of one command\n"
    "\n"
    "  --help, --version\n"
    "\n"
    "Exit status: 0 success; 1 runtime failure (I/O, memory, an external\n"
    "tool); 2 usage or configuration error (the message names FILE:LINE);\n"
    "130 or 143 when interrupted by SIGINT or SIGTERM.\n";

static const char common_opts[] =
    "Common options:\n"
    "  -n, --replications N   replications per scenario (default: the file's)\n"
    "      --seed N           base seed (default: the file's)\n"
    "  -j, --jobs N           threads (default: all cores); results do not\n"
    "                         depend on it\n"
    "  -o, --out DIR          output folder (default: results/<file stem>/)\n"
    "      --plots DIR        chart folder (default: plots/<file stem>/)\n"
    "      --format FMT       png, svg or pdf; repeatable (default: png)\n"
    "      --size SIZE        screen (default: PNG 1200x700), slide\n"
    "                         (1920x1080, larger type; PNG 3840x2160) or doc\n"
    "                         (6.5 in wide for a page; PNG 1950x1200)\n"
    "      --no-plot          write no charts\n"
    "      --set S.KEY=VALUE  override a key of the file; repeatable\n"
    "  -q, --quiet            print only errors and warnings\n"
    "      --progress, --no-progress\n"
    "                         progress bar on stderr (default: when stderr is\n"
    "                         a terminal)\n";

static const struct {
    const char *name, *usage, *text;
    int common;
} helps[] = {
    {"run", "salescap run FILE.ini [options]",
     "Simulates the baseline and every [scenario.ID] of FILE on common random\n"
     "numbers and writes weekly.csv, quarterly.csv, comparison.csv,\n"
     "weekly_comparison.csv, scenarios.csv, summary.txt, run.ini and the\n"
     "decision's CSVs to the output folder, and the charts to the plots\n"
     "folder.\n\n"
     "      --precision P      add replications in batches until the 95 %\n"
     "                         half-width of every scenario's total lost\n"
     "                         revenue is within P of its mean (\"2%\" or "
     "0.02)\n"
     "      --max-replications N   cap for --precision, only with it (default "
     "10000)\n"
     "      --report           also write report.html (charts inlined)\n",
     1},
    {"sensitivity", "salescap sensitivity FILE.ini [options]",
     "For every uncertain input of FILE (a key written uncertain(DIST)),\n"
     "runs the file with the input at its 10th and at its 90th percentile,\n"
     "every other input at its median, all on the same replications; and\n"
     "once with every input drawn, to fit the outcome on the draws. The\n"
     "outcome is the [decision] metric over its quarters: the baseline's\n"
     "value, and each scenario's difference from the baseline. Writes\n"
     "sensitivity.csv and sensitivity.txt to the output folder and the\n"
     "chart tornado.png (the inputs ordered by their swing) to the plots\n"
     "folder. 2 + 2 x inputs runs of -n replications each.\n",
     1},
    {"check",
     "salescap check FILE.ini [-n N] [--set S.KEY=VALUE ...]\n"
     "       salescap check --keys",
     "Validates FILE, prints every resolved parameter with its source\n"
     "(default, FILE:LINE or --set) and the analytic model's table:\n"
     "the reps' and ops' queues, win rate, cycle, waits and clients,\n"
     "computed from the inputs alone. With a [targets] section, it also\n"
     "simulates the baseline briefly and prints the KPI table beside\n"
     "the targets.\n\n"
     "  -n, --replications N   replications of that simulation (default 20;\n"
     "                         0: none)\n"
     "      --keys             print every key of a scenario file, with its\n"
     "                         default and meaning, as a Markdown table\n",
     0},
    {"sweep",
     "salescap sweep SWEEP.ini [options]\n"
     "       salescap sweep --merge OUT DIR...",
     "Runs the scenario of SWEEP.ini's [sweep] over the grid of its [vary]\n"
     "section and writes sweep.csv, sweep.ini and the sweep's chart. Grid\n"
     "points run on local threads or, in a build made with `make MPI=1`\n"
     "and started under mpirun, on MPI ranks (one thread per rank unless\n"
     "-j says otherwise). sweep.csv does not depend on either.\n\n"
     "      --precision P      run each point in batches of 20 replications\n"
     "                         until the 95 % half-width of its metric is\n"
     "                         within P of its mean (\"2%\" or 0.02)\n"
     "      --max-replications N   cap per point for --precision, only with\n"
     "                         it (default 10000)\n"
     "      --separate-baselines   simulate each point's own baseline, even\n"
     "                         where points share one (same results, slower)\n"
     "      --resume           skip grid points already finished (from the\n"
     "                         journal in the output folder)\n"
     "      --shard K/N        run only the K-th of N slices of the grid\n"
     "      --merge OUT DIR... combine the shards in DIR... into "
     "OUT/sweep.csv\n"
     "\nInterrupted by SIGINT or SIGTERM, a sweep keeps every finished point\n"
     "and exits 130 or 143: run it again with --resume.\n",
     1},
    {"plot",
     "salescap plot DIR [--plots DIR] [--format FMT ...] [--size SIZE]"
     "\n       [--report] [--only ID,...] [--exclude ID,...]",
     "Redraws every chart of a finished run or sweep from the CSVs in DIR,\n"
     "and the tornado of a sensitivity analysis (sensitivity.csv).\n\n"
     "      --plots DIR        chart folder (default: plots/<name of DIR>/)\n"
     "      --format FMT       png, svg or pdf; repeatable (default: png)\n"
     "      --size SIZE        screen (default), slide or doc (see 'salescap\n"
     "                         help run')\n"
     "      --report           also rewrite DIR/report.html (runs only)\n"
     "      --only ID,...      draw only these scenarios and the baseline\n"
     "                         (even one whose file says chart = no)\n"
     "      --exclude ID,...   leave these scenarios out\n"
     "  -q, --quiet            print only errors and warnings\n",
     0},
    {"trace",
     "salescap trace FILE.ini [--scenario NAME] [--replication R]\n"
     "       [--seed N] [--set S.KEY=VALUE ...] [-o FILE]\n"
     "       [--crm STYLE [--window W0:W1] [--date YYYY-MM-DD]]",
     "Writes the events of one replication as CSV to stdout (or -o FILE):\n"
     "time,week,event,entity,details. The scenario defaults to the baseline\n"
     "and the replication to 0.\n\n"
     "      --scenario NAME    the scenario to trace, or baseline\n"
     "      --replication R    the replication to trace (default 0)\n"
     "      --seed N           base seed (default: the file's)\n"
     "      --set S.KEY=VALUE  override a key of the file; repeatable\n"
     "  -o, --out FILE         write the CSV to FILE instead of stdout\n"
     "      --crm STYLE        write the opportunities instead, as a CRM\n"
     "                         export: salesforce, hubspot, pipedrive or\n"
     "                         plain (what 'salescap import' reads)\n"
     "      --window W0:W1     reported weeks the export covers (default:\n"
     "                         the horizon); deals closed before W0 are left\n"
     "                         out, deals open at W1 are open\n"
     "      --date YYYY-MM-DD  the calendar date of reported week 0\n"
     "                         (default: [simulation] start_date, else\n"
     "                         2024-01-01)\n",
     0},
    {"import",
     "salescap import EXPORT.csv -o FILE.ini [--columns "
     "ROLE=COL,...]\n"
     "       [--won WORD,...] [--lost WORD,...] [--date-format "
     "mdy|dmy]\n"
     "       [--as-of YYYY-MM-DD] [--since YYYY-MM-DD] [-q]",
     "Reads a CRM's opportunity export (one row per opportunity: id, owner,\n"
     "created, closed, stage, amount; Salesforce, HubSpot, Pipedrive or\n"
     "snake_case headers), estimates the win rate, the won and lost cycles\n"
     "(censoring-aware), the deal value, opportunities per rep per week and\n"
     "the spread of the reps' win rates, and writes FILE.ini: the model's\n"
     "keys with their sources as comments, [targets], the open pipeline\n"
     "and the rows set aside. A file that cannot be used writes nothing.\n\n"
     "  -o, --out FILE.ini     the INI to write\n"
     "      --columns ROLE=COL,...  the column of a role (id, owner,\n"
     "                         created, closed, stage, amount) by header\n"
     "      --won WORD,...     stage values that mean won (default: won,\n"
     "                         closed won, any case)\n"
     "      --lost WORD,...    stage values that mean lost (default: lost,\n"
     "                         closed lost); every other stage is open\n"
     "      --date-format F    mdy or dmy, for a file whose dates could be\n"
     "                         either (every day 12 or less)\n"
     "      --as-of DATE       the export date (default: the last date in\n"
     "                         the file that is not after today)\n"
     "      --since DATE       the window's start (default: the first\n"
     "                         closed date)\n"
     "  -q, --quiet            print only errors\n",
     0},
    {"calibrate",
     "salescap calibrate FILE.ini --free KEY[=LO:HI],... "
     "-o FITTED.ini [options]",
     "Fits the free keys so that the simulated baseline meets FILE's\n"
     "[targets]: GSL's Nelder-Mead simplex within the bounds, every\n"
     "simulation on the same random numbers. Writes FITTED.ini, which\n"
     "includes FILE and overrides the fitted keys (each with a comment),\n"
     "and prints the fit table. Targets that contradict each other are\n"
     "refused before any simulation.\n\n"
     "      --free KEY[=LO:HI],...  keys to fit, SECTION.KEY as for --set\n"
     "                         (stage.NAME.KEY for a stage); repeatable.\n"
     "                         Bounds default to the key's range, within a\n"
     "                         factor of 4 of its value\n"
     "  -o, --out FITTED.ini   the fitted model (required)\n"
     "  -n, --replications N   replications per simulation (default: the\n"
     "                         file's, at most 50)\n"
     "      --max-iter N       simplex iterations at most (default 100)\n"
     "      --seed N           base seed (default: the file's)\n"
     "  -j, --jobs N           threads (default: all cores)\n"
     "      --set S.KEY=VALUE  override a key of the file (kept in\n"
     "                         FITTED.ini); repeatable\n"
     "  -q, --quiet            print only errors and warnings\n"
     "      --progress, --no-progress\n"
     "                         progress bar on stderr (default: when stderr\n"
     "                         is a terminal)\n",
     0},
};

int cli_help(const char *command)
{
    if (!command) {
        fputs(overview, stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof helps / sizeof helps[0]; i++) {
        if (strcmp(command, helps[i].name))
            continue;
        printf("usage: %s\n\n%s", helps[i].usage, helps[i].text);
        if (helps[i].common)
            printf("\n%s", common_opts);
        return 0;
    }
    cli_error("no help for unknown command '%s'", command);
    return EXIT_USAGE;
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fputs("salescap: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* Whether standard output is a pipe whose reader has gone: poll reports
 * POLLERR on a pipe's write end without readers. */
static int reader_gone(void)
{
    struct pollfd pf = {.fd = STDOUT_FILENO, .events = POLLOUT};
    return poll(&pf, 1, 0) == 1 && (pf.revents & POLLERR);
}

int cli_finish(int status)
{
    errno = 0;
    if (fflush(stdout) == 0 && !ferror(stdout))
        return status;
    /* The reader went away (`| head`): it has what it asked for, and a
     * message about it would only be noise. The EPIPE may have come at
     * an earlier write, when the output outgrew stdio's buffer (the
     * error flag stays, errno does not): then the pipe says so. */
    if (errno == EPIPE || reader_gone())
        return status;
    fprintf(stderr, "salescap: cannot write to standard output\n");
    return status ? status : EXIT_RUNTIME;
}

void cli_on_stop(void (*handler)(int))
{
    struct sigaction sa = {.sa_handler = handler};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

static volatile int *stop_flag;
static volatile sig_atomic_t *stop_sig;

static void on_stop(int sig)
{
    *stop_sig = sig;
    if (stop_flag)
        *stop_flag = 1;
}

void cli_catch_stop(volatile int *flag, volatile sig_atomic_t *sig)
{
    stop_flag = flag;
    stop_sig = sig;
    cli_on_stop(on_stop);
}

int cli_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

int cli_check_set(const char *arg)
{
    if (strchr(arg, '='))
        return 0;
    if (strchr(arg, ':')) {
        cli_error("--set '%s': expected SECTION.KEY=VALUE, with '=' rather "
                  "than ':'",
                  arg);
        return EXIT_USAGE;
    }
    cli_error("--set '%s': expected SECTION.KEY=VALUE as one argument "
              "(quote it if the value holds blanks)",
              arg);
    return EXIT_USAGE;
}

int cli_parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int parse_precision(const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s)
        return -1;
    if (*end == '%') {
        v /= 100.0;
        end++;
    }
    if (*end || !(v > 0.0) || !(v < 1.0))
        return -1;
    *out = v;
    return 0;
}

int cli_bad_value(const char *opt, const char *v)
{
    cli_error("%s: invalid value '%s'", opt, v);
    return EXIT_USAGE;
}

int cli_precision_value(const char *arg, double *out)
{
    if (parse_precision(arg, out))
        return cli_bad_value("--precision (a fraction below 1: 2% or 0.02)",
                             arg);
    return 0;
}

int cli_max_reps_value(const char *arg, long *out)
{
    if (cli_parse_long(arg, 2, 100000000, out))
        return cli_bad_value("--max-replications (2 to 100000000)", arg);
    return 0;
}

static int take_seed(struct cli_opts *o, const char *arg)
{
    char *end;
    errno = 0;
    o->seed = strtoull(arg, &end, 10);
    if (errno || end == arg || *end || arg[0] == '-')
        return cli_bad_value("--seed (0 to 18446744073709551615)", arg);
    o->has_seed = 1;
    return 0;
}

int cli_path_value(const char *opt, const char *arg)
{
    if (arg[0] != '-' || arg[1] == '\0')
        return 0;
    cli_error("%s needs a value; the next argument, '%s', is an option "
              "(write ./%s for a file or folder of that name)",
              opt, arg, arg);
    return EXIT_USAGE;
}

/* A number option's value that reads as a long option with a dash
 * missing ("-no-plot" is -n with the value "o-plot"): says so. Only for
 * -n and -j, whose values cannot be such words anyway; "-out" stays -o
 * with "ut", since a folder may have any name. */
static int one_dash(int c, const char *arg)
{
    static const char *const names[] = {"no-plot", "no-progress", "jobs"};
    char word[64];
    snprintf(word, sizeof word, "%c%s", c, arg);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(word, names[i])) {
            cli_error("-%s: did you mean --%s? (a long option takes two "
                      "dashes)",
                      word, word);
            return EXIT_USAGE;
        }
    return 0;
}

int cli_take_shared(struct cli_opts *o, int c, const char *arg)
{
    long v;
    unsigned f;
    if ((c == 'n' || c == 'j') && one_dash(c, arg))
        return EXIT_USAGE;
    switch (c) {
    case 'n':
        if (cli_parse_long(arg, 1, 100000000, &o->replications))
            return cli_bad_value("--replications (1 to 100000000)", arg);
        return 0;
    case CLI_OPT_SEED:
        return take_seed(o, arg);
    case 'j':
        if (cli_parse_long(arg, 1, 4096, &v))
            return cli_bad_value("--jobs (1 to 4096)", arg);
        o->jobs = (int)v;
        return 0;
    case 'o':
        o->out = arg;
        return cli_path_value("-o", arg);
    case CLI_OPT_PLOTS:
        if (cli_path_value("--plots", arg))
            return EXIT_USAGE;
        o->plots = arg;
        o->explicit_plots = 1;
        return 0;
    case CLI_OPT_FORMAT:
        if (plot_format_parse(arg, &f) != 0)
            return cli_bad_value("--format (png, svg or pdf)", arg);
        o->formats |= f;
        o->explicit_plots = 1;
        return 0;
    case CLI_OPT_SIZE:
        if (plot_size_parse(arg, &f) != 0)
            return cli_bad_value("--size (screen, slide or doc)", arg);
        o->formats = (o->formats & ~(PLOT_SIZE_SLIDE | PLOT_SIZE_DOC)) | f;
        o->explicit_plots = 1;
        return 0;
    case CLI_OPT_NO_PLOT:
        o->no_plot = 1;
        return 0;
    case CLI_OPT_SET:
        if (o->nsets == CLI_MAX_SETS) {
            cli_error("too many --set options (at most %d)", CLI_MAX_SETS);
            return EXIT_USAGE;
        }
        o->sets[o->nsets++] = arg;
        return cli_check_set(arg);
    case 'q':
        o->quiet = 1;
        return 0;
    case CLI_OPT_PROGRESS:
    case CLI_OPT_NO_PROGRESS:
        o->progress = c == CLI_OPT_PROGRESS;
        return 0;
    default:
        return 1;
    }
}

void cli_default_dir(char *buf, size_t size, const char *top, const char *file)
{
    size_t len = strlen(file);
    while (len > 1 && file[len - 1] == '/')
        len--;
    size_t b = len;
    while (b > 0 && file[b - 1] != '/')
        b--;
    size_t n = strcspn(file + b, ".");
    n = n < len - b ? n : len - b;
    snprintf(buf, size, "%s/%.*s", top, (int)n, file + b);
}

/* s without its '-' and '_', into out (64 bytes); returns out. */
static const char *squash(const char *s, char *out)
{
    size_t k = 0;
    for (; *s && k < 63; s++)
        if (*s != '-' && *s != '_')
            out[k++] = *s;
    out[k] = '\0';
    return out;
}

int cli_bad_option(const char *cmd, const struct option *opts,
                   const char *shorts, char **argv)
{
    /* Which option failed. getopt_long leaves optopt 0 for an unknown or
     * ambiguous long option, else the option's letter or value; and it
     * keeps optind on a bundle of short options (-qx) until its last
     * letter, so the token before optind may be an earlier argument. */
    const char *tok = argv[optind - 1];
    const struct option *lo = NULL;
    int is_long = 0;
    size_t len = 0;
    if (!strncmp(tok, "--", 2)) {
        len = strcspn(tok + 2, "=");
        is_long = optopt == 0;
        for (size_t i = 0; opts[i].name && optopt != 0 && !lo; i++)
            if (opts[i].val == optopt && len > 0 &&
                !strncmp(opts[i].name, tok + 2, len))
                lo = &opts[i];
        is_long |= lo != NULL;
    }
    if (!is_long) {
        const char *at =
            optopt > 0 && optopt < 128 ? strchr(shorts, optopt) : NULL;
        if (at && at[1] == ':')
            cli_error("%s: option '-%c' needs a value (see 'salescap help "
                      "%s')",
                      cmd, optopt, cmd);
        else if (optopt > 32 && optopt < 127)
            cli_error("%s: unknown option '-%c' (see 'salescap help %s')", cmd,
                      optopt, cmd);
        else
            cli_error("%s: unknown option (see 'salescap help %s')", cmd, cmd);
        return EXIT_USAGE;
    }
    char name[64];
    snprintf(name, sizeof name, "--%.*s", (int)(len < 60 ? len : 60), tok + 2);
    if (lo) {
        cli_error(
            "%s: option '--%s' %s (see 'salescap help %s')", cmd, lo->name,
            lo->has_arg == no_argument ? "takes no value" : "needs a value",
            cmd);
        return EXIT_USAGE;
    }
    /* An abbreviation of several options. */
    char list[512];
    size_t k = 0, matches = 0;
    list[0] = '\0';
    for (size_t i = 0; opts[i].name; i++)
        if (len > 0 && !strncmp(opts[i].name, tok + 2, len) && k < 512) {
            k += (size_t)snprintf(list + k, sizeof list - k, "%s--%s",
                                  matches ? ", " : "", opts[i].name);
            matches++;
        }
    if (matches > 1) {
        cli_error("%s: option '%s' is ambiguous: %s (see 'salescap help "
                  "%s')",
                  cmd, name, list, cmd);
        return EXIT_USAGE;
    }
    const char *cand[64];
    char names[64][40];
    size_t n = 0;
    for (; opts[n].name && n < 64; n++) {
        snprintf(names[n], sizeof names[n], "--%s", opts[n].name);
        cand[n] = names[n];
    }
    const char *hint = text_suggest(name, cand, n);
    /* --output for --out: an option the name begins with. */
    for (size_t i = 0; i < n && !hint; i++)
        if (strlen(cand[i]) >= 4 && !strncmp(name, cand[i], strlen(cand[i])))
            hint = cand[i];
    /* --noplot for --no-plot: the same letters without the dashes. */
    char a[64], b[64];
    squash(name, a);
    for (size_t i = 0; i < n && !hint; i++)
        if (!strcmp(a, squash(cand[i], b)))
            hint = cand[i];
    if (hint)
        cli_error("%s: unknown option '%s'; did you mean '%s'? (see "
                  "'salescap help %s')",
                  cmd, name, hint, cmd);
    else
        cli_error("%s: unknown option '%s' (see 'salescap help %s')", cmd, name,
                  cmd);
    return EXIT_USAGE;
}
