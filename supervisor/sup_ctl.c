/*
 * sup_ctl.c -- the supervisor's control commands (DESIGN.md "Control protocol"):
 * status, reload, start, stop, restart, metrics, ping; and reload itself (parse aside,
 * keep the old config when invalid, apply the plan when valid).
 * Owns the command table and the status/metrics views. Leaves the protocol to
 * common/ctl.c, the plan to reload.c, process actions to sup.c.
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
    case ACT_START:
        if (in->state == PROC_STOPPED || in->state == PROC_FAILED || in->state == PROC_BACKOFF) {
            proc_start_requested(in);
            sup_start_instance(s, in);
        } else if (in->state == PROC_STOPPING) {
            in->respawn = true;         /* up again once the old process is gone */
        }
        break;
    case ACT_STOP:
        sup_stop_instance(s, in, false);
        break;
    case ACT_RESTART:
        if (in->pid > 0) {
            sup_stop_instance(s, in, true);
        } else {
            proc_start_requested(in);
            sup_start_instance(s, in);
        }
        break;
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

/* exec <-> native: the control socket exists only for native instances. Called once a
   running process was told to stop, so that it is stopped the way it was started. */
static void
sup_switch_kind(struct sup *s, struct instance *in)
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

/* An instance whose entry changed: restart it (limits are rewritten at its next start). */
static void
sup_apply_changed(struct sup *s, struct instance *in, const struct cfg_worker *neww)
{
    in->wcfg = neww;
    in->config_changed = true;
    free(in->kind);
    in->kind = st_xstrdup(neww->kind);
    if (in->pid > 0) {
        sup_stop_instance(s, in, true);     /* stopped as what it was, then switched */
        sup_switch_kind(s, in);
    } else {
        sup_switch_kind(s, in);
        if (in->state == PROC_BACKOFF || in->state == PROC_FAILED)
            sup_start_instance(s, in);
    }
}

/* Only memory/cpu/pids changed: rewrite the cgroup files under the running process. A
   restart instead when there is no process (backoff/failed get a fresh try, as for any
   change), when memory is an rlimit here, or when the kernel refuses the new values (a
   memory limit below what the group uses now). */
static void
sup_apply_limits(struct sup *s, struct instance *in, const struct cfg_worker *neww)
{
    struct st_error err = ST_ERROR_INIT;
    const struct cfg_limits *l = &neww->limits;

    if (in->pid <= 0 || in->cg == NULL
        || (l->memory_bytes != in->wcfg->limits.memory_bytes && !cg_memory_in_cgroup(s->cg))) {
        sup_apply_changed(s, in, neww);
        return;
    }
    if (cg_group_set_limits(in->cg, l, &err) == -1) {
        log_warn("limits cannot change in place, restarting the worker",
            LF_STR("worker", in->name), LF_STR("error", err.msg));
        sup_apply_changed(s, in, neww);
        return;
    }
    in->wcfg = neww;
    log_info("worker limits changed in place", LF_STR("worker", in->name),
        LF_INT("worker_pid", in->pid), LF_INT("memory_bytes", l->memory_bytes),
        LF_DBL("cpu", l->cpu), LF_INT("pids", l->pids));
}

/* An instance removed by an earlier reload whose process is still stopping comes back:
   the same entry (its cgroup and socket are in use) starts again once the old process is
   gone. A second instance of that name would share the group and have it removed under it. */
static void
sup_revive(struct sup *s, struct instance *in, const struct reload_item *it)
{
    in->removed = false;
    free(in->worker);
    in->worker = st_xstrdup(it->neww->name);
    in->index = it->index;
    log_info("removed worker added back, restarting it once stopped", LF_STR("worker", in->name));
    sup_apply_changed(s, in, it->neww);
}

