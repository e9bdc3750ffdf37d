/* t_uuid7.c -- version/variant bits, embedded time, monotonic order, text round trip. */
#include "config.h"

#include <string.h>
#include <sys/time.h>

#include "tap.h"
#include "uuid7.h"

static int64_t
wall_ms(void)
{
    struct timeval tv;

    gettimeofday(&tv, NULL);
    return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static void
test_version_and_variant_bits(void)
{
    struct st_error err = ST_ERROR_INIT;
    uint8_t id[UUID7_LEN];

    ok(uuid7_new(id, &err) == 0, "uuid7_new succeeds");
    is_int(uuid7_version(id), 7, "version nibble is 7");
    is_int(id[8] >> 6, 2, "variant bits are 10");
}

static void
test_time_field_is_now(void)
{
    struct st_error err = ST_ERROR_INIT;
    uint8_t id[UUID7_LEN];
    int64_t before = wall_ms(), after, t;

    (void)uuid7_new(id, &err);
    after = wall_ms();
    t = uuid7_time_ms(id);
    ok(t >= before - 1 && t <= after + 50, "embedded time is the wall clock in ms");
}

static void
test_100k_ids_strictly_increase(void)
{
    struct st_error err = ST_ERROR_INIT;
    uint8_t prev[UUID7_LEN], cur[UUID7_LEN];
    int bad = 0, fails = 0;

    (void)uuid7_new(prev, &err);
    for (int i = 0; i < 100000; i++) {
        if (uuid7_new(cur, &err) == -1)
            fails++;
        if (memcmp(prev, cur, UUID7_LEN) >= 0)
            bad++;
        memcpy(prev, cur, UUID7_LEN);
    }
    is_int(fails, 0, "100k ids generated");
    is_int(bad, 0, "each of 100k ids sorts after the previous one (bytewise)");
    ok(uuid7_time_ms(cur) <= wall_ms() + 100, "counter overflow advances time only slightly");
}

static void
test_text_sorts_like_bytes(void)
{
    struct st_error err = ST_ERROR_INIT;
    char a[UUID7_STRLEN], b[UUID7_STRLEN];

    (void)uuid7_new_str(a, &err);
    (void)uuid7_new_str(b, &err);
    ok(strcmp(a, b) < 0, "text of a later id sorts after an earlier one");
    is_int(strlen(a), 36, "text form has 36 characters");
    is_int(a[14], '7', "text form shows version 7");
}

static void
test_parse_format_roundtrip(void)
{
    struct st_error err = ST_ERROR_INIT;
    const char *text = "01a234fd-b0f1-73fa-a288-e0314ebc351d";
    uint8_t id[UUID7_LEN];
    char out[UUID7_STRLEN];

    ok(uuid7_parse(text, id, &err) == 0, "canonical text parses");
    uuid7_format(id, out);
    is_str(out, text, "format gives back the same text");
    is_int(uuid7_time_ms(id), 0x01a234fdb0f1LL, "time field read from parsed id");
    ok(uuid7_parse("01A234FD-B0F1-73FA-A288-E0314EBC351D", id, &err) == 0, "uppercase parses");
    uuid7_format(id, out);
    is_str(out, text, "format is lowercase");
}

static void
test_parse_rejects_garbage(void)
{
    struct st_error err = ST_ERROR_INIT;
    uint8_t id[UUID7_LEN];

    is_int(uuid7_parse("not-a-uuid", id, &err), -1, "garbage is rejected");
    is_str(err.msg, "not a UUID: \"not-a-uuid\"", "error names the text");
    is_int(uuid7_parse("01a234fd-b0f1-73fa-a288-e0314ebc351", id, &err), -1,
        "35 characters are rejected");
}

int
main(void)
{
    test_version_and_variant_bits();
    test_time_field_is_now();
    test_100k_ids_strictly_increase();
    test_text_sorts_like_bytes();
    test_parse_format_roundtrip();
    test_parse_rejects_garbage();
    return done_testing();
}
