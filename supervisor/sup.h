/*
 * sup.h -- the supervisor's context (`steward run`), shared by sup.c (run loop,
 * signals, control commands), spawn.c (fork/exec), reload.c (reload plan).
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
#define SUP_FIRST_WORD_S 60.0       /* a native worker that never says anything: watchdog */
#define SUP_OUTPUT_LINE_MAX 3000    /* exec output lines are split above this */

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
    struct event *ev_watchdog;      /* WATCHDOG=1 to systemd at half WATCHDOG_USEC */
    bool stopping;                  /* shutdown in progress */
    int stop_requests;              /* SIGTERM/SIGINT received */
    bool launched;                  /* every configured instance was started once */
    bool ready_sent;                /* READY=1 sent since start */

    struct met_registry *met;
    struct met_family *m_up, *m_restarts, *m_memory, *m_dropped;
    uint64_t dropped_seen;
};

/* spawn.c: start a process for in (native fork or exec). Returns the pid, or -1 with err. */
pid_t spawn_instance(struct sup *s, struct instance *in, struct st_error *err);

/* sup.c: instance operations (they act through proc.c's state machine). */
void sup_start_instance(struct sup *s, struct instance *in);
/* Stop; with respawn, start it again once it has exited. */
void sup_stop_instance(struct sup *s, struct instance *in, bool respawn);
/* Stop and forget an instance whose entry left the config. */
void sup_remove_instance(struct sup *s, struct instance *in);
/* Add an instance to the table. */
void sup_add_instance(struct sup *s, struct instance *in);
/* Send a message to systemd (logged on failure). */
void sup_notify(struct sup *s, const char *msg);
/* READY=1 once every instance is running (or settled as failed). */
void sup_check_ready(struct sup *s);
/* Memory and CPU of an instance (cgroup, else /proc of its main pid); -1 when unknown. */
void sup_usage(const struct instance *in, int64_t *memory_bytes, double *cpu_seconds);

/* sup_ctl.c: the supervisor's control commands and reload. */
int sup_ctl_setup(struct sup *s, struct st_error *err);
/* Reload the config file; reply (may be NULL for SIGHUP) gets the answer. 0 or -1. */
struct ctl_reply;
int sup_reload(struct sup *s, struct ctl_reply *reply);

/* sup.c: listen on a control socket at path (0660), group-owned by control_group when
   one is set so that its members may connect (a warning when the daemon may not give it
   that group). Returns the fd, or -1 with err set. */
int sup_listen(struct sup *s, const char *path, struct st_error *err);
/* sup.c: find an instance by its name. */
struct instance *sup_find(struct sup *s, const char *name);
/* sup.c: make an instance for entry w index i (name, control socket, cgroup). */
struct instance *sup_instance_new(struct sup *s, const struct cfg_worker *w, int index,
    struct st_error *err);

#endif
