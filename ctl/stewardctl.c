/*
 * stewardctl.c -- the command-line client of the control protocol (DESIGN.md "Command
 * line"): status, reload, start/stop/restart NAME on the supervisor socket, and
 * NAME COMMAND [ARGS…] forwarded to <dir of the socket>/NAME.sock.
 * Owns argument parsing and presentation (the status table, pretty or compact JSON,
 * raw text results). Leaves the protocol to common/ctl.c. Exit codes: 0 ok, 1 operational
 * error (including an {"ok":false} reply), 2 usage error. Plain text errors on stderr.
 * Tests: tests/integration/t_stewardctl.sh
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "json.h"
#include "util.h"

#define DEFAULT_SOCKET "/run/steward/steward.sock"
#define DEFAULT_TIMEOUT_S 10.0

struct opts {
    const char *socket;
    bool json;
    double timeout_s;
};

#define USAGE_LINE "usage: stewardctl [-s SOCKET] [--json] [-t TIMEOUT] status | reload |" \
    " start NAME | stop NAME | restart NAME | NAME COMMAND [ARGS…]\n"

static void
usage(FILE *f)
{
    if (f == stderr) {
        fputs(USAGE_LINE, f);
        return;
    }
    fprintf(f,
        "usage: stewardctl [-s SOCKET] [--json] [-t TIMEOUT] COMMAND\n"
        "  status                 workers, states, restarts, limits\n"
        "  reload                 re-read the configuration\n"
        "  start NAME | stop NAME | restart NAME\n"
        "  ping | metrics         the supervisor's liveness and Prometheus registry\n"
        "  NAME COMMAND [ARGS…]   ask worker NAME (e.g. transform.2 status, metrics ping)\n"
        "options:\n"
        "  -s, --socket SOCKET    supervisor socket (default $STEWARD_SOCKET, else "
        DEFAULT_SOCKET ")\n"
        "  -j, --json             print results as compact JSON\n"
        "  -t, --timeout SECONDS  reply deadline (default 10)\n");
}

/* ---- formatting helpers ---- */

/* A JSON member as display text into buf: strings raw, numbers and others as JSON, "-" when
   absent or null. */
