/*
 * worker.c -- the framework around one native worker process.
 * Owns the worker's event base, its signal events (SIGTERM/SIGINT graceful stop, SIGHUP
 * ignored, SIGPIPE ignored), the supervisor channel (READY, HEARTBEAT, STOPPING out; STOP,
 * RELOAD in; EOF = the supervisor died, stop at once), the per-instance control server with
 * the shared commands ping/status/metrics, and the worker's metrics registry with
 * steward_worker_up and process_* metrics. Does not own fork, fd hygiene, cgroups or rlimits
 * (the supervisor's spawn code did those before calling the kind's main), nor the sup_fd and
 * ctl_fd themselves (never closed here). The one common/ file allowed to exit (it does not).
 * Tests: tests/unit/t_worker.c, tests/integration/t_workers_native.sh
 */
#include "config.h"

#include "worker.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>
#include <json-c/json.h>

#include "cfg.h"
#include "ctl.h"
#include "log.h"
#include "metrics.h"
#include "util.h"

#define WORKER_DEFAULT_HEARTBEAT_S 1.0

enum worker_state { WORKER_RUNNING, WORKER_STOPPING };

struct worker {
    struct worker_ctx *ctx;             /* borrowed from the caller */
    struct event_base *base;
    struct event *sig_term, *sig_int, *sig_hup;
    struct event *sup_ev;               /* readable supervisor channel */
    struct event *hb_ev;                /* heartbeat timer */
    struct ctl_server *ctl;
    struct met_registry *reg;
    struct met_family *m_up, *m_rss, *m_cpu, *m_fds, *m_start;
    enum worker_state state;
    bool ready_sent;
    bool signalled;                     /* a SIGTERM/SIGINT was received */
    bool loop_done;                     /* stop finished before worker_run started the loop */
    int exit_code;
    double started_s;                   /* st_now_s() at worker_new */
    void (*status_cb)(struct json_object *obj, void *arg);
    void *status_arg;
    void (*stop_cb)(struct worker *w, void *arg);
    void *stop_arg;
};

static void worker_cmd_ping(const struct ctl_req *req, struct ctl_reply *reply, void *arg);
static void worker_cmd_status(const struct ctl_req *req, struct ctl_reply *reply, void *arg);
static void worker_cmd_metrics(const struct ctl_req *req, struct ctl_reply *reply, void *arg);

static const struct ctl_command worker_shared_cmds[] = {
    { "ping", worker_cmd_ping, "answer pong (liveness)" },
    { "status", worker_cmd_status, "name, kind, pid, state, uptime and the kind's fields" },
    { "metrics", worker_cmd_metrics, "Prometheus text of this worker's metrics" },
};

/* Send one channel message; a full or closed channel is logged, not fatal (the read side
   sees EOF and stops us). */
static void
worker_send(struct worker *w, const char *msg)
{
    if (w->ctx->sup_fd < 0)
        return;
    if (send(w->ctx->sup_fd, msg, strlen(msg), MSG_NOSIGNAL | MSG_DONTWAIT) == -1)
        log_debug("supervisor channel send failed", LF_STR("message", msg),
            LF_STR("error", strerror(errno)));
}

/* Begin a graceful stop: tell the supervisor, then let the kind finish (stop callback) or
   leave the loop at once. Idempotent. */
static void
worker_begin_stop(struct worker *w, const char *reason)
{
    if (w->state == WORKER_STOPPING)
        return;
    w->state = WORKER_STOPPING;
    log_info("worker stopping", LF_STR("reason", reason));
    worker_send(w, WORKER_MSG_STOPPING);
    if (w->stop_cb != NULL)
        w->stop_cb(w, w->stop_arg);
    else
        worker_stop_done(w);
}

static void
worker_on_signal(evutil_socket_t sig, short what, void *arg)
{
    struct worker *w = arg;

    (void)what;
    switch (sig) {
    case SIGTERM:
    case SIGINT:
        /* A second signal (two Ctrl-C) means "do not wait for the batch". A signal after
           the supervisor's STOP is not one: systemd SIGTERMs the whole cgroup while
           steward sends STOP, in either order. */
        if (w->state == WORKER_STOPPING && w->signalled) {
            log_warn("second stop signal, exiting without waiting",
                LF_STR("signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"));
            worker_stop_done(w);
        } else {
            w->signalled = true;
            worker_begin_stop(w, sig == SIGTERM ? "SIGTERM" : "SIGINT");
        }
        break;
    case SIGHUP:
        log_debug("SIGHUP ignored (the supervisor restarts changed workers)");
        break;
    }
}

