/*
 * backoff.h -- exponential delay schedules: restart pacing (no jitter) and
 * reconnect pacing for PostgreSQL/Redis (full jitter). Pure: no I/O, no globals.
 */
#ifndef STEWARD_BACKOFF_H
#define STEWARD_BACKOFF_H

#include <stdbool.h>
#include <stdint.h>

struct st_backoff {
    int64_t base_ms;            /* first delay */
    int64_t max_ms;             /* ceiling */
    int64_t cur_ms;             /* next un-jittered delay */
    bool jitter;                /* full jitter: uniform in [cur/2, cur] */
    uint64_t rng;               /* xorshift state for jitter */
    unsigned attempts;
};

void st_backoff_init(struct st_backoff *b, int64_t base_ms, int64_t max_ms, bool jitter);
/* The delay before the next attempt; doubles the schedule up to max_ms. */
int64_t st_backoff_next_ms(struct st_backoff *b);
/* Back to base_ms (after a success, or after staying up long enough). */
void st_backoff_reset(struct st_backoff *b);

#endif
