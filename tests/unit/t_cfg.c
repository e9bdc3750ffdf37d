/*
 * t_cfg.c -- configuration: defaults, ${VAR} expansion and .env, @include, every error
 * class with its exact "file:line: message", all errors in one run, secrets reaching
 * the log masked, cfg_worker_equal, database.sets starting with platform.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfg.h"
#include "log.h"
#include "tap.h"
#include "util.h"

#define DB "database = { url = \"postgres://steward@localhost/steward\"; };\n"

static char tmpdir[64];

/* Load text; return the diagnostics joined by '\n' (malloc'd, "" when it loaded). */
static char *
errors_of(const char *text)
{
    struct cfg_diag diag = CFG_DIAG_INIT;
    struct cfg *c = cfg_load_string(text, "t.conf", &diag);
    struct st_buf b = ST_BUF_INIT;

    st_buf_puts(&b, "");
    for (size_t i = 0; i < diag.n; i++)
        st_buf_printf(&b, "%s%s", i ? "\n" : "", diag.msgs[i]);
    if (c == NULL && diag.n == 0)
        st_buf_puts(&b, "(NULL without a message)");
    if (c != NULL && diag.n > 0)
        st_buf_puts(&b, "(a cfg AND messages)");
    cfg_free(c);
    cfg_diag_free(&diag);
    return st_buf_steal(&b);
}

static void
expect_error(const char *text, const char *want, const char *name)
{
    char *got = errors_of(text);

    is_str(got, want, name);
    free(got);
}

static struct cfg *
load_ok(const char *text)
{
    struct cfg_diag diag = CFG_DIAG_INIT;
    struct cfg *c = cfg_load_string(text, "t.conf", &diag);

    if (c == NULL)
        printf("# unexpected: %s\n", cfg_diag_first(&diag));
    cfg_diag_free(&diag);
    return c;
}

static void
write_file(const char *dir, const char *name, const char *text)
{
    char path[256];
    int fd;

    (void)snprintf(path, sizeof(path), "%s/%s", dir, name);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd == -1 || st_write_all(fd, text, strlen(text)) == -1)
        printf("# write %s: %s\n", path, strerror(errno));
    if (fd != -1)
        close(fd);
}

static void
test_defaults_are_filled(void)
{
    struct cfg *c = load_ok(DB "workers = ( { name = \"m\"; kind = \"metrics\"; },\n"
        "  { name = \"t\"; kind = \"transformer\"; count = 2; } );\n");

    if (c == NULL) {
        ok(0, "minimal config loads");
        return;
    }
    is_str(c->steward.run_dir, "/run/steward", "run_dir default");
    ok(c->steward.shutdown_timeout_s == 10.0, "shutdown_timeout default 10 s");
    is_int(c->steward.start_limit_burst, 5, "start_limit_burst default 5");
    ok(c->steward.start_limit_interval_s == 60.0, "start_limit_interval default 60 s");
    ok(c->steward.stable_s == 60.0, "stable_s default 60 s");
    ok(c->steward.failed_retry_s == 0.0, "failed_retry_s default off");
    ok(c->steward.heartbeat_s == 5.0, "heartbeat_s default 5 s");
    is_str(c->steward.log_level, "info", "log.level default info");
    ok(c->steward.control_group == NULL, "control_group default none");
    is_int(c->database.pool_size, 4, "pool_size default 4");
    is_str(c->redis.url, "redis://127.0.0.1:6379/0", "redis.url default");
    is_str(c->queue.redis_url, c->redis.url, "queue.redis_url defaults to redis.url");
    is_int(c->queue.max_deliveries, 5, "max_deliveries default 5");
    ok(c->cache.l1_s == 0 && c->cache.l2_s == 3600 && c->cache.l3_s == 300, "cache tiers");
    is_int(c->workers[0].count, 1, "count default 1");
    is_int(c->workers[0].restart, CFG_RESTART_ALWAYS, "restart default always");
    is_str(c->workers[0].listen, "127.0.0.1:9464", "metrics listen default");
    is_int(c->workers[0].start_limit_burst, 5, "worker inherits start_limit_burst");
    ok(c->workers[0].stable_s == 60.0, "worker inherits stable_s");
    is_int((long long)cfg_instance_count(c), 3, "three instances");
    is_int(c->workers[1].line, 3, "worker line recorded");
    is_str(c->workers[1].file, "t.conf", "worker file recorded");
    cfg_free(c);
}

