/*
 * sup.c -- `steward run`: the supervisor's run loop (DESIGN.md "Processes").
 * Owns the instance table, signals (as libevent events), reaping, restart timers,
 * stop escalation, exec output capture, the heartbeat watchdog and systemd
 * notifications. Leaves state transitions to proc.c, fork/exec to spawn.c, control
 * commands and reload to sup_ctl.c, the reload plan to reload.c.
 * Tests: tests/integration/t_sup_*.sh
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <event2/event.h>
#include <json-c/json.h>

#include "cgroup.h"
#include "cmds.h"
#include "ctl.h"
#include "log.h"
#include "metrics.h"
#include "notify.h"
#include "reload.h"
#include "sup.h"
#include "worker.h"

enum { T_NONE, T_BACKOFF, T_READY, T_KILL, T_RETRY };

static void sup_on_timer(evutil_socket_t fd, short what, void *arg);
static void sup_on_channel(evutil_socket_t fd, short what, void *arg);
static void sup_on_output(evutil_socket_t fd, short what, void *arg);

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

int
sup_listen(struct sup *s, const char *path, struct st_error *err)
{
    int fd = ctl_listen(path, err);

    if (fd == -1 || s->group_gid == (gid_t)-1)
        return fd;
    /* Not fatal: a daemon user outside the group cannot give the socket to it (EPERM). */
    if (chown(path, (uid_t)-1, s->group_gid) == -1)
        log_warn("control socket not in the control group, its members cannot connect",
            LF_STR("socket", path), LF_INT("gid", (int64_t)s->group_gid),
            LF_STR("error", strerror(errno)));
    return fd;
}

struct instance *
sup_instance_new(struct sup *s, const struct cfg_worker *w, int index, struct st_error *err)
{
    char *name = reload_instance_name(w, index);
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
    in->ev_timer = evtimer_new(s->base, sup_on_timer, in);
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
        sup_on_output(in->out_fd, EV_READ, in);     /* what it wrote before dying */
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

/* Free an instance that has no process; removes it from the table. */
static void
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
    cg_group_free(in->cg);
    proc_free(in);
}

/* SIGKILL everything of an instance: its cgroup, its process group (exec), and its main
   pid while that is still ours to signal (not yet reaped). */
static void
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

/* Spawn failed before a process existed: count it as an exit 70 (setup failure). */
static void sup_exited(struct sup *s, struct instance *in, int wstatus, bool cpu_limit);

