/* t_proc.c -- the supervisor's state machine: transitions, exit reasons, restart decisions. */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "proc.h"
#include "tap.h"

#define EXITED(n) ((n) << 8)

static struct cfg_worker
worker(enum cfg_restart restart)
{
    struct cfg_worker w;

    memset(&w, 0, sizeof(w));
    w.name = "w";
    w.kind = "exec";
    w.count = 1;
    w.restart = restart;
    w.start_limit_burst = 5;
    w.start_limit_interval_s = 60.0;
    w.stable_s = 60.0;
    return w;
}

static void
test_table_allows_only_the_documented_paths(void)
{
    is_int(proc_next(PROC_STOPPED, PEV_SPAWN), PROC_STARTING, "stopped -> starting on spawn");
    is_int(proc_next(PROC_STARTING, PEV_READY), PROC_RUNNING, "starting -> running on READY");
    is_int(proc_next(PROC_RUNNING, PEV_STOP), PROC_STOPPING, "running -> stopping on stop");
    is_int(proc_next(PROC_STOPPING, PEV_EXIT_STOPPED), PROC_STOPPED, "stopping -> stopped on exit");
    is_int(proc_next(PROC_RUNNING, PEV_EXIT_RESTART), PROC_BACKOFF, "running -> backoff on crash");
    is_int(proc_next(PROC_BACKOFF, PEV_SPAWN), PROC_STARTING, "backoff -> starting");
    is_int(proc_next(PROC_STARTING, PEV_EXIT_FAILED), PROC_FAILED, "starting -> failed at the limit");
    is_int(proc_next(PROC_FAILED, PEV_SPAWN), PROC_STARTING, "failed -> starting on start");
    is_int(proc_next(PROC_STOPPED, PEV_READY), -1, "READY while stopped is ignored");
    is_int(proc_next(PROC_RUNNING, PEV_SPAWN), -1, "no second process while running");
    is_int(proc_next(PROC_STOPPING, PEV_EXIT_RESTART), -1, "a stopping instance never restarts");
}

static void
test_exit_reasons_are_named(void)
{
    char buf[32], cls[16];

    proc_exit_reason(EXITED(3), false, false, buf, sizeof(buf), cls, sizeof(cls));
    is_str(buf, "exit 3", "exit status");
    is_str(cls, "exit", "exit class");
    proc_exit_reason(SIGKILL, false, false, buf, sizeof(buf), cls, sizeof(cls));
    is_str(buf, "signal 9", "killed by a signal");
    proc_exit_reason(SIGKILL, true, false, buf, sizeof(buf), cls, sizeof(cls));
    is_str(buf, "oom-killed", "SIGKILL with an OOM kill is oom-killed");
    proc_exit_reason(SIGXCPU, false, false, buf, sizeof(buf), cls, sizeof(cls));
    is_str(buf, "cpu-limit", "SIGXCPU is the cpu limit");
    proc_exit_reason(SIGKILL, false, true, buf, sizeof(buf), cls, sizeof(cls));
    is_str(buf, "watchdog", "our watchdog kill says watchdog");
}

static void
test_hard_cpu_limit_kill_is_cpu_limit(void)
{
    struct cfg_worker w = worker(CFG_RESTART_ALWAYS);
    struct instance *in = proc_new("w", "w", 1, &w, false);
    struct proc_exit x = { SIGKILL, false, false, true };

    proc_spawned(in, 100, 0);
    (void)proc_exited(in, &x, 10);
    is_str(in->last_exit, "cpu-limit", "SIGKILL at the hard RLIMIT_CPU: cpu-limit");
    is_str(in->last_reason, "cpu-limit", "reason class cpu-limit");
    is_str(proc_state_name(in->state), "backoff", "a failure like any other: backoff");
    proc_free(in);
}

static void
test_crash_backs_off_doubling(void)
{
    struct cfg_worker w = worker(CFG_RESTART_ALWAYS);
    struct instance *in = proc_new("w", "w", 1, &w, false);
    struct proc_exit x = { SIGKILL, false, false, false };

    proc_spawned(in, 100, 0);
    (void)proc_ready(in, 0);
    is_int(proc_exited(in, &x, 10), 100, "first crash: 100 ms");
    is_str(proc_state_name(in->state), "backoff", "state backoff");
    is_str(in->last_exit, "signal 9", "last_exit recorded");
    proc_spawned(in, 101, 200);
    is_int(proc_exited(in, &x, 300), 200, "second crash: 200 ms");
    is_int(in->restarts, 1, "one restart counted");
    proc_free(in);
}

static void
test_start_limit_sends_to_failed(void)
{
    struct cfg_worker w = worker(CFG_RESTART_ALWAYS);
    struct instance *in = proc_new("w", "w", 1, &w, false);
    struct proc_exit x = { EXITED(3), false, false, false };
    int64_t d = 0;

    for (int i = 0; i < 5; i++) {
        proc_spawned(in, 100 + i, i * 10);
        d = proc_exited(in, &x, i * 10 + 5);
    }
    is_int(d, -1, "fifth failure within the interval: no more delay");
    is_str(proc_state_name(in->state), "failed", "state failed");
    is_str(in->last_exit, "exit 3", "exit 3 recorded");
    proc_start_requested(in);
    proc_spawned(in, 200, 100);
    is_str(proc_state_name(in->state), "starting", "start revives a failed instance");
    is_int(proc_exited(in, &x, 110), 100, "after start the backoff begins again at 100 ms");
    proc_free(in);
}

