/* t_proc_stat.c -- /proc/PID/stat and /proc/PID/limits parsing; this process read live. */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "proc_stat.h"
#include "tap.h"

static void
test_stat_line(void)
{
    /* utime 150 stime 50 (fields 14, 15), rss 321 (field 24) */
    const char *line = "1234 (my prog) S 1 1234 1234 0 -1 4194560 100 0 0 0 150 50 0 0 20 0 1 0"
        " 12345 1000000 321 18446744073709551615\n";
    unsigned long ticks = 0;
    long rss = 0;

    is_int(proc_stat_parse(line, &ticks, &rss), 0, "stat line parsed");
    is_int(ticks, 200, "utime + stime");
    is_int(rss, 321, "rss pages");
}

static void
test_stat_comm_with_paren(void)
{
    const char *line = "7 (a) b) (c) R 1 7 7 0 -1 0 0 0 0 0 7 3 0 0 20 0 1 0 1 2 9\n";
    unsigned long ticks = 0;
    long rss = 0;

    is_int(proc_stat_parse(line, &ticks, &rss), 0, "comm holding ') (' parsed");
    is_int(ticks, 10, "fields counted from the last ')'");
    is_int(rss, 9, "rss after it");
}

static void
test_stat_malformed(void)
{
    unsigned long ticks;
    long rss;

    is_int(proc_stat_parse("", &ticks, &rss), -1, "empty line");
    is_int(proc_stat_parse("12 (x", &ticks, &rss), -1, "no closing paren");
    is_int(proc_stat_parse("12 (x) S 1 2 3", &ticks, &rss), -1, "too few fields");
}

static void
test_limits_lines(void)
{
    ok(proc_limits_cpu_hard("Max cpu time              unlimited            unlimited"
        "            seconds\n") == 0, "unlimited is 0");
    ok(proc_limits_cpu_hard("Max cpu time              1                    2"
        "                    seconds\n") == 2, "hard limit read");
    ok(proc_limits_cpu_hard("Max open files            1024                 4096"
        "                 files\n") == -1, "another row is -1");
}

static void
test_self(void)
{
    int64_t rss = -1;
    double cpu = proc_stat_cpu(getpid(), &rss);

    ok(cpu >= 0, "own cpu seconds read");
    ok(rss > 0, "own rss read");
    ok(proc_stat_cpu(0x7ffffff0, NULL) == -1, "absent pid: -1");
    ok(!proc_stat_cpu_limit_hit(getpid()), "no cpu limit hit here");
}

int
main(void)
{
    test_stat_line();
    test_stat_comm_with_paren();
    test_stat_malformed();
    test_limits_lines();
    test_self();
    return done_testing();
}
