/*
 * backoff.c -- exponential delay schedules with optional jitter.
 * Owns only the arithmetic; callers arm their own timers. Tests: tests/unit/t_backoff.c
 */
#include "config.h"
#include "backoff.h"

#include <time.h>
#include <unistd.h>

void
st_backoff_init(struct st_backoff *b, int64_t base_ms, int64_t max_ms, bool jitter)
{
    struct timespec ts;

    b->base_ms = base_ms > 0 ? base_ms : 1;
    b->max_ms = max_ms >= b->base_ms ? max_ms : b->base_ms;
    b->cur_ms = b->base_ms;
    b->jitter = jitter;
    b->attempts = 0;
    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    b->rng = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)getpid() ^ 0x9e3779b97f4a7c15ULL;
    if (b->rng == 0)
        b->rng = 1;
}

static uint64_t
st_backoff_rand(struct st_backoff *b)
{
    uint64_t x = b->rng;

    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    b->rng = x;
    return x;
}

int64_t
st_backoff_next_ms(struct st_backoff *b)
{
    int64_t d = b->cur_ms;

    b->attempts++;
    b->cur_ms = b->cur_ms > b->max_ms / 2 ? b->max_ms : b->cur_ms * 2;
    if (b->jitter && d > 1) {
        int64_t half = d / 2;
        d = half + (int64_t)(st_backoff_rand(b) % (uint64_t)(d - half + 1));
    }
    return d;
}

void
st_backoff_reset(struct st_backoff *b)
{
    b->cur_ms = b->base_ms;
    b->attempts = 0;
}
