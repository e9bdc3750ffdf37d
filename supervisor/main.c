/*
 * main.c -- the steward command: subcommand dispatch (run, check, migrate, seed,
 * version; cron and storage join with their issues). Owns the subcommand table and the
 * usage text; each subcommand owns its options and returns its exit code (0 ok,
 * 1 operational error, 2 usage). Tests: tests/integration/t_check.sh (usage, version),
 * and every subcommand's own tests.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cmds.h"
#include "log.h"
#include "util.h"

static int
cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("steward %s\n", PACKAGE_VERSION);
    return 0;
}

struct subcommand {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *usage;
};

static const struct subcommand subcommands[] = {
    { "run", cmd_run, "steward run     -c FILE" },
    { "check", cmd_check, "steward check   -c FILE" },
    { "migrate", cmd_migrate,
      "steward migrate -c FILE [status|up|down [N]|verify] [--dry-run] [--set NAME] [--sql-dir DIR]" },
    { "seed", cmd_seed, "steward seed    -c FILE [--set NAME] [--seeds-dir DIR]" },
    { "version", cmd_version, "steward version" },
};

static void
usage(FILE *out)
{
    fprintf(out, "usage:\n");
    for (size_t i = 0; i < ST_ARRAY_LEN(subcommands); i++)
        fprintf(out, "  %s\n", subcommands[i].usage);
}

int
main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)
        return cmd_version(argc - 1, argv + 1);
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < ST_ARRAY_LEN(subcommands); i++)
        if (strcmp(argv[1], subcommands[i].name) == 0)
            return subcommands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "steward: unknown command: %s\n", argv[1]);
    usage(stderr);
    return 2;
}
