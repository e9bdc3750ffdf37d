/* t_cgroup.c -- cgroup detection, limits, attach, usage, kill and removal on fake trees. */
#include "config.h"

#include "cgroup.h"
#include "tap.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const struct cfg_limits lim_set = { 268435456, 0.5, 64, 0 };
static const struct cfg_limits lim_none = { 0, 0, 0, 0 };

static void
put(const char *dir, const char *file, const char *text)
{
    char path[4096];
    FILE *f;

    (void)snprintf(path, sizeof(path), "%s/%s", dir, file);
    if ((f = fopen(path, "we")) == NULL) {
        diag("cannot write %s: %s", path, strerror(errno));
        exit(1);
    }
    fputs(text, f);
    fclose(f);
}

/* Contents of dir/file without trailing newline; "(missing)" when absent. */
static const char *
get(const char *dir, const char *file)
{
    static char buf[4096];
    char path[4096];
    ssize_t n;
    int fd;

    (void)snprintf(path, sizeof(path), "%s/%s", dir, file);
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
        return "(missing)";
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    buf[n > 0 ? n : 0] = '\0';
    while (n > 0 && buf[n - 1] == '\n')
        buf[--n] = '\0';
    return buf;
}

static bool
is_dir(const char *dir, const char *sub)
{
    char path[4096];
    struct stat st;

    (void)snprintf(path, sizeof(path), "%s/%s", dir, sub);
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void
mkdir_in(const char *dir, const char *sub)
{
    char path[4096];

    (void)snprintf(path, sizeof(path), "%s/%s", dir, sub);
    if (mkdir(path, 0755) == -1) {
        diag("mkdir %s: %s", path, strerror(errno));
        exit(1);
    }
}

/* Number of entries below dir, recursively (to prove "creates nothing"). */
static int
count_tree(const char *dir)
{
    char path[4096];
    struct dirent *de;
    int n = 0;
    DIR *d;

    if ((d = opendir(dir)) == NULL)
        return 0;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        n++;
        if (de->d_type == DT_DIR) {
            (void)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
            n += count_tree(path);
        }
    }
    closedir(d);
    return n;
}

static void
rm_tree_in(const char *dir)
{
    char path[4096];
    struct dirent *de;
    DIR *d;

    if ((d = opendir(dir)) == NULL)
        return;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        (void)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        if (de->d_type == DT_DIR)
            rm_tree_in(path);
        else
            (void)unlink(path);
    }
    closedir(d);
    (void)rmdir(dir);
}

static void
rm_tree(char *root)
{
    rm_tree_in(root);
    free(root);
}

/* A fresh private directory; rm_tree removes and frees it. */
static char *
fake_root(void)
{
    char *tmpl = strdup("/tmp/t_cgroup.XXXXXX");

    if (tmpl == NULL || mkdtemp(tmpl) == NULL) {
        diag("mkdtemp: %s", strerror(errno));
        exit(1);
    }
    return tmpl;
}

/* A v2 tree as the kernel shows it to a process in the root group. */
static char *
fake_v2(void)
{
    char *root = fake_root();

    put(root, "cgroup.controllers", "cpu memory pids\n");
    put(root, "cgroup.subtree_control", "");
    put(root, "cgroup.procs", "");
    return root;
}

/* A v1 tree: memory, cpu,cpuacct (co-mounted, with a "cpu" symlink) and pids. */
static char *
fake_v1(void)
{
    char *root = fake_root();
    char path[4096];

    mkdir_in(root, "memory");
    mkdir_in(root, "cpu,cpuacct");
    mkdir_in(root, "pids");
    mkdir_in(root, "freezer");
    (void)snprintf(path, sizeof(path), "%s/cpu", root);
    if (symlink("cpu,cpuacct", path) == -1)
        diag("symlink: %s", strerror(errno));
    return root;
}