static void
worker_on_heartbeat(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    worker_send(arg, WORKER_MSG_HEARTBEAT);
}

/* One datagram from the supervisor: STOP, RELOAD, or EOF when the supervisor is gone. */
static void
worker_on_channel(evutil_socket_t fd, short what, void *arg)
{
    struct worker *w = arg;
    char msg[WORKER_MSG_MAX + 1];
    ssize_t n;

    (void)what;
    n = recv(fd, msg, WORKER_MSG_MAX, MSG_DONTWAIT);
    if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
    if (n <= 0) {               /* never run on as an orphan */
        log_warn("supervisor gone, exiting",
            LF_STR("error", n == 0 ? "channel closed" : strerror(errno)));
        event_del(w->sup_ev);
        w->state = WORKER_STOPPING;
        worker_stop_done(w);
        return;
    }
    msg[n] = '\0';
    if (strcmp(msg, WORKER_MSG_STOP) == 0)
        worker_begin_stop(w, "STOP");
    else if (strcmp(msg, WORKER_MSG_RELOAD) == 0)
        log_debug("RELOAD ignored (reserved)");
    else
        log_warn("unknown supervisor message ignored", LF_STR("message", msg));
}

static void
worker_cmd_ping(const struct ctl_req *req, struct ctl_reply *reply, void *arg)
{
    (void)req;
    (void)arg;
    ctl_reply_text(reply, "pong");
}

static void
worker_cmd_status(const struct ctl_req *req, struct ctl_reply *reply, void *arg)
{
    struct worker *w = arg;
    struct json_object *o = json_object_new_object();
    const char *kind = w->ctx->wcfg != NULL && w->ctx->wcfg->kind != NULL
        ? w->ctx->wcfg->kind : "unknown";

    (void)req;
    json_object_object_add(o, "name", json_object_new_string(w->ctx->instance));
    json_object_object_add(o, "kind", json_object_new_string(kind));
    json_object_object_add(o, "pid", json_object_new_int64(getpid()));
    json_object_object_add(o, "state",
        json_object_new_string(w->state == WORKER_STOPPING ? "stopping" : "running"));
    json_object_object_add(o, "uptime_s",
        json_object_new_int64((int64_t)(st_now_s() - w->started_s)));
    json_object_object_add(o, "generation", json_object_new_int64(w->ctx->generation));
    if (w->status_cb != NULL)
        w->status_cb(o, w->status_arg);
    ctl_reply_ok(reply, o);
}

/* Open file descriptors of this process (entries of /proc/self/fd), -1 when unreadable. */
static long
worker_count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    long n = 0;

    if (d == NULL)
        return -1;
    while ((e = readdir(d)) != NULL)
        n += e->d_name[0] != '.';
    closedir(d);
    return n - 1;               /* the directory stream's own fd */
}

/* Refresh process_resident_memory_bytes (/proc/self/statm), process_cpu_seconds_total
   (getrusage) and process_open_fds; a failed read leaves the previous value. */
