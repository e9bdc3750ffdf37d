/*
 * instance.c -- one instance's lifecycle under the supervisor (DESIGN.md "Processes"):
 * create/destroy, start/stop/remove, exit handling and restart timers, stop escalation,
 * the native channel (READY, heartbeats) and its watchdog, messages to systemd (sup_notify),
 * and the operations a reload applies (follow, change, limits in place, revive).
 * The one file that writes struct instance's fields, besides proc.c's state machine
 * (state, failure window) and output.c's line buffer. Leaves fork/exec to spawn.c, the
 * decision of what a reload does to reload.c, output capture to output.c.
 * Tests: tests/integration/t_sup_basic.sh, t_sup_restart.sh, t_sup_native.sh,
 * t_sup_reload.sh, t_sup_shutdown.sh
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "cgroup.h"
#include "listen.h"
#include "log.h"
#include "metrics.h"
#include "notify.h"
#include "output.h"
#include "proc_stat.h"
#include "sup.h"
#include "worker.h"

enum { T_NONE, T_BACKOFF, T_READY, T_KILL, T_RETRY };

static void instance_on_timer(evutil_socket_t fd, short what, void *arg);
static void instance_on_channel(evutil_socket_t fd, short what, void *arg);

void
sup_notify(struct sup *s, const char *msg)
{
    struct st_error err = ST_ERROR_INIT;

    if (notify_send(s->notify, msg, &err) == -1)
        log_warn("systemd notification failed", LF_STR("error", err.msg));
}

struct instance *
sup_find(struct sup *s, const char *name)
{
    for (size_t i = 0; i < s->nprocs; i++)
        if (strcmp(s->procs[i]->name, name) == 0)
            return s->procs[i];
    return NULL;
}

static void
sup_arm(struct instance *in, int kind, double seconds)
{
    struct timeval tv = { (time_t)seconds, (suseconds_t)((seconds - (double)(time_t)seconds) * 1e6) };

    in->timer_kind = kind;
    (void)evtimer_add(in->ev_timer, &tv);     /* fails only on a bad timeval */
}

static void
sup_disarm(struct instance *in)
{
    in->timer_kind = T_NONE;
    (void)evtimer_del(in->ev_timer);
}

void
sup_add_instance(struct sup *s, struct instance *in)
{
    s->procs = st_xrealloc(s->procs, (s->nprocs + 1) * sizeof(*s->procs));
    s->procs[s->nprocs++] = in;
}

struct instance *
sup_instance_new(struct sup *s, const struct cfg_worker *w, int index, struct st_error *err)
{
    char buf[256], *name = st_xstrdup(cfg_instance_name(w, index, buf, sizeof(buf)));
    bool native = worker_kind_find(w->kind) != NULL;
    struct instance *in;

    if (!native && strcmp(w->kind, "exec") != 0) {
        st_error_set(err, "worker %s: unknown kind %s", w->name, w->kind);
        free(name);
        return NULL;
    }
    in = proc_new(name, w->name, index, w, native);
    free(name);
    in->owner = s;
    in->ev_timer = evtimer_new(s->base, instance_on_timer, in);
    if (native) {
        in->ctl_path = st_xasprintf("%s/%s.sock", s->run_dir, in->name);
        if ((in->ctl_fd = sup_listen(s, in->ctl_path, err)) == -1)
            goto fail;
    }
    if ((in->cg = cg_group_new(s->cg, in->name, &w->limits, err)) == NULL)
        goto fail;
    return in;
fail:
    if (in->ctl_fd != -1) {
        close(in->ctl_fd);
        (void)unlink(in->ctl_path);
    }
    event_free(in->ev_timer);
    proc_free(in);
    return NULL;
}

