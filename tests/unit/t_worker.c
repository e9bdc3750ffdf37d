/*
 * t_worker.c -- the worker framework (common/worker.c) without the supervisor: the test
 * plays the supervisor with a SEQPACKET socketpair and a control listener in a temp dir,
 * forks a child that runs a native kind's main (or a test kind), and checks READY,
 * heartbeats, the shared control commands, STOP, a lost supervisor and SIGTERM.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <event2/event.h>
#include <json-c/json.h>

#include "cfg.h"
#include "ctl.h"
#include "json.h"
#include "log.h"
#include "tap.h"
#include "util.h"
#include "worker.h"

#define DEADLINE_S 5.0

struct child {
    pid_t pid;
    int sup;                    /* the supervisor's end of the channel */
    int ctl_fd;                 /* listening control socket, -1 = none */
    char sock[256];
};

static char tmpdir[] = "/tmp/t_worker.XXXXXX";
static double child_heartbeat_s = 0.1;   /* heartbeat_s of the next child */
static struct cfg test_cfg;
static struct cfg_worker test_wcfg = { .name = "transform", .kind = "transformer", .count = 2 };

/* Receive one channel message within timeout_s into buf; returns its length, 0 on EOF,
   -1 on timeout or error. */
static ssize_t
recv_msg(int fd, char *buf, size_t size, double timeout_s)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    ssize_t n;

    if (poll(&p, 1, (int)(timeout_s * 1000)) != 1)
        return -1;
    if ((n = recv(fd, buf, size - 1, 0)) < 0)
        return -1;
    buf[n] = '\0';
    return n;
}

/* The next message other than HEARTBEAT (NULL-safe text in buf; "" on timeout/EOF). */
static const char *
next_non_heartbeat(int fd, char *buf, size_t size)
{
    double until = st_now_s() + DEADLINE_S;

    while (st_now_s() < until) {
        if (recv_msg(fd, buf, size, until - st_now_s()) <= 0)
            break;
        if (strcmp(buf, WORKER_MSG_HEARTBEAT) != 0)
            return buf;
    }
    buf[0] = '\0';
    return buf;
}

/* Wait for the child's exit within DEADLINE_S; returns the wait status or -1. */
static int
wait_exit(pid_t pid)
{
    double until = st_now_s() + DEADLINE_S;
    int status;

    while (st_now_s() < until) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return status;
        if (r == -1)
            return -1;
        (void)poll(NULL, 0, 10);
    }
    kill(pid, SIGKILL);
    (void)waitpid(pid, &status, 0);
    return -1;
}

/* A test kind: its stop takes 300 ms (a batch to finish), status gains "batch":42, and a
   kind command "echo" answers its args. */
static void
slow_stop_done(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    worker_stop_done(arg);
}

static void
slow_stop_cb(struct worker *w, void *arg)
{
    struct timeval tv = { 0, 300000 };

    (void)arg;
    (void)event_base_once(worker_base(w), -1, EV_TIMEOUT, slow_stop_done, w, &tv);
}

static void
slow_status_cb(struct json_object *obj, void *arg)
{
    (void)arg;
    json_object_object_add(obj, "batch", json_object_new_int(42));
}

static void
slow_cmd_echo(const struct ctl_req *req, struct ctl_reply *reply, void *arg)
{
    (void)arg;
    ctl_reply_ok(reply, req->args != NULL ? json_object_get(req->args) : NULL);
}

/* A kind command that blocks the loop for 300 ms and keeps the watchdog fed meanwhile. */
static void
slow_cmd_busy(const struct ctl_req *req, struct ctl_reply *reply, void *arg)
{
    (void)req;
    for (int i = 0; i < 3; i++) {
        (void)poll(NULL, 0, 100);
        worker_heartbeat(arg);
    }
    ctl_reply_text(reply, "done");
}

static const struct ctl_command slow_cmds[] = {
    { "echo", slow_cmd_echo, "answer the args" },
    { "busy", slow_cmd_busy, "block 300 ms with manual heartbeats" },
    { "status", slow_cmd_echo, "must not shadow the shared status" },
};

