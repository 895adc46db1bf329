/*
 * main: dispatches to the commands of cli.h. The only place, with the cmd_*
 * functions, that prints errors and picks exit statuses.
 */
#include <gsl/gsl_errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct {
    const char *name;
    int (*fn)(int, char **);
} commands[] = {
    {"run", cmd_run},
    {"check", cmd_check},
    {"sweep", cmd_sweep},
    {"plot", cmd_plot},
    {"trace", cmd_trace},
    {"import", cmd_import},
    {"calibrate", cmd_calibrate},
    {"sensitivity", cmd_sensitivity},
};

int main(int argc, char **argv)
{
    /* GSL's default handler aborts; every GSL call we make checks its
     * inputs or its return code instead. */
    gsl_set_error_handler_off();
    /* A missing gnuplot or a closed stdout must be an error we report,
     * not a silent death by SIGPIPE. */
    signal(SIGPIPE, SIG_IGN);

    if (argc < 2) {
        cli_help(NULL);
        return cli_finish(EXIT_USAGE);
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h"))
        return cli_finish(cli_help(NULL));
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
        printf("salescap %s\n", SALESCAP_VERSION);
        return cli_finish(0);
    }
    if (!strcmp(cmd, "help"))
        return cli_finish(cli_help(argc > 2 ? argv[2] : NULL));
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(cmd, commands[i].name))
            return cli_finish(commands[i].fn(argc - 1, argv + 1));
    cli_error("unknown command '%s' (try 'salescap --help')", cmd);
    return cli_finish(EXIT_USAGE);
}