static void
test_reserved_names_are_fine_with_a_count(void)
{
    struct cfg *c = load_ok(DB "workers = ( { name = \"tasks\"; kind = \"transformer\"; count = 2; },\n"
        "  { name = \"stewardish\"; kind = \"validator\"; } );\n");

    ok(c != NULL, "count 2 makes tasks.1, tasks.2: accepted; stewardish is not steward");
    cfg_free(c);
}

static void
test_worker_overrides_are_resolved(void)
{
    struct cfg *c = load_ok(DB "steward = { start_limit_burst = 7; stable_s = 30.0; "
        "heartbeat_s = 0.5; };\n"
        "workers = ( { name = \"a\"; kind = \"transformer\"; start_limit_burst = 2; stable_s = 5; },\n"
        "  { name = \"b\"; kind = \"validator\"; } );\n");

    if (c == NULL) {
        ok(0, "config loads");
        return;
    }
    is_int(c->workers[0].start_limit_burst, 2, "override start_limit_burst");
    ok(c->workers[0].stable_s == 5.0, "override stable_s (an integer is accepted)");
    is_int(c->workers[1].start_limit_burst, 7, "inherit steward.start_limit_burst");
    ok(c->workers[1].stable_s == 30.0, "inherit steward.stable_s");
    ok(c->steward.heartbeat_s == 0.5, "steward.heartbeat_s read");
    cfg_free(c);
}

static void
test_sets_start_with_platform(void)
{
    struct cfg *c = load_ok(DB);
    struct cfg *d = load_ok("database = { url = \"postgres:///x\"; sets = [ \"revops\", "
        "\"platform\", \"survey\" ]; };\n");

    if (c == NULL || d == NULL) {
        ok(0, "configs load");
        cfg_free(c);
        cfg_free(d);
        return;
    }
    is_int((long long)c->database.nsets, 1, "no sets: just one");
    is_str(c->database.sets[0], "platform", "no sets: platform");
    is_int((long long)d->database.nsets, 3, "platform not duplicated");
    is_str(d->database.sets[0], "platform", "platform first");
    is_str(d->database.sets[1], "revops", "then the listed order");
    is_str(d->database.sets[2], "survey", "then the listed order (2)");
    cfg_free(c);
    cfg_free(d);
}

static void
test_expansion_from_environment(void)
{
    struct cfg *c;

    setenv("T_CFG_URL", "postgres://u@h/db", 1);
    setenv("T_CFG_EMPTY", "", 1);
    unsetenv("T_CFG_UNSET");
    c = load_ok("database = { url = \"${T_CFG_URL}\"; };\n"
        "redis = { url = \"${T_CFG_UNSET:-redis://r:6380/1}\"; };\n"
        "steward = { run_dir = \"/x/${T_CFG_EMPTY:-def}/$${LITERAL}\"; };\n");
    if (c == NULL) {
        ok(0, "config loads");
        return;
    }
    is_str(c->database.url, "postgres://u@h/db", "${VAR}");
    is_str(c->redis.url, "redis://r:6380/1", "${VAR:-default} when unset");
    is_str(c->steward.run_dir, "/x/def/${LITERAL}", "default when empty; $${ is literal");
    cfg_free(c);
}

static void
test_unset_variable_is_an_error(void)
{
    unsetenv("T_CFG_NOPE");
    expect_error("steward = { };\ndatabase = { url = \"${T_CFG_NOPE}\"; };\n",
        "t.conf:2: database.url: environment variable T_CFG_NOPE is not set (export it)",
        "unset ${VAR} names the variable and file:line");
    expect_error("steward = { run_dir = \"/${T_CFG_NOPE\"; };\n",
        "t.conf:1: steward.run_dir: bad variable reference \"${T_CFG_NOPE\" (use ${NAME} or "
        "${NAME:-default}; write $${ for a literal ${)", "unterminated ${");
}

