/* Placeholder until its owner lands the command. */
#include "cli.h"

int cmd_plot(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_error("'plot' is not built yet");
    return EXIT_RUNTIME;
}
