/*
 * output.c -- exec output capture: reads the program's output pipe (bounded per wakeup),
 * cuts lines, cleans them to UTF-8 and logs one record per line with the instance's
 * name and pid. Does not own the pipe's lifetime (instance.c opens the event and
 * closes the fd, draining once more before it does).
 * Tests: tests/unit/t_output.c, tests/integration/t_sup_logs.sh
 */
#include "config.h"
#include "output.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "log.h"
#include "proc.h"

/*
 * Length of the well-formed UTF-8 character at s (RFC 3629 section 4, the table of
 * second-byte ranges per lead byte), 0 when the bytes there do not form one. NUL is
 * refused too (records are C strings).
 *   00..7F                     1 byte (not 00)
 *   C2..DF 80..BF              (C0, C1: overlong)
 *   E0 A0..BF 80..BF           (E0 80..9F: overlong)
 *   E1..EC 80..BF 80..BF
 *   ED 80..9F 80..BF           (ED A0..BF: surrogates)
 *   EE..EF 80..BF 80..BF
 *   F0 90..BF 80..BF 80..BF    (F0 80..8F: overlong)
 *   F1..F3 80..BF 80..BF 80..BF
 *   F4 80..8F 80..BF 80..BF    (F4 90..: above U+10FFFF; F5..FF never)
 */
static size_t
output_utf8_len(const unsigned char *s, size_t len)
{
    unsigned char c = s[0], lo = 0x80, hi = 0xBF;
    size_t n;

    if (c >= 0x01 && c <= 0x7F)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4;
    else
        return 0;
    if (c == 0xE0)
        lo = 0xA0;
    else if (c == 0xED)
        hi = 0x9F;
    else if (c == 0xF0)
        lo = 0x90;
    else if (c == 0xF4)
        hi = 0x8F;
    if (len < n || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t k = 2; k < n; k++)
        if ((s[k] & 0xC0) != 0x80)
            return 0;
    return n;
}

/* Each byte that does not start a well-formed character becomes one U+FFFD (so an
   ill-formed 3-byte sequence yields up to three); the bytes after it are looked at
   afresh. The output always decodes as strict UTF-8. */
void
output_utf8_clean(struct st_buf *b, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        size_t n = output_utf8_len(u + i, len - i);

        if (n > 0) {
            st_buf_append(b, s + i, n);
            i += n;
        } else {
            st_buf_puts(b, "\xEF\xBF\xBD");
            i++;
        }
    }
}

void
output_lines(struct st_buf *acc, bool *split, bool eof, size_t max, output_emit_fn *emit,
    void *arg)
{
    size_t start = 0;

    while (start < acc->len) {
        const char *p = acc->data + start;
        size_t avail = acc->len - start;
        const char *nl = memchr(p, '\n', avail);
        size_t len = nl ? (size_t)(nl - p) : avail;

        if (len > max) {
            size_t cut = st_utf8_cut(p, len, max);
            if (cut == 0)
                cut = max;
            emit(arg, p, cut, true);
            *split = true;
            start += cut;
            continue;
        }
        if (nl == NULL && !eof)
            break;
        emit(arg, p, len, *split);
        *split = false;
        start += len + (nl != NULL);
    }
    if (start == 0)
        return;
    memmove(acc->data, acc->data + start, acc->len - start);
    acc->len -= start;
}

/* One output record: the program's line as msg, with the instance's name and pid. */
static void
output_record(void *arg, const char *line, size_t len, bool truncated)
{
    struct instance *in = arg;
    struct st_buf b = ST_BUF_INIT;

    if (len > 0 && line[len - 1] == '\r')
        len--;
    output_utf8_clean(&b, line, len);
    st_buf_putc(&b, '\0');
    if (truncated)
        log_info(b.data, LF_STR("worker", in->name), LF_INT("pid", in->pid),
            LF_BOOL("truncated", true));
    else
        log_info(b.data, LF_STR("worker", in->name), LF_INT("pid", in->pid));
    st_buf_free(&b);
}

void
output_on_readable(evutil_socket_t fd, short what, void *arg)
{
    struct instance *in = arg;
    char chunk[8192];
    ssize_t n = 0;
    int rounds = 0;

    (void)what;
    /* A bounded number of reads per wakeup: a chatty program cannot starve the loop. */
    while (rounds++ < 16 && (n = read(fd, chunk, sizeof(chunk))) > 0) {
        st_buf_append(&in->out, chunk, (size_t)n);
        output_lines(&in->out, &in->out_split, false, OUTPUT_LINE_MAX, output_record, in);
    }
    if (rounds <= 16 && (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR))) {
        output_lines(&in->out, &in->out_split, true, OUTPUT_LINE_MAX, output_record, in);
        if (in->ev_out != NULL)
            (void)event_del(in->ev_out);
    }
}
