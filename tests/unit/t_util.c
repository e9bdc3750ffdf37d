/* t_util.c -- sizes, buffers, UTF-8 cutting, error prefixes. */
#include "config.h"

#include "tap.h"
#include "util.h"

static void
test_sizes_take_suffixes(void)
{
    is_int(st_parse_size("1024"), 1024, "plain number is bytes");
    is_int(st_parse_size("256M"), 256LL * 1024 * 1024, "256M");
    is_int(st_parse_size("1G"), 1024LL * 1024 * 1024, "1G");
    is_int(st_parse_size("512k"), 512 * 1024, "512k");
    is_int(st_parse_size("64MB"), 64LL * 1024 * 1024, "64MB reads as 64M");
}

static void
test_bad_sizes_are_refused(void)
{
    is_int(st_parse_size("256Q"), -1, "256Q refused");
    is_int(st_parse_size(""), -1, "empty refused");
    is_int(st_parse_size("-1M"), -1, "negative refused");
    is_int(st_parse_size("99999999999999999999"), -1, "overflow refused");
    is_int(st_parse_size("9999999999999T"), -1, "overflow with suffix refused");
}

static void
test_buf_grows_and_steals(void)
{
    struct st_buf b = ST_BUF_INIT;
    char *s;

    for (int i = 0; i < 1000; i++)
        st_buf_printf(&b, "%d,", i % 10);
    is_int(b.len, 2000, "1000 appends of 2 bytes");
    s = st_buf_steal(&b);
    is_int(strlen(s), 2000, "stolen string is NUL-terminated");
    ok(b.data == NULL && b.len == 0, "buffer is empty after steal");
    free(s);
}

static void
test_steal_of_an_unwritten_buffer_is_empty_string(void)
{
    struct st_buf b = ST_BUF_INIT;
    char *s;

    st_buf_printf(&b, "%s", "");
    s = st_buf_steal(&b);
    is_str(s, "", "an empty printf then steal gives \"\"");
    free(s);
    s = st_buf_steal(&b);
    is_str(s, "", "steal of a never-written buffer gives \"\"");
    free(s);
}

static void
test_utf8_cut_keeps_characters_whole(void)
{
    const char *s = "ab\xc3\xa9" "cd";        /* "abécd": é is 2 bytes at offset 2 */

    is_int(st_utf8_cut(s, 6, 3), 2, "cut inside é steps back before it");
    is_int(st_utf8_cut(s, 6, 4), 4, "cut after é keeps it");
    is_int(st_utf8_cut(s, 6, 10), 6, "short string unchanged");
}

static void
test_error_prefix(void)
{
    struct st_error err = ST_ERROR_INIT;

    st_error_set(&err, "connection refused");
    st_error_prefix(&err, "connect %s", "db");
    is_str(err.msg, "connect db: connection refused", "prefix joins with ': '");
}

int
main(void)
{
    test_sizes_take_suffixes();
    test_bad_sizes_are_refused();
    test_buf_grows_and_steals();
    test_steal_of_an_unwritten_buffer_is_empty_string();
    test_utf8_cut_keeps_characters_whole();
    test_error_prefix();
    return done_testing();
}