/* Close the channel and output of a process that is gone (after draining its output). */
static void
sup_close_process_fds(struct instance *in)
{
    if (in->ev_sp != NULL) {
        event_free(in->ev_sp);
        in->ev_sp = NULL;
    }
    if (in->sp_fd != -1) {
        close(in->sp_fd);
        in->sp_fd = -1;
    }
    if (in->out_fd != -1)
        output_on_readable(in->out_fd, EV_READ, in);     /* what it wrote before dying */
    if (in->ev_out != NULL) {
        event_free(in->ev_out);
        in->ev_out = NULL;
    }
    if (in->out_fd != -1) {
        close(in->out_fd);
        in->out_fd = -1;
    }
    st_buf_reset(&in->out);
}

/* Give killed leftovers of an instance up to 2 s to leave its cgroup (a dead process
   leaves at exit, before it is reaped), so that the group can be removed. */
static void
sup_wait_empty(struct instance *in)
{
    int64_t deadline = st_now_ms() + 2000;

    while (in->cg != NULL && !cg_is_empty(in->cg) && st_now_ms() < deadline) {
        (void)usleep(5000);
    }
}

static void
instance_close_listener(struct instance *in)
{
    if (in->listen_fd != -1)
        close(in->listen_fd);
    in->listen_fd = -1;
    free(in->listen_addr);
    in->listen_addr = NULL;
}

/* The listening socket of a native entry with `listen`, made before its first start and
   kept across restarts; made again only when the address changed (a reload), after the
   old process is gone. An exec entry, or one without listen, has none. */
static int
instance_listener(struct instance *in, struct st_error *err)
{
    const char *want = in->native ? in->wcfg->listen : NULL;

    if (want != NULL && in->listen_fd != -1 && strcmp(in->listen_addr, want) == 0)
        return 0;
    instance_close_listener(in);
    if (want == NULL)
        return 0;
    if ((in->listen_fd = listen_open(want, in->name, in->wcfg->count > 1, err)) == -1)
        return -1;
    in->listen_addr = st_xstrdup(want);
    log_info("worker listener open", LF_STR("worker", in->name), LF_STR("listen", want));
    return 0;
}

/* Free an instance that has no process; removes it from the table. */
void
sup_instance_destroy(struct sup *s, struct instance *in)
{
    const char *labels[] = { in->name, NULL };

    met_set(s->m_up, labels, 0);        /* a removed instance is down, not stale */
    met_set(s->m_memory, labels, 0);
    for (size_t i = 0; i < s->nprocs; i++) {
        if (s->procs[i] == in) {
            memmove(&s->procs[i], &s->procs[i + 1], (s->nprocs - i - 1) * sizeof(*s->procs));
            s->nprocs--;
            break;
        }
    }
    sup_close_process_fds(in);
    event_free(in->ev_timer);
    sup_wait_empty(in);
    if (in->ctl_fd != -1)
        close(in->ctl_fd);
    if (in->ctl_path != NULL)
        (void)unlink(in->ctl_path);
    instance_close_listener(in);
    cg_group_free(in->cg);
    proc_free(in);
}

/* SIGKILL everything of an instance: its cgroup, its process group (exec), and its main
   pid while that is still ours to signal (not yet reaped). */
void
sup_kill_all(struct instance *in, bool main_alive)
{
    struct st_error err = ST_ERROR_INIT;

    if (in->cg != NULL && !cg_is_empty(in->cg) && cg_kill(in->cg, SIGKILL, &err) == -1)
        log_warn("emptying cgroup failed", LF_STR("worker", in->name), LF_STR("error", err.msg));
    if (in->pid <= 0)
        return;
    if (!in->native)
        (void)kill(-in->pid, SIGKILL);  /* setsid made pgid == pid; helpers may remain */
    if (main_alive) {
        in->sigkilled = true;
        (void)kill(in->pid, SIGKILL);
    }
}

void
sup_check_ready(struct sup *s)
{
    size_t running = 0, failed = 0;
    char msg[128];

    if (s->ready_sent || s->stopping || !s->launched)
        return;
    for (size_t i = 0; i < s->nprocs; i++) {
        struct instance *in = s->procs[i];
        if (in->state == PROC_RUNNING)
            running++;
        else if (in->state == PROC_FAILED || in->state == PROC_STOPPED)
            failed++;                   /* settled: it exited and stays down */
        else
            return;
    }
    s->ready_sent = true;
    (void)snprintf(msg, sizeof(msg), "READY=1\nSTATUS=%zu workers running, %zu failed or stopped",
        running, failed);
    sup_notify(s, msg);
    log_info("workers started", LF_INT("running", running), LF_INT("failed", failed),
        LF_INT("generation", s->generation));
}

