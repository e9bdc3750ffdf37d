/*
 * proc_stat.h -- what the supervisor reads from /proc about one process: CPU time and
 * RSS (/proc/PID/stat), the hard RLIMIT_CPU (/proc/PID/limits). The parsers are pure.
 * Supervisor-private (supervisor/ only).
 */
#ifndef STEWARD_PROC_STAT_H
#define STEWARD_PROC_STAT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* One /proc/PID/stat line: utime + stime in clock ticks and rss in pages. The command
   name may hold spaces and ')' (the last ')' ends it). Returns 0, or -1 when malformed. */
int proc_stat_parse(const char *line, unsigned long *ticks, long *rss_pages);
/* One /proc/PID/limits line: the hard "Max cpu time" in seconds; 0 when unlimited;
   -1 when the line is not that row. */
double proc_limits_cpu_hard(const char *line);

/* CPU seconds of pid, -1 when unreadable; rss_bytes (may be NULL) its resident memory.
   A zombie not yet reaped still shows its times. */
double proc_stat_cpu(pid_t pid, int64_t *rss_bytes);
/* Was pid, a zombie not yet reaped, killed at its hard RLIMIT_CPU? */
bool proc_stat_cpu_limit_hit(pid_t pid);

#endif