static int
slow_stop_main(struct worker_ctx *ctx)
{
    struct st_error err = ST_ERROR_INIT;
    struct worker *w = worker_new(ctx, &err);
    int rc;

    if (w == NULL)
        return WORKER_EXIT_SETUP;
    worker_add_commands(w, slow_cmds, ST_ARRAY_LEN(slow_cmds), w);
    worker_set_status_cb(w, slow_status_cb, NULL);
    worker_set_stop_cb(w, slow_stop_cb, NULL);
    worker_ready(w);
    rc = worker_run(w);
    worker_free(w);
    return rc;
}

/* A test kind whose stop never finishes by itself (a batch that hangs). */
static void
stuck_stop_cb(struct worker *w, void *arg)
{
    (void)w;
    (void)arg;
}

static int
stuck_stop_main(struct worker_ctx *ctx)
{
    struct st_error err = ST_ERROR_INIT;
    struct worker *w = worker_new(ctx, &err);
    int rc;

    if (w == NULL)
        return WORKER_EXIT_SETUP;
    worker_set_stop_cb(w, stuck_stop_cb, NULL);
    worker_ready(w);
    rc = worker_run(w);
    worker_free(w);
    return rc;
}

/* Fork a child running main with a hand-filled worker_ctx; with_ctl adds a control socket. */
static int
start_child(struct child *c, worker_main_fn *main_fn, const char *instance, bool with_ctl)
{
    struct st_error err = ST_ERROR_INIT;
    int sp[2];

    memset(c, 0, sizeof(*c));
    c->ctl_fd = -1;
    if (with_ctl) {
        snprintf(c->sock, sizeof(c->sock), "%s/%s.sock", tmpdir, instance);
        if ((c->ctl_fd = ctl_listen(c->sock, &err)) == -1) {
            diag("ctl_listen: %s", err.msg);
            return -1;
        }
    }
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) == -1)
        return -1;
    fflush(stdout);
    if ((c->pid = fork()) == -1)
        return -1;
    if (c->pid == 0) {
        struct worker_ctx ctx = {
            .cfg = &test_cfg, .wcfg = &test_wcfg, .instance = instance, .index = 1,
            .sup_fd = sp[1], .ctl_fd = c->ctl_fd, .listen_fd = -1, .heartbeat_s = child_heartbeat_s,
            .generation = 7,
            .ctl_owner_uid = getuid(), .ctl_group_gid = (gid_t)-1,
        };
        close(sp[0]);
        _exit(main_fn(&ctx));
    }
    close(sp[1]);
    c->sup = sp[0];
    return 0;
}

static void
child_close(struct child *c)
{
    if (c->sup >= 0)
        close(c->sup);
    if (c->ctl_fd >= 0) {
        close(c->ctl_fd);
        unlink(c->sock);
    }
}

/* Call cmd on the child's control socket; returns the reply (caller puts) or NULL. */
static struct json_object *
call(struct child *c, const char *cmd, struct json_object *args)
{
    struct st_error err = ST_ERROR_INIT;
    struct json_object *r = ctl_call(c->sock, cmd, args, DEADLINE_S, &err);

    if (r == NULL)
        diag("ctl_call %s: %s", cmd, err.msg);
    return r;
}

static const char *
result_str(struct json_object *reply)
{
    struct json_object *res;

    if (reply == NULL || !json_object_object_get_ex(reply, "result", &res)
        || !json_object_is_type(res, json_type_string))
        return NULL;
    return json_object_get_string(res);
}

static void
test_kind_table(void)
{
    static const char *const names[] = {
        "ingestor", "transformer", "validator", "cache-warmer", "scheduler", "metrics",
    };
    size_t i, n = 0;

    for (i = 0; i < ST_ARRAY_LEN(names); i++) {
        const struct worker_kind *k = worker_kind_find(names[i]);
        n += k != NULL && strcmp(k->name, names[i]) == 0 && k->main != NULL;
    }
    is_int(n, 6, "worker_kind_find finds the six native kinds");
    ok(worker_kind_find("exec") == NULL, "exec is not a native kind");
    ok(worker_kind_find("transform") == NULL, "an unknown kind is NULL");
    for (i = 0; worker_kinds[i].name != NULL; i++)
        ;
    is_int(i, 6, "worker_kinds[] holds six rows before its terminator");
}

