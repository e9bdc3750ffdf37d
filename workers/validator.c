/*
 * validator.c -- the validator worker kind:
 * rules, integrity and anomaly checks into quality scores.
 * For now it runs only the worker framework (common/worker.c): READY, heartbeats, graceful
 * stop, and the shared control commands ping/status/metrics. The kind's own pipeline work
 * and its commands from DESIGN.md (scores) land with its issue; none is faked here.
 * Tests: tests/unit/t_worker.c (framework), tests/integration/t_workers_native.sh
 */
#include "config.h"

#include "kinds.h"

#include "worker.h"

/* Entry point, called in the forked child. Returns the process exit code. */
int
validator_main(struct worker_ctx *ctx)
{
    return worker_serve(ctx);
}
