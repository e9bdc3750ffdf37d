/*
 * reload.h -- the reload plan: which instances a new config leaves unchanged, changes,
 * adds or removes (DESIGN.md "Processes", STYLE.md §12), and its application.
 * Supervisor-private (supervisor/ only).
 */
#ifndef STEWARD_RELOAD_H
#define STEWARD_RELOAD_H

#include <stddef.h>

#include "cfg.h"

/* RELOAD_LIMITS: only limits.memory / cpu / pids differ (cgroup files, rewritten in place
   while the process runs); RELOAD_RELOADABLE: a native instance keeps running and is sent
   "RELOAD <generation> <digest>" over its channel (it re-reads what changed itself);
   RELOAD_CHANGED for anything else, nofile included (an rlimit is set when a process
   starts). */
enum reload_action { RELOAD_UNCHANGED, RELOAD_CHANGED, RELOAD_ADDED, RELOAD_REMOVED,
    RELOAD_LIMITS, RELOAD_RELOADABLE };
#define RELOAD_NACTIONS 6

struct reload_item {
    char *name;                         /* instance name ("transform.2") */
    enum reload_action action;
    const struct cfg_worker *oldw;      /* borrowed from old; NULL when added */
    const struct cfg_worker *neww;      /* borrowed from new; NULL when removed */
    int index;                          /* 1..count in the config that has it */
};

struct reload_plan {
    struct reload_item *items;          /* new config's instances in order, then removed ones */
    size_t n;
};

/* Instance name of entry w, index i (1-based): "NAME" when count is 1, else "NAME.i".
   Returns a malloc'd string. */
char *reload_instance_name(const struct cfg_worker *w, int i);
/* Build the plan from old to new; free with reload_plan_free. */
void reload_plan_make(const struct cfg *old, const struct cfg *new, struct reload_plan *plan);
void reload_plan_free(struct reload_plan *plan);
const char *reload_action_name(enum reload_action a);

/* Apply a plan to the supervisor's instance table; generation and digest are the new
   config's (what RELOAD tells workers). counts[action] gets the number of items. */
struct sup;
void reload_apply(struct sup *s, const struct reload_plan *plan, unsigned generation,
    const char *digest, size_t counts[RELOAD_NACTIONS]);

/* Apply a reload (reload.c, needs sup.h's context): re-read the config file; reply (NULL
   for SIGHUP) gets the answer. An invalid file leaves everything as it was. 0 or -1. */
struct ctl_reply;
int sup_reload(struct sup *s, struct ctl_reply *reply);

#endif
