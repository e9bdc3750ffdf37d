/*
 * proc_stat.c -- /proc readers for one process: CPU seconds and RSS from
 * /proc/PID/stat, the hard CPU limit from /proc/PID/limits. Owns the parsing only;
 * the cgroup figures come from common/cgroup.c, their use from instance.c / sup_ctl.c.
 * Tests: tests/unit/t_proc_stat.c (parsers, this process), t_sup_limits.sh (cpu-limit)
 */
#include "config.h"
#include "proc_stat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


int
proc_stat_parse(const char *line, unsigned long *ticks, long *rss_pages)
{
    const char *p = strrchr(line, ')');
    unsigned long utime, stime;
    long rss;

    /* fields after "(comm)": state ppid ... utime(14) stime(15) ... rss(24) */
    if (p == NULL || p[1] != ' ' || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u"
            " %lu %lu %*d %*d %*d %*d %*d %*d %*u %*u %ld", &utime, &stime, &rss) != 3)
        return -1;
    *ticks = utime + stime;
    *rss_pages = rss;
    return 0;
}

double
proc_limits_cpu_hard(const char *line)
{
    char soft[32], hard[32];

    if (strncmp(line, "Max cpu time", 12) != 0 || sscanf(line + 12, "%31s %31s", soft, hard) != 2)
        return -1;
    if (strcmp(hard, "unlimited") == 0)
        return 0;
    return strtod(hard, NULL);
}

double
proc_stat_cpu(pid_t pid, int64_t *rss_bytes)
{
    char path[64], buf[1024];
    unsigned long ticks;
    long rss;
    double cpu = -1;
    FILE *f;

    (void)snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    if ((f = fopen(path, "re")) == NULL)
        return -1;
    if (fgets(buf, sizeof(buf), f) != NULL && proc_stat_parse(buf, &ticks, &rss) == 0) {
        cpu = (double)ticks / (double)sysconf(_SC_CLK_TCK);
        if (rss_bytes != NULL)
            *rss_bytes = (int64_t)rss * sysconf(_SC_PAGESIZE);
    }
    fclose(f);
    return cpu;
}

/*
 * The kernel SIGKILLs at the hard RLIMIT_CPU (SIGXCPU comes only at a lower soft limit),
 * and `ulimit -t` or systemd's LimitCPU= set both alike, so the signal alone cannot tell.
 * The kernel counts tick samples, which run ahead of the precise time /proc shows (0.91 s
 * at a 1 s limit on a busy host): a finite hard limit and at least half of it used is
 * taken as the cause.
 */
bool
proc_stat_cpu_limit_hit(pid_t pid)
{
    char path[64], line[256];
    double limit = -1;
    FILE *f;

    (void)snprintf(path, sizeof(path), "/proc/%d/limits", (int)pid);
    if ((f = fopen(path, "re")) == NULL)
        return false;
    while (fgets(line, sizeof(line), f) != NULL)
        if ((limit = proc_limits_cpu_hard(line)) != -1)
            break;
    fclose(f);
    return limit > 0 && proc_stat_cpu(pid, NULL) >= limit / 2;
}
