/*
 * cmd_migrate.c -- placeholder until its work package lands (replaced, not extended).
 */
#include "config.h"

#include <stdio.h>

#include "cmds.h"

int
cmd_migrate(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "steward: %s: not built yet\n", argv[0]);
    return 1;
}

int
cmd_seed(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "steward: %s: not built yet\n", argv[0]);
    return 1;
}
