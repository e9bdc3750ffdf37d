/*
 * cmd_check.c -- `steward check -c FILE`: load and validate the configuration.
 * Owns the command's options, its output (every diagnostic on stderr; "FILE:
 * configuration OK" and a summary on stdout) and its exit code (0 ok, 1 invalid,
 * 2 usage). Leaves every check to cfg.c and the limit detection to cgroup.c
 * (cg_probe: read-only). Never prints a value that could be a secret.
 * Tests: tests/integration/t_check.sh (each tests/conf/bad/NAME.conf beside NAME.err)
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "cgroup.h"
#include "cmds.h"

#define CHECK_DEFAULT_CONF "/etc/steward/steward.conf"

static const char check_usage[] = "usage: steward check [-c FILE]\n"
    "  -c, --config FILE   configuration to check (default: $STEWARD_CONF, else "
    CHECK_DEFAULT_CONF ")\n";

/* Parse the options. Returns 0, 1 for --help (printed), or 2 (usage printed). */
static int
check_parse_args(int argc, char **argv, const char **path)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];

        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(check_usage, stdout);
            return 1;
        }
        if (strcmp(a, "-c") == 0 || strcmp(a, "--config") == 0) {
            if (i + 1 >= argc || argv[i + 1][0] == '\0') {
                fprintf(stderr, "steward check: %s needs a file name\n%s", a, check_usage);
                return 2;
            }
            *path = argv[++i];
        } else if (strncmp(a, "--config=", 9) == 0 && a[9] != '\0') {
            *path = a + 9;
        } else if (strncmp(a, "-c", 2) == 0 && a[2] != '\0') {
            *path = a + 2;
        } else {
            fprintf(stderr, "steward check: %s: %s\n%s",
                a[0] == '-' ? "unknown option" : "unexpected argument", a, check_usage);
            return 2;
        }
    }
    return 0;
}

static void
check_summary(const struct cfg *c)
{
    char reason[512];
    enum cg_mechanism m;
    size_t nexec = 0;

    for (size_t i = 0; i < c->nworkers; i++)
        nexec += strcmp(c->workers[i].kind, "exec") == 0;
    printf("workers: %zu (%zu instances, %zu exec)\n", c->nworkers, cfg_instance_count(c), nexec);
    printf("sources: %zu, jobs: %zu, metric queries: %zu, buckets: %zu\n", c->nsources,
        c->njobs, c->metrics.nqueries, c->storage.nbuckets);
    printf("database sets:");
    for (size_t i = 0; i < c->database.nsets; i++)
        printf("%s%s", i ? ", " : " ", c->database.sets[i]);
    printf("\n");
    m = cg_probe(NULL, reason, sizeof(reason));
    printf("limits: %s (%s)\n", cg_mechanism_name(m), reason);
}

int
cmd_check(int argc, char **argv)
{
    struct cfg_diag diag = CFG_DIAG_INIT;
    const char *path = getenv("STEWARD_CONF");
    struct cfg *c;
    int rc;

    if (path == NULL || *path == '\0')
        path = CHECK_DEFAULT_CONF;
    if ((rc = check_parse_args(argc, argv, &path)) != 0)
        return rc == 1 ? 0 : rc;
    c = cfg_load(path, &diag);
    if (c == NULL) {
        for (size_t i = 0; i < diag.n; i++)
            fprintf(stderr, "%s\n", diag.msgs[i]);
        cfg_diag_free(&diag);
        return 1;
    }
    printf("%s: configuration OK\n", path);
    check_summary(c);
    cfg_free(c);
    return 0;
}