/* Apply one plan item to the instance table. */
static void
sup_apply_item(struct sup *s, const struct reload_item *it)
{
    struct st_error err = ST_ERROR_INIT;
    struct instance *in = sup_find(s, it->name);

    switch (it->action) {
    case RELOAD_UNCHANGED:
        if (in != NULL)
            in->wcfg = it->neww;
        break;
    case RELOAD_CHANGED:
        if (in != NULL)
            sup_apply_changed(s, in, it->neww);
        break;
    case RELOAD_LIMITS:
        if (in != NULL)
            sup_apply_limits(s, in, it->neww);
        break;
    case RELOAD_ADDED:
        if (in != NULL && in->removed) {
            sup_revive(s, in, it);
            break;
        }
        if ((in = sup_instance_new(s, it->neww, it->index, &err)) == NULL) {
            log_error("adding worker failed", LF_STR("worker", it->name), LF_STR("error", err.msg));
            break;
        }
        sup_add_instance(s, in);
        sup_start_instance(s, in);
        break;
    case RELOAD_REMOVED:
        if (in != NULL)
            sup_remove_instance(s, in);
        break;
    }
}

/* Settings read only at start are named when they change, never silently ignored. */
static void
sup_warn_fixed(const struct cfg *old, const struct cfg *next)
{
    if (strcmp(old->steward.run_dir, next->steward.run_dir) != 0)
        log_warn("steward.run_dir changed: restart steward to apply it",
            LF_STR("run_dir", old->steward.run_dir));
    if ((old->steward.control_group == NULL) != (next->steward.control_group == NULL)
        || (old->steward.control_group != NULL
            && strcmp(old->steward.control_group, next->steward.control_group) != 0))
        log_warn("steward.control_group changed: restart steward to apply it");
    if (old->steward.heartbeat_s != next->steward.heartbeat_s)
        log_info("steward.heartbeat_s changed: workers take it as they restart",
            LF_DBL("heartbeat_s", next->steward.heartbeat_s));
}

int
sup_reload(struct sup *s, struct ctl_reply *reply)
{
    struct cfg_diag diag = CFG_DIAG_INIT;
    struct reload_plan plan;
    struct cfg *next;
    size_t counts[5] = { 0, 0, 0, 0, 0 };
    struct json_object *o;
    int level;

    if (s->stopping) {
        if (reply != NULL)
            ctl_reply_error(reply, "steward is shutting down");
        return -1;
    }
    if ((next = cfg_load(s->conf_path, &diag)) == NULL) {
        for (size_t i = 0; i < diag.n; i++)
            log_error("reload refused, config error", LF_STR("error", diag.msgs[i]));
        if (reply != NULL)
            ctl_reply_error(reply, "%s", cfg_diag_first(&diag));
        cfg_diag_free(&diag);
        return -1;
    }
    sup_notify(s, "RELOADING=1");
    sup_warn_fixed(s->cfg, next);
    reload_plan_make(s->cfg, next, &plan);
    for (size_t i = 0; i < plan.n; i++) {
        counts[plan.items[i].action]++;
        sup_apply_item(s, &plan.items[i]);
    }
    reload_plan_free(&plan);
    cfg_free(s->cfg);
    s->cfg = next;
    s->generation++;
    if ((level = log_level_parse(s->cfg->steward.log_level)) != -1)
        log_set_level((enum log_level)level);
    log_info("config reloaded", LF_INT("generation", s->generation),
        LF_INT("unchanged", counts[RELOAD_UNCHANGED]), LF_INT("changed", counts[RELOAD_CHANGED]),
        LF_INT("added", counts[RELOAD_ADDED]), LF_INT("removed", counts[RELOAD_REMOVED]),
        LF_INT("limits", counts[RELOAD_LIMITS]));
    sup_notify(s, "READY=1\nSTATUS=config reloaded");
    if (reply != NULL) {
        o = json_object_new_object();
        json_object_object_add(o, "generation", json_object_new_int64(s->generation));
        json_object_object_add(o, "unchanged", json_object_new_int64((int64_t)counts[0]));
        json_object_object_add(o, "changed", json_object_new_int64((int64_t)counts[1]));
        json_object_object_add(o, "added", json_object_new_int64((int64_t)counts[2]));
        json_object_object_add(o, "removed", json_object_new_int64((int64_t)counts[3]));
        json_object_object_add(o, "limits", json_object_new_int64((int64_t)counts[4]));
        ctl_reply_ok(reply, o);
    }
    return 0;
}
