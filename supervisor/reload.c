/*
 * reload.c -- the reload plan: instance by instance, is it unchanged, changed, added or
 * removed between two configs. An instance is unchanged when its entry would run the
 * same way (cfg_worker_equal) apart from settings only the supervisor reads: `count`
 * (which instances exist), the restart policy, start limits, stable_s, ready_after_s.
 * One whose only difference is limits.memory, cpu or pids is "limits" (cgroup files the
 * supervisor may rewrite without a restart).
 * The plan is pure (reload_plan_make). sup_reload applies it: parse the file aside, keep
 * the old config when invalid, else per item follow/change/limits/add/remove through
 * instance.c's operations (which alone write struct instance).
 * Tests: tests/unit/t_reload.c, tests/integration/t_sup_reload.sh, t_sup_reload_readd.sh
 */
#include "config.h"
#include "reload.h"

#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cgroup.h"
#include "ctl.h"
#include "log.h"
#include "sup.h"
#include "util.h"

static const char *const action_names[] = { "unchanged", "changed", "added", "removed",
    "limits", "reloadable" };

const char *
reload_action_name(enum reload_action a)
{
    return (unsigned)a < ST_ARRAY_LEN(action_names) ? action_names[a] : "unknown";
}

char *
reload_instance_name(const struct cfg_worker *w, int i)
{
    if (w->count <= 1)
        return st_xstrdup(w->name);
    return st_xasprintf("%s.%d", w->name, i);
}

/* Find instance name in cfg: its entry and index, or NULL. */
static const struct cfg_worker *
reload_find(const struct cfg *cfg, const char *name, int *index)
{
    for (size_t i = 0; i < cfg->nworkers; i++) {
        const struct cfg_worker *w = &cfg->workers[i];
        for (int k = 1; k <= w->count; k++) {
            char *n = reload_instance_name(w, k);
            int hit = strcmp(n, name) == 0;
            free(n);
            if (hit) {
                *index = k;
                return w;
            }
        }
    }
    return NULL;
}

/*
 * Would the worker run the same way, apart from settings only the supervisor reads (how
 * many instances, when to restart, when an exec counts as running)? Those change
 * without a restart: the instance simply follows the new entry.
 *
 * THE ONE PLACE TO SWITCH to cfg_worker_change() once common/cfg.h has it:
 *     switch (cfg_worker_change(a, wa, b, &w)) {
 *     case CFG_CHANGE_NONE: return REL_SAME;
 *     case CFG_CHANGE_RELOAD: return REL_RELOAD;
 *     case CFG_CHANGE_RESTART: return REL_RESTART;
 *     }
 * Today cfg_worker_equal() can only say same or not, so nothing is REL_RELOAD yet and a
 * change in the shared sections (log, database, redis, queue) still restarts natives.
 */
enum reload_change { REL_SAME, REL_RELOAD, REL_RESTART };

static enum reload_change
reload_worker_change(const struct cfg *a, const struct cfg_worker *wa, const struct cfg *b,
    const struct cfg_worker *wb)
{
    return cfg_worker_equal(a, wa, b, wb) ? REL_SAME : REL_RESTART;
}

/* The decision per instance: unchanged, reloadable (native only: the message goes over
   its channel), limits in place, or changed (restart). */
static enum reload_action
reload_compare(const struct cfg *a, const struct cfg_worker *wa, const struct cfg *b,
    const struct cfg_worker *wb)
{
    struct cfg_worker w = *wb;              /* shallow: pointers stay borrowed from b */
    enum reload_change ch;

    w.count = wa->count;
    w.restart = wa->restart;
    w.ready_after_s = wa->ready_after_s;
    w.start_limit_burst = wa->start_limit_burst;
    w.start_limit_interval_s = wa->start_limit_interval_s;
    w.stable_s = wa->stable_s;
    ch = reload_worker_change(a, wa, b, &w);
    if (ch == REL_SAME)
        return RELOAD_UNCHANGED;
    if (ch == REL_RELOAD && cfg_kind_is_native(wa->kind) && strcmp(wa->kind, wb->kind) == 0)
        return RELOAD_RELOADABLE;
    w.limits.memory_bytes = wa->limits.memory_bytes;
    w.limits.cpu = wa->limits.cpu;
    w.limits.pids = wa->limits.pids;
    return reload_worker_change(a, wa, b, &w) == REL_SAME ? RELOAD_LIMITS : RELOAD_CHANGED;
}

static void
reload_add(struct reload_plan *p, char *name, enum reload_action a,
    const struct cfg_worker *oldw, const struct cfg_worker *neww, int index)
{
    p->items = st_xrealloc(p->items, (p->n + 1) * sizeof(*p->items));
    p->items[p->n++] = (struct reload_item){ name, a, oldw, neww, index };
}

void
reload_plan_make(const struct cfg *old, const struct cfg *new, struct reload_plan *plan)
{
    int idx;

    plan->items = NULL;
    plan->n = 0;
    for (size_t i = 0; i < new->nworkers; i++) {
        const struct cfg_worker *w = &new->workers[i];
        for (int k = 1; k <= w->count; k++) {
            char *name = reload_instance_name(w, k);
            const struct cfg_worker *ow = reload_find(old, name, &idx);
            enum reload_action a = ow == NULL ? RELOAD_ADDED : reload_compare(old, ow, new, w);
            reload_add(plan, name, a, ow, w, k);
        }
    }
    for (size_t i = 0; i < old->nworkers; i++) {
        const struct cfg_worker *w = &old->workers[i];
        for (int k = 1; k <= w->count; k++) {
            char *name = reload_instance_name(w, k);
            if (reload_find(new, name, &idx) == NULL)
                reload_add(plan, name, RELOAD_REMOVED, w, NULL, k);
            else
                free(name);
        }
    }
}

