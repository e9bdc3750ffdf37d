/*
 * sup.h -- the supervisor's context (`steward run`), shared by sup.c (run loop, signals,
 * startup), instance.c (instance lifecycle), sup_ctl.c (control commands), spawn.c
 * (fork/exec), reload.c (applying a reload), output.c (exec output).
 * Supervisor-private (supervisor/ only).
 */
#ifndef STEWARD_SUP_H
#define STEWARD_SUP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "cfg.h"
#include "proc.h"
#include "util.h"

struct event;
struct event_base;
struct cg_system;
struct ctl_server;
struct met_family;
struct met_registry;
struct notify;

#define SUP_WATCHDOG_MISSES 3       /* silence for 3 steward.heartbeat_s -> SIGKILL, "watchdog" */
#define SUP_TICK_MS 1000            /* the watchdog tick */
#define SUP_FIRST_WORD_S 60.0       /* a native worker that never says anything: watchdog */

struct sup {
    struct event_base *base;
    char *conf_path;
    struct cfg *cfg;                /* current config (owned) */
    unsigned generation;
    int64_t started_wall_us;
    char *run_dir;                  /* fixed at start: changing it needs a restart */
    uid_t owner_uid;
    gid_t group_gid;                /* control_group, (gid_t)-1 when none */

    struct cg_system *cg;
    int ctl_fd;
    char *ctl_path;
    struct ctl_server *ctl;
    struct notify *notify;
    int64_t watchdog_usec;          /* systemd's WATCHDOG_USEC, 0 = none */

    struct instance **procs;        /* the instance table */
    size_t nprocs;

    struct event *ev_sig[4];        /* SIGCHLD SIGHUP SIGTERM SIGINT */
    struct event *ev_tick;          /* 1 s: the native workers' heartbeat watchdog */
    int64_t last_tick_ms;           /* st_now_ms of the last tick, 0 before the first */
    struct event *ev_watchdog;      /* WATCHDOG=1 to systemd at half WATCHDOG_USEC */
    bool stopping;                  /* shutdown in progress */
    int stop_requests;              /* SIGTERM/SIGINT received */
    bool launched;                  /* every configured instance was started once */
    bool ready_sent;                /* READY=1 sent since start */

    struct met_registry *met;
    struct met_family *m_up, *m_restarts, *m_memory, *m_dropped;
    uint64_t dropped_seen;
};

/* What spawn.c made for a new process; instance.c stores it in the instance. */
struct spawn_result {
    int sp_fd;                      /* native: supervisor end of the channel, else -1 */
    int out_fd;                     /* exec: read end of the output pipe, else -1 */
    bool exec_ok;                   /* exec: execve succeeded */
    double heartbeat_s;             /* native: the interval this process beats at */
};
/* spawn.c: start a process for in (native fork or exec); leaves in unchanged. Returns the
   pid with res filled, or -1 with err. */
pid_t spawn_instance(struct sup *s, struct instance *in, struct spawn_result *res,
    struct st_error *err);

/* instance.c: send a message to systemd (logged on failure). */
void sup_notify(struct sup *s, const char *msg);
/* listen.c: listen on a control socket at path (0660), group-owned by control_group when
   one is set so that its members may connect (a warning when the daemon may not give it
   that group). Returns the fd, or -1 with err set. */
int sup_listen(struct sup *s, const char *path, struct st_error *err);

/* sup_ctl.c: the control commands and the metrics families. */
int sup_ctl_setup(struct sup *s, struct st_error *err);

/* instance.c: the table. */
struct instance *sup_find(struct sup *s, const char *name);
struct instance *sup_find_pid(struct sup *s, pid_t pid);
/* Make an instance for entry w index i (name, control socket, cgroup). */
struct instance *sup_instance_new(struct sup *s, const struct cfg_worker *w, int index,
    struct st_error *err);
void sup_add_instance(struct sup *s, struct instance *in);
/* Free an instance that has no process; removes it from the table. */
void sup_instance_destroy(struct sup *s, struct instance *in);

/* instance.c: lifecycle (through proc.c's state machine). */
void sup_start_instance(struct sup *s, struct instance *in);
/* Stop; with respawn, start it again once it has exited. */
void sup_stop_instance(struct sup *s, struct instance *in, bool respawn);
/* Stop and forget an instance whose entry left the config. */
void sup_remove_instance(struct sup *s, struct instance *in);
/* stewardctl start / restart. */
void sup_request_start(struct sup *s, struct instance *in);
void sup_request_restart(struct sup *s, struct instance *in);
/* Its process was reaped with wstatus (cpu_limit: killed at its hard RLIMIT_CPU). */
void sup_exited(struct sup *s, struct instance *in, int wstatus, bool cpu_limit);
/* SIGKILL its cgroup, process group (exec) and, with main_alive, its main pid. */
void sup_kill_all(struct instance *in, bool main_alive);
/* Shutting down and every instance is down: leave the loop. */
void sup_check_stopped(struct sup *s);
/* READY=1 once every instance is running (or settled as failed). */
void sup_check_ready(struct sup *s);
/* The 1 s tick: kill native workers whose heartbeats stopped ("watchdog"). */
void sup_watchdog_tick(struct sup *s);
/* Memory and CPU of an instance (cgroup, else /proc of its main pid); -1 when unknown. */
void sup_usage(const struct instance *in, int64_t *memory_bytes, double *cpu_seconds);

/* instance.c: what a reload does to an instance (reload.c decides which). */
/* Unchanged entry: follow the new config's copy. */
void sup_instance_follow(struct instance *in, const struct cfg_worker *neww);
/* Changed entry: restart it (limits rewritten at its next start; kind switched). */
void sup_instance_change(struct sup *s, struct instance *in, const struct cfg_worker *neww);
/* Only cgroup limits changed: rewrite them under the running process. -1 with err when
   that is not possible (the caller restarts it instead). */
int sup_instance_set_limits(struct sup *s, struct instance *in, const struct cfg_worker *neww,
    struct st_error *err);
/* Reloadable change: follow neww and send the running native process
   "RELOAD <generation> <digest>" over its channel. -1 with err when there is no running
   native process to tell, or the channel refuses (the caller restarts it instead). */
int sup_instance_reload(struct sup *s, struct instance *in, const struct cfg_worker *neww,
    unsigned generation, const char *digest, struct st_error *err);
/* A removed instance still stopping is added back: start it again as neww once down. */
void sup_instance_revive(struct sup *s, struct instance *in, const struct cfg_worker *neww,
    int index);

#endif
