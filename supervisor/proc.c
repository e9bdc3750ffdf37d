/*
 * proc.c -- instance table entries and the one state machine of DESIGN.md "Processes".
 * Owns every assignment of instance->state, exit bookkeeping (last_exit, restarts),
 * the restart decision (policy, backoff, start limit, stable_s). Does not fork, signal
 * or arm timers: supervisor/instance.c acts on what these functions decide.
 * Tests: tests/unit/t_proc.c, tests/integration/t_sup_restart.sh
 */
#include "config.h"
#include "proc.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "worker.h"

#define PROC_BACKOFF_BASE_MS 100
#define PROC_BACKOFF_MAX_MS 30000

static const char *const state_names[] = {
    [PROC_STOPPED] = "stopped", [PROC_STARTING] = "starting", [PROC_RUNNING] = "running",
    [PROC_STOPPING] = "stopping", [PROC_BACKOFF] = "backoff", [PROC_FAILED] = "failed",
};

#define X (-1)
/* next[state][event]; X = the event is not valid there. */
static const int next[6][6] = {
    /*                 SPAWN          READY         STOP           EXIT_STOPPED  EXIT_RESTART  EXIT_FAILED */
    [PROC_STOPPED]  = { PROC_STARTING, X,            PROC_STOPPED,  X,            X,            X },
    [PROC_STARTING] = { X,             PROC_RUNNING, PROC_STOPPING, PROC_STOPPED, PROC_BACKOFF, PROC_FAILED },
    [PROC_RUNNING]  = { X,             X,            PROC_STOPPING, PROC_STOPPED, PROC_BACKOFF, PROC_FAILED },
    [PROC_STOPPING] = { X,             X,            PROC_STOPPING, PROC_STOPPED, X,            X },
    [PROC_BACKOFF]  = { PROC_STARTING, X,            PROC_STOPPED,  X,            X,            X },
    [PROC_FAILED]   = { PROC_STARTING, X,            PROC_STOPPED,  X,            X,            X },
};
#undef X

int
proc_next(enum proc_state st, enum proc_event ev)
{
    if ((unsigned)st >= ST_ARRAY_LEN(next) || (unsigned)ev >= ST_ARRAY_LEN(next[0]))
        return -1;
    return next[st][ev];
}

/* The one place state changes; an invalid event is ignored (returns false). */
static bool
proc_apply(struct instance *in, enum proc_event ev)
{
    int to = proc_next(in->state, ev);

    if (to == -1)
        return false;
    in->state = (enum proc_state)to;
    return true;
}

const char *
proc_state_name(enum proc_state st)
{
    return (unsigned)st < ST_ARRAY_LEN(state_names) ? state_names[st] : "unknown";
}

struct instance *
proc_new(const char *name, const char *worker, int index, const struct cfg_worker *wcfg,
    bool native)
{
    struct instance *in = st_xcalloc(1, sizeof(*in));

    in->name = st_xstrdup(name);
    in->worker = st_xstrdup(worker);
    in->kind = st_xstrdup(wcfg->kind);
    in->index = index;
    in->wcfg = wcfg;
    in->native = native;
    in->state = PROC_STOPPED;
    in->sp_fd = in->ctl_fd = in->out_fd = in->listen_fd = -1;
    st_backoff_init(&in->backoff, PROC_BACKOFF_BASE_MS, PROC_BACKOFF_MAX_MS, false);
    return in;
}

void
proc_free(struct instance *in)
{
    if (in == NULL)
        return;
    free(in->name);
    free(in->worker);
    free(in->kind);
    free(in->ctl_path);
    free(in->listen_addr);
    st_buf_free(&in->out);
    free(in);
}

void
proc_exit_reason(int wstatus, bool oom, bool watchdog, char *buf, size_t size, char *cls,
    size_t clssize)
{
    const char *c;

    if (watchdog) {
        c = "watchdog";
        (void)snprintf(buf, size, "watchdog");
    } else if (oom) {
        c = "oom-killed";
        (void)snprintf(buf, size, "oom-killed");
    } else if (WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGXCPU) {
        c = "cpu-limit";
        (void)snprintf(buf, size, "cpu-limit");
    } else if (WIFSIGNALED(wstatus)) {
        c = "signal";
        (void)snprintf(buf, size, "signal %d", WTERMSIG(wstatus));
    } else {
        c = "exit";
        (void)snprintf(buf, size, "exit %d", WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1);
    }
    (void)snprintf(cls, clssize, "%s", c);
}