void
sup_start_instance(struct sup *s, struct instance *in)
{
    struct st_error err = ST_ERROR_INIT;
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
    pid = spawn_instance(s, in, &err);
    if (pid == -1) {
        log_error("worker start failed", LF_STR("worker", in->name), LF_STR("error", err.msg));
        proc_spawned(in, 0, st_now_ms());
        sup_exited(s, in, WORKER_EXIT_SETUP << 8, false);
        return;
    }
    proc_spawned(in, pid, st_now_ms());
    in->spawned_wall_us = st_wall_us();
    log_info("worker started", LF_STR("worker", in->name), LF_STR("kind", in->kind),
        LF_INT("worker_pid", pid));
    if (in->sp_fd != -1) {
        in->ev_sp = event_new(s->base, in->sp_fd, EV_READ | EV_PERSIST, sup_on_channel, in);
        if (in->ev_sp == NULL || event_add(in->ev_sp, NULL) == -1)
            log_error("cannot watch the worker channel", LF_STR("worker", in->name));
    }
    if (in->out_fd != -1) {
        in->ev_out = event_new(s->base, in->out_fd, EV_READ | EV_PERSIST, sup_on_output, in);
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
static void
sup_check_stopped(struct sup *s)
{
    if (!s->stopping)
        return;
    for (size_t i = 0; i < s->nprocs; i++)
        if (s->procs[i]->pid > 0)
            return;
    (void)event_base_loopexit(s->base, NULL);
}

static void
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

static struct instance *
sup_find_pid(struct sup *s, pid_t pid)
{
    for (size_t i = 0; i < s->nprocs; i++)
        if (s->procs[i]->pid == pid)
            return s->procs[i];
    return NULL;
}

/* CPU seconds (utime + stime) of pid from /proc/<pid>/stat, -1 when unreadable. A zombie
   not yet reaped still shows its times. */
static double
sup_proc_cpu(pid_t pid, int64_t *rss_bytes)
{
    char path[64], buf[1024];
    unsigned long utime = 0, stime = 0;
    long rss = 0;
    double cpu = -1;
    FILE *f;

    (void)snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    if ((f = fopen(path, "re")) == NULL)
        return -1;
    if (fgets(buf, sizeof(buf), f) != NULL) {
        const char *p = strrchr(buf, ')');
        /* fields after "(comm)": state ppid ... utime(14) stime(15) ... rss(24) */
        if (p != NULL && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu"
                " %*d %*d %*d %*d %*d %*d %*u %*u %ld", &utime, &stime, &rss) == 3) {
            cpu = (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
            if (rss_bytes != NULL)
                *rss_bytes = (int64_t)rss * sysconf(_SC_PAGESIZE);
        }
    }
    fclose(f);
    return cpu;
}

/*
 * Was pid, a zombie not yet reaped that we did not SIGKILL, killed at its hard RLIMIT_CPU?
 * The kernel SIGKILLs there (SIGXCPU comes only at a lower soft limit), and `ulimit -t` or
 * systemd's LimitCPU= set both alike, so the signal alone cannot tell. The kernel counts
 * tick samples, which run ahead of the precise time /proc shows (0.91 s at a 1 s limit on
 * a busy host): a finite hard limit and at least half of it used is taken as the cause.
 */
static bool
sup_cpu_limit_hit(pid_t pid)
{
    char path[64], line[256], soft[32], hard[32];
    double limit = -1;
    FILE *f;

    (void)snprintf(path, sizeof(path), "/proc/%d/limits", (int)pid);
    if ((f = fopen(path, "re")) == NULL)
        return false;
    while (fgets(line, sizeof(line), f) != NULL) {
        if (strncmp(line, "Max cpu time", 12) != 0)
            continue;
        if (sscanf(line + 12, "%31s %31s", soft, hard) == 2 && strcmp(hard, "unlimited") != 0)
            limit = strtod(hard, NULL);
        break;
    }
    fclose(f);
    return limit > 0 && sup_proc_cpu(pid, NULL) >= limit / 2;
}

/* One SIGCHLD may cover many exits; orphans we adopted as subreaper are just reaped. Each
   exit is looked at before it is reaped (WNOWAIT), while /proc still shows its limits. */
static void
sup_reap(struct sup *s)
{
    struct instance *in;
    siginfo_t si;
    bool cpu_limit;
    int status;

    for (;;) {
        memset(&si, 0, sizeof(si));
        if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) == -1 || si.si_pid == 0)
            return;
        in = sup_find_pid(s, si.si_pid);
        cpu_limit = in != NULL && !in->sigkilled && si.si_code == CLD_KILLED
            && si.si_status == SIGKILL && sup_cpu_limit_hit(si.si_pid);
        if (waitpid(si.si_pid, &status, WNOHANG) != si.si_pid)
            return;
        if (in != NULL)
            sup_exited(s, in, status, cpu_limit);
    }
}

static void
sup_begin_stop(struct sup *s)
{
    s->stop_requests++;
    if (s->stop_requests > 1) {
        log_warn("second stop request, killing every worker now");
        for (size_t i = 0; i < s->nprocs; i++)
            sup_kill_all(s->procs[i], true);
        return;
    }
    s->stopping = true;
    sup_notify(s, "STOPPING=1");
    log_info("stopping", LF_DBL("shutdown_timeout_s", s->cfg->steward.shutdown_timeout_s));
    for (size_t i = 0; i < s->nprocs; i++) {
        struct instance *in = s->procs[i];
        sup_stop_instance(s, in, false);
    }
    sup_check_stopped(s);
}

static void
sup_on_signal(evutil_socket_t sig, short what, void *arg)
{
    struct sup *s = arg;

    (void)what;
    switch (sig) {
    case SIGCHLD: sup_reap(s); break;
    case SIGHUP: (void)sup_reload(s, NULL); break;
    case SIGTERM:
    case SIGINT: sup_begin_stop(s); break;
    }
}

static void
sup_on_timer(evutil_socket_t fd, short what, void *arg)
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
sup_on_channel(evutil_socket_t fd, short what, void *arg)
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

/* Append s (len bytes) to b as valid UTF-8 without NUL: bad bytes become U+FFFD. */
static void
sup_utf8_clean(struct st_buf *b, const char *s, size_t len)
{
    size_t i = 0;

    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        bool good = n > 0 && i + n <= len && c != 0;

        for (size_t k = 1; good && k < n; k++)
            good = ((unsigned char)s[i + k] & 0xC0) == 0x80;
        if (good && n == 2 && c < 0xC2)
            good = false;               /* overlong */
        if (good) {
            st_buf_append(b, s + i, n);
            i += n;
        } else {
            st_buf_puts(b, "\xEF\xBF\xBD");
            i++;
        }
    }
}