/* Heartbeats counted over one second, after a 0.3 s warm-up (a late first loop turn makes
   libevent fire a persistent timer back to back to catch up). */
static void
test_ready_and_heartbeats(struct child *c)
{
    char buf[WORKER_MSG_MAX + 1];
    double start, now;
    int beats = 0, other = 0;

    is_str(next_non_heartbeat(c->sup, buf, sizeof(buf)), "READY", "READY arrives");
    start = st_now_s();
    while ((now = st_now_s()) < start + 1.3) {
        if (recv_msg(c->sup, buf, sizeof(buf), start + 1.3 - now) <= 0)
            break;
        if (strcmp(buf, WORKER_MSG_HEARTBEAT) != 0)
            other++;
        else if (st_now_s() >= start + 0.3)
            beats++;
    }
    is_int(other, 0, "only HEARTBEATs follow READY");
    ok(beats >= 7 && beats <= 13, "HEARTBEAT every heartbeat_s: about 10 in one second at 0.1 s");
    if (!(beats >= 7 && beats <= 13))
        diag("%d heartbeats in 1 s", beats);
}

static void
test_status(struct child *c, const char *instance)
{
    struct json_object *r = call(c, "status", NULL), *res = NULL;
    bool okv = false;
    int64_t pid = 0, gen = 0, up = -1;

    if (r != NULL) {
        jsn_get_bool(r, "ok", &okv);
        res = jsn_get_obj(r, "result");
    }
    ok(okv, "status answers ok");
    is_str(jsn_get_str(res, "name"), instance, "status.name is the instance");
    is_str(jsn_get_str(res, "kind"), "transformer", "status.kind is the configured kind");
    is_str(jsn_get_str(res, "state"), "running", "status.state is running");
    jsn_get_int(res, "pid", &pid);
    is_int(pid, c->pid, "status.pid is the worker's pid");
    jsn_get_int(res, "generation", &gen);
    is_int(gen, 7, "status.generation is the spawn generation");
    ok(jsn_get_int(res, "uptime_s", &up) && up >= 0 && up < 10, "status.uptime_s is small");
    json_object_put(r);
}

static void
test_control(struct child *c)
{
    struct json_object *r;
    const char *err;
    char expect[128];

    r = call(c, "ping", NULL);
    is_str(result_str(r), "pong", "ping answers pong");
    json_object_put(r);

    test_status(c, "transform.1");

    r = call(c, "metrics", NULL);
    snprintf(expect, sizeof(expect), "steward_worker_up{worker=\"%s\"} 1\n", "transform.1");
    like(result_str(r), expect, "metrics has steward_worker_up 1 for the instance");
    like(result_str(r), "# TYPE process_resident_memory_bytes gauge\n",
        "metrics has process_resident_memory_bytes");
    like(result_str(r), "# TYPE process_cpu_seconds_total counter\n",
        "metrics has process_cpu_seconds_total");
    unlike(result_str(r), "process_resident_memory_bytes 0\n", "the RSS is read (not 0)");
    like(result_str(r), "# TYPE process_open_fds gauge\n", "metrics has process_open_fds");
    unlike(result_str(r), "process_open_fds 0\n", "open fds are counted (not 0)");
    like(result_str(r), "# TYPE process_start_time_seconds gauge\n",
        "metrics has process_start_time_seconds");
    json_object_put(r);

    r = call(c, "frobnicate", NULL);
    err = r != NULL ? jsn_get_str(r, "error") : NULL;
    like(err, "unknown command: frobnicate", "an unknown command gets the ctl error");
    like(err, "ping", "the error lists the shared commands");
    json_object_put(r);
}

static void
test_stop_over_channel(struct child *c)
{
    char buf[WORKER_MSG_MAX + 1];
    int status;

    ok(send(c->sup, "STOP", 4, 0) == 4, "STOP sent");
    is_str(next_non_heartbeat(c->sup, buf, sizeof(buf)), "STOPPING", "STOP -> STOPPING");
    status = wait_exit(c->pid);
    ok(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
        "STOP -> the worker exits 0 within the deadline");
}

