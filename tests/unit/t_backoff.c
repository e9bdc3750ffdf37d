/* t_backoff.c -- doubling, ceiling, reset, jitter bounds. */
#include "config.h"

#include "backoff.h"
#include "tap.h"

static void
test_restart_schedule_doubles_from_100ms(void)
{
    struct st_backoff b;

    st_backoff_init(&b, 100, 30000, false);
    is_int(st_backoff_next_ms(&b), 100, "first delay 100 ms");
    is_int(st_backoff_next_ms(&b), 200, "then 200 ms");
    is_int(st_backoff_next_ms(&b), 400, "then 400 ms");
}

static void
test_delay_stops_growing_at_30s(void)
{
    struct st_backoff b;

    st_backoff_init(&b, 100, 30000, false);
    for (int i = 0; i < 20; i++)
        (void)st_backoff_next_ms(&b);
    is_int(st_backoff_next_ms(&b), 30000, "after 20 quick restarts the delay is 30 s");
}

static void
test_reset_returns_to_base(void)
{
    struct st_backoff b;

    st_backoff_init(&b, 100, 30000, false);
    for (int i = 0; i < 5; i++)
        (void)st_backoff_next_ms(&b);
    st_backoff_reset(&b);
    is_int(st_backoff_next_ms(&b), 100, "reset: 100 ms again");
}

static void
test_jitter_stays_within_half_to_full(void)
{
    struct st_backoff b;
    int inside = 1, varied = 0;
    int64_t first = -1;

    for (int round = 0; round < 200; round++) {
        st_backoff_init(&b, 1000, 1000, true);
        b.rng += (uint64_t)round * 7919;
        int64_t d = st_backoff_next_ms(&b);
        if (d < 500 || d > 1000)
            inside = 0;
        if (first == -1)
            first = d;
        else if (d != first)
            varied = 1;
    }
    ok(inside, "jittered delay within [base/2, base]");
    ok(varied, "jitter varies the delay");
}

int
main(void)
{
    test_restart_schedule_doubles_from_100ms();
    test_delay_stops_growing_at_30s();
    test_reset_returns_to_base();
    test_jitter_stays_within_half_to_full();
    return done_testing();
}
