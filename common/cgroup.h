/*
 * cgroup.h -- per-instance resource control: cgroup v2, cgroup v1, rlimit backstop.
 *
 * The supervisor detects the mechanism once at start (cg_detect), creates one group
 * per worker instance under its own cgroup (cg_group_new), and the forked child enters
 * it (cg_enter) and sets its rlimits (cg_apply_rlimits) before running. Every instance
 * gets a group whenever cgroups are writable, limits or not, so stopping an instance
 * can empty it whole (cg_kill) even when a program daemonized its children.
 * Groups are removed by cg_group_free; the supervisor's own parent group by
 * cg_system_free.
 *
 * `root` lets tests point at a fake cgroupfs tree (a plain directory). For a fake root the
 * layout is read from files under root: v2 when root/cgroup.controllers exists, else v1
 * when root/memory, root/cpu (or root/cpu,cpuacct) or root/pids are directories. The
 * process's "own cgroup" is read from /proc/self/cgroup when the hierarchy directory is a
 * real cgroupfs (statfs: CGROUP_SUPER_MAGIC / CGROUP2_SUPER_MAGIC); in a fake tree it is "/"
 * (root itself) unless root/.self holds a path (one line, e.g. "/user.slice/app"), used for
 * every hierarchy. In a fake tree, removing a group also unlinks the regular files inside
 * it (the kernel does that itself on a real cgroupfs).
 *
 * v2: when the own group is not the real root (it has a cgroup.type file, also true for a
 * cgroup namespace's "/"), cg_detect moves this process into "<own>/supervisor" before
 * enabling memory/cpu/pids in <own>/cgroup.subtree_control ("no internal processes"), as
 * a systemd service with Delegate=yes does; cg_system_free moves it back. Instance groups
 * are "<own>/<name>/<instance>". If other processes share <own>, enabling fails (EBUSY)
 * and the mechanism falls back to rlimit with that reason.
 */
#ifndef STEWARD_CGROUP_H
#define STEWARD_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "cfg.h"
#include "util.h"

enum cg_mechanism { CG_RLIMIT, CG_V1, CG_V2 };

struct cg_system;               /* detected layout; opaque */
struct cg_group;                /* one instance's group; opaque */

/*
 * Detect the layout under root (NULL = "/sys/fs/cgroup") for the calling process
 * (read from /proc/self/cgroup, or root's own layout for fake roots) and create the
 * supervisor's parent group "<own cgroup>/<name>" where writable. Never fails for
 * lack of cgroups: falls back to CG_RLIMIT and says why in cg_system_reason().
 * Returns NULL only on allocation-free hard errors (err set).
 * When name is "<prefix>-<pid of this process>" (e.g. "steward-812"), empty sibling groups
 * "<prefix>-<N>" whose process N no longer exists (a supervisor killed before it could
 * clean up) are removed first; a group that still holds processes is left alone.
 */
struct cg_system *cg_detect(const char *root, const char *name, struct st_error *err);
enum cg_mechanism cg_mechanism(const struct cg_system *sys);
/* Read-only detection for `steward check`: which mechanism would apply, creates nothing.
   The reason is written to reason (truncated to reasonlen). */
enum cg_mechanism cg_probe(const char *root, char *reason, size_t reasonlen);
/* "cgroup-v2", "cgroup-v1" or "rlimit" (DESIGN.md limit_mechanism). */
const char *cg_mechanism_name(enum cg_mechanism m);
/* Human explanation of the choice ("cgroup v1 memory,cpu,pids writable under /sys/..."). */
const char *cg_system_reason(const struct cg_system *sys);
/* Removes the groups this process created (they must be empty). Takes NULL. */
void cg_system_free(struct cg_system *sys);

/*
 * Create (or re-use) the group for instance (e.g. "transform.2") and write limits.
 * With CG_RLIMIT returns a group object that only remembers the limits.
 * Returns NULL with err set when a limit cannot be written.
 */
struct cg_group *cg_group_new(struct cg_system *sys, const char *instance,
    const struct cfg_limits *limits, struct st_error *err);
/* Rewrite limits in place (reload of an unchanged command with new limits). */
int cg_group_set_limits(struct cg_group *g, const struct cfg_limits *limits, struct st_error *err);
/* Put pid into the group (every v1 hierarchy used). 0, or -1 with err set. */
int cg_attach(struct cg_group *g, pid_t pid, struct st_error *err);
/* Child side, after fork: enter the group (pid 0 = self). Async-signal-safe enough. */
int cg_enter(struct cg_group *g, struct st_error *err);
/*
 * Child side: RLIMIT_NOFILE (nofile), RLIMIT_CORE 0 unless allowed, and RLIMIT_AS from
 * memory when no cgroup memory controller is in use. 0 or -1 with err set.
 */
int cg_apply_rlimits(const struct cg_group *g, struct st_error *err);

/* Current usage: memory in bytes and CPU seconds (user+system); -1 when unknown. */
int cg_usage(const struct cg_group *g, int64_t *memory_bytes, double *cpu_seconds);
/* Number of OOM kills in this group so far (memory.events oom_kill, or v1 oom_control). */
int64_t cg_oom_kills(const struct cg_group *g);
/* Send sig to every process in the group (v2 cgroup.kill for SIGKILL when present).
   Returns the number of processes signalled, or -1 with err set. */
int cg_kill(struct cg_group *g, int sig, struct st_error *err);
/* True when no process is left in the group (always true for CG_RLIMIT). */
bool cg_is_empty(const struct cg_group *g);
/* Path of the group directory (v2) or of its memory hierarchy group (v1); "" for rlimit. */
const char *cg_group_path(const struct cg_group *g);
/* Remove the group directories (after the group is empty). Takes NULL. */
void cg_group_free(struct cg_group *g);

#endif