void
reload_plan_free(struct reload_plan *plan)
{
    for (size_t i = 0; i < plan->n; i++)
        free(plan->items[i].name);
    free(plan->items);
    plan->items = NULL;
    plan->n = 0;
}

/* Only memory/cpu/pids changed: rewrite the cgroup files under the running process. A
   restart instead when there is no process (backoff/failed get a fresh try, as for any
   change), when memory is an rlimit here, or when the kernel refuses the new values (a
   memory limit below what the group uses now). */
static void
reload_apply_limits(struct sup *s, struct instance *in, const struct cfg_worker *neww)
{
    struct st_error err = ST_ERROR_INIT;
    const struct cfg_limits *l = &neww->limits;

    if (in->pid <= 0) {
        sup_instance_change(s, in, neww);
        return;
    }
    if (sup_instance_set_limits(s, in, neww, &err) == -1) {
        log_warn("limits cannot change in place, restarting the worker",
            LF_STR("worker", in->name), LF_STR("error", err.msg));
        sup_instance_change(s, in, neww);
        return;
    }
    log_info("worker limits changed in place", LF_STR("worker", in->name),
        LF_INT("worker_pid", in->pid), LF_INT("memory_bytes", l->memory_bytes),
        LF_DBL("cpu", l->cpu), LF_INT("pids", l->pids));
}

/* Apply one plan item to the instance table. An instance removed by an earlier reload
   whose process is still stopping comes back as the same entry (its cgroup and socket
   are in use): a second instance of that name would share the group and have it
   removed under it. */
static void
reload_apply_item(struct sup *s, const struct reload_item *it, unsigned generation,
    const char *digest)
{
    struct st_error err = ST_ERROR_INIT;
    struct instance *in = sup_find(s, it->name);

    switch (it->action) {
    case RELOAD_UNCHANGED:
        if (in != NULL)
            sup_instance_follow(in, it->neww);
        break;
    case RELOAD_CHANGED:
        if (in != NULL)
            sup_instance_change(s, in, it->neww);
        break;
    case RELOAD_LIMITS:
        if (in != NULL)
            reload_apply_limits(s, in, it->neww);
        break;
    case RELOAD_RELOADABLE:
        if (in != NULL && sup_instance_reload(s, in, it->neww, generation, digest, &err) == -1) {
            log_warn("worker cannot reload in place, restarting it", LF_STR("worker", in->name),
                LF_STR("error", err.msg));
            sup_instance_change(s, in, it->neww);
        }
        break;
    case RELOAD_ADDED:
        if (in != NULL && in->removed) {
            log_info("removed worker added back, restarting it once stopped",
                LF_STR("worker", in->name));
            sup_instance_revive(s, in, it->neww, it->index);
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
reload_warn_fixed(const struct cfg *old, const struct cfg *next)
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

void
reload_apply(struct sup *s, const struct reload_plan *plan, unsigned generation,
    const char *digest, size_t counts[RELOAD_NACTIONS])
{
    for (size_t i = 0; i < RELOAD_NACTIONS; i++)
        counts[i] = 0;
    for (size_t i = 0; i < plan->n; i++) {
        counts[plan->items[i].action]++;
        reload_apply_item(s, &plan->items[i], generation, digest);
    }
}

int
sup_reload(struct sup *s, struct ctl_reply *reply)
{
    struct cfg_diag diag = CFG_DIAG_INIT;
    struct reload_plan plan;
    struct cfg *next;
    size_t counts[RELOAD_NACTIONS];
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
    reload_warn_fixed(s->cfg, next);
    reload_plan_make(s->cfg, next, &plan);
    reload_apply(s, &plan, s->generation + 1, next->digest, counts);
    reload_plan_free(&plan);
    cfg_free(s->cfg);
    s->cfg = next;
    s->generation++;
    if ((level = log_level_parse(s->cfg->steward.log_level)) != -1)
        log_set_level((enum log_level)level);
    log_info("config reloaded", LF_INT("generation", s->generation),
        LF_INT("unchanged", counts[RELOAD_UNCHANGED]), LF_INT("changed", counts[RELOAD_CHANGED]),
        LF_INT("added", counts[RELOAD_ADDED]), LF_INT("removed", counts[RELOAD_REMOVED]),
        LF_INT("limits", counts[RELOAD_LIMITS]), LF_INT("reloaded", counts[RELOAD_RELOADABLE]));
    sup_notify(s, "READY=1\nSTATUS=config reloaded");
    if (reply != NULL) {
        o = json_object_new_object();
        json_object_object_add(o, "generation", json_object_new_int64(s->generation));
        json_object_object_add(o, "unchanged", json_object_new_int64((int64_t)counts[0]));
        json_object_object_add(o, "changed", json_object_new_int64((int64_t)counts[1]));
        json_object_object_add(o, "added", json_object_new_int64((int64_t)counts[2]));
        json_object_object_add(o, "removed", json_object_new_int64((int64_t)counts[3]));
        json_object_object_add(o, "limits", json_object_new_int64((int64_t)counts[4]));
        json_object_object_add(o, "reloaded", json_object_new_int64((int64_t)counts[5]));
        ctl_reply_ok(reply, o);
    }
    return 0;
}