static void
test_dotenv_and_environment_wins(void)
{
    char dir[128], path[160];
    struct cfg_diag diag = CFG_DIAG_INIT;
    struct cfg *c;

    (void)snprintf(dir, sizeof(dir), "%s/envdir", tmpdir);
    (void)mkdir(dir, 0755);
    write_file(dir, ".env", "# comment\nT_CFG_DB=postgres://from-dotenv/db\n"
        "export T_CFG_RUN='/run/quoted # not a comment'\nT_CFG_WIN=\"dotenv\"  # comment\n");
    write_file(dir, "s.conf", "database = { url = \"${T_CFG_DB}\"; };\n"
        "steward = { run_dir = \"${T_CFG_RUN}\"; control_group = \"${T_CFG_WIN}\"; };\n");
    (void)snprintf(path, sizeof(path), "%s/s.conf", dir);
    unsetenv("T_CFG_DB");
    unsetenv("T_CFG_RUN");
    setenv("T_CFG_WIN", "environment", 1);
    c = cfg_load(path, &diag);
    ok(c != NULL, "loads with .env");
    if (c != NULL) {
        is_str(c->database.url, "postgres://from-dotenv/db", ".env value");
        is_str(c->steward.run_dir, "/run/quoted # not a comment", "export and single quotes");
        is_str(c->steward.control_group, "environment", "the environment wins over .env");
    }
    cfg_free(c);
    cfg_diag_free(&diag);

    write_file(dir, ".env", "GOOD=1\nnot a setting\nBAD='open\n");
    write_file(dir, "e.conf", "steward = { };\n");
    (void)snprintf(path, sizeof(path), "%s/e.conf", dir);
    c = cfg_load(path, &diag);
    {
        char *want = st_xasprintf("%s/.env:2: expected KEY=VALUE\n", dir);
        char *got = diag.n == 2 ? st_xasprintf("%s\n", diag.msgs[0]) : st_xstrdup("?");
        is_str(got, want, "a bad .env line is named with its line");
        free(want);
        free(got);
        want = st_xasprintf("%s/.env:3: unterminated quote or text after it", dir);
        is_str(diag.n == 2 ? diag.msgs[1] : "", want, "an open quote in .env");
        free(want);
    }
    cfg_free(c);
    cfg_diag_free(&diag);
    write_file(dir, ".env", "# empty\n");

    write_file(dir, "u.conf", "database = { url = \"${T_CFG_MISSING}\"; };\n");
    (void)snprintf(path, sizeof(path), "%s/u.conf", dir);
    c = cfg_load(path, &diag);
    {
        char *want = st_xasprintf("%s:1: database.url: environment variable T_CFG_MISSING is "
            "not set (export it or put it in %s/.env)", path, dir);
        is_str(cfg_diag_first(&diag), want, "the hint names the .env beside the file");
        free(want);
    }
    cfg_free(c);
    cfg_diag_free(&diag);
}

static void
test_include_resolves_beside_the_file(void)
{
    char dir[128], path[160], want[400];
    struct cfg_diag diag = CFG_DIAG_INIT;
    struct cfg *c;

    (void)snprintf(dir, sizeof(dir), "%s/incdir", tmpdir);
    (void)mkdir(dir, 0755);
    write_file(dir, "main.conf", DB "@include \"workers.conf\"\n");
    write_file(dir, "workers.conf", "\nworkers = ( { name = \"v\"; kind = \"validator\"; } );\n");
    (void)snprintf(path, sizeof(path), "%s/main.conf", dir);
    c = cfg_load(path, &diag);         /* cwd is not dir: relative to the including file */
    ok(c != NULL && c->nworkers == 1, "@include relative to the config's directory");
    if (c != NULL) {
        (void)snprintf(want, sizeof(want), "%s/workers.conf", dir);
        is_str(c->workers[0].file, want, "worker remembers its file");
        is_int(c->workers[0].line, 2, "and its line in that file");
    }
    cfg_free(c);
    cfg_diag_free(&diag);

    write_file(dir, "workers.conf", "\nworkers = ( { name = \"v\"; kind = \"validatr\"; } );\n");
    c = cfg_load(path, &diag);
    (void)snprintf(want, sizeof(want), "%s/workers.conf:2: workers[0].kind: unknown kind "
        "\"validatr\" (use one of: ingestor, transformer, validator, cache-warmer, scheduler, "
        "metrics, exec)", dir);
    is_str(cfg_diag_first(&diag), want, "an error in an included file names that file");
    cfg_free(c);
    cfg_diag_free(&diag);

    expect_error("a = 1;\n@include \"/etc/passwd\"\n",
        "t.conf:2: @include is not available here (configuration text without a file)",
        "cfg_load_string refuses @include");
}