/* STATUS= for systemctl status, after READY (before it, READY carries the status). */
static void
sup_notify_status(struct sup *s)
{
    size_t running = 0, failed = 0;
    char msg[128];

    if (!s->ready_sent || s->stopping || !notify_enabled(s->notify))
        return;
    for (size_t i = 0; i < s->nprocs; i++) {
        running += s->procs[i]->state == PROC_RUNNING;
        failed += s->procs[i]->state == PROC_FAILED;
    }
    (void)snprintf(msg, sizeof(msg), "STATUS=%zu of %zu workers running, %zu failed", running,
        s->nprocs, failed);
    sup_notify(s, msg);
}

static void
sup_became_ready(struct sup *s, struct instance *in)
{
    if (!proc_ready(in, st_now_ms()))
        return;
    log_info("worker running", LF_STR("worker", in->name), LF_INT("worker_pid", in->pid));
    sup_check_ready(s);
    sup_notify_status(s);
}

void
sup_start_instance(struct sup *s, struct instance *in)
{
    struct st_error err = ST_ERROR_INIT;
    struct spawn_result res;
    pid_t pid;

    if (s->stopping || in->removed || in->wcfg == NULL)
        return;
    sup_disarm(in);
    if (in->config_changed && in->cg != NULL) {
        if (cg_group_set_limits(in->cg, &in->wcfg->limits, &err) == -1)
            log_error("applying limits failed", LF_STR("worker", in->name), LF_STR("error", err.msg));
        in->config_changed = false;
    }
    in->oom_before = in->cg != NULL ? cg_oom_kills(in->cg) : 0;
    in->exec_ok = false;
    pid = instance_listener(in, &err) == -1 ? -1 : spawn_instance(s, in, &res, &err);
    if (pid == -1) {
        log_error("worker start failed", LF_STR("worker", in->name), LF_STR("error", err.msg));
        proc_spawned(in, 0, st_now_ms());
        sup_exited(s, in, WORKER_EXIT_SETUP << 8, false);   /* counted as exit 70 */
        return;
    }
    proc_spawned(in, pid, st_now_ms());
    in->sp_fd = res.sp_fd;
    in->out_fd = res.out_fd;
    in->exec_ok = res.exec_ok;
    in->heartbeat_s = res.heartbeat_s;
    in->spawned_wall_us = st_wall_us();
    log_info("worker started", LF_STR("worker", in->name), LF_STR("kind", in->kind),
        LF_INT("worker_pid", pid));
    if (in->sp_fd != -1) {
        in->ev_sp = event_new(s->base, in->sp_fd, EV_READ | EV_PERSIST, instance_on_channel, in);
        if (in->ev_sp == NULL || event_add(in->ev_sp, NULL) == -1)
            log_error("cannot watch the worker channel", LF_STR("worker", in->name));
    }
    if (in->out_fd != -1) {
        in->ev_out = event_new(s->base, in->out_fd, EV_READ | EV_PERSIST, output_on_readable, in);
        if (in->ev_out == NULL || event_add(in->ev_out, NULL) == -1)
            log_error("cannot watch the worker output", LF_STR("worker", in->name));
    }
    if (!in->native && in->exec_ok) {
        if (in->wcfg->ready_after_s <= 0)
            sup_became_ready(s, in);
        else
            sup_arm(in, T_READY, in->wcfg->ready_after_s);
    }
}