static void
test_transformer_full(void)
{
    struct child c;
    const struct worker_kind *k = worker_kind_find("transformer");

    if (k == NULL || start_child(&c, k->main, "transform.1", true) == -1) {
        ok(0, "start the transformer child");
        return;
    }
    test_ready_and_heartbeats(&c);
    test_control(&c);
    test_stop_over_channel(&c);
    child_close(&c);
}

static void
test_supervisor_eof_stops_worker(void)
{
    struct child c;
    char buf[WORKER_MSG_MAX + 1];
    int status;

    if (start_child(&c, worker_kind_find("validator")->main, "validate", false) == -1) {
        ok(0, "start the validator child");
        return;
    }
    is_str(next_non_heartbeat(c.sup, buf, sizeof(buf)), "READY", "validator READY");
    close(c.sup);
    c.sup = -1;
    status = wait_exit(c.pid);
    ok(status != -1 && WIFEXITED(status), "closing the supervisor end -> the worker exits");
    child_close(&c);
}

static void
test_sigterm_graceful(void)
{
    struct child c;
    char buf[WORKER_MSG_MAX + 1];
    int status;

    if (start_child(&c, worker_kind_find("cache-warmer")->main, "cache", false) == -1) {
        ok(0, "start the cache-warmer child");
        return;
    }
    is_str(next_non_heartbeat(c.sup, buf, sizeof(buf)), "READY", "cache-warmer READY");
    kill(c.pid, SIGTERM);
    is_str(next_non_heartbeat(c.sup, buf, sizeof(buf)), "STOPPING", "SIGTERM -> STOPPING");
    status = wait_exit(c.pid);
    ok(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
        "SIGTERM -> the worker exits 0");
    child_close(&c);
}

static void
test_stop_callback_finishes_batch(void)
{
    struct child c;
    char buf[WORKER_MSG_MAX + 1];
    struct json_object *r, *res, *args;
    int64_t batch = 0;
    int status;

    if (start_child(&c, slow_stop_main, "slow", true) == -1) {
        ok(0, "start the slow-stop child");
        return;
    }
    is_str(next_non_heartbeat(c.sup, buf, sizeof(buf)), "READY", "test kind READY");
    args = json_object_new_object();
    json_object_object_add(args, "x", json_object_new_int(5));
    r = call(&c, "echo", args);
    res = r != NULL ? jsn_get_obj(r, "result") : NULL;
    ok(res != NULL && jsn_get_int(res, "x", &batch) && batch == 5, "a kind command answers");
    json_object_put(r);
    json_object_put(args);

    ok(send(c.sup, "STOP", 4, 0) == 4, "STOP sent to the test kind");
    is_str(next_non_heartbeat(c.sup, buf, sizeof(buf)), "STOPPING", "STOPPING while finishing");
    r = call(&c, "status", NULL);
    res = r != NULL ? jsn_get_obj(r, "result") : NULL;
    is_str(jsn_get_str(res, "state"), "stopping", "status.state is stopping during the stop");
    batch = 0;
    jsn_get_int(res, "batch", &batch);
    is_int(batch, 42, "the kind's status fields are merged (shared status wins the name)");
    json_object_put(r);
    status = wait_exit(c.pid);
    ok(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
        "the stop callback's worker_stop_done ends the worker with 0");
    child_close(&c);
}

/* worker_heartbeat sends at once, without the timer (heartbeat_s 30 s here). */
static void
test_manual_heartbeat(void)
{
    struct child c;
    char buf[WORKER_MSG_MAX + 1];
    struct json_object *r;
    int beats = 0, status;

    child_heartbeat_s = 30;
    if (start_child(&c, slow_stop_main, "busy", true) == -1) {
        child_heartbeat_s = 0.1;
        ok(0, "start the busy child");
        return;
    }
    child_heartbeat_s = 0.1;
    is_str(next_non_heartbeat(c.sup, buf, sizeof(buf)), "READY", "busy kind READY");
    r = call(&c, "busy", NULL);
    is_str(result_str(r), "done", "a blocking kind command answers");
    json_object_put(r);
    while (recv_msg(c.sup, buf, sizeof(buf), 0.2) > 0)
        beats += strcmp(buf, WORKER_MSG_HEARTBEAT) == 0;
    is_int(beats, 3, "worker_heartbeat sent three HEARTBEATs while the loop was blocked");
    kill(c.pid, SIGKILL);
    status = wait_exit(c.pid);
    (void)status;
    child_close(&c);
}

