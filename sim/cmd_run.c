/* Placeholder until its owner lands the command. */
#include "cli.h"

int cmd_run(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_error("'run' is not built yet");
    return EXIT_RUNTIME;
}

int cmd_trace(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_error("'trace' is not built yet");
    return EXIT_RUNTIME;
}