void
proc_spawned(struct instance *in, pid_t pid, int64_t now_ms)
{
    if (!proc_apply(in, PEV_SPAWN))
        return;
    in->pid = pid;
    in->nspawn++;
    in->restarts = in->nspawn > 0 ? in->nspawn - 1 : 0;
    in->spawned_ms = now_ms;
    in->heartbeat_ms = now_ms;
    in->running_ms = 0;
    in->killed_watchdog = false;
    in->sigkilled = false;
    in->heard = false;
    in->want_down = false;
}

bool
proc_ready(struct instance *in, int64_t now_ms)
{
    if (!proc_apply(in, PEV_READY))
        return false;
    in->running_ms = now_ms;
    return true;
}

bool
proc_stop(struct instance *in)
{
    enum proc_state was = in->state;

    in->want_down = true;
    if (!proc_apply(in, PEV_STOP))
        return false;
    return was == PROC_STARTING || was == PROC_RUNNING || was == PROC_STOPPING;
}

void
proc_start_requested(struct instance *in)
{
    in->nfail = 0;
    in->want_down = false;
    st_backoff_reset(&in->backoff);
}

/* Record a failure at now; true when the start limit is reached. */
static bool
proc_start_limit_hit(struct instance *in, int64_t now_ms)
{
    int burst = in->wcfg->start_limit_burst;
    int64_t window_ms = (int64_t)(in->wcfg->start_limit_interval_s * 1000.0);
    unsigned recent = 0;

    if (burst <= 0)
        return false;
    if (burst > PROC_MAX_BURST)
        burst = PROC_MAX_BURST;
    in->fail_ms[in->nfail % PROC_MAX_BURST] = now_ms;
    in->nfail++;
    for (unsigned i = 0; i < in->nfail && i < PROC_MAX_BURST; i++)
        if (now_ms - in->fail_ms[i] <= window_ms)
            recent++;
    return recent >= (unsigned)burst;
}

/* Would the restart policy start it again after this exit? */
static bool
proc_policy_restarts(const struct instance *in, int wstatus)
{
    bool clean = WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0;

    if (in->native && WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == WORKER_EXIT_NORESTART)
        return false;
    switch (in->wcfg->restart) {
    case CFG_RESTART_NEVER:
        return false;
    case CFG_RESTART_ON_FAILURE:
        return !clean;
    case CFG_RESTART_ALWAYS:
        break;
    }
    return true;
}

int64_t
proc_exited(struct instance *in, const struct proc_exit *x, int64_t now_ms)
{
    bool native_norestart, was_stable = false;

    /* The hard RLIMIT_CPU's SIGKILL is reported like the soft limit's SIGXCPU. */
    proc_exit_reason(x->cpu_limit ? SIGXCPU : x->wstatus, x->oom, x->watchdog, in->last_exit,
        sizeof(in->last_exit), in->last_reason, sizeof(in->last_reason));
    in->pid = 0;
    native_norestart = in->native && WIFEXITED(x->wstatus)
        && WEXITSTATUS(x->wstatus) == WORKER_EXIT_NORESTART;
    if (in->want_down || in->state == PROC_STOPPING) {
        (void)proc_apply(in, PEV_EXIT_STOPPED);
        return -1;
    }
    /* A run shorter than PROC_STABLE_FLOOR_MS is never healthy, whatever stable_s says
       (stable_s = 0 would otherwise take every crash as a fresh start, for ever). */
    if (in->running_ms != 0 && now_ms - in->running_ms >= (int64_t)(in->wcfg->stable_s * 1000.0)
        && now_ms - in->spawned_ms >= PROC_STABLE_FLOOR_MS) {
        st_backoff_reset(&in->backoff);     /* it was healthy long enough: a fresh start */
        in->nfail = 0;
        was_stable = true;
    }
    in->running_ms = 0;
    if (native_norestart) {
        (void)proc_apply(in, PEV_EXIT_FAILED);
        return -1;
    }
    if (!proc_policy_restarts(in, x->wstatus)) {
        (void)proc_apply(in, PEV_EXIT_STOPPED);
        return -1;
    }
    if (proc_start_limit_hit(in, now_ms)) {
        (void)proc_apply(in, PEV_EXIT_FAILED);
        return -1;
    }
    (void)proc_apply(in, PEV_EXIT_RESTART);
    /*
     * One crash after a healthy run is restarted at once, as runit does: waiting helps
     * only a crash loop, and the loop's second quick exit still waits 100 ms, doubling.
     */
    return was_stable ? 0 : st_backoff_next_ms(&in->backoff);
}