/* One output record: the program's line as msg, with the instance's name and pid. */
static void
sup_output_record(struct instance *in, const char *line, size_t len, bool truncated)
{
    struct st_buf b = ST_BUF_INIT;

    if (len > 0 && line[len - 1] == '\r')
        len--;
    sup_utf8_clean(&b, line, len);
    st_buf_putc(&b, '\0');
    if (truncated)
        log_info(b.data, LF_STR("worker", in->name), LF_INT("pid", in->pid),
            LF_BOOL("truncated", true));
    else
        log_info(b.data, LF_STR("worker", in->name), LF_INT("pid", in->pid));
    st_buf_free(&b);
}

/* Turn complete lines in in->out into records; split lines longer than the limit. */
static void
sup_output_lines(struct instance *in, bool eof)
{
    size_t start = 0;

    while (start < in->out.len) {
        const char *p = in->out.data + start;
        size_t avail = in->out.len - start;
        const char *nl = memchr(p, '\n', avail);
        size_t len = nl ? (size_t)(nl - p) : avail;

        if (len > SUP_OUTPUT_LINE_MAX) {
            size_t cut = st_utf8_cut(p, len, SUP_OUTPUT_LINE_MAX);
            if (cut == 0)
                cut = SUP_OUTPUT_LINE_MAX;
            sup_output_record(in, p, cut, true);
            in->out_split = true;
            start += cut;
            continue;
        }
        if (nl == NULL && !eof)
            break;
        sup_output_record(in, p, len, in->out_split);
        in->out_split = false;
        start += len + (nl != NULL);
    }
    if (start == 0)
        return;
    memmove(in->out.data, in->out.data + start, in->out.len - start);
    in->out.len -= start;
}

static void
sup_on_output(evutil_socket_t fd, short what, void *arg)
{
    struct instance *in = arg;
    char chunk[8192];
    ssize_t n;
    int rounds = 0;

    (void)what;
    /* A bounded number of reads per wakeup: a chatty program cannot starve the loop. */
    while (rounds++ < 16 && (n = read(fd, chunk, sizeof(chunk))) > 0) {
        st_buf_append(&in->out, chunk, (size_t)n);
        sup_output_lines(in, false);
    }
    if (rounds <= 16 && (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR))) {
        sup_output_lines(in, true);
        if (in->ev_out != NULL)
            (void)event_del(in->ev_out);
    }
}

/* Native workers that went silent for 3 heartbeat intervals (the interval their process
   was started with) are killed ("watchdog"); one that has not said a word since it was
   forked gets at least SUP_FIRST_WORD_S (slow setup before its loop runs). */