static void
test_missing_file(void)
{
    struct cfg_diag diag = CFG_DIAG_INIT;
    struct cfg *c = cfg_load("/nonexistent/steward.conf", &diag);

    ok(c == NULL, "missing file: NULL");
    is_str(cfg_diag_first(&diag), "/nonexistent/steward.conf: cannot read: No such file or "
        "directory", "missing file message");
    cfg_diag_free(&diag);
}

static void
test_error_classes(void)
{
    expect_error("a = 1;\nb = ;\n", "t.conf:2: syntax error (look for a missing ';', quote or "
        "bracket here or just before)", "syntax error");
    expect_error("steward = {\n  rundir = \"/x\"; };\n",
        "t.conf:2: steward.rundir: unknown setting (did you mean run_dir?)", "unknown key, close");
    expect_error("frobnicate = 1;\n", "t.conf:1: frobnicate: unknown setting (known here: "
        "steward, database, redis, sources, workers, queue, cache, jobs, alerts, metrics, storage)",
        "unknown section");
    expect_error("steward = { shutdown_timeout = \"10\"; };\n",
        "t.conf:1: steward.shutdown_timeout: expected a number of seconds, got a string",
        "wrong type");
    expect_error("database = { pool_size = 2.5; };\n",
        "t.conf:1: database.pool_size: expected an integer, got a number", "float for integer");
    expect_error("workers = (\n { name = \"a\"; } );\n",
        "t.conf:2: workers[0]: missing required setting kind", "missing required");
    expect_error("workers = ( { name = \"a\"; kind = \"transfomer\"; } );\n",
        "t.conf:1: workers[0].kind: unknown kind \"transfomer\" (use one of: ingestor, "
        "transformer, validator, cache-warmer, scheduler, metrics, exec)", "unknown kind");
    expect_error(DB "workers = ( { name = \"a\"; kind = \"validator\"; },\n"
        "  { name = \"a\"; kind = \"validator\"; } );\n",
        "t.conf:3: workers[1].name: duplicate worker name \"a\" (first at t.conf:2)",
        "duplicate worker name");
    expect_error(DB "workers = ( { name = \"t\"; kind = \"transformer\"; count = 2; },\n"
        "  { name = \"t.2\"; kind = \"validator\"; } );\n",
        "t.conf:3: workers[1].name: instance name \"t.2\" clashes with worker \"t\" (count 2) "
        "at t.conf:2", "duplicate instance name");
    expect_error(DB "workers = ( { name = \"t.2\"; kind = \"validator\"; },\n"
        "  { name = \"t\"; kind = \"transformer\"; count = 3; } );\n",
        "t.conf:3: workers[1].name: instance \"t.2\" of this worker (count 3) clashes with "
        "worker \"t.2\" at t.conf:2", "duplicate instance name, worker defined first");
    expect_error(DB "workers = ( { name = \"steward\"; kind = \"validator\"; } );\n",
        "t.conf:2: workers[0].name: name \"steward\" is reserved: the supervisor's own name "
        "(steward.sock, its log records) (choose another name)", "worker named steward");
    expect_error(DB "workers = ( { name = \"tasks\"; kind = \"exec\"; command = [\"/bin/true\"]; } );\n",
        "t.conf:2: workers[0].name: name \"tasks\" is reserved: a cgroup file or directory name "
        "(choose another name)", "worker named tasks (a cgroup v1 file)");
    expect_error(DB "workers = ( { name = \"cgroup.procs\"; kind = \"validator\"; } );\n",
        "t.conf:2: workers[0].name: name \"cgroup.procs\" is reserved: a cgroup interface file "
        "prefix (choose another name)", "worker named like a cgroup file");
    expect_error(DB "workers = ( { name = \"a\"; kind = \"validator\";\n"
        "  limits = { memory = \"256Q\"; }; } );\n",
        "t.conf:3: workers[0].limits.memory: bad size \"256Q\" (use a number with K, M or G)",
        "bad size");
    expect_error(DB "workers = ( { name = \"a\"; kind = \"validator\"; limits = { cpu = 0.0; }; } );\n",
        "t.conf:2: workers[0].limits.cpu: 0 is out of range (0.01 to 1024)", "cpu out of range");
    expect_error(DB "steward = { heartbeat_s = 0.01; };\n",
        "t.conf:2: steward.heartbeat_s: 0.01 is out of range (0.1 to 3600)",
        "heartbeat_s out of range");
    expect_error("database = { url = \"mysql://u:hunter22@h/db\"; };\n",
        "t.conf:1: database.url: bad PostgreSQL URL \"mysql://u:***@h/db\" (use "
        "postgres://user:password@host:5432/dbname or \"host=... dbname=...\")", "bad pg url");
    expect_error("redis = { url = \"rediss://h:6380\"; };\n",
        "t.conf:1: redis.url: rediss:// (TLS) is not supported by this build's hiredis 0.14: "
        "use redis:// over a trusted network or a TLS tunnel", "rediss refused");
    expect_error("redis = { url = \"http://h\"; };\n",
        "t.conf:1: redis.url: bad Redis URL \"http://h\" (use redis://[:password@]host[:port]"
        "[/db] or a unix socket path)", "bad redis url");
    expect_error(DB "workers = ( { name = \"e\"; kind = \"ingestor\"; listen = \"8088\"; } );\n",
        "t.conf:2: workers[0].listen: bad listen address \"8088\" (use host:port, e.g. "
        "127.0.0.1:8088)", "bad listen");
    expect_error(DB "sources = { odoo = { url = \"postgres:///odoo\";\n"
        "  tables = ( { name = \"crm_lead\"; cursor = \"write_date\"; } ); }; };\n"
        "workers = ( { name = \"a\"; kind = \"validator\"; }, { name = \"b\"; kind = \"validator\"; },\n"
        "  { name = \"i\"; kind = \"ingestor\";\n    source = \"odoo2\"; } );\n",
        "t.conf:6: workers[2].source: no source named \"odoo2\" (defined: odoo)",
        "unknown source");
    expect_error("workers = ( { name = \"x\"; kind = \"exec\"; } );\n",
        "t.conf:1: workers[0]: exec worker needs command = [ \"/path/to/program\", \"arg\", "
        "... ]", "exec without command");
    expect_error("workers = ( { name = \"x\"; kind = \"exec\"; command = [ \"python3\" ]; } );\n",
        "t.conf:1: workers[0].command: program \"python3\" needs a path (e.g. /usr/bin/python3): "
        "steward does not search PATH", "exec command without a path");
    expect_error("workers = ( { name = \"x\"; kind = \"exec\"; command = [ \"/bin/true\" ];\n"
        " restart = \"sometimes\"; } );\n",
        "t.conf:2: workers[0].restart: unknown restart \"sometimes\" (use one of: always, "
        "on-failure, never)", "bad restart");
    expect_error("jobs = ( { name = \"j\"; cron = \"0 18 * *\"; sql = \"select 1\"; } );\n",
        "t.conf:1: jobs[0].cron: bad cron expression \"0 18 * *\" (use 5 fields: minute hour "
        "day-of-month month day-of-week, or @hourly, @daily, @weekly, @monthly, @yearly)",
        "bad cron");
    expect_error("jobs = ( { name = \"j\"; cron = \"\"; sql = \"select 1\"; } );\n",
        "t.conf:1: jobs[0].cron: must not be empty", "empty cron");
    expect_error("jobs = ( { name = \"j\"; cron = \"@daily\"; sql = \"select 1\";\n"
        " overlap = \"wait\"; } );\n",
        "t.conf:2: jobs[0].overlap: unknown overlap \"wait\" (use one of: skip, queue, replace)",
        "bad overlap");
    expect_error("jobs = ( { name = \"j\"; cron = \"@daily\"; sql = \"x\"; timezone = \"../etc/x\"; } );\n",
        "t.conf:1: jobs[0].timezone: bad timezone \"../etc/x\" (use a zone name such as UTC or "
        "Europe/Paris)", "bad timezone");
    if (access("/usr/share/zoneinfo/Europe/Paris", R_OK) == 0) {
        expect_error("jobs = ( { name = \"j\"; cron = \"@daily\"; sql = \"x\"; timezone = \"Europe/Pariss\"; } );\n",
            "t.conf:1: jobs[0].timezone: unknown timezone \"Europe/Pariss\" (no "
            "/usr/share/zoneinfo/Europe/Pariss; use a zone name such as UTC or Europe/Paris)",
            "unknown timezone");
        expect_error("jobs = ( { name = \"j\"; cron = \"@daily\"; sql = \"x\"; timezone = \"Europe/Paris\"; } );\n",
            "", "known timezone");
    } else {
        skip(2, "no zoneinfo on this machine");
    }
    expect_error("jobs = ( { name = \"j\"; cron = \"@daily\"; } );\n",
        "t.conf:1: jobs[0]: nothing to run (set exactly one of http = { ... }, sql = \"...\" or "
        "builtin = \"...\")", "job without action");
    expect_error("steward = { log = { level = \"loud\"; }; };\n",
        "t.conf:1: steward.log.level: unknown level \"loud\" (use one of: debug, info, warn, "
        "warning, error)", "bad log level");
    expect_error("workers = ( { name = \"x\"; kind = \"exec\"; command = [ \"/bin/true\" ];\n"
        "  source = \"odoo\"; } );\n",
        "t.conf:2: workers[0].source: only for ingestor workers (this one is exec)",
        "key for another kind");
    expect_error(DB "sources = { s = { url = \"postgres:///s\"; tables = ( { name = \"t\"; "
        "cursor = \"c\"; } ); }; };\n"
        "workers = ( { name = \"i\"; kind = \"ingestor\"; source = \"s\";\n"
        "  routes = ( { path = \"/x\"; table = \"a.b\"; } ); } );\n",
        "t.conf:4: workers[0].routes: only used with listen = \"host:port\" (events intake)",
        "intake keys need listen");
    expect_error("workers = ( { name = \"t\"; kind = \"transformer\"; } );\n",
        "t.conf:1: workers[0]: transformer workers need database.url (set database = { url = "
        "\"${STEWARD_DATABASE_URL}\"; })", "database.url needed");
}

