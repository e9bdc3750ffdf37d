/* ctl_echo_server.c -- a tiny control server for tests/integration/t_stewardctl.sh:
   DIR/steward.sock answers a fixed supervisor `status`, `reload`, `start|stop|restart NAME`;
   DIR/echo.sock plays a worker (`ping`, `status`, `metrics`, `echo`). Runs until SIGTERM.
   usage: ctl_echo_server DIR [SOCKET-MODE]   (mode in octal, default 0660) */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <event2/event.h>

#include "ctl.h"
#include "json.h"

static const char status_json[] =
    "{\"pid\":4242,\"config\":\"/etc/steward/steward.conf\",\"generation\":3,"
    "\"started_at\":\"2026-12-02T04:00:00Z\",\"workers\":["
    "{\"name\":\"transform.1\",\"kind\":\"transformer\",\"pid\":4250,\"state\":\"running\","
    "\"restarts\":0,\"uptime_s\":3725,\"last_exit\":null,\"memory_bytes\":12582912,"
    "\"cpu_seconds\":1.5,\"limits\":{\"memory\":268435456,\"cpu\":0.5},"
    "\"limit_mechanism\":\"cgroup-v2\"},"
    "{\"name\":\"cache\",\"kind\":\"cache-warmer\",\"pid\":0,\"state\":\"backoff\","
    "\"restarts\":3,\"uptime_s\":0,\"last_exit\":\"oom-killed\",\"memory_bytes\":null,"
    "\"cpu_seconds\":null,\"limits\":{},\"limit_mechanism\":\"cgroup-v2\"}]}";

static void
sup_status(const struct ctl_req *req, struct ctl_reply *reply, void *arg)
{
    struct st_error err = ST_ERROR_INIT;

    (void)req; (void)arg;
    ctl_reply_ok(reply, jsn_parse(status_json, sizeof(status_json) - 1, &err));
}

static void
sup_reload(const struct ctl_req *req, struct ctl_reply *reply, void *arg)
{
    struct json_object *o = json_object_new_object();

    (void)req; (void)arg;
    json_object_object_add(o, "generation", json_object_new_int(4));
    ctl_reply_ok(reply, o);
}

/* start|stop|restart NAME: ok for transform.1 and cache, else "no such worker". */
static void
sup_name(const struct ctl_req *req, struct ctl_reply *reply, void *arg)
{
    const char *name = jsn_get_str(req->args, "name");

    (void)arg;
    if (name == NULL)
        ctl_reply_error(reply, "%s: missing args.name", req->cmd);
    else if (strcmp(name, "transform.1") != 0 && strcmp(name, "cache") != 0)
        ctl_reply_error(reply, "no such worker: %s", name);
    else
        ctl_reply_ok(reply, NULL);
}

static void
w_ping(const struct ctl_req *req, struct ctl_reply *reply, void *arg)
{
    (void)req; (void)arg;
    ctl_reply_text(reply, "pong");
}

static void
w_metrics(const struct ctl_req *req, struct ctl_reply *reply, void *arg)
{
    (void)req; (void)arg;
    ctl_reply_text(reply, "# HELP up Up.\n# TYPE up gauge\nup 1\n");
}

/* echo: the request back, {"cmd":…,"args":…}. */
static void
w_echo(const struct ctl_req *req, struct ctl_reply *reply, void *arg)
{
    struct json_object *o = json_object_new_object();

    (void)arg;
    json_object_object_add(o, "cmd", json_object_new_string(req->cmd));
    json_object_object_add(o, "args", req->args != NULL ? json_object_get(req->args) : NULL);
    ctl_reply_ok(reply, o);
}

static const struct ctl_command sup_cmds[] = {
    { "status", sup_status, "fixed status" },
    { "reload", sup_reload, "pretend to reload" },
    { "start", sup_name, "start NAME" },
    { "stop", sup_name, "stop NAME" },
    { "restart", sup_name, "restart NAME" },
};

static const struct ctl_command worker_cmds[] = {
    { "ping", w_ping, "pong" },
    { "metrics", w_metrics, "Prometheus text" },
    { "echo", w_echo, "the request back" },
};

static void
on_term(evutil_socket_t sig, short what, void *arg)
{
    (void)sig; (void)what;
    event_base_loopbreak(arg);
}

/* Listen on DIR/NAME with mode; -1 after printing the error. */
static int
listen_at(const char *dir, const char *name, mode_t mode)
{
    struct st_error err = ST_ERROR_INIT;
    char path[256];
    int fd;

    (void)snprintf(path, sizeof(path), "%s/%s", dir, name);
    if ((fd = ctl_listen(path, &err)) == -1 || chmod(path, mode) == -1) {
        fprintf(stderr, "ctl_echo_server: %s\n", err.msg);
        return -1;
    }
    return fd;
}

int
main(int argc, char **argv)
{
    struct st_error err = ST_ERROR_INIT;
    struct event_base *base;
    struct event *term;
    struct ctl_server *sup, *wrk;
    mode_t mode = argc > 2 ? (mode_t)strtol(argv[2], NULL, 8) : 0660;
    int sfd, wfd;

    if (argc < 2) {
        fprintf(stderr, "usage: ctl_echo_server DIR [MODE]\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    if ((sfd = listen_at(argv[1], "steward.sock", mode)) == -1
            || (wfd = listen_at(argv[1], "echo.sock", mode)) == -1)
        return 1;
    base = event_base_new();
    sup = ctl_server_new(base, sfd, getuid(), (gid_t)-1, &err);
    wrk = ctl_server_new(base, wfd, getuid(), (gid_t)-1, &err);
    if (sup == NULL || wrk == NULL) {
        fprintf(stderr, "ctl_echo_server: %s\n", err.msg);
        return 1;
    }
    ctl_server_add_commands(sup, sup_cmds, ST_ARRAY_LEN(sup_cmds), NULL);
    ctl_server_add_commands(wrk, worker_cmds, ST_ARRAY_LEN(worker_cmds), NULL);
    term = evsignal_new(base, SIGTERM, on_term, base);
    (void)event_add(term, NULL);
    (void)event_base_dispatch(base);
    event_free(term);
    ctl_server_free(sup);
    ctl_server_free(wrk);
    event_base_free(base);
    close(sfd);
    close(wfd);
    return 0;
}