static void
test_v2_detection_picks_v2_and_delegates(void)
{
    struct st_error err = ST_ERROR_INIT;
    char *root = fake_v2(), parent[4096];
    struct cg_system *sys = cg_detect(root, "steward-test", &err);

    (void)snprintf(parent, sizeof(parent), "%s/steward-test", root);
    is_int(cg_mechanism(sys), CG_V2, "v2: cgroup.controllers with memory/cpu/pids -> v2");
    is_str(cg_mechanism_name(cg_mechanism(sys)), "cgroup-v2", "v2: mechanism name");
    like(cg_system_reason(sys), "cgroup v2: memory,cpu,pids writable under ", "v2: reason");
    like(cg_system_reason(sys), parent, "v2: reason names the parent group");
    ok(is_dir(root, "steward-test"), "v2: parent group created");
    is_str(get(root, "cgroup.subtree_control"), "+memory +cpu +pids",
        "v2: controllers enabled in own subtree_control");
    is_str(get(parent, "cgroup.subtree_control"), "+memory +cpu +pids",
        "v2: controllers enabled in the parent's subtree_control");
    ok(!is_dir(root, "supervisor"), "v2: in the root group no leaf is needed");
    cg_system_free(sys);
    ok(!is_dir(root, "steward-test"), "v2: cg_system_free removes the parent group");
    rm_tree(root);
}

static void
test_v2_limits_are_written(void)
{
    struct st_error err = ST_ERROR_INIT;
    char *root = fake_v2();
    struct cg_system *sys = cg_detect(root, "s", &err);
    struct cg_group *g = cg_group_new(sys, "transform.2", &lim_set, &err);
    char dir[4096];

    (void)snprintf(dir, sizeof(dir), "%s/s/transform.2", root);
    ok(g != NULL, "v2: group created");
    is_str(cg_group_path(g), dir, "v2: group path <own>/<name>/<instance>");
    is_str(get(dir, "memory.max"), "268435456", "v2: memory.max for 256M");
    is_str(get(dir, "cpu.max"), "50000 100000", "v2: cpu.max for cpu 0.5");
    is_str(get(dir, "pids.max"), "64", "v2: pids.max");
    cg_group_free(g);
    ok(!is_dir(root, "s/transform.2"), "v2: cg_group_free removes the group");
    cg_system_free(sys);
    rm_tree(root);
}

static void
test_v2_unset_limits_are_max(void)
{
    struct st_error err = ST_ERROR_INIT;
    char *root = fake_v2();
    struct cg_system *sys = cg_detect(root, "s", &err);
    struct cg_group *g = cg_group_new(sys, "x", &lim_none, &err);
    const char *dir = cg_group_path(g);

    is_str(get(dir, "memory.max"), "max", "v2 unset: memory.max max");
    is_str(get(dir, "cpu.max"), "max 100000", "v2 unset: cpu.max max");
    is_str(get(dir, "pids.max"), "max", "v2 unset: pids.max max");
    cg_group_free(g);
    cg_system_free(sys);
    rm_tree(root);
}

static void
test_v2_set_limits_rewrites_in_place(void)
{
    struct st_error err = ST_ERROR_INIT;
    struct cfg_limits next = { 1 << 30, 2.0, 0, 0 };
    char *root = fake_v2();
    struct cg_system *sys = cg_detect(root, "s", &err);
    struct cg_group *g = cg_group_new(sys, "x", &lim_set, &err);
    const char *dir = cg_group_path(g);

    is_int(cg_group_set_limits(g, &next, &err), 0, "v2: set_limits succeeds");
    is_str(get(dir, "memory.max"), "1073741824", "v2: memory.max rewritten");
    is_str(get(dir, "cpu.max"), "200000 100000", "v2: cpu.max rewritten (2 CPUs)");
    is_str(get(dir, "pids.max"), "max", "v2: pids.max back to max");
    cg_group_free(g);
    cg_system_free(sys);
    rm_tree(root);
}

static void
test_v2_swap_is_closed_when_the_file_exists(void)
{
    struct st_error err = ST_ERROR_INIT;
    char *root = fake_v2();
    struct cg_system *sys = cg_detect(root, "s", &err);
    struct cg_group *g;

    mkdir_in(root, "s/y");
    put(root, "s/y/memory.swap.max", "max\n");
    g = cg_group_new(sys, "y", &lim_set, &err);
    is_str(get(cg_group_path(g), "memory.swap.max"), "0", "v2: memory.swap.max 0 when limited");
    ok(access(cg_group_path(g), F_OK) == 0, "v2: an existing group is re-used");
    cg_group_free(g);
    g = cg_group_new(sys, "z", &lim_set, &err);
    is_str(get(cg_group_path(g), "memory.swap.max"), "(missing)",
        "v2: memory.swap.max not created where the kernel has none");
    cg_group_free(g);
    cg_system_free(sys);
    rm_tree(root);
}