static void
worker_update_process_metrics(struct worker *w)
{
    struct rusage ru;
    long pages_total, pages_rss;
    FILE *f;

    if ((f = fopen("/proc/self/statm", "re")) != NULL) {
        if (fscanf(f, "%ld %ld", &pages_total, &pages_rss) == 2)
            met_set(w->m_rss, NULL, (double)pages_rss * (double)sysconf(_SC_PAGESIZE));
        fclose(f);
    }
    if (getrusage(RUSAGE_SELF, &ru) == 0) {
        double cpu = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6
            + (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
        met_inc(w->m_cpu, NULL, cpu - met_value(w->m_cpu, NULL));
    }
    met_set(w->m_fds, NULL, (double)worker_count_fds());
}

static void
worker_cmd_metrics(const struct ctl_req *req, struct ctl_reply *reply, void *arg)
{
    struct worker *w = arg;
    struct st_buf out = ST_BUF_INIT;

    (void)req;
    worker_render_metrics(w, &out);
    ctl_reply_text(reply, out.data != NULL ? out.data : "");
    st_buf_free(&out);
}

/* The registry every worker starts with. */
static void
worker_init_metrics(struct worker *w)
{
    static const char *const worker_label[] = { "worker", NULL };
    const char *const values[] = { w->ctx->instance, NULL };
    size_t max_series = 0;

    if (w->ctx->cfg != NULL && w->ctx->cfg->metrics.max_series > 0)
        max_series = (size_t)w->ctx->cfg->metrics.max_series;
    w->reg = met_registry_new(max_series);
    w->m_up = met_family(w->reg, "steward_worker_up", "1 while the worker process runs",
        MET_GAUGE, worker_label);
    met_set(w->m_up, values, 1);
    w->m_rss = met_family(w->reg, "process_resident_memory_bytes",
        "Resident memory size in bytes", MET_GAUGE, NULL);
    w->m_cpu = met_family(w->reg, "process_cpu_seconds_total",
        "Total user and system CPU time spent in seconds", MET_COUNTER, NULL);
    w->m_fds = met_family(w->reg, "process_open_fds", "Number of open file descriptors",
        MET_GAUGE, NULL);
    w->m_start = met_family(w->reg, "process_start_time_seconds",
        "Start time of the process since unix epoch in seconds", MET_GAUGE, NULL);
    met_set(w->m_start, NULL, (double)(st_wall_us() / 1000000));
    worker_update_process_metrics(w);
}

/* Signal events, channel event and heartbeat timer on w->base. 0 or -1 with err. */
static int
worker_init_events(struct worker *w, struct st_error *err)
{
    struct sigaction sa = { .sa_handler = SIG_IGN };
    double hb = w->ctx->heartbeat_s > 0 ? w->ctx->heartbeat_s : WORKER_DEFAULT_HEARTBEAT_S;
    int64_t hb_us = (int64_t)(hb * 1e6);
    struct timeval tv = { (time_t)(hb_us / 1000000), (suseconds_t)(hb_us % 1000000) };

    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGPIPE, &sa, NULL) == -1) {
        st_error_set(err, "sigaction(SIGPIPE, SIG_IGN): %s", strerror(errno));
        return -1;
    }
    w->sig_term = evsignal_new(w->base, SIGTERM, worker_on_signal, w);
    w->sig_int = evsignal_new(w->base, SIGINT, worker_on_signal, w);
    w->sig_hup = evsignal_new(w->base, SIGHUP, worker_on_signal, w);
    w->hb_ev = event_new(w->base, -1, EV_PERSIST, worker_on_heartbeat, w);
    if (w->sig_term == NULL || w->sig_int == NULL || w->sig_hup == NULL || w->hb_ev == NULL
        || event_add(w->sig_term, NULL) == -1 || event_add(w->sig_int, NULL) == -1
        || event_add(w->sig_hup, NULL) == -1 || event_add(w->hb_ev, &tv) == -1) {
        st_error_set(err, "set up signal and timer events: %s", strerror(errno));
        return -1;
    }
    if (w->ctx->sup_fd >= 0) {
        w->sup_ev = event_new(w->base, w->ctx->sup_fd, EV_READ | EV_PERSIST,
            worker_on_channel, w);
        if (w->sup_ev == NULL || event_add(w->sup_ev, NULL) == -1) {
            st_error_set(err, "watch supervisor channel fd %d: %s", w->ctx->sup_fd,
                strerror(errno));
            return -1;
        }
    }
    return 0;
}

/*
 * Create the framework for ctx (borrowed; must outlive the worker). Sets the log process
 * name to ctx->instance. Returns the worker (free with worker_free) or NULL with err.
 */
struct worker *
worker_new(struct worker_ctx *ctx, struct st_error *err)
{
    struct worker *w = st_xcalloc(1, sizeof(*w));

    w->ctx = ctx;
    w->started_s = st_now_s();
    log_set_process(ctx->instance);
    if ((w->base = event_base_new()) == NULL) {
        st_error_set(err, "event_base_new failed");
        goto fail;
    }
    if (worker_init_events(w, err) == -1)
        goto fail;
    worker_init_metrics(w);
    if (ctx->ctl_fd >= 0) {
        w->ctl = ctl_server_new(w->base, ctx->ctl_fd, ctx->ctl_owner_uid, ctx->ctl_group_gid,
            err);
        if (w->ctl == NULL) {
            st_error_prefix(err, "control socket of %s", ctx->instance);
            goto fail;
        }
        ctl_server_add_commands(w->ctl, worker_shared_cmds, ST_ARRAY_LEN(worker_shared_cmds), w);
    }
    return w;
fail:
    worker_free(w);
    return NULL;
}