static void
test_libconfig_pitfalls_are_caught(void)
{
    expect_error("database = { url = \"postgres:///x\";\n pool_size = 4294967297; };\n",
        "t.conf:2: integer 4294967297 does not fit in 32 bits (write 4294967297L, or a size "
        "such as \"10G\")", "an integer libconfig would wrap is refused");
    expect_error("steward = { run_dir = \"/run/x; };\nworkers = ( );\n",
        "t.conf:1: unterminated string (a '\"' is missing)",
        "unterminated string reported where it starts");
    expect_error("jobs = ( { name = \"a\"; cron = \"@daily\"; sql = \"x\"; },\n"
        "  { name = \"a\"; cron = \"@daily\"; builtin = \"noop\"; } );\n",
        "t.conf:2: jobs[1].name: duplicate job name \"a\"", "duplicate job name");
}

static void
test_numbers_from_variables_and_empty_lists(void)
{
    struct cfg *c;

    setenv("T_CFG_COUNT", "3", 1);
    c = load_ok(DB "workers = ( { name = \"t\"; kind = \"transformer\"; count = \"${T_CFG_COUNT}\";\n"
        "  stable_s = \"${T_CFG_NOPE:-2.5}\"; } );\njobs = [];\n");
    ok(c != NULL && c->workers[0].count == 3, "an integer from ${VAR}");
    ok(c != NULL && c->workers[0].stable_s == 2.5, "a number from ${VAR:-default}");
    ok(c != NULL && c->njobs == 0, "an empty [] is an empty list");
    cfg_free(c);
    expect_error(DB "workers = ( { name = \"t\"; kind = \"transformer\"; count = \"${T_CFG_COUNT:-}x\"; } );\n",
        "t.conf:2: workers[0].count: expected an integer, got \"3x\" after expansion",
        "a variable that does not make a number");
    expect_error(DB "workers = ( { name = \"t\"; kind = \"transformer\"; count = \"3\"; } );\n",
        "t.conf:2: workers[0].count: expected an integer, got a string",
        "a plain string is not a number");
}

