/*
 * kinds.h -- the entry points of the native worker kinds (one file each in workers/),
 * collected by kinds.c into worker_kinds[]. Private to workers/: the supervisor finds a
 * kind through worker_kind_find() in common/worker.h.
 */
#ifndef STEWARD_WORKERS_KINDS_H
#define STEWARD_WORKERS_KINDS_H

#include "worker.h"

int ingestor_main(struct worker_ctx *ctx);
int transformer_main(struct worker_ctx *ctx);
int validator_main(struct worker_ctx *ctx);
int cache_warmer_main(struct worker_ctx *ctx);
int scheduler_main(struct worker_ctx *ctx);
int metrics_main(struct worker_ctx *ctx);

#endif