static void
test_v2_attach_and_enter_write_cgroup_procs(void)
{
    struct st_error err = ST_ERROR_INIT;
    char *root = fake_v2();
    struct cg_system *sys = cg_detect(root, "s", &err);
    struct cg_group *g = cg_group_new(sys, "x", &lim_none, &err);

    is_int(cg_attach(g, 4242, &err), 0, "v2: attach succeeds");
    is_str(get(cg_group_path(g), "cgroup.procs"), "4242", "v2: attach writes the pid");
    is_int(cg_enter(g, &err), 0, "v2: enter succeeds");
    is_str(get(cg_group_path(g), "cgroup.procs"), "0", "v2: enter writes 0 (self)");
    cg_group_free(g);
    cg_system_free(sys);
    rm_tree(root);
}

static void
test_v2_usage_and_oom_kills_are_read(void)
{
    struct st_error err = ST_ERROR_INIT;
    char *root = fake_v2();
    struct cg_system *sys = cg_detect(root, "s", &err);
    struct cg_group *g = cg_group_new(sys, "x", &lim_set, &err);
    int64_t mem = 0;
    double cpu = 0;

    put(cg_group_path(g), "memory.current", "12345678\n");
    put(cg_group_path(g), "cpu.stat", "usage_usec 2500000\nuser_usec 2000000\n");
    put(cg_group_path(g), "memory.events", "low 0\nhigh 0\nmax 7\noom 2\noom_kill 1\n");
    is_int(cg_usage(g, &mem, &cpu), 0, "v2: usage known");
    is_int(mem, 12345678, "v2: memory from memory.current");
    is_int((int64_t)(cpu * 1000), 2500, "v2: cpu seconds from cpu.stat usage_usec");
    is_int(cg_oom_kills(g), 1, "v2: oom kills from memory.events oom_kill");
    cg_group_free(g);
    cg_system_free(sys);
    rm_tree(root);
}

static void
test_v2_leaf_move_when_own_group_is_not_root(void)
{
    struct st_error err = ST_ERROR_INIT;
    char *root = fake_v2(), own[4096], pid[32];
    struct cg_system *sys;

    mkdir_in(root, "svc");
    put(root, ".self", "/svc\n");
    (void)snprintf(own, sizeof(own), "%s/svc", root);
    put(own, "cgroup.controllers", "cpuset cpu io memory pids\n");
    put(own, "cgroup.subtree_control", "");
    put(own, "cgroup.type", "domain\n");
    (void)snprintf(pid, sizeof(pid), "%ld", (long)getpid());
    put(own, "cgroup.procs", pid);
    sys = cg_detect(root, "steward", &err);
    is_int(cg_mechanism(sys), CG_V2, "v2 delegated: picks v2");
    is_str(get(own, "supervisor/cgroup.procs"), pid, "v2 delegated: we moved into <own>/supervisor");
    is_str(get(own, "cgroup.subtree_control"), "+memory +cpu +pids",
        "v2 delegated: controllers enabled in <own> after the move");
    ok(is_dir(own, "steward"), "v2 delegated: parent group <own>/steward");
    cg_system_free(sys);
    ok(!is_dir(own, "supervisor"), "v2 delegated: the leaf is removed on free");
    ok(!is_dir(own, "steward"), "v2 delegated: the parent group is removed on free");
    is_str(get(own, "cgroup.procs"), pid, "v2 delegated: we moved back into <own>");
    is_str(get(own, "cgroup.subtree_control"), "-memory -cpu -pids",
        "v2 delegated: the controllers we enabled are disabled again");
    rm_tree(root);
}

static void
test_v2_without_controllers_is_rlimit(void)
{
    struct st_error err = ST_ERROR_INIT;
    char *root = fake_root();
    struct cg_system *sys;

    put(root, "cgroup.controllers", "hugetlb\n");
    sys = cg_detect(root, "s", &err);
    is_int(cg_mechanism(sys), CG_RLIMIT, "v2 without memory/cpu/pids: rlimit");
    like(cg_system_reason(sys), "has none of memory, cpu, pids", "v2 without controllers: reason");
    ok(!is_dir(root, "s"), "v2 without controllers: nothing created");
    cg_system_free(sys);
    rm_tree(root);
}