static void
test_every_error_in_one_run_in_file_order(void)
{
    expect_error("workers = (\n"
        "  { name = \"a\"; kind = \"exec\"; command = [ \"/bin/true\" ];\n"
        "    limits = { memory = \"1X\"; }; },\n"
        "  { name = \"b\"; kind = \"exec\"; command = [ \"/bin/true\" ]; restart = \"x\"; }\n"
        ");\n"
        "steward = { shutdown_timeout = -1.0; };\n"
        "redis = { url = \"rediss://h\"; };\n",
        "t.conf:3: workers[0].limits.memory: bad size \"1X\" (use a number with K, M or G)\n"
        "t.conf:4: workers[1].restart: unknown restart \"x\" (use one of: always, on-failure, never)\n"
        "t.conf:6: steward.shutdown_timeout: -1 is out of range (0.001 to 3600)\n"
        "t.conf:7: redis.url: rediss:// (TLS) is not supported by this build's hiredis 0.14: "
        "use redis:// over a trusted network or a TLS tunnel",
        "four errors, each with its line, in file order");
}

static char *
read_pipe_after(int rfd, int wfd)
{
    char buf[8192];
    ssize_t n;

    close(wfd);
    n = read(rfd, buf, sizeof(buf) - 1);
    close(rfd);
    buf[n > 0 ? n : 0] = '\0';
    return st_xstrdup(buf);
}

