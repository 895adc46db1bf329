/* Placeholder until its owner lands the command. */
#include "cli.h"

int cmd_check(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_error("'check' is not built yet");
    return EXIT_RUNTIME;
}