static void
test_v2_partial_controllers_are_named(void)
{
    struct st_error err = ST_ERROR_INIT;
    char *root = fake_root();
    struct cg_system *sys;
    struct cg_group *g;

    put(root, "cgroup.controllers", "memory pids\n");
    sys = cg_detect(root, "s", &err);
    is_int(cg_mechanism(sys), CG_V2, "v2 memory+pids: still v2");
    like(cg_system_reason(sys), "(not enforced: cpu)", "v2 memory+pids: cpu named as not enforced");
    g = cg_group_new(sys, "x", &lim_set, &err);
    is_str(get(cg_group_path(g), "cpu.max"), "(missing)", "v2 memory+pids: no cpu.max written");
    cg_group_free(g);
    cg_system_free(sys);
    rm_tree(root);
}

static void
test_v2_without_memory_keeps_memory_an_rlimit(void)
{
    struct st_error err = ST_ERROR_INIT;
    char *root = fake_root();
    struct cg_system *sys;

    put(root, "cgroup.controllers", "cpu pids\n");
    sys = cg_detect(root, "s", &err);
    is_int(cg_mechanism(sys), CG_V2, "v2 cpu+pids: v2");
    ok(!cg_memory_in_cgroup(sys), "v2 cpu+pids: memory is RLIMIT_AS, not a cgroup file");
    cg_system_free(sys);
    rm_tree(root);
}

static void
test_v1_detection_and_limits(void)
{
    struct st_error err = ST_ERROR_INIT;
    char *root = fake_v1(), mem[4096], cpu[4096], pids[4096];
    struct cg_system *sys = cg_detect(root, "s", &err);
    struct cg_group *g = cg_group_new(sys, "transform.2", &lim_set, &err);

    is_int(cg_mechanism(sys), CG_V1, "v1: memory hierarchy -> v1");
    ok(cg_memory_in_cgroup(sys), "v1: memory limits live in the cgroup (changeable in place)");
    like(cg_system_reason(sys), "cgroup v1: memory,cpu,pids,cpuacct writable under ", "v1: reason");
    (void)snprintf(mem, sizeof(mem), "%s/memory/s/transform.2", root);
    (void)snprintf(cpu, sizeof(cpu), "%s/cpu,cpuacct/s/transform.2", root);
    (void)snprintf(pids, sizeof(pids), "%s/pids/s/transform.2", root);
    is_str(cg_group_path(g), mem, "v1: group path is the memory hierarchy's");
    is_str(get(mem, "memory.limit_in_bytes"), "268435456", "v1: memory.limit_in_bytes");
    is_str(get(cpu, "cpu.cfs_period_us"), "100000", "v1: cpu.cfs_period_us");
    is_str(get(cpu, "cpu.cfs_quota_us"), "50000", "v1: cpu.cfs_quota_us for cpu 0.5");
    is_str(get(pids, "pids.max"), "64", "v1: pids.max");
    ok(!is_dir(root, "freezer/s"), "v1: unused hierarchies are left alone");
    is_int(cg_group_set_limits(g, &lim_none, &err), 0, "v1: set_limits to unset");
    is_str(get(mem, "memory.limit_in_bytes"), "-1", "v1 unset: memory -1");
    is_str(get(cpu, "cpu.cfs_quota_us"), "-1", "v1 unset: quota -1");
    is_str(get(pids, "pids.max"), "max", "v1 unset: pids max");
    is_int(cg_attach(g, 4243, &err), 0, "v1: attach");
    is_str(get(cpu, "cgroup.procs"), "4243", "v1: attach writes every hierarchy (cpu)");
    is_str(get(pids, "cgroup.procs"), "4243", "v1: attach writes every hierarchy (pids)");
    cg_group_free(g);
    ok(!is_dir(root, "memory/s/transform.2") && !is_dir(root, "cpu,cpuacct/s/transform.2")
        && !is_dir(root, "pids/s/transform.2"), "v1: group removed from every hierarchy");
    cg_system_free(sys);
    ok(!is_dir(root, "memory/s") && !is_dir(root, "pids/s"), "v1: parent groups removed");
    rm_tree(root);
}