void
sup_stop_instance(struct sup *s, struct instance *in, bool respawn)
{
    enum proc_state was = in->state;

    in->respawn = respawn;
    if (was == PROC_STOPPING)
        return;                         /* already on its way down; the timer escalates */
    if (!proc_stop(in)) {
        sup_disarm(in);
        if (respawn)
            sup_start_instance(s, in);
        return;
    }
    log_info("stopping worker", LF_STR("worker", in->name), LF_INT("worker_pid", in->pid));
    if (in->native) {
        if (in->sp_fd == -1 || send(in->sp_fd, WORKER_MSG_STOP, strlen(WORKER_MSG_STOP),
                MSG_NOSIGNAL | MSG_DONTWAIT) == -1)
            (void)kill(in->pid, SIGTERM);
    } else if (kill(-in->pid, SIGTERM) == -1) {
        (void)kill(in->pid, SIGTERM);
    }
    sup_arm(in, T_KILL, s->cfg->steward.shutdown_timeout_s);
}

void
sup_remove_instance(struct sup *s, struct instance *in)
{
    in->removed = true;
    in->wcfg = NULL;
    if (in->pid > 0) {
        sup_stop_instance(s, in, false);
        return;
    }
    sup_disarm(in);
    sup_instance_destroy(s, in);
}

/* Every instance is down: leave the loop. */
void
sup_check_stopped(struct sup *s)
{
    if (!s->stopping)
        return;
    for (size_t i = 0; i < s->nprocs; i++)
        if (s->procs[i]->pid > 0)
            return;
    (void)event_base_loopexit(s->base, NULL);
}

void
sup_exited(struct sup *s, struct instance *in, int wstatus, bool cpu_limit)
{
    struct proc_exit x = { wstatus, false, in->killed_watchdog, cpu_limit };
    pid_t pid = in->pid;
    int64_t delay;

    sup_disarm(in);
    if (in->cg != NULL && cg_oom_kills(in->cg) > in->oom_before)
        x.oom = true;
    sup_kill_all(in, false);            /* leftovers: daemonized helpers of the program */
    sup_close_process_fds(in);
    delay = proc_exited(in, &x, st_now_ms());
    log_emit(in->want_down ? LOG_INFO : LOG_WARN, "worker exited", LF_STR("worker", in->name),
        LF_INT("worker_pid", pid), LF_STR("last_exit", in->last_exit),
        LF_STR("state", proc_state_name(in->state)), LF_END);
    if (in->state == PROC_BACKOFF) {
        const char *labels[] = { in->name, in->last_reason, NULL };
        met_inc(s->m_restarts, labels, 1);
        sup_arm(in, T_BACKOFF, (double)delay / 1000.0);
    } else if (in->state == PROC_FAILED) {
        log_error("worker failed, not restarting", LF_STR("worker", in->name),
            LF_STR("last_exit", in->last_exit), LF_INT("restarts", in->restarts));
        if (s->cfg->steward.failed_retry_s > 0 && !s->stopping)
            sup_arm(in, T_RETRY, s->cfg->steward.failed_retry_s);
        sup_check_ready(s);
    } else if (in->removed) {
        sup_instance_destroy(s, in);
    } else if (in->respawn && !s->stopping) {
        in->respawn = false;
        proc_start_requested(in);
        sup_start_instance(s, in);
    }
    sup_notify_status(s);
    sup_check_stopped(s);
}

struct instance *
sup_find_pid(struct sup *s, pid_t pid)
{
    for (size_t i = 0; i < s->nprocs; i++)
        if (s->procs[i]->pid == pid)
            return s->procs[i];
    return NULL;
}

static void
instance_on_timer(evutil_socket_t fd, short what, void *arg)
{
    struct instance *in = arg;
    struct sup *s = in->owner;
    int kind = in->timer_kind;

    (void)fd;
    (void)what;
    in->timer_kind = T_NONE;
    switch (kind) {
    case T_BACKOFF:
        sup_start_instance(s, in);
        break;
    case T_RETRY:
        log_info("retrying failed worker", LF_STR("worker", in->name));
        proc_start_requested(in);
        sup_start_instance(s, in);
        break;
    case T_READY:
        if (in->pid > 0)
            sup_became_ready(s, in);
        break;
    case T_KILL:
        log_warn("worker did not stop in time, killing it", LF_STR("worker", in->name),
            LF_INT("worker_pid", in->pid));
        sup_kill_all(in, true);
        break;
    }
}

