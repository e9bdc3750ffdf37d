/* t_output.c -- exec output: line cutting (split at a UTF-8 boundary) and the UTF-8
   cleaner that every record goes through. */
#include "config.h"

#include <stdint.h>
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

#define R "\xEF\xBF\xBD"

/* Each class of RFC 3629's table: the first and last valid second byte, and the bytes
   just outside it. */
static void
test_clean_classes(void)
{
    is_str(clean("\xC0\x80", 2), R R, "C0 (overlong 2-byte) replaced");
    is_str(clean("\xC1\xBF", 2), R R, "C1 (overlong 2-byte) replaced");
    is_str(clean("\xC2\x80", 2), "\xC2\x80", "C2 80 (U+0080) kept");
    is_str(clean("\xDF\xBF", 2), "\xDF\xBF", "DF BF (U+07FF) kept");
    is_str(clean("\xE0\x80\x80", 3), R R R, "E0 80 (overlong 3-byte) replaced");
    is_str(clean("\xE0\x9F\xBF", 3), R R R, "E0 9F (overlong 3-byte) replaced");
    is_str(clean("\xE0\xA0\x80", 3), "\xE0\xA0\x80", "E0 A0 80 (U+0800) kept");
    is_str(clean("\xED\x9F\xBF", 3), "\xED\x9F\xBF", "ED 9F BF (U+D7FF) kept");
    is_str(clean("\xED\xA0\x80", 3), R R R, "ED A0 80 (surrogate U+D800) replaced");
    is_str(clean("\xED\xBF\xBF", 3), R R R, "ED BF BF (surrogate U+DFFF) replaced");
    is_str(clean("\xEE\x80\x80", 3), "\xEE\x80\x80", "EE 80 80 (U+E000) kept");
    is_str(clean("\xEF\xBF\xBF", 3), "\xEF\xBF\xBF", "EF BF BF (U+FFFF) kept");
    is_str(clean("\xF0\x80\x80\x80", 4), R R R R, "F0 80 (overlong 4-byte) replaced");
    is_str(clean("\xF0\x8F\xBF\xBF", 4), R R R R, "F0 8F (overlong 4-byte) replaced");
    is_str(clean("\xF0\x90\x80\x80", 4), "\xF0\x90\x80\x80", "F0 90 80 80 (U+10000) kept");
    is_str(clean("\xF3\xBF\xBF\xBF", 4), "\xF3\xBF\xBF\xBF", "F3 BF BF BF kept");
    is_str(clean("\xF4\x8F\xBF\xBF", 4), "\xF4\x8F\xBF\xBF", "F4 8F BF BF (U+10FFFF) kept");
    is_str(clean("\xF4\x90\x80\x80", 4), R R R R, "F4 90 (above U+10FFFF) replaced");
    is_str(clean("\xF5\x80\x80\x80", 4), R R R R, "F5 lead replaced");
    is_str(clean("\xF7\xBF\xBF\xBF", 4), R R R R, "F7 lead replaced");
    is_str(clean("\xF8\x88\x80\x80\x80", 5), R R R R R, "F8 (5-byte form) replaced");
    is_str(clean("\x80", 1), R, "stray continuation replaced");
    is_str(clean("\xE2\x82" "a", 3), R R "a", "cut 3-byte sequence: the next byte is kept");
    is_str(clean("\xF0\x9F\x98", 3), R R R, "4-byte sequence missing its last byte");
}

/* An independent strict decoder: code points, shortest form, no surrogates, <= 10FFFF. */
static bool
strict_utf8(const unsigned char *s, size_t len)
{
    size_t i = 0;

    while (i < len) {
        unsigned c = s[i], n, cp;

        if (c == 0)
            return false;
        n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (n == 0 || i + n > len)
            return false;
        cp = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
        for (unsigned k = 1; k < n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000)
            || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += n;
    }
    return true;
}

static size_t random_records, random_bad;

static void
check_record(void *arg, const char *line, size_t len, bool truncated)
{
    struct st_buf b = ST_BUF_INIT;

    (void)arg;
    (void)truncated;
    output_utf8_clean(&b, line, len);
    random_records++;
    if (!strict_utf8((const unsigned char *)b.data, b.len))
        random_bad++;
    st_buf_free(&b);
}

/* 1 MiB of random bytes (a fixed xorshift seed), fed in 8 KiB reads as the pipe would
   give them, lines cut at the real limit: every record decodes strictly. */
static void
test_random_megabyte(void)
{
    struct st_buf acc = ST_BUF_INIT;
    uint64_t x = 0x9E3779B97F4A7C15ULL;
    char chunk[8192];
    bool split = false;

    for (int r = 0; r < 128; r++) {
        for (size_t i = 0; i < sizeof(chunk); i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            chunk[i] = (char)(x >> 24);
        }
        st_buf_append(&acc, chunk, sizeof(chunk));
        output_lines(&acc, &split, false, OUTPUT_LINE_MAX, check_record, NULL);
    }
    output_lines(&acc, &split, true, OUTPUT_LINE_MAX, check_record, NULL);
    ok(random_records > 1000, "1 MiB of random bytes made many records");
    is_int(random_bad, 0, "every record is strict UTF-8");
    ok(strict_utf8((const unsigned char *)"\xF4\x8F\xBF\xBF", 4)
        && !strict_utf8((const unsigned char *)"\xED\xA0\x80", 3), "the checker itself is strict");
    st_buf_free(&acc);
}

int
main(void)
{
    test_lines();
    test_long_line_split();
    test_clean_basic();
    test_clean_classes();
    test_random_megabyte();
    return done_testing();
}
