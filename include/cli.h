/*
 * cli: the commands of the salescap program and the options they share.
 * Each cmd_* parses its own arguments (argv[0] is the command name),
 * prints its own errors as "salescap: message" and returns the exit
 * status: 0 success, 1 runtime failure, 2 usage or configuration error.
 */
#ifndef SALESCAP_CLI_H
#define SALESCAP_CLI_H

#include <stddef.h>

#define EXIT_USAGE 2
#define EXIT_RUNTIME 1

int cmd_run(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_trace(int argc, char **argv);

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

/* Flushes stdout and reports a write error (e.g. a full disk). Returns
 * status unchanged, or 1 if stdout could not be written. */
int cli_finish(int status);

/* Number of online cores (at least 1). */
int cli_cores(void);

#endif