/* SIGHUP, RELOAD and an unknown channel message leave the worker running. */
static void
test_hup_and_reload_ignored(void)
{
    struct child c;
    char buf[WORKER_MSG_MAX + 1];
    struct json_object *r;
    int status;

    if (start_child(&c, worker_kind_find("scheduler")->main, "scheduler", true) == -1) {
        ok(0, "start the scheduler child");
        return;
    }
    is_str(next_non_heartbeat(c.sup, buf, sizeof(buf)), "READY", "scheduler READY");
    kill(c.pid, SIGHUP);
    ok(send(c.sup, "RELOAD", 6, 0) == 6 && send(c.sup, "BOGUS", 5, 0) == 5,
        "RELOAD and an unknown message sent");
    r = call(&c, "ping", NULL);
    is_str(result_str(r), "pong", "after SIGHUP, RELOAD and junk the worker still answers");
    json_object_put(r);
    ok(waitpid(c.pid, &status, WNOHANG) == 0, "and it has not exited");
    kill(c.pid, SIGTERM);
    status = wait_exit(c.pid);
    ok(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0, "scheduler stopped");
    child_close(&c);
}

/* A stop waits for the kind; a second SIGTERM, or the supervisor going away, does not. */
static void
test_stuck_stop(void)
{
    struct child c;
    char buf[WORKER_MSG_MAX + 1];
    int status;

    if (start_child(&c, stuck_stop_main, "stuck", false) == -1) {
        ok(0, "start the stuck-stop child");
        return;
    }
    is_str(next_non_heartbeat(c.sup, buf, sizeof(buf)), "READY", "stuck kind READY");
    kill(c.pid, SIGTERM);
    is_str(next_non_heartbeat(c.sup, buf, sizeof(buf)), "STOPPING", "SIGTERM -> STOPPING");
    (void)poll(NULL, 0, 300);
    ok(waitpid(c.pid, &status, WNOHANG) == 0, "the worker waits for its kind to finish the stop");
    kill(c.pid, SIGTERM);
    status = wait_exit(c.pid);
    ok(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
        "a second SIGTERM ends it at once with 0");
    child_close(&c);

    if (start_child(&c, stuck_stop_main, "stuck", false) == -1) {
        ok(0, "start the stuck-stop child again");
        return;
    }
    is_str(next_non_heartbeat(c.sup, buf, sizeof(buf)), "READY", "stuck kind READY again");
    ok(send(c.sup, "STOP", 4, 0) == 4, "STOP sent to the stuck kind");
    is_str(next_non_heartbeat(c.sup, buf, sizeof(buf)), "STOPPING", "STOP -> STOPPING");
    kill(c.pid, SIGTERM);
    (void)poll(NULL, 0, 300);
    ok(waitpid(c.pid, &status, WNOHANG) == 0,
        "a SIGTERM after STOP is not a second stop (systemd and steward both ask)");
    close(c.sup);
    c.sup = -1;
    status = wait_exit(c.pid);
    ok(status != -1 && WIFEXITED(status), "the supervisor going away mid-stop ends it");
    child_close(&c);
}

int
main(void)
{
    signal(SIGPIPE, SIG_IGN);
    if (mkdtemp(tmpdir) == NULL) {
        printf("Bail out! mkdtemp: %s\n", strerror(errno));
        return 1;
    }
    test_kind_table();
    test_transformer_full();
    test_supervisor_eof_stops_worker();
    test_sigterm_graceful();
    test_stop_callback_finishes_batch();
    test_manual_heartbeat();
    test_hup_and_reload_ignored();
    test_stuck_stop();
    rmdir(tmpdir);
    return done_testing();
}
