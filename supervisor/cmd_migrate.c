/*
 * cmd_migrate.c -- `steward migrate` and `steward seed`: the command line around the
 * migration engine (common/migrate.c). Owns option parsing, choosing the config,
 * database URL, directories and sets, and the exit codes (0 ok, 1 operational error,
 * 2 usage). `--set NAME` limits a command to one set, except that `up --set NAME`
 * first applies what is pending in platform, which every set builds on.
 * Does not own migrations themselves (migrate.c) nor connections (db.c).
 * Tests: tests/integration/t_migrate*.sh, tests/integration/t_seed.sh
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg.h"
#include "cmds.h"
#include "db.h"
#include "migrate.h"
#include "util.h"

#define MIGRATE_USAGE "usage: steward migrate -c FILE [status|up|down [N]|verify] " \
    "[--dry-run] [--set NAME] [--sql-dir DIR] [--url URL] [--wait SECONDS]\n"
#define SEED_USAGE "usage: steward seed -c FILE [--set NAME] [--seeds-dir DIR] [--dry-run] " \
    "[--url URL] [--wait SECONDS]\n"

enum mig_action { ACT_STATUS, ACT_UP, ACT_DOWN, ACT_VERIFY, ACT_SEED };

struct migrate_args {
    const char *prog;           /* "migrate" or "seed", for messages */
    const char *conf;
    const char *set;
    const char *dir;
    const char *url;
    double wait_s;
    bool dry_run;
    enum mig_action action;
    int n;                      /* down N */
};

static int
migrate_parse_count(const char *s, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);

    if (*s == '\0' || *end != '\0' || v < 1 || v > 1000000)
        return -1;
    *out = (int)v;
    return 0;
}

/* The positional words: ACTION [N]. Returns 0, or -1 after printing the problem. */
static int
migrate_parse_action(struct migrate_args *a, int argc, char **argv)
{
    static const char *const names[] = { "status", "up", "down", "verify" };
    int i;

    a->action = ACT_STATUS;
    a->n = 1;
    if (argc == 0)
        return 0;
    for (i = 0; i < (int)ST_ARRAY_LEN(names); i++)
        if (strcmp(argv[0], names[i]) == 0)
            break;
    if (i == (int)ST_ARRAY_LEN(names)) {
        fprintf(stderr, "steward migrate: unknown action: %s (status, up, down, verify)\n",
            argv[0]);
        return -1;
    }
    a->action = (enum mig_action)i;
    if (argc > 1 && a->action == ACT_DOWN && migrate_parse_count(argv[1], &a->n) == -1) {
        fprintf(stderr, "steward migrate: down N: not a positive count: %s\n", argv[1]);
        return -1;
    }
    if (argc > (a->action == ACT_DOWN ? 2 : 1)) {
        fprintf(stderr, "steward migrate: unexpected argument: %s\n",
            argv[a->action == ACT_DOWN ? 2 : 1]);
        return -1;
    }
    return 0;
}

/*
 * Parse options (GNU getopt permutes, so options may follow the action word) and the
 * positional words. Returns 0, 2 for a usage error, or -2 after printing help.
 */
static int
migrate_parse(struct migrate_args *a, int argc, char **argv, bool seed)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' },
        { "set", required_argument, NULL, 's' },
        { "sql-dir", required_argument, NULL, 'd' },
        { "seeds-dir", required_argument, NULL, 'D' },
        { "url", required_argument, NULL, 'u' },
        { "wait", required_argument, NULL, 'w' },
        { "dry-run", no_argument, NULL, 'n' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *usage = seed ? SEED_USAGE : MIGRATE_USAGE;
    int c;

    optind = 0;                 /* glibc: full re-initialisation */
    while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
        switch (c) {
        case 'c': a->conf = optarg; break;
        case 's': a->set = optarg; break;
        case 'u': a->url = optarg; break;
        case 'n': a->dry_run = true; break;
        case 'w': a->wait_s = atof(optarg); break;
        case 'd':
        case 'D':
            if ((c == 'D') != seed)
                goto bad;
            a->dir = optarg;
            break;
        case 'h': fputs(usage, stdout); return -2;
        default: goto bad;
        }
    }
    if (seed) {
        if (optind < argc) {
            fprintf(stderr, "steward seed: unexpected argument: %s\n", argv[optind]);
            goto bad;
        }
        a->action = ACT_SEED;
    } else if (migrate_parse_action(a, argc - optind, argv + optind) == -1) {
        goto bad;
    }
    return 0;
