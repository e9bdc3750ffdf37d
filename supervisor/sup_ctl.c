/*
 * sup_ctl.c -- the supervisor's control commands (DESIGN.md "Control protocol"):
 * status, reload, start, stop, restart, metrics, ping.
 * Owns the command table and the status/metrics views. Leaves the protocol to
 * common/ctl.c, reload to reload.c, process actions to instance.c.
 * Tests: tests/integration/t_sup_basic.sh, t_sup_reload.sh, t_sup_ctl.sh
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <json-c/json.h>

#include "cgroup.h"
#include "ctl.h"
#include "json.h"
#include "log.h"
#include "metrics.h"
#include "reload.h"
#include "sup.h"

static void
sup_iso8601(int64_t wall_us, char *buf, size_t size)
{
    time_t sec = (time_t)(wall_us / 1000000);
    struct tm tm;

    (void)gmtime_r(&sec, &tm);
    (void)strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* A double printed with 3 decimals (json-c would print 17 significant digits). */
static struct json_object *
sup_json_double(double d)
{
    char buf[64];

    (void)snprintf(buf, sizeof(buf), "%.3f", d);
    return json_object_new_double_s(d, buf);
}

static struct json_object *
sup_limits_json(const struct cfg_limits *l)
{
    struct json_object *o = json_object_new_object();

    if (l == NULL)
        return o;
    if (l->memory_bytes > 0)
        json_object_object_add(o, "memory", json_object_new_int64(l->memory_bytes));
    if (l->cpu > 0)
        json_object_object_add(o, "cpu", json_object_new_double(l->cpu));
    if (l->pids > 0)
        json_object_object_add(o, "pids", json_object_new_int64(l->pids));
    if (l->nofile > 0)
        json_object_object_add(o, "nofile", json_object_new_int64(l->nofile));
    return o;
}

static struct json_object *
sup_instance_json(struct sup *s, const struct instance *in)
{
    struct json_object *o = json_object_new_object();
    int64_t mem;
    double cpu;

    sup_usage(in, &mem, &cpu);
    json_object_object_add(o, "name", json_object_new_string(in->name));
    json_object_object_add(o, "kind", json_object_new_string(in->kind));
    json_object_object_add(o, "pid", in->pid > 0 ? json_object_new_int64(in->pid) : NULL);
    json_object_object_add(o, "state", json_object_new_string(proc_state_name(in->state)));
    json_object_object_add(o, "restarts", json_object_new_int64(in->restarts));
    json_object_object_add(o, "uptime_s", sup_json_double(in->pid > 0
        ? (double)(st_now_ms() - in->spawned_ms) / 1000.0 : 0.0));
    json_object_object_add(o, "last_exit",
        in->last_exit[0] ? json_object_new_string(in->last_exit) : NULL);
    json_object_object_add(o, "memory_bytes", mem >= 0 ? json_object_new_int64(mem) : NULL);
    json_object_object_add(o, "cpu_seconds", cpu >= 0 ? sup_json_double(cpu) : NULL);
    json_object_object_add(o, "limits", sup_limits_json(in->wcfg ? &in->wcfg->limits : NULL));
    json_object_object_add(o, "limit_mechanism",
        json_object_new_string(cg_mechanism_name(cg_mechanism(s->cg))));
    json_object_object_add(o, "worker", json_object_new_string(in->worker));
    return o;
}

static void
sup_cmd_status(const struct ctl_req *req, struct ctl_reply *reply, void *arg)
{
    struct sup *s = arg;
    struct json_object *o = json_object_new_object(), *ws = json_object_new_array();
    char ts[40];

    (void)req;
    sup_iso8601(s->started_wall_us, ts, sizeof(ts));
    json_object_object_add(o, "pid", json_object_new_int64((int64_t)getpid()));
    json_object_object_add(o, "config", json_object_new_string(s->conf_path));
    json_object_object_add(o, "generation", json_object_new_int64(s->generation));
    json_object_object_add(o, "started_at", json_object_new_string(ts));
    for (size_t i = 0; i < s->nprocs; i++)
        json_object_array_add(ws, sup_instance_json(s, s->procs[i]));
    json_object_object_add(o, "workers", ws);
    ctl_reply_ok(reply, o);
}

static void
sup_cmd_ping(const struct ctl_req *req, struct ctl_reply *reply, void *arg)
{
    (void)req;
    (void)arg;
    ctl_reply_text(reply, "pong");
}

static void
sup_cmd_metrics(const struct ctl_req *req, struct ctl_reply *reply, void *arg)
{
    struct sup *s = arg;
    struct st_buf out = ST_BUF_INIT;
    uint64_t dropped = log_dropped();

    (void)req;
    for (size_t i = 0; i < s->nprocs; i++) {
        const struct instance *in = s->procs[i];
        const char *labels[] = { in->name, NULL };
        int64_t mem;
        double cpu;

        met_set(s->m_up, labels, in->state == PROC_RUNNING ? 1 : 0);
        sup_usage(in, &mem, &cpu);
        met_set(s->m_memory, labels, mem > 0 ? (double)mem : 0);
    }
    if (dropped > s->dropped_seen) {
        met_inc(s->m_dropped, NULL, (double)(dropped - s->dropped_seen));
        s->dropped_seen = dropped;
    }
    met_render(s->met, &out);
    st_buf_putc(&out, '\0');
    ctl_reply_text(reply, out.data);
    st_buf_free(&out);
}

