/*
 * cg_workload.c -- child workloads for tests/integration/t_cgroup_v1: a program the test
 * execs inside a cgroup, the way the supervisor runs an `exec` worker.
 *
 *   cg_workload alloc MIB      allocate and touch MIB MiB, then exit 0
 *   cg_workload spin SECONDS   burn CPU until SECONDS of wall time have passed, exit 0
 *   cg_workload daemon         double-fork a setsid() grandchild that sleeps forever,
 *                              print its pid on stdout, exit 0 (a daemonizing program)
 * Exit 2 on usage errors, 1 on a failed system call.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

static int
workload_alloc(long mib)
{
    size_t len = (size_t)mib << 20;
    volatile char *p = malloc(len);

    if (p == NULL)
        return 1;
    for (size_t i = 0; i < len; i += 4096)
        p[i] = (char)i;
    return 0;
}

static double
workload_now(void)
{
    struct timespec ts;

    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
workload_spin(double seconds)
{
    double end = workload_now() + seconds;
    volatile unsigned long x = 0;

    while (workload_now() < end)
        for (int i = 0; i < 100000; i++)
            x += (unsigned long)i;
    return 0;
}

static int
workload_daemon(void)
{
    pid_t mid, gc;
    int status, fd;

    if ((mid = fork()) == -1)
        return 1;
    if (mid == 0) {
        if (setsid() == -1 || (gc = fork()) == -1)
            _exit(1);
        if (gc == 0) {
            if ((fd = open("/dev/null", O_RDWR | O_CLOEXEC)) != -1) {
                (void)dup2(fd, STDOUT_FILENO);
                (void)dup2(fd, STDIN_FILENO);
            }
            for (;;)
                pause();
        }
        printf("%ld\n", (long)gc);
        fflush(stdout);
        _exit(0);
    }
    if (waitpid(mid, &status, 0) != mid || !WIFEXITED(status))
        return 1;
    return WEXITSTATUS(status);
}

int
main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "alloc") == 0)
        return workload_alloc(atol(argv[2]));
    if (argc == 3 && strcmp(argv[1], "spin") == 0)
        return workload_spin(atof(argv[2]));
    if (argc == 2 && strcmp(argv[1], "daemon") == 0)
        return workload_daemon();
    fprintf(stderr, "usage: cg_workload alloc MIB | spin SECONDS | daemon\n");
    return 2;
}