static void
sup_on_tick(evutil_socket_t fd, short what, void *arg)
{
    struct sup *s = arg;
    int64_t now = st_now_ms();

    (void)fd;
    (void)what;
    for (size_t i = 0; i < s->nprocs; i++) {
        struct instance *in = s->procs[i];
        int64_t silent = (int64_t)(in->heartbeat_s * 1000.0 * SUP_WATCHDOG_MISSES);
        int64_t mute = (int64_t)(SUP_FIRST_WORD_S * 1000.0);

        if (!in->native || in->pid <= 0 || in->killed_watchdog || in->state == PROC_STOPPING)
            continue;
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

static void
sup_on_systemd_watchdog(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    sup_notify(arg, "WATCHDOG=1");
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
    if ((cpu = sup_proc_cpu(in->pid, &rss)) >= 0) {
        *cpu_seconds = cpu;
        *memory_bytes = rss;
    }
}

/* Signals as loop events, the 1 s tick, and systemd's watchdog at half its interval. */
static int
sup_open_signals(struct sup *s, struct st_error *err)
{
    static const int sigs[4] = { SIGCHLD, SIGHUP, SIGTERM, SIGINT };
    struct timeval tick = { 1, 0 };

    (void)signal(SIGPIPE, SIG_IGN);
    for (size_t i = 0; i < 4; i++) {
        s->ev_sig[i] = evsignal_new(s->base, sigs[i], sup_on_signal, s);
        if (s->ev_sig[i] == NULL || evsignal_add(s->ev_sig[i], NULL) == -1) {
            st_error_set(err, "watch signal %d: %s", sigs[i], strerror(errno));
            return -1;
        }
    }
    s->ev_tick = event_new(s->base, -1, EV_PERSIST, sup_on_tick, s);
    if (s->ev_tick == NULL || event_add(s->ev_tick, &tick) == -1) {
        st_error_set(err, "add the watchdog tick: %s", strerror(errno));
        return -1;
    }
    if (s->watchdog_usec > 0) {
        struct timeval wd = { (time_t)(s->watchdog_usec / 2000000),
            (suseconds_t)((s->watchdog_usec / 2) % 1000000) };
        s->ev_watchdog = event_new(s->base, -1, EV_PERSIST, sup_on_systemd_watchdog, s);
        if (s->ev_watchdog == NULL || event_add(s->ev_watchdog, &wd) == -1) {
            st_error_set(err, "add the systemd watchdog timer: %s", strerror(errno));
            return -1;
        }
    }
    return 0;
}

/*
 * The run dir, 0750: created here (mode set past the umask), or kept as found (systemd's
 * RuntimeDirectory). With control_group, a dir we own is given that group, so that members
 * can reach the 0660 sockets inside; never a shared sticky dir such as /tmp.
 */
static int
sup_run_dir(struct sup *s, struct st_error *err)
{
    bool created = mkdir(s->run_dir, 0750) == 0;
    struct stat st;

    if (!created && errno != EEXIST) {
        st_error_set(err, "create run dir %s: %s", s->run_dir, strerror(errno));
        return -1;
    }
    if (stat(s->run_dir, &st) == -1) {
        st_error_set(err, "stat run dir %s: %s", s->run_dir, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        st_error_set(err, "run dir %s is not a directory", s->run_dir);
        return -1;
    }
    if (created && chmod(s->run_dir, 0750) == -1) {
        st_error_set(err, "chmod 0750 %s: %s", s->run_dir, strerror(errno));
        return -1;
    }
    if (s->group_gid == (gid_t)-1 || st.st_gid == s->group_gid)
        return 0;
    if (st.st_uid != s->owner_uid || (st.st_mode & S_ISVTX)) {
        log_warn("run dir is not in the control group: its members cannot reach the sockets",
            LF_STR("run_dir", s->run_dir), LF_STR("group", s->cfg->steward.control_group));
        return 0;
    }
    if (chown(s->run_dir, (uid_t)-1, s->group_gid) == -1)     /* EPERM: not a member */
        log_warn("run dir is not in the control group: its members cannot reach the sockets",
            LF_STR("run_dir", s->run_dir), LF_STR("group", s->cfg->steward.control_group),
            LF_STR("error", strerror(errno)));
    return 0;
}

/* Run dir (0750), control socket, cgroups, then one instance per configured worker. */
static int
sup_prepare(struct sup *s, struct st_error *err)
{
    struct group *gr;
    char name[32];

    s->run_dir = st_xstrdup(s->cfg->steward.run_dir);
    s->owner_uid = geteuid();
    s->group_gid = (gid_t)-1;
    if (s->cfg->steward.control_group != NULL && s->cfg->steward.control_group[0] != '\0') {
        if ((gr = getgrnam(s->cfg->steward.control_group)) != NULL)
            s->group_gid = gr->gr_gid;
        else
            log_info("control group not found, only root and the daemon's user may connect",
                LF_STR("group", s->cfg->steward.control_group));
    }
    if (sup_run_dir(s, err) == -1)
        return -1;
    (void)snprintf(name, sizeof(name), "steward-%ld", (long)getpid());
    if ((s->cg = cg_detect(NULL, name, err)) == NULL)
        return -1;
    log_info("limits", LF_STR("mechanism", cg_mechanism_name(cg_mechanism(s->cg))),
        LF_STR("reason", cg_system_reason(s->cg)));
    s->ctl_path = st_xasprintf("%s/steward.sock", s->run_dir);
    if ((s->ctl_fd = sup_listen(s, s->ctl_path, err)) == -1)
        return -1;
    if (sup_ctl_setup(s, err) == -1)
        return -1;
    for (size_t i = 0; i < s->cfg->nworkers; i++) {
        for (int k = 1; k <= s->cfg->workers[i].count; k++) {
            struct instance *in = sup_instance_new(s, &s->cfg->workers[i], k, err);
            if (in == NULL)
                return -1;
            sup_add_instance(s, in);
        }
    }
    return 0;
}

static void
sup_cleanup(struct sup *s)
{
    while (s->nprocs > 0)
        sup_instance_destroy(s, s->procs[0]);
    free(s->procs);
    ctl_server_free(s->ctl);
    if (s->ctl_fd != -1) {
        close(s->ctl_fd);
        (void)unlink(s->ctl_path);
    }
    cg_system_free(s->cg);
    for (size_t i = 0; i < 4; i++)
        if (s->ev_sig[i] != NULL)
            event_free(s->ev_sig[i]);
    if (s->ev_tick != NULL)
        event_free(s->ev_tick);
    if (s->ev_watchdog != NULL)
        event_free(s->ev_watchdog);
    met_registry_free(s->met);
    notify_close(s->notify);
    cfg_free(s->cfg);
    if (s->base != NULL)
        event_base_free(s->base);
    free(s->ctl_path);
    free(s->run_dir);
}

/* Log every config problem, one record each. */
static void
sup_log_diag(const struct cfg_diag *d)
{
    for (size_t i = 0; i < d->n; i++)
        log_error("config error", LF_STR("error", d->msgs[i]));
}

static const char sup_run_usage[] = "usage: steward run [-c FILE]\n"
    "  -c, --config FILE   configuration (default: $STEWARD_CONF, else "
    "/etc/steward/steward.conf)\n";

/* Options into *conf. Returns 0, 1 for --help (printed), or 2 (usage printed). */
static int
sup_parse_args(int argc, char **argv, const char **conf)
{
    const char *env = getenv("STEWARD_CONF");

    *conf = env != NULL && env[0] != '\0' ? env : "/etc/steward/steward.conf";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(sup_run_usage, stdout);
            return 1;
        }
        if ((strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "--config") == 0) && i + 1 < argc) {
            *conf = argv[++i];
            continue;
        }
        fprintf(stderr, "steward run: unexpected argument: %s\n%s", argv[i], sup_run_usage);
        return 2;
    }
    return 0;
}