/* The NAME argument: args.name, or the first of args.argv. */
static const char *
sup_arg_name(const struct ctl_req *req)
{
    struct json_object *argv;
    const char *name = jsn_get_str(req->args, "name");

    if (name == NULL && (argv = jsn_get_array(req->args, "argv")) != NULL
        && json_object_array_length(argv) > 0)
        name = json_object_get_string(json_object_array_get_idx(argv, 0));
    return name;
}

/* Instances called name, or belonging to the worker entry called name. */
static size_t
sup_match(struct sup *s, const char *name, struct instance **out, size_t max)
{
    size_t n = 0;

    for (size_t i = 0; i < s->nprocs && n < max; i++)
        if (strcmp(s->procs[i]->name, name) == 0)
            out[n++] = s->procs[i];
    for (size_t i = 0; i < s->nprocs && n == 0; i++)
        if (strcmp(s->procs[i]->worker, name) == 0 && !s->procs[i]->removed)
            for (size_t k = i; k < s->nprocs && n < max; k++)
                if (strcmp(s->procs[k]->worker, name) == 0 && !s->procs[k]->removed)
                    out[n++] = s->procs[k];
    return n;
}

enum sup_action { ACT_START, ACT_STOP, ACT_RESTART };

static void
sup_act(struct sup *s, struct instance *in, enum sup_action a)
{
    switch (a) {
    case ACT_START: sup_request_start(s, in); break;
    case ACT_STOP: sup_stop_instance(s, in, false); break;
    case ACT_RESTART: sup_request_restart(s, in); break;
    }
}

static void
sup_cmd_action(const struct ctl_req *req, struct ctl_reply *reply, struct sup *s,
    enum sup_action a)
{
    const char *name = sup_arg_name(req);
    struct json_object *o, *names;
    struct instance **hits;
    size_t n;

    if (name == NULL) {
        ctl_reply_error(reply, "%s needs a worker name (args.name)", req->cmd);
        return;
    }
    if (s->stopping && a != ACT_STOP) {
        ctl_reply_error(reply, "steward is shutting down");
        return;
    }
    hits = st_xcalloc(s->nprocs + 1, sizeof(*hits));
    n = sup_match(s, name, hits, s->nprocs);
    if (n == 0) {
        ctl_reply_error(reply, "no such worker: %s", name);
        free(hits);
        return;
    }
    o = json_object_new_object();
    names = json_object_new_array();
    for (size_t i = 0; i < n; i++) {
        json_object_array_add(names, json_object_new_string(hits[i]->name));
        sup_act(s, hits[i], a);
    }
    json_object_object_add(o, "workers", names);
    ctl_reply_ok(reply, o);
    free(hits);
}

static void
sup_cmd_start(const struct ctl_req *req, struct ctl_reply *reply, void *arg)
{
    sup_cmd_action(req, reply, arg, ACT_START);
}

static void
sup_cmd_stop(const struct ctl_req *req, struct ctl_reply *reply, void *arg)
{
    sup_cmd_action(req, reply, arg, ACT_STOP);
}

static void
sup_cmd_restart(const struct ctl_req *req, struct ctl_reply *reply, void *arg)
{
    sup_cmd_action(req, reply, arg, ACT_RESTART);
}

static void
sup_cmd_reload(const struct ctl_req *req, struct ctl_reply *reply, void *arg)
{
    (void)req;
    (void)sup_reload(arg, reply);
}

static const struct ctl_command sup_commands[] = {
    { "status", sup_cmd_status, "workers, states, pids, restarts, limits" },
    { "reload", sup_cmd_reload, "re-read the config; restart only what changed" },
    { "start", sup_cmd_start, "start NAME (instance or worker)" },
    { "stop", sup_cmd_stop, "stop NAME (instance or worker)" },
    { "restart", sup_cmd_restart, "restart NAME (instance or worker)" },
    { "metrics", sup_cmd_metrics, "Prometheus text of the supervisor" },
    { "ping", sup_cmd_ping, "liveness" },
};

int
sup_ctl_setup(struct sup *s, struct st_error *err)
{
    static const char *const worker_label[] = { "worker", NULL };
    static const char *const restart_labels[] = { "worker", "reason", NULL };

    s->met = met_registry_new(0);
    s->m_up = met_family(s->met, "steward_worker_up", "1 when the worker instance is running",
        MET_GAUGE, worker_label);
    s->m_restarts = met_family(s->met, "steward_worker_restarts_total",
        "Restarts after an unexpected exit, by reason", MET_COUNTER, restart_labels);
    s->m_memory = met_family(s->met, "steward_worker_memory_bytes",
        "Memory used by the worker instance", MET_GAUGE, worker_label);
    s->m_dropped = met_family(s->met, "steward_log_dropped_total",
        "Log records dropped because stderr would block", MET_COUNTER, NULL);
    s->ctl = ctl_server_new(s->base, s->ctl_fd, s->owner_uid, s->group_gid, err);
    if (s->ctl == NULL)
        return -1;
    ctl_server_add_commands(s->ctl, sup_commands, ST_ARRAY_LEN(sup_commands), s);
    return 0;
}