static const char *
field(struct json_object *o, const char *key, char *buf, size_t size)
{
    struct json_object *v = NULL;

    if (!json_object_object_get_ex(o, key, &v) || v == NULL)
        return "-";
    if (json_object_is_type(v, json_type_string))
        (void)snprintf(buf, size, "%s", json_object_get_string(v));
    else
        (void)snprintf(buf, size, "%s", json_object_to_json_string_ext(v,
            JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
    return buf;
}

/* 1536 -> "1.5K", 268435456 -> "256M". */
static void
fmt_bytes(double v, char *buf, size_t size)
{
    static const char units[] = "BKMGTP";
    int u = 0;

    while (v >= 1024 && u < 5) {
        v /= 1024;
        u++;
    }
    if (u == 0)
        (void)snprintf(buf, size, "%.0fB", v);
    else if (v < 10 && v != floor(v))
        (void)snprintf(buf, size, "%.1f%c", v, units[u]);
    else
        (void)snprintf(buf, size, "%.0f%c", v, units[u]);
}

/* 75 -> "1m15s", 7300 -> "2h01m", 200000 -> "2d07h". */
static void
fmt_duration(double s, char *buf, size_t size)
{
    int64_t t = (int64_t)s;

    if (t < 60)
        (void)snprintf(buf, size, "%" PRId64 "s", t);
    else if (t < 3600)
        (void)snprintf(buf, size, "%" PRId64 "m%02" PRId64 "s", t / 60, t % 60);
    else if (t < 86400)
        (void)snprintf(buf, size, "%" PRId64 "h%02" PRId64 "m", t / 3600, t % 3600 / 60);
    else
        (void)snprintf(buf, size, "%" PRId64 "d%02" PRId64 "h", t / 86400, t % 86400 / 3600);
}

/* A numeric member formatted by fn, or the plain field when not a number. */
static const char *
field_num(struct json_object *o, const char *key, void (*fn)(double, char *, size_t),
    char *buf, size_t size)
{
    double v;

    if (!jsn_get_double(o, key, &v))
        return field(o, key, buf, size);
    fn(v, buf, size);
    return buf;
}

static void
fmt_cpu(double v, char *buf, size_t size)
{
    (void)snprintf(buf, size, "%.2fs", v);
}

/* limits {"memory":268435456,"cpu":0.5} -> "memory=256M,cpu=0.5"; "-" when empty. */
static const char *
fmt_limits(struct json_object *w, char *buf, size_t size)
{
    struct json_object *lim = jsn_get_obj(w, "limits");
    struct st_buf b = ST_BUF_INIT;
    char tmp[64];

    if (lim == NULL || json_object_object_length(lim) == 0)
        return "-";
    json_object_object_foreach(lim, key, val) {
        if (val == NULL)
            continue;
        if (b.len > 0)
            st_buf_putc(&b, ',');
        if (strcmp(key, "memory") == 0 && json_object_is_type(val, json_type_int))
            fmt_bytes(json_object_get_double(val), tmp, sizeof(tmp));
        else
            (void)field(lim, key, tmp, sizeof(tmp));
        st_buf_printf(&b, "%s=%s", key, tmp);
    }
    (void)snprintf(buf, size, "%s", b.len > 0 ? b.data : "-");
    st_buf_free(&b);
    return buf;
}

/* ---- status table ---- */

#define NCOLS 10

static const char *const headers[NCOLS] = {
    "NAME", "KIND", "PID", "STATE", "RESTARTS", "UPTIME", "LAST-EXIT", "MEMORY", "CPU", "LIMITS"
};

/* The cells of one worker row (malloc'd strings). */
static void
status_row(struct json_object *w, char *cells[NCOLS])
{
    char buf[256];

    cells[0] = st_xstrdup(field(w, "name", buf, sizeof(buf)));
    cells[1] = st_xstrdup(field(w, "kind", buf, sizeof(buf)));
    cells[2] = st_xstrdup(field(w, "pid", buf, sizeof(buf)));
    cells[3] = st_xstrdup(field(w, "state", buf, sizeof(buf)));
    cells[4] = st_xstrdup(field(w, "restarts", buf, sizeof(buf)));
    cells[5] = st_xstrdup(field_num(w, "uptime_s", fmt_duration, buf, sizeof(buf)));
    cells[6] = st_xstrdup(field(w, "last_exit", buf, sizeof(buf)));
    cells[7] = st_xstrdup(field_num(w, "memory_bytes", fmt_bytes, buf, sizeof(buf)));
    cells[8] = st_xstrdup(field_num(w, "cpu_seconds", fmt_cpu, buf, sizeof(buf)));
    cells[9] = st_xstrdup(fmt_limits(w, buf, sizeof(buf)));
    if (strcmp(cells[2], "0") == 0) {       /* no process */
        free(cells[2]);
        cells[2] = st_xstrdup("-");
    }
}

/* The limit mechanism shown in the header: the workers' common one, or "mixed". */
static const char *
status_mechanism(struct json_object *workers)
{
    const char *m = NULL, *w;

    for (size_t i = 0; workers != NULL && i < json_object_array_length(workers); i++) {
        w = jsn_get_str(json_object_array_get_idx(workers, i), "limit_mechanism");
        if (w == NULL)
            continue;
        if (m != NULL && strcmp(m, w) != 0)
            return "mixed";
        m = w;
    }
    return m != NULL ? m : "-";
}

/* One table cell: padded and followed by two spaces, or the last one and a newline. */
static void
print_cell(const char *s, size_t width, bool last)
{
    if (last)
        printf("%s\n", s);
    else
        printf("%-*s  ", (int)width, s);
}

static void
print_status(struct json_object *res)
{
    struct json_object *workers = jsn_get_array(res, "workers");
    size_t n = workers != NULL ? json_object_array_length(workers) : 0;
    char **cells = st_xcalloc(n * NCOLS + 1, sizeof(char *));
    size_t width[NCOLS];
    char b1[64], b2[1024], b3[64], b4[128];
    const char *mech = jsn_get_str(res, "limit_mechanism");

    printf("steward pid %s, config %s, generation %s, started %s, limits %s\n",
        field(res, "pid", b1, sizeof(b1)), field(res, "config", b2, sizeof(b2)),
        field(res, "generation", b3, sizeof(b3)), field(res, "started_at", b4, sizeof(b4)),
        mech != NULL ? mech : status_mechanism(workers));
    for (size_t c = 0; c < NCOLS; c++)
        width[c] = strlen(headers[c]);
    for (size_t i = 0; i < n; i++) {
        status_row(json_object_array_get_idx(workers, i), &cells[i * NCOLS]);
        for (size_t c = 0; c < NCOLS; c++)
            if (strlen(cells[i * NCOLS + c]) > width[c])
                width[c] = strlen(cells[i * NCOLS + c]);
    }
    for (size_t c = 0; c < NCOLS; c++)
        print_cell(headers[c], width[c], c + 1 == NCOLS);
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < NCOLS; c++)
            print_cell(cells[i * NCOLS + c], width[c], c + 1 == NCOLS);
    for (size_t i = 0; i < n * NCOLS; i++)
        free(cells[i]);
    free(cells);
}

/* ---- results ---- */

/* Print a result: text raw (newline added when missing), an object pretty-printed (compact
   with --json), an empty object or null as "ok" (unless --json). */
static void
print_result(const struct opts *o, struct json_object *res)
{
    char *s;

    if (res != NULL && json_object_is_type(res, json_type_string)) {
        const char *t = json_object_get_string(res);
        size_t len = strlen(t);
        fputs(t, stdout);
        if (len == 0 || t[len - 1] != '\n')
            putchar('\n');
        return;
    }
    if (!o->json && (res == NULL || (json_object_is_type(res, json_type_object)
            && json_object_object_length(res) == 0))) {
        puts("ok");
        return;
    }
    s = o->json ? jsn_dump(res) : jsn_dump_pretty(res);
    puts(s);
    free(s);
}

/* Send one request; print the result. 0, or 1 after printing the error. */
static int
run(const struct opts *o, const char *path, const char *cmd, struct json_object *args,
    bool status_table)
{
    struct st_error err = ST_ERROR_INIT;
    struct json_object *reply, *res = NULL;
    bool okv = false;
    const char *e;

    if ((reply = ctl_call(path, cmd, args, o->timeout_s, &err)) == NULL) {
        warnx("%s", err.msg);
        return 1;
    }
    if (!jsn_get_bool(reply, "ok", &okv) || !okv) {
        e = jsn_get_str(reply, "error");
        warnx("%s", e != NULL ? e : "malformed reply: no \"ok\":true and no error");
        json_object_put(reply);
        return 1;
    }
    (void)json_object_object_get_ex(reply, "result", &res);
    if (status_table && !o->json && res != NULL && json_object_is_type(res, json_type_object))
        print_status(res);
    else
        print_result(o, res);
    json_object_put(reply);
    return fflush(stdout) == 0 ? 0 : 1;
}

/* <dir of socket>/<name>.sock into a malloc'd string. */
static char *
worker_socket(const char *sock, const char *name)
{
    const char *slash = strrchr(sock, '/');

    if (slash == NULL)
        return st_xasprintf("%s.sock", name);
    return st_xasprintf("%.*s/%s.sock", (int)(slash - sock + (slash == sock)), sock, name);
}

static bool
valid_name(const char *name)
{
    return name[0] != '\0' && name[0] != '.' && name[0] != '-' && strchr(name, '/') == NULL;
}

/* Parse options into o; returns the index of the first operand, or -1 (usage, exit 2), or
   -2 (help printed, exit 0). */
static int
parse_opts(int argc, char **argv, struct opts *o)
{
    static const struct option longs[] = {
        { "socket", required_argument, NULL, 's' },
        { "json", no_argument, NULL, 'j' },
        { "timeout", required_argument, NULL, 't' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    char *end;
    int c;

    opterr = 0;         /* our own messages, with our program name */
    while ((c = getopt_long(argc, argv, "+s:jt:h", longs, NULL)) != -1) {
        switch (c) {
        case 's':
            o->socket = optarg;
            break;
        case 'j':
            o->json = true;
            break;
        case 't':
            o->timeout_s = strtod(optarg, &end);
            if (end == optarg || *end != '\0' || !(o->timeout_s > 0)
                    || o->timeout_s > 86400) {
                warnx("bad timeout: %s (seconds, e.g. 5 or 0.5)", optarg);
                return -1;
            }
            break;
        case 'h':
            usage(stdout);
            return -2;
        default:
            if (optopt == 's' || optopt == 't')
                warnx("option -%c needs an argument", optopt);
            else
                warnx("unknown option: %s", argv[optind - 1]);
            return -1;
        }
    }
    return optind;
}

/* The JSON args of NAME COMMAND ARGS…: {"argv":[ARGS…]}. */
static struct json_object *
argv_args(int argc, char **argv)
{
    struct json_object *args = json_object_new_object(), *a = json_object_new_array();

    for (int i = 0; i < argc; i++)
        json_object_array_add(a, json_object_new_string(argv[i]));
    json_object_object_add(args, "argv", a);
    return args;
}

int
main(int argc, char **argv)
{
    struct opts o = { NULL, false, DEFAULT_TIMEOUT_S };
    struct json_object *args = NULL;
    const char *cmd;
    char *path = NULL;
    int i, n, rc;

    if ((i = parse_opts(argc, argv, &o)) == -2)
        exit(0);
    if (i == -1) {
        usage(stderr);
        exit(2);
    }
    if (o.socket == NULL)
        o.socket = getenv("STEWARD_SOCKET");
    if (o.socket == NULL || o.socket[0] == '\0')
        o.socket = DEFAULT_SOCKET;
    n = argc - i;
    if (n == 0) {
        warnx("missing command (status, reload, start, stop, restart or NAME COMMAND)");
        usage(stderr);
        exit(2);
    }
    cmd = argv[i];
    /* "metrics" alone is the supervisor's registry; "metrics COMMAND" is a worker so named. */
    if (strcmp(cmd, "status") == 0 || strcmp(cmd, "reload") == 0
            || (n == 1 && (strcmp(cmd, "ping") == 0 || strcmp(cmd, "metrics") == 0))) {
        if (n != 1) {
            warnx("%s takes no arguments", cmd);
            exit(2);
        }
        exit(run(&o, o.socket, cmd, NULL, strcmp(cmd, "status") == 0));
    }
    if (strcmp(cmd, "start") == 0 || strcmp(cmd, "stop") == 0 || strcmp(cmd, "restart") == 0) {
        if (n != 2 || argv[i + 1][0] == '\0') {
            warnx("usage: stewardctl %s NAME", cmd);
            exit(2);
        }
        args = json_object_new_object();
        json_object_object_add(args, "name", json_object_new_string(argv[i + 1]));
        rc = run(&o, o.socket, cmd, args, false);
        json_object_put(args);
        exit(rc);
    }
    if (n < 2) {
        warnx("unknown command: %s (status, reload, start, stop, restart, or NAME COMMAND)",
            cmd);
        exit(2);
    }
    if (!valid_name(cmd)) {
        warnx("bad worker name: %s (an instance name such as transform.2)", cmd);
        exit(2);
    }
    path = worker_socket(o.socket, cmd);
    if (access(path, F_OK) == -1 && errno == ENOENT && access(o.socket, F_OK) == 0) {
        warnx("connect %s: %s (no worker %s with a control socket: see stewardctl status;"
            " exec workers have none)", path, strerror(ENOENT), cmd);
        free(path);
        exit(1);
    }
    args = argv_args(n - 2, argv + i + 2);
    rc = run(&o, path, argv[i + 1], args, false);
    json_object_put(args);
    free(path);
    exit(rc);
}
