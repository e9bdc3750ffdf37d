/*
 * proc.h -- the supervisor's instance table entry and its one state machine
 * (DESIGN.md "Processes"): starting -> running (READY) -> stopping -> stopped;
 * unexpected exit -> backoff -> starting; too many failures -> failed.
 * Only proc.c assigns `state`. Supervisor-private (supervisor/ only).
 */
#ifndef STEWARD_PROC_H
#define STEWARD_PROC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "backoff.h"
#include "cfg.h"
#include "util.h"

struct event;
struct cg_group;

enum proc_state { PROC_STOPPED, PROC_STARTING, PROC_RUNNING, PROC_STOPPING, PROC_BACKOFF,
    PROC_FAILED };

enum proc_event {
    PEV_SPAWN,          /* a process was forked */
    PEV_READY,          /* it said READY (native) or stayed up ready_after_s (exec) */
    PEV_STOP,           /* stop requested (stewardctl stop, reload, shutdown) */
    PEV_EXIT_STOPPED,   /* it exited and stays down (asked to, or restart policy) */
    PEV_EXIT_RESTART,   /* it exited unexpectedly: wait, then start again */
    PEV_EXIT_FAILED,    /* it exited unexpectedly once too often */
};

#define PROC_MAX_BURST 64           /* start_limit_burst values above this are clamped */
#define PROC_STABLE_FLOOR_MS 1000   /* exits sooner after spawn always count as failures */

struct instance {
    char *name;                     /* "transform.2" or "cache" */
    char *worker;                   /* the workers[] entry name ("transform") */
    char *kind;                     /* copied: wcfg may go away with a removed entry */
    void *owner;                    /* borrowed: the supervisor (struct sup) */
    int index;                      /* 1..count */
    const struct cfg_worker *wcfg;  /* borrowed from the current cfg; NULL once removed */
    bool native;                    /* a kind from worker_kinds[], not exec */
    enum proc_state state;          /* assigned only in proc.c */

    pid_t pid;                      /* 0 when no process */
    int sp_fd;                      /* supervisor end of the socketpair, -1 */
    int ctl_fd;                     /* listening control socket (native), -1 */
    char *ctl_path;
    int listen_fd;                  /* native with `listen`: its listening socket, -1 */
    char *listen_addr;              /* the address listen_fd is bound to */
    int out_fd;                     /* exec: read end of the output pipe, -1 */
    struct st_buf out;              /* exec: partial output line */
    struct cg_group *cg;            /* NULL when no group */

    struct event *ev_sp;            /* channel readable */
    struct event *ev_out;           /* output readable */
    struct event *ev_timer;         /* backoff / ready_after / stop escalation / retry */
    int timer_kind;                 /* what ev_timer is armed for (instance.c) */

    struct st_backoff backoff;
    int64_t fail_ms[PROC_MAX_BURST];/* times of recent failures (ring) */
    unsigned nfail;                 /* failures recorded in fail_ms */
    unsigned nspawn;                /* processes started for this instance */
    unsigned restarts;              /* nspawn - 1 */
    char last_exit[32];             /* "" until the first exit */
    char last_reason[16];           /* "exit", "signal", "oom-killed", "cpu-limit", "watchdog" */

    int64_t spawned_ms;             /* st_now_ms at fork */
    int64_t spawned_wall_us;
    int64_t running_ms;             /* st_now_ms at READY, 0 when not running */
    int64_t heartbeat_ms;           /* last message on the channel */
    double heartbeat_s;             /* interval the current process was given (native) */
    int64_t oom_before;             /* cg_oom_kills at spawn */
    bool heard;                     /* native: any message since spawn */
    bool killed_watchdog;           /* we SIGKILLed it for missed heartbeats */
    bool sigkilled;                 /* we SIGKILLed its main process (any reason) */
    bool want_down;                 /* stop requested: do not restart on exit */
    bool respawn;                   /* after this stop, start again (restart, reload) */
    bool removed;                   /* gone from the config: free once stopped */
    bool exec_ok;                   /* exec: the last execve succeeded */
    bool out_split;                 /* exec: the current output line was already split */
    bool config_changed;            /* wcfg changed since the group's limits were written */
};

/* New instance in state stopped (owned by the caller; free with proc_free). */
struct instance *proc_new(const char *name, const char *worker, int index,
    const struct cfg_worker *wcfg, bool native);
/* Frees the instance's memory only: fds, events and cgroup are the caller's. */
void proc_free(struct instance *in);
const char *proc_state_name(enum proc_state st);

/* The transition table: the next state, or -1 when ev is not valid in st. Pure. */
int proc_next(enum proc_state st, enum proc_event ev);

/*
 * Describe an exit for status and metrics: "exit N", "signal N", "oom-killed",
 * "cpu-limit", "watchdog" into buf; the reason class ("exit", "signal", ...) into cls.
 * Pure.
 */
void proc_exit_reason(int wstatus, bool oom, bool watchdog, char *buf, size_t size,
    char *cls, size_t clssize);

/* A process was forked for in: -> starting. */
void proc_spawned(struct instance *in, pid_t pid, int64_t now_ms);
/* READY: starting -> running. Returns true when the state changed. */
bool proc_ready(struct instance *in, int64_t now_ms);
/*
 * Stop requested: starting/running -> stopping (true: the caller signals the process);
 * backoff/failed -> stopped (false: nothing to signal, the caller cancels its timer).
 */
bool proc_stop(struct instance *in);
/* Start requested from stopped/failed: clears the failure window and the backoff. */
void proc_start_requested(struct instance *in);

struct proc_exit {
    int wstatus;
    bool oom;                       /* cgroup OOM kills increased */
    bool watchdog;                  /* we killed it for missed heartbeats */
    bool cpu_limit;                 /* SIGKILLed by the kernel at its hard RLIMIT_CPU */
};

/*
 * Record an exit and move to stopped, backoff or failed, by want_down, the restart
 * policy, WORKER_EXIT_NORESTART (native), stable_s and the start limit.
 * Returns the backoff delay in ms (state backoff): 0 after a run of at least stable_s
 * (and at least PROC_STABLE_FLOOR_MS since spawn),
 * else 100 ms doubling to 30 s; or -1 (stopped or failed).
 */
int64_t proc_exited(struct instance *in, const struct proc_exit *x, int64_t now_ms);

#endif
