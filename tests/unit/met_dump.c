/* met_dump.c -- print a registry that uses every feature of metrics.c (for
   tests/integration/t_metrics_promtool.sh, which pipes it into `promtool check metrics`). */
#include "config.h"

#include <stdio.h>

#include "metrics.h"

int
main(void)
{
    static const double bounds[] = { 0.01, 0.1, 1, 10 };
    struct met_registry *r = met_registry_new(8);
    struct met_family *up, *restarts, *mem, *batch, *queue, *lat;
    struct st_buf b = ST_BUF_INIT;
    char id[16];

    up = met_family(r, "steward_worker_up", "1 when the worker instance is running.",
        MET_GAUGE, (const char *const[]){ "worker", NULL });
    restarts = met_family(r, "steward_worker_restarts_total", "Worker restarts by reason.",
        MET_COUNTER, (const char *const[]){ "worker", "reason", NULL });
    mem = met_family(r, "steward_worker_memory_bytes", "Resident memory.\nSecond \\ line.",
        MET_GAUGE, NULL);
    batch = met_family(r, "steward_ingest_batch_seconds", "Ingest batch duration.",
        MET_HISTOGRAM, NULL);
    lat = met_family(r, "tool_latency_seconds", "Tool latency by tool.", MET_HISTOGRAM,
        (const char *const[]){ "tool", NULL });
    queue = met_family(r, "steward_queue_depth", "Stream length.", MET_GAUGE,
        (const char *const[]){ "stream", NULL });
    met_set_buckets(lat, bounds, ST_ARRAY_LEN(bounds));
    met_set(up, (const char *const[]){ "transform.1", NULL }, 1);
    met_set(up, (const char *const[]){ "we\"ird\\name\n\xff", NULL }, 0);
    met_inc(restarts, (const char *const[]){ "cache", "oom-killed", NULL }, 3);
    met_set(mem, NULL, 123456789.0);
    met_observe(batch, NULL, 0.2);
    met_observe(batch, NULL, 12.5);
    met_observe(lat, (const char *const[]){ "search", NULL }, 0.05);
    for (int i = 0; i < 10; i++) {      /* more than fit: some are dropped and counted */
        (void)snprintf(id, sizeof(id), "steward:q:%d", i);
        met_set(queue, (const char *const[]){ id, NULL }, i);
    }
    met_render(r, &b);
    fputs(b.data, stdout);
    st_buf_free(&b);
    met_registry_free(r);
    return 0;
}
