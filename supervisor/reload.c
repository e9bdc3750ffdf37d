/*
 * reload.c -- the reload plan: instance by instance, is it unchanged, changed, added or
 * removed between two configs. An instance is unchanged when its entry would run the
 * same way (cfg_worker_equal) apart from settings only the supervisor reads: `count`
 * (which instances exist), the restart policy, start limits, stable_s, ready_after_s.
 * One whose only difference is limits.memory, cpu or pids is "limits" (cgroup files the
 * supervisor may rewrite without a restart).
 * Does not apply the plan (sup_ctl.c does). Pure.
 * Tests: tests/unit/t_reload.c, tests/integration/t_sup_reload.sh
 */
#include "config.h"
#include "reload.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static const char *const action_names[] = { "unchanged", "changed", "added", "removed",
    "limits" };

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

/* Same process? Settings only the supervisor reads (how many instances, when to restart,
   when an exec counts as running) change without a restart: the instance simply follows
   the new entry (unchanged). Cgroup limits alone can follow it too (limits). */
static enum reload_action
reload_compare(const struct cfg *a, const struct cfg_worker *wa, const struct cfg *b,
    const struct cfg_worker *wb)
{
    struct cfg_worker w = *wb;              /* shallow: pointers stay borrowed from b */

    w.count = wa->count;
    w.restart = wa->restart;
    w.ready_after_s = wa->ready_after_s;
    w.start_limit_burst = wa->start_limit_burst;
    w.start_limit_interval_s = wa->start_limit_interval_s;
    w.stable_s = wa->stable_s;
    if (cfg_worker_equal(a, wa, b, &w))
        return RELOAD_UNCHANGED;
    w.limits.memory_bytes = wa->limits.memory_bytes;
    w.limits.cpu = wa->limits.cpu;
    w.limits.pids = wa->limits.pids;
    return cfg_worker_equal(a, wa, b, &w) ? RELOAD_LIMITS : RELOAD_CHANGED;
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