static void
test_v1_usage_and_oom_kills_are_read(void)
{
    struct st_error err = ST_ERROR_INIT;
    char *root = fake_v1(), cpu[4096];
    struct cg_system *sys = cg_detect(root, "s", &err);
    struct cg_group *g = cg_group_new(sys, "x", &lim_set, &err);
    int64_t mem = 0;
    double secs = 0;

    (void)snprintf(cpu, sizeof(cpu), "%s/cpu,cpuacct/s/x", root);
    put(cg_group_path(g), "memory.usage_in_bytes", "4096\n");
    put(cg_group_path(g), "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n");
    put(cg_group_path(g), "memory.failcnt", "99\n");
    put(cpu, "cpuacct.usage", "1500000000\n");
    is_int(cg_usage(g, &mem, &secs), 0, "v1: usage known");
    is_int(mem, 4096, "v1: memory from memory.usage_in_bytes");
    is_int((int64_t)(secs * 1000), 1500, "v1: cpu seconds from cpuacct.usage (ns)");
    is_int(cg_oom_kills(g), 3, "v1: oom kills from memory.oom_control oom_kill, not failcnt");
    put(cg_group_path(g), "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\n");
    is_int(cg_oom_kills(g), -1, "v1: unknown oom count on a kernel without oom_kill");
    cg_group_free(g);
    cg_system_free(sys);
    rm_tree(root);
}

static void
test_v1_self_file_gives_own_group(void)
{
    struct st_error err = ST_ERROR_INIT;
    char *root = fake_v1();
    struct cg_system *sys;

    mkdir_in(root, "memory/app");
    mkdir_in(root, "cpu,cpuacct/app");
    mkdir_in(root, "pids/app");
    put(root, ".self", "/app\n");
    sys = cg_detect(root, "s", &err);
    ok(is_dir(root, "memory/app/s") && is_dir(root, "pids/app/s"),
        "v1 with .self: parent groups under the own group");
    cg_system_free(sys);
    ok(!is_dir(root, "memory/app/s"), "v1 with .self: removed again");
    rm_tree(root);
}

static void
test_reused_parent_is_removed(void)
{
    struct st_error err = ST_ERROR_INIT;
    char *root = fake_v1();
    struct cg_system *sys;

    mkdir_in(root, "memory/s");            /* left behind by a crashed run */
    sys = cg_detect(root, "s", &err);
    is_int(cg_mechanism(sys), CG_V1, "re-used parent: still v1");
    cg_system_free(sys);
    ok(!is_dir(root, "memory/s"), "re-used parent: removed on free");
    rm_tree(root);
}

/* A pid that no longer exists: a reaped child's. */
static long
dead_pid(void)
{
    pid_t pid = fork();

    if (pid == 0)
        _exit(0);
    (void)waitpid(pid, NULL, 0);
    return (long)pid;
}

static void
test_stale_groups_of_dead_supervisors_are_swept(void)
{
    struct st_error err = ST_ERROR_INIT;
    char *root = fake_v1(), name[64], dead[64], busy[64], live[64], other[64], path[256];
    struct cg_system *sys;
    long d1 = dead_pid(), d2 = dead_pid();

    (void)snprintf(name, sizeof(name), "steward-%ld", (long)getpid());
    (void)snprintf(dead, sizeof(dead), "memory/steward-%ld", d1);
    (void)snprintf(busy, sizeof(busy), "memory/steward-%ld", d2);
    (void)snprintf(live, sizeof(live), "memory/steward-%ld", (long)getppid());
    (void)snprintf(other, sizeof(other), "memory/other-%ld", d1);
    mkdir_in(root, dead);
    (void)snprintf(path, sizeof(path), "%s/w.1", dead);
    mkdir_in(root, path);
    mkdir_in(root, busy);
    (void)snprintf(path, sizeof(path), "%s/w.1", busy);
    mkdir_in(root, path);
    (void)snprintf(path, sizeof(path), "%s/w.1/cgroup.procs", busy);
    put(root, path, "4242\n");
    mkdir_in(root, live);
    mkdir_in(root, other);
    sys = cg_detect(root, name, &err);
    ok(!is_dir(root, dead), "sweep: an empty group of a dead supervisor is removed");
    ok(is_dir(root, busy), "sweep: a group still holding processes stays");
    ok(is_dir(root, live), "sweep: a living supervisor's group stays");
    ok(is_dir(root, other), "sweep: other names stay");
    cg_system_free(sys);
    rm_tree(root);
}

