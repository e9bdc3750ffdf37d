/*
 * kinds.c -- the table of native worker kinds: name as written in the config's `kind`,
 * and the kind's entry point. Owns only the table and the lookup; "exec" is not here
 * (the supervisor runs external programs itself). Adding a kind: a file with <kind>_main,
 * its prototype in kinds.h, a row below, and its name in cfg_kinds[] (common/cfg.c).
 * Tests: tests/unit/t_worker.c
 */
#include "config.h"

#include "worker.h"

#include <string.h>

#include "kinds.h"

const struct worker_kind worker_kinds[] = {
    { "ingestor", ingestor_main },
    { "transformer", transformer_main },
    { "validator", validator_main },
    { "cache-warmer", cache_warmer_main },
    { "scheduler", scheduler_main },
    { "metrics", metrics_main },
    { NULL, NULL },
};

/* The native kind called name, or NULL when there is none (including "exec"). */
const struct worker_kind *
worker_kind_find(const char *name)
{
    if (name == NULL)
        return NULL;
    for (const struct worker_kind *k = worker_kinds; k->name != NULL; k++)
        if (strcmp(k->name, name) == 0)
            return k;
    return NULL;
}