static void
test_secrets_never_reach_the_log(void)
{
    int p[2];
    char *out;
    struct cfg *c;

    log_clear_secrets();
    setenv("T_CFG_PW", "Zq9-pass%40word", 1);
    c = load_ok("database = { url = \"postgres://app:${T_CFG_PW}@db:5432/app\"; };\n"
        "workers = ( { name = \"e\"; kind = \"ingestor\"; listen = \"127.0.0.1:8088\";\n"
        "  hmac_secret = \"hm4c-s3cret-value\"; } );\n"
        "storage = { access_key = \"AKIAEXAMPLEKEY\"; secret_key = \"s3-secret-key-xyz\"; };\n"
        "alerts = { slack_webhook = \"https://hooks.slack.com/services/T0/B0/XYZSECRET\"; };\n"
        "jobs = ( { name = \"j\"; cron = \"@daily\"; http = { url = \"http://h/\";\n"
        "  headers = { Authorization = \"Bearer tok-ABC-123\"; }; }; } );\n");
    if (c == NULL || pipe(p) == -1) {
        ok(0, "config loads");
        cfg_free(c);
        return;
    }
    log_set_fd(p[1]);
    log_info("connecting", LF_STR("url", c->database.url), LF_STR("hmac", c->workers[0].hmac_secret),
        LF_STR("keys", "AKIAEXAMPLEKEY s3-secret-key-xyz"),
        LF_STR("hook", c->alerts.slack_webhook), LF_STR("decoded", "Zq9-pass@word"),
        LF_STR("header", "Bearer tok-ABC-123"));
    log_set_fd(2);
    out = read_pipe_after(p[0], p[1]);
    unlike(out, "Zq9-pass", "URL password (raw and decoded) masked");
    unlike(out, "hm4c-s3cret", "hmac_secret masked");
    unlike(out, "AKIAEXAMPLEKEY", "storage access_key masked");
    unlike(out, "s3-secret-key", "storage secret_key masked");
    unlike(out, "XYZSECRET", "slack webhook masked");
    unlike(out, "tok-ABC-123", "a credential header value masked");
    like(out, "postgres://app:***@db:5432/app", "the rest of the URL stays readable");
    free(out);
    cfg_free(c);
    log_clear_secrets();
}

