/*
 * cli: the commands of the salescap program and the options they share.
 * Each cmd_* parses its own arguments (argv[0] is the command name),
 * prints its own errors as "salescap: message" and returns the exit
 * status: 0 success, 1 runtime failure, 2 usage or configuration error.
 */
#ifndef SALESCAP_CLI_H
#define SALESCAP_CLI_H

#include <signal.h>
#include <stddef.h>

#define EXIT_USAGE   2
#define EXIT_RUNTIME 1

int cmd_run(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_calibrate(int argc, char **argv);
int cmd_sensitivity(int argc, char **argv);

/* Prints the help of a command (NULL: the overview) to stdout. Returns 0,
 * or 2 for an unknown command. */
int cli_help(const char *command);

/* Prints "salescap: <msg>" to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Checks the argument of a --set: SECTION.KEY=VALUE in one word. Returns
 * 0, or EXIT_USAGE after the message (a '--set sales.reps 10' would
 * otherwise surface as a stray file argument). */
int cli_check_set(const char *arg);

struct option;

/* The message for getopt_long's '?' (call it with opterr = 0): an unknown
 * option, with the nearest long option as a hint, or an option missing
 * its value. Returns EXIT_USAGE. */
int cli_bad_option(const char *cmd, const struct option *opts,
                   const char *shorts, char **argv);

/* Flushes stdout and reports a write error (e.g. a full disk), but not
 * a closed pipe (`| head`: the reader has what it wanted). Returns
 * status unchanged, or 1 if stdout could not be written. */
int cli_finish(int status);

/* Installs handler for SIGINT and SIGTERM from now on (no flags, no
 * signal blocked while it runs): the one place the commands set up
 * their signals. */
void cli_on_stop(void (*handler)(int));

/* Catches SIGINT and SIGTERM from now on: each sets *sig to the signal
 * and then *flag (unless NULL) to 1; both must outlive the handler, and
 * the last call wins. A command checks them to stop early and exit
 * 128 + signal. */
void cli_catch_stop(volatile int *flag, volatile sig_atomic_t *sig);

/* Number of online cores (at least 1). */
int cli_cores(void);

/* ---- the options run, trace and sweep share --------------------------- */

#define CLI_MAX_SETS 256

/* Their values; the command sets its defaults before parsing. */
struct cli_opts {
    const char *out, *plots;        /* -o, --plots */
    const char *sets[CLI_MAX_SETS]; /* --set, in order */
    int nsets;
    long replications;       /* -n */
    unsigned long long seed; /* --seed, when has_seed */
    int has_seed, jobs, quiet, progress, no_plot;
    unsigned formats;   /* --format and --size: PLOT_* bits */
    int explicit_plots; /* --plots or --format given */
};

/* getopt_long values of the shared long options; a command numbers its
 * own from CLI_OPT_NEXT. */
enum {
    CLI_OPT_SEED = 256,
    CLI_OPT_PLOTS,
    CLI_OPT_FORMAT,
    CLI_OPT_NO_PLOT,
    CLI_OPT_SET,
    CLI_OPT_PROGRESS,
    CLI_OPT_NO_PROGRESS,
    CLI_OPT_SIZE,
    CLI_OPT_NEXT
};

/* The shared entries of a struct option table (needs <getopt.h>); the
 * order is the one ambiguity messages list them in. Short options:
 * "n:j:o:q". */
#define CLI_SHARED_OPTIONS                                                     \
    {"replications", required_argument, NULL, 'n'},                            \
        {"seed", required_argument, NULL, CLI_OPT_SEED},                       \
        {"jobs", required_argument, NULL, 'j'},                                \
        {"out", required_argument, NULL, 'o'},                                 \
        {"plots", required_argument, NULL, CLI_OPT_PLOTS},                     \
        {"format", required_argument, NULL, CLI_OPT_FORMAT},                   \
        {"size", required_argument, NULL, CLI_OPT_SIZE},                       \
        {"no-plot", no_argument, NULL, CLI_OPT_NO_PLOT},                       \
        {"set", required_argument, NULL, CLI_OPT_SET},                         \
        {"quiet", no_argument, NULL, 'q'},                                     \
        {"progress", no_argument, NULL, CLI_OPT_PROGRESS},                     \
    {                                                                          \
        "no-progress", no_argument, NULL, CLI_OPT_NO_PROGRESS                  \
    }

/* Takes getopt_long's value c with its argument arg when c is a shared
 * option. Returns 0 when taken, EXIT_USAGE after the message for a bad
 * value, or 1 when c is not a shared option. */
int cli_take_shared(struct cli_opts *o, int c, const char *arg);

/* The value of an option that names a file or folder must not look like
 * an option: `-o --no-plot` is a forgotten value far more often than a
 * folder named "--no-plot". Returns 0, or EXIT_USAGE after the message. */
int cli_path_value(const char *opt, const char *arg);

/* Parses a whole decimal number in [lo, hi]. Returns 0, or -1. */
int cli_parse_long(const char *s, long lo, long hi, long *out);

/* The values of --precision (a relative half-width: "2%" or 0.02, above
 * 0 and below 1) and --max-replications (2 to 100000000), for run and
 * sweep. Return 0, or EXIT_USAGE after the message. */
int cli_precision_value(const char *arg, double *out);
int cli_max_reps_value(const char *arg, long *out);

/* Prints "OPT: invalid value 'V'" (OPT naming its range, as in "--jobs
 * (1 to 4096)") and returns EXIT_USAGE. */
int cli_bad_value(const char *opt, const char *v);

/* "TOP/STEM" into buf: STEM is file's last path component up to its
 * first '.' (results/pull_two_weeks for scenarios/pull_two_weeks.ini). */
void cli_default_dir(char *buf, size_t size, const char *top, const char *file);

#endif