/* Messages from a native worker: READY, HEARTBEAT, STOPPING. */
static void
instance_on_channel(evutil_socket_t fd, short what, void *arg)
{
    struct instance *in = arg;
    char msg[WORKER_MSG_MAX + 1];
    ssize_t n;

    (void)what;
    while ((n = recv(fd, msg, WORKER_MSG_MAX, MSG_DONTWAIT)) > 0) {
        msg[n] = '\0';
        in->heartbeat_ms = st_now_ms();
        in->heard = true;
        if (strcmp(msg, WORKER_MSG_READY) == 0)
            sup_became_ready(in->owner, in);
    }
    if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR)) {
        (void)event_del(in->ev_sp);     /* channel closed: the exit follows via SIGCHLD */
    }
}

/*
 * Native workers that went silent for 3 heartbeat intervals (the interval their process
 * was started with) are killed ("watchdog"); one that has not said a word since it was
 * forked gets at least SUP_FIRST_WORD_S (slow setup before its loop runs).
 * Silence is judged on what the workers said, not on what we got round to reading: the
 * channels are drained first (after a pause of the supervisor their heartbeats sit
 * unread), and a tick that itself ran late by more than its interval (SIGSTOP, a
 * suspended VM, an overloaded host) restarts every silence clock instead of killing.
 */
void
sup_watchdog_tick(struct sup *s)
{
    int64_t now = st_now_ms(), last = s->last_tick_ms;
    bool late = last != 0 && now - last > 2 * SUP_TICK_MS;

    s->last_tick_ms = now;
    for (size_t i = 0; i < s->nprocs; i++) {
        struct instance *in = s->procs[i];
        if (in->native && in->sp_fd != -1)
            instance_on_channel(in->sp_fd, EV_READ, in);
    }
    if (late)
        log_warn("supervisor tick ran late, heartbeat clocks restarted",
            LF_INT("late_ms", now - last - SUP_TICK_MS));
    for (size_t i = 0; i < s->nprocs; i++) {
        struct instance *in = s->procs[i];
        int64_t silent = (int64_t)(in->heartbeat_s * 1000.0 * SUP_WATCHDOG_MISSES);
        int64_t mute = (int64_t)(SUP_FIRST_WORD_S * 1000.0);

        if (!in->native || in->pid <= 0 || in->killed_watchdog || in->state == PROC_STOPPING)
            continue;
        if (late) {
            in->heartbeat_ms = now;
            continue;
        }
        if (mute < silent)
            mute = silent;
        if (now - in->heartbeat_ms > (in->heard ? silent : mute)) {
            log_error("worker missed its heartbeats, killing it", LF_STR("worker", in->name),
                LF_INT("worker_pid", in->pid), LF_INT("silent_ms", now - in->heartbeat_ms));
            in->killed_watchdog = true;
            sup_kill_all(in, true);
        }
    }
}

void
sup_usage(const struct instance *in, int64_t *memory_bytes, double *cpu_seconds)
{
    int64_t rss = -1;
    double cpu;

    *memory_bytes = -1;
    *cpu_seconds = -1;
    if (in->cg != NULL && cg_usage(in->cg, memory_bytes, cpu_seconds) == 0
        && *memory_bytes >= 0 && *cpu_seconds >= 0)
        return;
    *memory_bytes = -1;
    *cpu_seconds = -1;
    if (in->pid <= 0)
        return;
    if ((cpu = proc_stat_cpu(in->pid, &rss)) >= 0) {
        *cpu_seconds = cpu;
        *memory_bytes = rss;
    }
}

/* stewardctl start: from stopped/failed/backoff a fresh start; a stopping instance comes
   up again once its old process is gone. */
void
sup_request_start(struct sup *s, struct instance *in)
{
    if (in->state == PROC_STOPPED || in->state == PROC_FAILED || in->state == PROC_BACKOFF) {
        proc_start_requested(in);
        sup_start_instance(s, in);
    } else if (in->state == PROC_STOPPING) {
        in->respawn = true;
    }
}