static const char EQ_BASE[] =
    DB
    "sources = { odoo = { url = \"postgres:///odoo\"; batch_rows = %d;\n"
    "  tables = ( { name = \"crm_lead\"; cursor = \"write_date\"; } ); }; };\n"
    "workers = ( { name = \"i\"; kind = \"ingestor\"; source = \"odoo\"; interval = %d.0; },\n"
    "  { name = \"x\"; kind = \"exec\"; command = [ \"/bin/sleep\", \"9\" ]; },\n"
    "  { name = \"t\"; kind = \"transformer\"; } );\n"
    "steward = { log = { level = \"%s\"; }; };\n";

static struct cfg *
load_eq(int batch_rows, int interval, const char *level)
{
    char text[2048];

    (void)snprintf(text, sizeof(text), EQ_BASE, batch_rows, interval, level);
    return load_ok(text);
}

static void
test_worker_equal(void)
{
    struct cfg *a = load_eq(100, 300, "info"), *b = load_eq(100, 300, "info");
    struct cfg *c = load_eq(100, 60, "info"), *d = load_eq(200, 300, "info");
    struct cfg *e = load_eq(100, 300, "debug");

    if (a == NULL || b == NULL || c == NULL || d == NULL || e == NULL) {
        ok(0, "configs load");
        goto out;
    }
    ok(cfg_worker_equal(a, &a->workers[0], b, &b->workers[0]), "same text: equal");
    ok(!cfg_worker_equal(a, &a->workers[0], c, &c->workers[0]), "interval changed: not equal");
    ok(!cfg_worker_equal(a, &a->workers[0], d, &d->workers[0]), "its source changed: not equal");
    ok(cfg_worker_equal(a, &a->workers[2], d, &d->workers[2]), "another's source: equal");
    ok(cfg_worker_equal(a, &a->workers[1], e, &e->workers[1]), "exec ignores log.level");
    ok(!cfg_worker_equal(a, &a->workers[2], e, &e->workers[2]), "native worker sees log.level");
    ok(cfg_find_worker(a, "x") == &a->workers[1], "cfg_find_worker");
    ok(cfg_find_worker(a, "nope") == NULL, "cfg_find_worker: absent");
    ok(cfg_find_source(a, "odoo") == &a->sources[0], "cfg_find_source");
out:
    cfg_free(a);
    cfg_free(b);
    cfg_free(c);
    cfg_free(d);
    cfg_free(e);
}

int
main(void)
{
    (void)snprintf(tmpdir, sizeof(tmpdir), "/tmp/t_cfg.XXXXXX");
    if (mkdtemp(tmpdir) == NULL)
        return 1;
    test_defaults_are_filled();
    test_worker_overrides_are_resolved();
    test_reserved_names_are_fine_with_a_count();
    test_sets_start_with_platform();
    test_expansion_from_environment();
    test_unset_variable_is_an_error();
    test_dotenv_and_environment_wins();
    test_include_resolves_beside_the_file();
    test_missing_file();
    test_error_classes();
    test_libconfig_pitfalls_are_caught();
    test_numbers_from_variables_and_empty_lists();
    test_every_error_in_one_run_in_file_order();
    test_secrets_never_reach_the_log();
    test_worker_equal();
    {
        char cmd[128];
        (void)snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
        if (system(cmd) != 0)
            printf("# could not remove %s\n", tmpdir);
    }
    return done_testing();
}
