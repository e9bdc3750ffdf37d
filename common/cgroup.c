/*
 * cgroup.c -- per-instance resource control: cgroup v2, cgroup v1, rlimit backstop.
 * Owns detection of the cgroup layout, the supervisor's parent group and one group per
 * worker instance (create, limit, attach, usage, OOM count, kill, remove), and the
 * child-side rlimits. Does not own the process table, fork or signals' policy: the
 * supervisor decides when to create, enter, kill and free. Never forks.
 * Tests: tests/unit/t_cgroup.c (fake cgroupfs trees), tests/integration/t_cgroup_v1.c.
 */
#include "config.h"
#include "cgroup.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cg_system {
    enum cg_mechanism mech;
    char reason[512];
};

struct cg_group {
    struct cg_system *sys;      /* borrowed */
    struct cfg_limits limits;
    char path[1];
};

struct cg_system *
cg_detect(const char *root, const char *name, struct st_error *err)
{
    struct cg_system *sys = st_xcalloc(1, sizeof(*sys));

    (void)root;
    (void)name;
    (void)err;
    sys->mech = CG_RLIMIT;
    (void)snprintf(sys->reason, sizeof(sys->reason), "rlimit: cgroup support not built yet");
    return sys;
}

enum cg_mechanism
cg_probe(const char *root, char *reason, size_t reasonlen)
{
    (void)root;
    if (reasonlen > 0)
        (void)snprintf(reason, reasonlen, "rlimit: cgroup support not built yet");
    return CG_RLIMIT;
}

enum cg_mechanism
cg_mechanism(const struct cg_system *sys)
{
    return sys->mech;
}

const char *
cg_mechanism_name(enum cg_mechanism m)
{
    switch (m) {
    case CG_V2: return "cgroup-v2";
    case CG_V1: return "cgroup-v1";
    case CG_RLIMIT: break;
    }
    return "rlimit";
}

const char *
cg_system_reason(const struct cg_system *sys)
{
    return sys->reason;
}

void
cg_system_free(struct cg_system *sys)
{
    free(sys);
}

struct cg_group *
cg_group_new(struct cg_system *sys, const char *instance, const struct cfg_limits *limits,
    struct st_error *err)
{
    struct cg_group *g = st_xcalloc(1, sizeof(*g));

    (void)instance;
    (void)err;
    g->sys = sys;
    g->limits = *limits;
    return g;
}

int
cg_group_set_limits(struct cg_group *g, const struct cfg_limits *limits, struct st_error *err)
{
    (void)err;
    g->limits = *limits;
    return 0;
}

int
cg_attach(struct cg_group *g, pid_t pid, struct st_error *err)
{
    (void)g;
    (void)pid;
    (void)err;
    return 0;
}

int
cg_enter(struct cg_group *g, struct st_error *err)
{
    (void)g;
    (void)err;
    return 0;
}

int
cg_apply_rlimits(const struct cg_group *g, struct st_error *err)
{
    (void)g;
    (void)err;
    return 0;
}

int
cg_usage(const struct cg_group *g, int64_t *memory_bytes, double *cpu_seconds)
{
    (void)g;
    *memory_bytes = -1;
    *cpu_seconds = -1;
    return -1;
}

int64_t
cg_oom_kills(const struct cg_group *g)
{
    (void)g;
    return -1;
}

int
cg_kill(struct cg_group *g, int sig, struct st_error *err)
{
    (void)g;
    (void)sig;
    (void)err;
    return 0;
}

bool
cg_is_empty(const struct cg_group *g)
{
    (void)g;
    return true;
}

const char *
cg_group_path(const struct cg_group *g)
{
    return g->path;
}

void
cg_group_free(struct cg_group *g)
{
    free(g);
}
