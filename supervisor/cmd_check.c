/*
 * cmd_check.c -- placeholder until its work package lands (replaced, not extended).
 */
#include "config.h"

#include <stdio.h>

#include "cmds.h"

int
cmd_check(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "steward: %s: not built yet\n", argv[0]);
    return 1;
}