static void
test_no_cgroups_is_rlimit_with_reason(void)
{
    struct st_error err = ST_ERROR_INIT;
    char *root = fake_root();
    struct cg_system *sys = cg_detect(root, "s", &err);
    struct cg_group *g;
    int64_t mem = 0;
    double cpu = 0;

    is_int(cg_mechanism(sys), CG_RLIMIT, "no cgroups: rlimit");
    ok(!cg_memory_in_cgroup(sys), "no cgroups: memory is RLIMIT_AS (needs a new process)");
    is_str(cg_mechanism_name(CG_RLIMIT), "rlimit", "rlimit: mechanism name");
    like(cg_system_reason(sys), "rlimit: no cgroup.controllers (v2) and no memory hierarchy (v1)",
        "no cgroups: reason");
    g = cg_group_new(sys, "x", &lim_set, &err);
    ok(g != NULL, "rlimit: a group object still exists");
    is_str(cg_group_path(g), "", "rlimit: empty group path");
    ok(cg_is_empty(g), "rlimit: group always empty");
    is_int(cg_usage(g, &mem, &cpu), -1, "rlimit: usage unknown");
    is_int(mem, -1, "rlimit: memory -1");
    is_int(cg_oom_kills(g), -1, "rlimit: oom count unknown");
    is_int(cg_attach(g, 1, &err), 0, "rlimit: attach is a no-op");
    is_int(count_tree(root), 0, "rlimit: nothing created");
    cg_group_free(g);
    cg_system_free(sys);
    rm_tree(root);
}

static void
test_probe_creates_nothing(void)
{
    char *root, reason[512];
    int before;

    root = fake_v2();
    before = count_tree(root);
    is_int(cg_probe(root, reason, sizeof(reason)), CG_V2, "probe v2: v2");
    like(reason, "cgroup v2: memory,cpu,pids writable under", "probe v2: reason");
    is_int(count_tree(root), before, "probe v2: creates nothing");
    is_str(get(root, "cgroup.subtree_control"), "", "probe v2: enables nothing");
    rm_tree(root);
    root = fake_v1();
    before = count_tree(root);
    is_int(cg_probe(root, reason, sizeof(reason)), CG_V1, "probe v1: v1");
    is_int(count_tree(root), before, "probe v1: creates nothing");
    rm_tree(root);
    root = fake_root();
    is_int(cg_probe(root, reason, sizeof(reason)), CG_RLIMIT, "probe empty: rlimit");
    like(reason, "rlimit: ", "probe empty: reason");
    is_int(count_tree(root), 0, "probe empty: creates nothing");
    rm_tree(root);
}

static void
test_bad_names_are_refused(void)
{
    struct st_error err = ST_ERROR_INIT;
    char *root = fake_v2();
    struct cg_system *sys;

    ok(cg_detect(root, "a/b", &err) == NULL, "detect: a name with '/' is refused");
    like(err.msg, "invalid cgroup name \"a/b\"", "detect: bad name message");
    sys = cg_detect(root, "s", &err);
    ok(cg_group_new(sys, "..", &lim_none, &err) == NULL, "group: \"..\" is refused");
    like(err.msg, "invalid instance name", "group: bad name message");
    cg_system_free(sys);
    rm_tree(root);
}

static void
test_kill_signals_listed_processes(void)
{
    struct st_error err = ST_ERROR_INIT;
    char *root = fake_v2(), pid[32];
    struct cg_system *sys = cg_detect(root, "s", &err);
    struct cg_group *g = cg_group_new(sys, "x", &lim_none, &err);
    int status = 0, sync[2];
    pid_t child;
    char c;

    ok(cg_is_empty(g), "kill: an empty fake group is empty");
    if (pipe2(sync, O_CLOEXEC) == -1)
        exit(1);
    if ((child = fork()) == 0) {
        execl("/bin/sleep", "sleep", "30", (char *)NULL);
        _exit(127);
    }
    close(sync[1]);
    (void)!read(sync[0], &c, 1);        /* EOF once the child has exec'd */
    close(sync[0]);
    (void)snprintf(pid, sizeof(pid), "%ld\n", (long)child);
    put(cg_group_path(g), "cgroup.procs", pid);
    ok(!cg_is_empty(g), "kill: a group listing a pid is not empty");
    is_int(cg_kill(g, SIGTERM, &err), 1, "kill: one process signalled");
    is_int(waitpid(child, &status, 0), child, "kill: child reaped");
    ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "kill: child died of SIGTERM");
    put(cg_group_path(g), "cgroup.procs", "");
    cg_group_free(g);
    cg_system_free(sys);
    rm_tree(root);
}

