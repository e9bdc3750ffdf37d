/*
 * worker.h -- the framework every native worker process runs (DESIGN.md "Processes",
 * "Control protocol"): its own event base, signals as libevent events, the supervisor
 * channel (READY / HEARTBEAT / STOPPING out, STOP / RELOAD in), and the per-instance
 * control server with the shared commands ping, status and metrics.
 *
 * A kind's entry point looks like:
 *
 *     int
 *     transformer_main(struct worker_ctx *ctx)
 *     {
 *         struct st_error err = ST_ERROR_INIT;
 *         struct worker *w = worker_new(ctx, &err);
 *         if (w == NULL) { log_error("worker setup failed", LF_STR("error", err.msg));
 *                          return WORKER_EXIT_SETUP; }
 *         ... set up, worker_add_commands(), worker_set_stop_cb() ...
 *         worker_ready(w);
 *         int rc = worker_run(w);
 *         worker_free(w);
 *         return rc;
 *     }
 */
#ifndef STEWARD_WORKER_H
#define STEWARD_WORKER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct cfg;
struct cfg_worker;
struct ctl_command;
struct event_base;
struct json_object;
struct met_registry;
struct st_buf;
struct st_error;

#define WORKER_EXIT_SETUP 70        /* child failed before running (cgroup, rlimit, exec) */
#define WORKER_EXIT_NORESTART 2     /* "do not respawn" (config error the worker found) */

/* Supervisor channel messages (SOCK_SEQPACKET, one per datagram, ASCII, no NUL). */
#define WORKER_MSG_READY "READY"
#define WORKER_MSG_HEARTBEAT "HEARTBEAT"
#define WORKER_MSG_STOPPING "STOPPING"
#define WORKER_MSG_STOP "STOP"
#define WORKER_MSG_RELOAD "RELOAD"      /* "RELOAD <generation> <cfg digest hex>" */
#define WORKER_MSG_MAX 96           /* longest message either side sends (RELOAD is 82) */

struct worker_ctx {                 /* filled by the supervisor before fork; read-only to workers */
    const struct cfg *cfg;          /* borrowed snapshot of the whole config */
    const struct cfg_worker *wcfg;  /* this worker's entry */
    const char *instance;           /* "transform.2" or "cache" */
    int index;                      /* 1..count */
    int sup_fd;                     /* SOCK_SEQPACKET socketpair end to the supervisor */
    int ctl_fd;                     /* listening control socket (owned by the supervisor) */
    int listen_fd;                  /* inherited listening socket for the entry's `listen`
                                       (owned by the supervisor, kept across restarts), or -1 */
    const char *conf_path;          /* the file the supervisor loaded (a RELOAD re-reads it) */
    double heartbeat_s;             /* send HEARTBEAT this often (supervisor's watchdog = 3x) */
    unsigned generation;            /* config generation at spawn */
    uid_t ctl_owner_uid; gid_t ctl_group_gid;   /* peer policy for the control socket */
};

typedef int worker_main_fn(struct worker_ctx *ctx);

struct worker_kind {
    const char *name;
    worker_main_fn *main;
};

/* Defined in workers/kinds.c: the six native kinds ("ingestor","transformer","validator",
   "cache-warmer","scheduler","metrics"), then { NULL, NULL }. "exec" is not in it: the
   supervisor handles exec itself. */
extern const struct worker_kind worker_kinds[];
/* The native kind called name, or NULL (also for "exec"). */
const struct worker_kind *worker_kind_find(const char *name);

struct worker;                      /* the framework around one worker process */

/*
 * Create: own event base, SIGTERM/SIGINT (graceful stop; a second signal while stopping ends
 * the loop at once, a signal after STOP does not), SIGHUP (ignored), SIGPIPE (ignored), the
 * supervisor channel on ctx->sup_fd (EOF = supervisor gone: the loop ends at once),
 * heartbeat timer, ctl_server on ctx->ctl_fd with the shared commands ping, status, metrics
 * (+ the kind's own, added with worker_add_commands). ctx must outlive the worker. Returns
 * NULL with err on failure (the caller logs it and returns WORKER_EXIT_SETUP).
 */
struct worker *worker_new(struct worker_ctx *ctx, struct st_error *err);
struct event_base *worker_base(struct worker *w);
/* The worker's own registry (rendered by `metrics`); families added by the kind live in it. */
struct met_registry *worker_metrics(struct worker *w);
/* Append the Prometheus text of the registry, process_* metrics refreshed (what `metrics`
   answers; for the metrics kind's HTTP endpoint). */
void worker_render_metrics(struct worker *w, struct st_buf *out);
const struct worker_ctx *worker_ctx(const struct worker *w);
/* Add a table of kind commands (after the shared ones: ping, status, metrics win). The
   table must stay valid for the worker's life; arg is passed to every handler. */
void worker_add_commands(struct worker *w, const struct ctl_command *cmds, size_t n, void *arg);
/* Extra fields merged into the `status` reply: callback fills obj. */
void worker_set_status_cb(struct worker *w, void (*cb)(struct json_object *obj, void *arg),
    void *arg);
/* Called when a graceful stop begins (STOP from supervisor or SIGTERM): the kind finishes its
   current batch and then calls worker_stop_done(); without a callback the loop exits at once. */
void worker_set_stop_cb(struct worker *w, void (*cb)(struct worker *w, void *arg), void *arg);
void worker_stop_done(struct worker *w);
bool worker_stopping(const struct worker *w);
void worker_ready(struct worker *w);       /* sends READY once */
/* Send a HEARTBEAT now. The timer sends them only while the loop runs; a kind that blocks
   (a long synchronous query, setup before worker_ready) calls this between steps, or the
   supervisor's watchdog (3 x heartbeat_s of silence, also before READY) kills it. */
void worker_heartbeat(struct worker *w);
/* Loop until stopped; returns the exit code (0 after a graceful stop or a lost supervisor). */
int worker_run(struct worker *w);
void worker_free(struct worker *w);         /* takes NULL; does not close sup_fd / ctl_fd */
/*
 * The whole life of a worker with no work of its own: new, ready, run, free. The body of
 * a kind's main until its pipeline lands. Returns the exit code (WORKER_EXIT_SETUP when
 * the framework cannot start; the error is logged here, the kind has nobody else to tell).
 */
int worker_serve(struct worker_ctx *ctx);

#endif
