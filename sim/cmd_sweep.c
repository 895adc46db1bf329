/* Placeholder until its owner lands the command. */
#include "cli.h"

int cmd_sweep(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_error("'sweep' is not built yet");
    return EXIT_RUNTIME;
}
