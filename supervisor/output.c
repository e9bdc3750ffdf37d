/*
 * output.c -- exec output capture: reads the program's output pipe (bounded per wakeup),
 * cuts lines, cleans them to UTF-8 and logs one record per line with the instance's
 * name and pid. Does not own the pipe's lifetime (instance.c opens the event and
 * closes the fd, draining once more before it does).
 * Tests: tests/unit/t_output.c, tests/integration/t_sup_logs.sh
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "log.h"
#include "output.h"
#include "proc.h"

/* Append s (len bytes) to b as valid UTF-8 without NUL: bad bytes become U+FFFD. */
void
output_utf8_clean(struct st_buf *b, const char *s, size_t len)
{
    size_t i = 0;

    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        bool good = n > 0 && i + n <= len && c != 0;

        for (size_t k = 1; good && k < n; k++)
            good = ((unsigned char)s[i + k] & 0xC0) == 0x80;
        if (good && n == 2 && c < 0xC2)
            good = false;               /* overlong */
        if (good) {
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