/* fds 0, 1 and 2 open (on /dev/null when missing), so that no socket or pipe of ours
   lands on them; and no signal blocked by whoever started us. */
static void
sup_std_fds(void)
{
    sigset_t none;

    sigemptyset(&none);
    (void)sigprocmask(SIG_SETMASK, &none, NULL);
    for (int fd = 0; fd < 3; fd++) {
        if (fcntl(fd, F_GETFD) == -1) {
            int n = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
            if (n != -1 && n != fd) {
                (void)dup2(n, fd);
                close(n);
            }
        }
    }
}

int
cmd_run(int argc, char **argv)
{
    struct sup sup = { .ctl_fd = -1 };
    struct cfg_diag diag = CFG_DIAG_INIT;
    struct st_error err = ST_ERROR_INIT;
    const char *conf;
    int level, rc;

    if ((rc = sup_parse_args(argc, argv, &conf)) != 0)
        return rc == 1 ? 0 : rc;
    rc = 1;
    log_set_process("steward");
    sup_std_fds();
    sup.conf_path = (char *)conf;
    if ((sup.cfg = cfg_load(conf, &diag)) == NULL) {
        sup_log_diag(&diag);
        cfg_diag_free(&diag);
        return 1;
    }
    if ((level = log_level_parse(sup.cfg->steward.log_level)) != -1)
        log_set_level((enum log_level)level);
    sup.generation = 1;
    sup.started_wall_us = st_wall_us();
    if ((sup.notify = notify_open(getenv("NOTIFY_SOCKET"), &err)) == NULL)
        goto fail;
    sup.watchdog_usec = notify_watchdog_usec(getenv("WATCHDOG_USEC"), getenv("WATCHDOG_PID"),
        (long)getpid());
    (void)unsetenv("NOTIFY_SOCKET");    /* children must not talk to systemd as us */
    (void)unsetenv("WATCHDOG_USEC");
    (void)unsetenv("WATCHDOG_PID");
    (void)prctl(PR_SET_CHILD_SUBREAPER, 1);     /* daemonized grandchildren come back to us */
    if ((sup.base = event_base_new()) == NULL) {
        st_error_set(&err, "event_base_new failed");
        goto fail;
    }
    if (sup_prepare(&sup, &err) == -1 || sup_open_signals(&sup, &err) == -1)
        goto fail;
    log_info("steward started", LF_STR("config", conf), LF_INT("workers", sup.nprocs),
        LF_STR("run_dir", sup.run_dir));
    for (size_t i = 0; i < sup.nprocs; i++)
        sup_start_instance(&sup, sup.procs[i]);
    sup.launched = true;
    sup_check_ready(&sup);
    if (event_base_dispatch(sup.base) != 0) {
        log_error("event loop failed, killing every worker");
        for (size_t i = 0; i < sup.nprocs; i++)
            sup_kill_all(sup.procs[i], true);
        goto out;
    }
    sup_reap(&sup);
    log_info("steward stopped");
    rc = 0;
    goto out;
fail:
    log_error("steward cannot start", LF_STR("error", err.msg));
    /* children already started are stopped hard */
    for (size_t i = 0; i < sup.nprocs; i++)
        sup_kill_all(sup.procs[i], true);
out:
    sup_cleanup(&sup);
    return rc;
}