bad:
    fputs(usage, stderr);
    return 2;
}

static void
migrate_print_diag(const struct cfg_diag *diag)
{
    for (size_t i = 0; i < diag->n; i++)
        fprintf(stderr, "%s\n", diag->msgs[i]);
}

/* Run the chosen action on an open connection; returns the exit code. */
static int
migrate_dispatch(struct db *db, const struct migrate_args *a, const struct mig_opts *o)
{
    struct st_error err = ST_ERROR_INIT;
    int rc;

    switch (a->action) {
    case ACT_STATUS: rc = mig_status(db, o, &err); break;
    case ACT_UP: rc = mig_up(db, o, &err); break;
    case ACT_DOWN: rc = mig_down(db, o, a->n, &err); break;
    case ACT_VERIFY:
        if ((rc = mig_verify(db, o, &err)) > 0)
            return 1;
        break;
    case ACT_SEED: rc = mig_seed(db, o, &err); break;
    default: rc = -1; st_error_set(&err, "unknown action");
    }
    if (rc < 0) {
        fprintf(stderr, "steward %s: %s\n", a->prog, err.msg);
        return 1;
    }
    return 0;
}

/* Load the config, pick URL, dir and sets, connect, dispatch. */
static int
migrate_run(struct migrate_args *a)
{
    struct cfg_diag diag = CFG_DIAG_INIT;
    struct st_error err = ST_ERROR_INIT;
    struct mig_opts o = { 0 };
    struct cfg *cfg;
    struct db *db = NULL;
    const char *two[2];
    char *default_dir = NULL;
    int rc = 1;

    if ((cfg = cfg_load(a->conf, &diag)) == NULL) {
        migrate_print_diag(&diag);
        cfg_diag_free(&diag);
        return 1;
    }
    if (a->url == NULL)
        a->url = cfg->database.url;
    if (a->url == NULL || *a->url == '\0') {
        fprintf(stderr, "steward %s: %s: database.url is not set (e.g. url = "
            "\"${STEWARD_DATABASE_URL}\")\n", a->prog, a->conf);
        goto out;
    }
    if (a->dir == NULL) {
        const char *cdir = a->action == ACT_SEED ? cfg->database.seeds_dir : cfg->database.sql_dir;
        if (cdir != NULL)
            a->dir = cdir;
        else
            a->dir = default_dir = st_xasprintf("%s/%s", STEWARD_DATADIR,
                a->action == ACT_SEED ? "seeds" : "sql");
    }
    if (a->set != NULL && a->action == ACT_UP && strcmp(a->set, "platform") != 0) {
        /* Every set builds on platform: `up --set X` brings platform up to date first. */
        two[0] = "platform";
        two[1] = a->set;
        o.sets = two;
        o.nsets = 2;
    } else if (a->set != NULL) {
        two[0] = a->set;
        o.sets = two;
        o.nsets = 1;
        o.explicit_set = true;
    } else {
        o.sets = (const char *const *)cfg->database.sets;
        o.nsets = cfg->database.nsets;
    }
    o.dir = a->dir;
    o.dry_run = a->dry_run;
    o.out = stdout;
    o.progress = stderr;
    o.tty = isatty(STDERR_FILENO) == 1;
    if ((db = db_connect_retry(a->url, a->wait_s, &err)) == NULL) {
        fprintf(stderr, "steward %s: %s\n", a->prog, err.msg);
        goto out;
    }
    rc = migrate_dispatch(db, a, &o);
out:
    db_close(db);
    free(default_dir);
    cfg_free(cfg);
    return rc;
}

static int
migrate_main(int argc, char **argv, bool seed)
{
    struct migrate_args a = { .prog = seed ? "seed" : "migrate", .wait_s = 10.0 };
    int rc;

    if ((rc = migrate_parse(&a, argc, argv, seed)) != 0)
        return rc == -2 ? 0 : rc;
    if (a.conf == NULL) {
        a.conf = getenv("STEWARD_CONF");
        if (a.conf == NULL || *a.conf == '\0')
            a.conf = "/etc/steward/steward.conf";
    }
    return migrate_run(&a);
}

/* `steward migrate`: see DESIGN.md "Command line". Returns the exit code. */
int
cmd_migrate(int argc, char **argv)
{
    return migrate_main(argc, argv, false);
}

/* `steward seed`: see DESIGN.md "Command line". Returns the exit code. */
int
cmd_seed(int argc, char **argv)
{
    return migrate_main(argc, argv, true);
}
