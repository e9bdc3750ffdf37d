/* t_output.c -- exec output: line cutting (split at a UTF-8 boundary) and the UTF-8
   cleaner that every record goes through. */
#include "config.h"

#include <string.h>

#include "output.h"
#include "tap.h"

static char got[8192];

static void
collect(void *arg, const char *line, size_t len, bool truncated)
{
    size_t n = strlen(got);

    (void)arg;
    (void)snprintf(got + n, sizeof(got) - n, "[%.*s%s]", (int)len, line, truncated ? "|t" : "");
}

static void
feed(struct st_buf *acc, bool *split, const char *s, bool eof, size_t max)
{
    st_buf_append(acc, s, strlen(s));
    output_lines(acc, split, eof, max, collect, NULL);
}

static void
test_lines(void)
{
    struct st_buf acc = ST_BUF_INIT;
    bool split = false;

    got[0] = '\0';
    feed(&acc, &split, "one\ntw", false, 100);
    is_str(got, "[one]", "complete line out, partial kept");
    feed(&acc, &split, "o\nthree", false, 100);
    is_str(got, "[one][two]", "partial completed");
    feed(&acc, &split, "", true, 100);
    is_str(got, "[one][two][three]", "rest at eof");
    is_int(acc.len, 0, "nothing left");
    st_buf_free(&acc);
}

static void
test_long_line_split(void)
{
    struct st_buf acc = ST_BUF_INIT;
    bool split = false;

    got[0] = '\0';
    feed(&acc, &split, "abcdefghij\nxy\n", false, 4);
    is_str(got, "[abcd|t][efgh|t][ij|t][xy]", "split pieces marked, next line not");
    st_buf_free(&acc);
    got[0] = '\0';
    /* "aa" then U+00E9 (2 bytes): a cut at 3 would halve it */
    feed(&acc, &split, "aa\xC3\xA9zz\n", false, 3);
    is_str(got, "[aa|t][\xC3\xA9z|t][z|t]", "cut before a multibyte character");
    st_buf_free(&acc);
}

static const char *
clean(const char *s, size_t len)
{
    static struct st_buf b;

    st_buf_reset(&b);
    output_utf8_clean(&b, s, len);
    st_buf_putc(&b, '\0');
    return b.data;
}

static void
test_clean_basic(void)
{
    is_str(clean("plain", 5), "plain", "ascii kept");
    is_str(clean("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80", 9), "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80",
        "2, 3 and 4 byte characters kept");
    is_str(clean("a\0b", 3), "a\xEF\xBF\xBD" "b", "NUL replaced");
    is_str(clean("\xFF", 1), "\xEF\xBF\xBD", "FF replaced");
    is_str(clean("\xC3", 1), "\xEF\xBF\xBD", "truncated sequence replaced");
}

int
main(void)
{
    test_lines();
    test_long_line_split();
    test_clean_basic();
    return done_testing();
}