/* stewardctl restart: stop and start again, or start when there is no process. */
void
sup_request_restart(struct sup *s, struct instance *in)
{
    if (in->pid > 0) {
        sup_stop_instance(s, in, true);
    } else {
        proc_start_requested(in);
        sup_start_instance(s, in);
    }
}

void
sup_instance_follow(struct instance *in, const struct cfg_worker *neww)
{
    in->wcfg = neww;
}

/* exec <-> native: the control socket exists only for native instances. Called once a
   running process was told to stop, so that it is stopped the way it was started. */
static void
instance_switch_kind(struct sup *s, struct instance *in)
{
    struct st_error err = ST_ERROR_INIT;
    bool native = cfg_kind_is_native(in->kind);

    if (native == in->native)
        return;
    if (!native && in->ctl_fd != -1) {
        close(in->ctl_fd);
        in->ctl_fd = -1;
        (void)unlink(in->ctl_path);
    }
    if (native && in->ctl_fd == -1) {
        free(in->ctl_path);
        in->ctl_path = st_xasprintf("%s/%s.sock", s->run_dir, in->name);
        if ((in->ctl_fd = sup_listen(s, in->ctl_path, &err)) == -1)
            log_error("control socket failed", LF_STR("worker", in->name),
                LF_STR("error", err.msg));
    }
    in->native = native;
}

void
sup_instance_change(struct sup *s, struct instance *in, const struct cfg_worker *neww)
{
    in->wcfg = neww;
    in->config_changed = true;
    free(in->kind);
    in->kind = st_xstrdup(neww->kind);
    if (in->pid > 0) {
        sup_stop_instance(s, in, true);     /* stopped as what it was, then switched */
        instance_switch_kind(s, in);
    } else {
        instance_switch_kind(s, in);
        if (in->state == PROC_BACKOFF || in->state == PROC_FAILED)
            sup_start_instance(s, in);
    }
}

int
sup_instance_set_limits(struct sup *s, struct instance *in, const struct cfg_worker *neww,
    struct st_error *err)
{
    const struct cfg_limits *l = &neww->limits;

    if (in->pid <= 0 || in->cg == NULL
        || (l->memory_bytes != in->wcfg->limits.memory_bytes && !cg_memory_in_cgroup(s->cg))) {
        st_error_set(err, "no running process in a cgroup with these controllers");
        return -1;
    }
    if (cg_group_set_limits(in->cg, l, err) == -1)
        return -1;
    in->wcfg = neww;
    return 0;
}

int
sup_instance_reload(struct sup *s, struct instance *in, const struct cfg_worker *neww,
    unsigned generation, const char *digest, struct st_error *err)
{
    char msg[WORKER_MSG_MAX + 1];
    int n;

    (void)s;
    if (!in->native || in->pid <= 0 || in->sp_fd == -1
        || (in->state != PROC_RUNNING && in->state != PROC_STARTING)) {
        st_error_set(err, "no running native process");
        return -1;
    }
    n = snprintf(msg, sizeof(msg), "%s %u %s", WORKER_MSG_RELOAD, generation, digest);
    if (n < 0 || (size_t)n >= sizeof(msg)) {
        st_error_set(err, "RELOAD message longer than %d bytes", WORKER_MSG_MAX);
        return -1;
    }
    if (send(in->sp_fd, msg, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT) == -1) {
        st_error_set(err, "send RELOAD: %s", strerror(errno));
        return -1;
    }
    in->wcfg = neww;
    log_info("worker told to reload", LF_STR("worker", in->name), LF_INT("worker_pid", in->pid),
        LF_INT("generation", generation));
    return 0;
}

void
sup_instance_revive(struct sup *s, struct instance *in, const struct cfg_worker *neww, int index)
{
    in->removed = false;
    free(in->worker);
    in->worker = st_xstrdup(neww->name);
    in->index = index;
    sup_instance_change(s, in, neww);
}