/* Runs cg_apply_rlimits in a child; returns what the child reports through a pipe. */
static void
apply_in_child(const struct cg_group *g, char *out, size_t outlen)
{
    struct st_error err = ST_ERROR_INIT;
    int fds[2], status;
    ssize_t n;
    pid_t pid;

    if (pipe(fds) == -1)
        exit(1);
    if ((pid = fork()) == 0) {
        struct rlimit nf, core, as;
        char msg[1200];

        close(fds[0]);
        if (cg_apply_rlimits(g, &err) == -1)
            (void)snprintf(msg, sizeof(msg), "error: %s", err.msg);
        else if (getrlimit(RLIMIT_NOFILE, &nf) == 0 && getrlimit(RLIMIT_CORE, &core) == 0
            && getrlimit(RLIMIT_AS, &as) == 0)
            (void)snprintf(msg, sizeof(msg), "nofile=%lld core=%lld as=%lld",
                (long long)nf.rlim_cur, (long long)core.rlim_cur,
                as.rlim_cur == RLIM_INFINITY ? -1LL : (long long)as.rlim_cur);
        (void)!write(fds[1], msg, strlen(msg));
        (void)kill(getpid(), SIGKILL);     /* no exit-time leak report for the parent's heap */
        _exit(0);
    }
    close(fds[1]);
    n = read(fds[0], out, outlen - 1);
    out[n > 0 ? n : 0] = '\0';
    close(fds[0]);
    (void)waitpid(pid, &status, 0);
}

static void
test_rlimits_in_child(void)
{
    struct st_error err = ST_ERROR_INIT;
    struct cfg_limits l = { 64 << 20, 0, 0, 256 };
    struct cfg_limits huge = { 0, 0, 0, 1LL << 40 };
    char *v2 = fake_v2(), *none = fake_root(), out[1300];
    struct cg_system *s2 = cg_detect(v2, "s", &err), *sr = cg_detect(none, "s", &err);
    struct cg_group *g;
    const char *pre = getenv("LD_PRELOAD");

    if (pre != NULL && strstr(pre, "vgpreload") != NULL) {
        skip(3, "valgrind refuses to change the RLIMIT_NOFILE hard limit");
        goto out;
    }
    g = cg_group_new(sr, "x", &l, &err);
    apply_in_child(g, out, sizeof(out));
    is_str(out, "nofile=256 core=0 as=67108864", "rlimit mechanism: NOFILE, CORE 0, AS = memory");
    cg_group_free(g);
    g = cg_group_new(s2, "x", &l, &err);
    apply_in_child(g, out, sizeof(out));
    is_str(out, "nofile=256 core=0 as=-1", "cgroup memory in use: no RLIMIT_AS");
    cg_group_free(g);
    g = cg_group_new(sr, "y", &huge, &err);
    apply_in_child(g, out, sizeof(out));
    like(out, "error: setrlimit(RLIMIT_NOFILE, 1099511627776): ",
        "a refused rlimit names the call and the value");
    cg_group_free(g);
out:
    cg_system_free(s2);
    cg_system_free(sr);
    rm_tree(v2);
    rm_tree(none);
}

int
main(void)
{
    test_v2_detection_picks_v2_and_delegates();
    test_v2_limits_are_written();
    test_v2_unset_limits_are_max();
    test_v2_set_limits_rewrites_in_place();
    test_v2_swap_is_closed_when_the_file_exists();
    test_v2_attach_and_enter_write_cgroup_procs();
    test_v2_usage_and_oom_kills_are_read();
    test_v2_leaf_move_when_own_group_is_not_root();
    test_v2_without_controllers_is_rlimit();
    test_v2_partial_controllers_are_named();
    test_v2_without_memory_keeps_memory_an_rlimit();
    test_v1_detection_and_limits();
    test_v1_usage_and_oom_kills_are_read();
    test_v1_self_file_gives_own_group();
    test_reused_parent_is_removed();
    test_stale_groups_of_dead_supervisors_are_swept();
    test_no_cgroups_is_rlimit_with_reason();
    test_probe_creates_nothing();
    test_bad_names_are_refused();
    test_kill_signals_listed_processes();
    test_rlimits_in_child();
    return done_testing();
}
