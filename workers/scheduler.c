/*
 * scheduler.c -- the scheduler worker kind:
 * cron jobs (HTTP, SQL, built-in) with retries, alerts and a run log.
 * For now it runs only the worker framework (common/worker.c): READY, heartbeats, graceful
 * stop, and the shared control commands ping/status/metrics. The kind's own pipeline work
 * and its commands from DESIGN.md (jobs, run JOB) land with its issue; none is faked here.
 * Tests: tests/unit/t_worker.c (framework), tests/integration/t_workers_native.sh
 */
#include "config.h"

#include "kinds.h"

#include "log.h"
#include "util.h"
#include "worker.h"

/* Entry point, called in the forked child. Returns the process exit code. */
int
scheduler_main(struct worker_ctx *ctx)
{
    struct st_error err = ST_ERROR_INIT;
    struct worker *w;
    int rc;

    if ((w = worker_new(ctx, &err)) == NULL) {
        log_error("worker setup failed", LF_STR("error", err.msg));
        return WORKER_EXIT_SETUP;
    }
    worker_ready(w);
    rc = worker_run(w);
    worker_free(w);
    return rc;
}