static void
test_stable_run_resets_backoff(void)
{
    struct cfg_worker w = worker(CFG_RESTART_ALWAYS);
    struct instance *in = proc_new("w", "w", 1, &w, false);
    struct proc_exit x = { SIGKILL, false, false, false };

    for (int i = 0; i < 3; i++) {
        proc_spawned(in, 100 + i, i);
        (void)proc_exited(in, &x, i + 1);
    }
    proc_spawned(in, 200, 1000);
    (void)proc_ready(in, 1000);
    is_int(proc_exited(in, &x, 1000 + 61000), 0, "up 61 s: restarted at once");
    is_str(proc_state_name(in->state), "backoff", "through backoff, with no wait");
    proc_spawned(in, 201, 62000);
    (void)proc_ready(in, 62000);
    is_int(proc_exited(in, &x, 62500), 100, "a quick crash after that: 100 ms");
    proc_spawned(in, 202, 62700);
    is_int(proc_exited(in, &x, 62800), 200, "and the next: 200 ms");
    proc_free(in);
}

/* stable_s = 0 with an exec that is ready at once (/bin/false): each exit within the
   floor after spawn counts toward the start limit, so the loop ends in failed. */
static void
test_stable_zero_still_hits_the_start_limit(void)
{
    struct cfg_worker w = worker(CFG_RESTART_ALWAYS);
    struct instance *in = proc_new("w", "w", 1, &w, false);
    struct proc_exit x = { EXITED(1), false, false, false };
    int64_t d = 0, t = 0;

    w.stable_s = 0;
    for (int i = 0; i < 5; i++) {
        proc_spawned(in, 100 + i, t);
        (void)proc_ready(in, t);
        d = proc_exited(in, &x, t + 2);
        t += 2 + (d > 0 ? d : 0);
    }
    is_int(d, -1, "stable_s 0: the fifth quick exit is the last");
    is_str(proc_state_name(in->state), "failed", "state failed");
    proc_start_requested(in);
    proc_spawned(in, 200, 100000);
    (void)proc_ready(in, 100000);
    is_int(proc_exited(in, &x, 100000 + PROC_STABLE_FLOOR_MS), 0,
        "a run as long as the floor is stable: restarted at once");
    proc_free(in);
}

static void
test_requested_stop_does_not_restart(void)
{
    struct cfg_worker w = worker(CFG_RESTART_ALWAYS);
    struct instance *in = proc_new("w", "w", 1, &w, false);
    struct proc_exit x = { SIGTERM, false, false, false };

    proc_spawned(in, 100, 0);
    ok(proc_stop(in), "stopping a running instance needs a signal");
    is_str(proc_state_name(in->state), "stopping", "state stopping");
    is_int(proc_exited(in, &x, 10), -1, "no restart after a requested stop");
    is_str(proc_state_name(in->state), "stopped", "state stopped");
    proc_free(in);
}

static void
test_restart_policies(void)
{
    struct cfg_worker w = worker(CFG_RESTART_ON_FAILURE);
    struct instance *in = proc_new("w", "w", 1, &w, false);
    struct proc_exit clean = { EXITED(0), false, false, false };
    struct proc_exit never = { EXITED(1), false, false, false };

    proc_spawned(in, 100, 0);
    is_int(proc_exited(in, &clean, 10), -1, "on-failure: exit 0 stays down");
    is_str(proc_state_name(in->state), "stopped", "state stopped");
    w.restart = CFG_RESTART_NEVER;
    proc_spawned(in, 101, 20);
    is_int(proc_exited(in, &never, 30), -1, "never: exit 1 stays down");
    proc_free(in);
}

static void
test_native_norestart_exit_fails(void)
{
    struct cfg_worker w = worker(CFG_RESTART_ALWAYS);
    struct instance *in = proc_new("w", "w", 1, &w, true);
    struct proc_exit x = { EXITED(2), false, false, false };

    proc_spawned(in, 100, 0);
    is_int(proc_exited(in, &x, 10), -1, "native exit 2: do not respawn");
    is_str(proc_state_name(in->state), "failed", "state failed");
    proc_free(in);
}

int
main(void)
{
    test_table_allows_only_the_documented_paths();
    test_exit_reasons_are_named();
    test_hard_cpu_limit_kill_is_cpu_limit();
    test_crash_backs_off_doubling();
    test_start_limit_sends_to_failed();
    test_stable_run_resets_backoff();
    test_stable_zero_still_hits_the_start_limit();
    test_requested_stop_does_not_restart();
    test_restart_policies();
    test_native_norestart_exit_fails();
    return done_testing();
}