/* The worker's event base (owned by the worker). */
struct event_base *
worker_base(struct worker *w)
{
    return w->base;
}

/* The worker's registry (owned by the worker). */
struct met_registry *
worker_metrics(struct worker *w)
{
    return w->reg;
}

/* The context the worker was created with (borrowed). */
const struct worker_ctx *
worker_ctx(const struct worker *w)
{
    return w->ctx;
}

/* Add the kind's commands; without a control socket (ctl_fd -1) they are not served. */
void
worker_add_commands(struct worker *w, const struct ctl_command *cmds, size_t n, void *arg)
{
    if (w->ctl != NULL)
        ctl_server_add_commands(w->ctl, cmds, n, arg);
}

/* Render the worker's registry (process metrics refreshed first) into out, appending. */
void
worker_render_metrics(struct worker *w, struct st_buf *out)
{
    worker_update_process_metrics(w);
    met_render(w->reg, out);
}

/* Fields the kind adds to `status` (cb may be NULL to remove). */
void
worker_set_status_cb(struct worker *w, void (*cb)(struct json_object *obj, void *arg), void *arg)
{
    w->status_cb = cb;
    w->status_arg = arg;
}

/* What to do when a graceful stop begins (cb NULL: leave the loop at once). */
void
worker_set_stop_cb(struct worker *w, void (*cb)(struct worker *w, void *arg), void *arg)
{
    w->stop_cb = cb;
    w->stop_arg = arg;
}

/* The kind finished its stop: leave the loop (now, or as soon as worker_run starts it). */
void
worker_stop_done(struct worker *w)
{
    w->loop_done = true;
    (void)event_base_loopbreak(w->base);
}

/* True once a stop began (STOP, SIGTERM/SIGINT, or the supervisor went away). */
bool
worker_stopping(const struct worker *w)
{
    return w->state == WORKER_STOPPING;
}

/* Tell the supervisor the worker is up (state running); only the first call sends. */
void
worker_ready(struct worker *w)
{
    if (w->ready_sent)
        return;
    w->ready_sent = true;
    log_info("worker ready", LF_INT("generation", w->ctx->generation));
    worker_send(w, WORKER_MSG_READY);
}

/* Send a HEARTBEAT outside the timer (a kind busy without the loop). */
void
worker_heartbeat(struct worker *w)
{
    worker_send(w, WORKER_MSG_HEARTBEAT);
}

/*
 * Run the loop until a stop completes (or the supervisor goes away). Returns the exit code
 * for the kind's main: 0, or 1 when the event loop failed.
 */
int
worker_run(struct worker *w)
{
    while (!w->loop_done) {
        int rc = event_base_loop(w->base, 0);

        if (rc != 0) {          /* -1 failed; 1 no events left (cannot happen: signals) */
            log_error("event loop failed", LF_INT("rc", rc));
            w->exit_code = 1;
            break;
        }
    }
    log_info("worker exiting", LF_INT("code", w->exit_code));
    return w->exit_code;
}

/* Free everything the worker made; sup_fd and ctl_fd stay open (not ours). Takes NULL. */
void
worker_free(struct worker *w)
{
    if (w == NULL)
        return;
    if (w->ctl != NULL)
        ctl_server_free(w->ctl);
    if (w->sig_term != NULL)
        event_free(w->sig_term);
    if (w->sig_int != NULL)
        event_free(w->sig_int);
    if (w->sig_hup != NULL)
        event_free(w->sig_hup);
    if (w->hb_ev != NULL)
        event_free(w->hb_ev);
    if (w->sup_ev != NULL)
        event_free(w->sup_ev);
    met_registry_free(w->reg);
    if (w->base != NULL)
        event_base_free(w->base);
    free(w);
}

int
worker_serve(struct worker_ctx *ctx)
{
    struct st_error err = ST_ERROR_INIT;
    struct worker *w;
    int rc;

    if ((w = worker_new(ctx, &err)) == NULL) {
        log_error("worker setup failed", LF_STR("error", err.msg));
        return WORKER_EXIT_SETUP;
    }
    worker_ready(w);
    rc = worker_run(w);
    worker_free(w);
    return rc;
}
