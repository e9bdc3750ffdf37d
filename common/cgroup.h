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
 * `root` lets tests point at a fake cgroupfs tree (a plain directory); with root NULL
 * ("/sys/fs/cgroup") only real cgroup mounts count. For a fake root the
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
 * supervisor's parent group "<own cgroup>/<name>" where writable. Call once, in the
 * supervisor, before forking anything. Never fails for lack of cgroups: falls back to
 * CG_RLIMIT and says why in cg_system_reason(). v1 needs the memory hierarchy; cpu, pids
 * and cpuacct are used when present and writable; a limit whose controller is missing is
 * not enforced (the reason names it) and memory then falls back to RLIMIT_AS.
 * Returns NULL only for an invalid name (empty, '/', ".", "..", "supervisor"), err set.
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
/* Removes the parent group(s) (instance groups must be freed first) and, in v2, moves
   this process back out of <own>/supervisor. Takes NULL. */
void cg_system_free(struct cg_system *sys);

/*
 * Create (or re-use) the group for instance (e.g. "transform.2") and write limits:
 * v2 memory.max (+ memory.swap.max 0 when limited), cpu.max "<cpu*100000> 100000",
 * pids.max; v1 memory.limit_in_bytes (+ memsw), cpu.cfs_period_us 100000 and
 * cpu.cfs_quota_us, pids.max. Unset limits (0) write "max" / -1. A CPU quota is at
 * least 1 ms per period (kernel minimum). With CG_RLIMIT returns a group object that
 * only remembers the limits. The caller owns the group (cg_group_free); sys must
 * outlive it. Returns NULL with err set when a directory or limit cannot be written.
 */
struct cg_group *cg_group_new(struct cg_system *sys, const char *instance,
    const struct cfg_limits *limits, struct st_error *err);
/* Rewrite limits in place (reload with new limits; also remembered for the rlimits of
   the next cg_apply_rlimits). 0, or -1 with err set naming the file and value. */
int cg_group_set_limits(struct cg_group *g, const struct cfg_limits *limits, struct st_error *err);
/* True when memory limits are written to a cgroup memory controller, so that
   cg_group_set_limits changes them for running processes; false when memory is RLIMIT_AS
   (cg_apply_rlimits), which only a new process picks up. */
bool cg_memory_in_cgroup(const struct cg_system *sys);
/* Parent side: put pid into the group (writes cgroup.procs of every hierarchy used).
   0 (also for CG_RLIMIT), or -1 with err set. */
int cg_attach(struct cg_group *g, pid_t pid, struct st_error *err);
/* Child side, after fork: enter the group ("0" = self into each cgroup.procs). Only
   open/write/close on paths built by cg_group_new: safe in the forked child of a
   single-threaded parent. 0 (also for CG_RLIMIT), or -1 with err and errno set. */
int cg_enter(struct cg_group *g, struct st_error *err);
/*
 * Child side: RLIMIT_NOFILE soft = hard = nofile (when set), RLIMIT_CORE 0, and RLIMIT_AS
 * = memory when no cgroup memory controller is in use (CG_RLIMIT, or v2 without memory).
 * RLIMIT_NPROC is left alone (per user, not per group). 0, or -1 with errno and err set
 * as "setrlimit(RLIMIT_NOFILE, 1024): Operation not permitted".
 */
int cg_apply_rlimits(const struct cg_group *g, struct st_error *err);

/* Current usage of the whole group: memory bytes (v2 memory.current, v1
   memory.usage_in_bytes) and CPU seconds (v2 cpu.stat usage_usec, v1 cpuacct.usage).
   Each output is -1 when unknown; returns 0 when at least one is known, else -1
   (always -1 with CG_RLIMIT: read /proc/<pid>/stat instead). */
int cg_usage(const struct cg_group *g, int64_t *memory_bytes, double *cpu_seconds);
/* OOM kills in this group since it was created (v2 memory.events oom_kill, v1
   memory.oom_control oom_kill); cumulative, so compare with the value read before the
   fork. -1 when unknown (CG_RLIMIT, no memory controller, kernel without the counter). */
int64_t cg_oom_kills(const struct cg_group *g);
/* Send sig to every process in the group (v2 cgroup.kill for SIGKILL when present;
   otherwise cgroup.procs is re-read until no new pid appears, each pid signalled once).
   Returns the number of processes signalled (0 with CG_RLIMIT), or -1 with err set. */
int cg_kill(struct cg_group *g, int sig, struct st_error *err);
/* True when no process is left in the group (always true for CG_RLIMIT). A dead
   process leaves the group when it exits, before it is reaped. */
bool cg_is_empty(const struct cg_group *g);
/* Path of the group directory (v2) or of its memory hierarchy group (v1); "" for rlimit. */
const char *cg_group_path(const struct cg_group *g);
/* Remove the group directories (retrying ~300 ms while the kernel says busy; a group
   that still holds processes stays) and free g. Takes NULL. */
void cg_group_free(struct cg_group *g);

#endif
