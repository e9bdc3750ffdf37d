/*
 * uuid7.c -- RFC 9562 UUID version 7 generation; libuuid for text form.
 * Owns the per-process monotonic state (last timestamp and 12-bit counter: a
 * documented module static, not thread-safe; steward's processes are single-threaded).
 * Random bits come from getrandom() on every call, so a forked child never repeats
 * its parent's ids. Leaves the SQL default (ops.uuid_generate_v7) to sql/platform.
 * Tests: tests/unit/t_uuid7.c
 */
#include "config.h"
#include "uuid7.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include <uuid/uuid.h>

#define UUID7_COUNTER_MAX 0xfff

static int64_t uuid7_last_ms = -1;     /* timestamp of the previous id */
static unsigned uuid7_counter;         /* rand_a of the previous id */

static int
uuid7_random(void *buf, size_t len, struct st_error *err)
{
    uint8_t *p = buf;
    size_t got = 0;

    while (got < len) {
        ssize_t n = getrandom(p + got, len - got, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            st_error_set(err, "getrandom: %s", strerror(errno));
            return -1;
        }
        got += (size_t)n;
    }
    return 0;
}

static int64_t
uuid7_now_ms(void)
{
    struct timespec ts;

    (void)clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Pick (ms, counter) for the next id: a new millisecond starts the counter at a random
 * value below 0x800 (room to count up); the same millisecond, or a clock that stepped
 * back, increments it; overflow borrows the next millisecond.
 */
static void
uuid7_next_stamp(uint16_t seed, int64_t *ms_out, unsigned *counter_out)
{
    int64_t now = uuid7_now_ms();

    if (now > uuid7_last_ms) {
        uuid7_last_ms = now;
        uuid7_counter = seed & 0x7ff;
    } else if (uuid7_counter < UUID7_COUNTER_MAX) {
        uuid7_counter++;
    } else {
        uuid7_last_ms++;
        uuid7_counter = seed & 0x7ff;
    }
    *ms_out = uuid7_last_ms;
    *counter_out = uuid7_counter;
}

/* See uuid7.h. */
int
uuid7_new(uint8_t out[UUID7_LEN], struct st_error *err)
{
    uint8_t rnd[10];
    int64_t ms;
    unsigned counter;

    if (uuid7_random(rnd, sizeof(rnd), err) == -1)
        return -1;
    uuid7_next_stamp((uint16_t)(rnd[0] << 8 | rnd[1]), &ms, &counter);
    for (int i = 0; i < 6; i++)
        out[i] = (uint8_t)((uint64_t)ms >> (40 - 8 * i));
    out[6] = (uint8_t)(0x70 | (counter >> 8));
    out[7] = (uint8_t)(counter & 0xff);
    out[8] = (uint8_t)(0x80 | (rnd[2] & 0x3f));
    memcpy(out + 9, rnd + 3, 7);
    return 0;
}

/* See uuid7.h. */
int
uuid7_new_str(char out[UUID7_STRLEN], struct st_error *err)
{
    uint8_t id[UUID7_LEN];

    if (uuid7_new(id, err) == -1)
        return -1;
    uuid7_format(id, out);
    return 0;
}

/* See uuid7.h. */
void
uuid7_format(const uint8_t id[UUID7_LEN], char out[UUID7_STRLEN])
{
    uuid_unparse_lower(id, out);
}

/* See uuid7.h. */
int
uuid7_parse(const char *s, uint8_t out[UUID7_LEN], struct st_error *err)
{
    uuid_t u;

    if (s == NULL || uuid_parse(s, u) != 0) {
        st_error_set(err, "not a UUID: \"%.40s\"", s != NULL ? s : "(null)");
        return -1;
    }
    memcpy(out, u, UUID7_LEN);
    return 0;
}

/* See uuid7.h. */
int
uuid7_version(const uint8_t id[UUID7_LEN])
{
    return id[6] >> 4;
}

/* See uuid7.h. */
int64_t
uuid7_time_ms(const uint8_t id[UUID7_LEN])
{
    int64_t ms = 0;

    for (int i = 0; i < 6; i++)
        ms = ms << 8 | id[i];
    return ms;
}
