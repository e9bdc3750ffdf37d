/*
 * cgroup.c -- per-instance resource control: cgroup v2, cgroup v1, rlimit backstop.
 * Owns detection of the cgroup layout, the supervisor's parent group "<own>/<name>" and
 * one group per worker instance below it (create, limit, attach, usage, OOM count, kill,
 * remove), and the child-side rlimits. Leaves the process table, fork and every policy
 * (when to create, enter, kill, free) to the supervisor. Never forks, never logs.
 *
 * Layout per mechanism (see also cgroup.h):
 *   v2  <root><own>/<name>/<instance>; when <own> is not the root group the supervisor
 *       moves itself into the leaf <own>/supervisor first ("no internal processes"), as a
 *       systemd service with Delegate=yes does, then enables memory/cpu/pids in
 *       <own>/cgroup.subtree_control and <own>/<name>/cgroup.subtree_control.
 *   v1  <root>/<hier><own in that hier>/<name>/<instance> for each hierarchy among memory
 *       (required), cpu, pids and cpuacct (optional; CPU usage). The supervisor stays put.
 * A limit whose controller is not in use is not enforced (the reason string lists the
 * controllers in use); memory then falls back to RLIMIT_AS in the child.
 * Tests: tests/unit/t_cgroup.c (fake cgroupfs trees), tests/integration/t_cgroup_v1.c.
 */
#include "config.h"
#include "cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/magic.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#define CG_DEFAULT_ROOT "/sys/fs/cgroup"
#define CG_PERIOD_US 100000
#define CG_MIN_QUOTA_US 1000    /* the kernel refuses a smaller CFS quota */
#define CG_MAXH 4
#define CG_LEAF "supervisor"

enum {
    CG_F_MEMORY = 1u << 0,
    CG_F_CPU = 1u << 1,
    CG_F_PIDS = 1u << 2,
    CG_F_CPUACCT = 1u << 3,
};

static const struct {
    const char *name;
    unsigned flag;
} cg_ctls[] = {
    { "memory", CG_F_MEMORY }, { "cpu", CG_F_CPU }, { "pids", CG_F_PIDS },
    { "cpuacct", CG_F_CPUACCT },
};

struct cg_hier {
    char *own;                  /* <mount><own cgroup>: where this process lives */
    char *parent;               /* <own>/<name>: holds the instance groups */
    unsigned ctls;              /* controllers in use through this hierarchy */
    bool fake;                  /* a plain directory tree, not a cgroupfs */
    bool ours;                  /* parent made or re-used by us: cg_system_free removes it
                                   (a re-used one held a crashed run's leftovers) */
};

struct cg_system {
    enum cg_mechanism mech;
    unsigned ctls;              /* controllers in use, all hierarchies */
    struct cg_hier h[CG_MAXH];  /* v2: one; v1: memory first */
    size_t nh;
    bool own_is_root;           /* v2: we live in the real root group (no leaf needed) */
    char *leaf;                 /* v2: <own>/supervisor once we moved there */
    unsigned enabled_own;       /* v2: controllers we enabled in <own>/subtree_control */
    unsigned enabled_parent;    /* v2: ... and in <own>/<name>/subtree_control */
    bool allow_fake;            /* root was given (tests): plain directories count */
    char *reason;
};

struct cg_group {
    struct cg_system *sys;      /* borrowed: outlives its groups */
    char *instance;
    struct cfg_limits limits;
    char *dir[CG_MAXH];         /* parallel to sys->h */
    char *procs[CG_MAXH];       /* dir/cgroup.procs, built before fork for cg_enter */
    size_t n;
};

/* ---- small file helpers ---------------------------------------------------------- */

/* Write val to dir/file (created in a fake tree when create). 0, or -1 with errno. */
static int
cg_write(const char *dir, const char *file, const char *val, bool create)
{
    char path[PATH_MAX];
    int fd, saved;

    if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, file) >= sizeof(path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC | (create ? O_CREAT : 0), 0644);
    if (fd == -1)
        return -1;
    if (st_write_all(fd, val, strlen(val)) == -1) {
        saved = errno;
        (void)close(fd);
        errno = saved;
        return -1;
    }
    return close(fd);
}

/* cg_write that describes a failure in err, naming the value and the file. */
static int
cg_write_err(const char *dir, const char *file, const char *val, bool create,
    struct st_error *err)
{
    if (cg_write(dir, file, val, create) == 0)
        return 0;
    st_error_set(err, "write %s to %s/%s: %s", val, dir, file, strerror(errno));
    return -1;
}

/* Write a file that may not exist on this kernel; ENOENT (and EINVAL when tolerated) is
   not an error. */
static int
cg_write_optional(const char *dir, const char *file, const char *val, bool ok_einval,
    struct st_error *err)
{
    if (cg_write(dir, file, val, false) == 0 || errno == ENOENT
        || (ok_einval && errno == EINVAL))
        return 0;
    st_error_set(err, "write %s to %s/%s: %s", val, dir, file, strerror(errno));
    return -1;
}

/* Read all of dir/file (dir NULL: file is a full path) into b. 0, or -1 with errno. */
static int
cg_read(const char *dir, const char *file, struct st_buf *b)
{
    char path[PATH_MAX], chunk[4096];
    ssize_t n;
    int fd, saved;

    if ((size_t)snprintf(path, sizeof(path), "%s%s%s", dir ? dir : "", dir ? "/" : "",
            file) >= sizeof(path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
        return -1;
    st_buf_reset(b);
    st_buf_append(b, "", 0);           /* terminated even when the file is empty */
    while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
        if (n == -1 && errno == EINTR)
            continue;
        if (n == -1) {
            saved = errno;
            (void)close(fd);
            errno = saved;
            return -1;
        }
        st_buf_append(b, chunk, (size_t)n);
    }
    (void)close(fd);
    return 0;
}

static bool
cg_exists(const char *dir, const char *file)
{
    char path[PATH_MAX];

    if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, file) >= sizeof(path))
        return false;
    return access(path, F_OK) == 0;
}

/* First integer of dir/file, or -1 when missing or malformed. */
static int64_t
cg_read_int(const char *dir, const char *file)
{
    struct st_buf b = ST_BUF_INIT;
    int64_t v = -1;
    char *end;

    if (cg_read(dir, file, &b) == 0 && b.len > 0) {
        errno = 0;
        v = strtoll(b.data, &end, 10);
        if (errno != 0 || end == b.data || v < 0)
            v = -1;
    }
    st_buf_free(&b);
    return v;
}

/* Value of the line "key N" in dir/file (memory.events, cpu.stat, memory.oom_control). */
static int64_t
cg_read_key(const char *dir, const char *file, const char *key)
{
    struct st_buf b = ST_BUF_INIT;
    size_t klen = strlen(key);
    int64_t v = -1;

    if (cg_read(dir, file, &b) == 0) {
        for (char *line = b.data; line != NULL && *line != '\0'; ) {
            char *nl = strchr(line, '\n');
            if (strncmp(line, key, klen) == 0 && line[klen] == ' ') {
                v = strtoll(line + klen + 1, NULL, 10);
                break;
            }
            line = nl ? nl + 1 : NULL;
        }
    }
    st_buf_free(&b);
    return v;
}

/* Does the space- or comma-separated list contain word? */
static bool
cg_list_has(const char *list, const char *word, const char *seps)
{
    size_t wlen = strlen(word);

    for (const char *p = list; *p != '\0'; ) {
        size_t n = strcspn(p, seps);
        if (n == wlen && strncmp(p, word, n) == 0)
            return true;
        p += n;
        p += strspn(p, seps);
    }
    return false;
}

/* Controllers (CG_F_*) named in a list such as "cpu memory pids" or "cpu,cpuacct". */
static unsigned
cg_list_ctls(const char *list, const char *seps)
{
    unsigned m = 0;

    for (size_t i = 0; i < ST_ARRAY_LEN(cg_ctls); i++)
        if (cg_list_has(list, cg_ctls[i].name, seps))
            m |= cg_ctls[i].flag;
    return m;
}

/* "memory,cpu,pids" for a mask, into b (appended). */
static void
cg_ctls_str(struct st_buf *b, unsigned m, const char *prefix, const char *sep)
{
    bool first = true;

    for (size_t i = 0; i < ST_ARRAY_LEN(cg_ctls); i++) {
        if (!(m & cg_ctls[i].flag))
            continue;
        st_buf_printf(b, "%s%s%s", first ? "" : sep, prefix, cg_ctls[i].name);
        first = false;
    }
}

/* Remove dir; in a fake tree its regular files first; retry briefly while busy. */
static int
cg_rmdir(const char *dir, bool fake)
{
    struct timespec ts = { 0, 10 * 1000 * 1000 };
    DIR *d;
    struct dirent *de;

    if (fake && (d = opendir(dir)) != NULL) {
        while ((de = readdir(d)) != NULL)
            if (de->d_type == DT_REG)
                (void)unlinkat(dirfd(d), de->d_name, 0);
        (void)closedir(d);
    }
    for (int i = 0; i < 30; i++) {
        if (rmdir(dir) == 0 || errno == ENOENT)
            return 0;
        if (errno != EBUSY)
            return -1;
        (void)nanosleep(&ts, NULL);
    }
    return -1;
}

static bool
cg_is_cgroupfs(const char *dir, long magic)
{
    struct statfs sf;

    return statfs(dir, &sf) == 0 && (long)sf.f_type == magic;
}

/* ---- where this process lives ------------------------------------------------------ */

/*
 * Own cgroup path ("/" or "/a/b") for a hierarchy. Real cgroupfs: the /proc/self/cgroup
 * line whose controller list meets ctls (v2: the "0::" line). Fake tree: root/.self or "/".
 * Returns a new string, or NULL when not listed.
 */
static char *
cg_own_path(const char *root, bool fake, bool v2, unsigned ctls)
{
    struct st_buf b = ST_BUF_INIT;
    char *res = NULL;

    if (fake) {
        if (cg_read(root, ".self", &b) == 0 && b.len > 0 && b.data[0] == '/') {
            b.data[strcspn(b.data, "\n")] = '\0';
            res = st_xstrdup(b.data);
        } else {
            res = st_xstrdup("/");
        }
        st_buf_free(&b);
        return res;
    }
    if (cg_read(NULL, "/proc/self/cgroup", &b) == 0) {
        for (char *line = b.data; line != NULL && *line != '\0'; ) {
            char *nl = strchr(line, '\n'), *c1 = strchr(line, ':'), *c2;
            if (nl != NULL)
                *nl = '\0';
            if (c1 != NULL && (c2 = strchr(c1 + 1, ':')) != NULL) {
                *c2 = '\0';
                if (v2 ? c1[1] == '\0' : (cg_list_ctls(c1 + 1, ",") & ctls) != 0) {
                    res = st_xstrdup(c2 + 1);
                    break;
                }
            }
            line = nl ? nl + 1 : NULL;
        }
    }
    st_buf_free(&b);
    return res;
}

/* Join a mount directory and an own path ("/" adds nothing). */
static char *
cg_join_own(const char *mount, const char *own)
{
    return st_xasprintf("%s%s", mount, strcmp(own, "/") == 0 ? "" : own);
}

/* ---- detection ------------------------------------------------------------------- */

static void
cg_reason(struct cg_system *sys, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
cg_reason(struct cg_system *sys, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    free(sys->reason);
    sys->reason = st_xvasprintf(fmt, ap);
    va_end(ap);
}

/*
 * v2 layout: own group, controllers available there, writability. Fills sys->h[0] and
 * sys->ctls; returns 0 when usable, -1 with the reason set otherwise.
 */
static int
cg_layout_v2(struct cg_system *sys, const char *root)
{
    struct cg_hier *h = &sys->h[0];
    struct st_buf b = ST_BUF_INIT;
    char *own;

    h->fake = !cg_is_cgroupfs(root, CGROUP2_SUPER_MAGIC);
    if (h->fake && !sys->allow_fake) {
        cg_reason(sys, "rlimit: %s has cgroup.controllers but is not a cgroup2 mount", root);
        return -1;
    }
    if ((own = cg_own_path(root, h->fake, true, 0)) == NULL) {
        cg_reason(sys, "rlimit: cgroup v2 at %s but no \"0::\" line in /proc/self/cgroup", root);
        return -1;
    }
    h->own = cg_join_own(root, own);
    free(own);
    /* Only the real root group lacks cgroup.type; a cgroup namespace's "/" has it and
       obeys "no internal processes" like any other group. */
    sys->own_is_root = !cg_exists(h->own, "cgroup.type");
    sys->nh = 1;
    if (cg_read(h->own, "cgroup.controllers", &b) == -1) {
        cg_reason(sys, "rlimit: cgroup v2: read %s/cgroup.controllers: %s", h->own,
            strerror(errno));
        goto fail;
    }
    b.data[strcspn(b.data, "\n")] = '\0';
    h->ctls = cg_list_ctls(b.data, " ") & (CG_F_MEMORY | CG_F_CPU | CG_F_PIDS);
    if (h->ctls == 0) {
        cg_reason(sys, "rlimit: cgroup v2 at %s has none of memory, cpu, pids in %s "
            "(cgroup.controllers: \"%s\")", root, h->own, b.data);
        goto fail;
    }
    if (access(h->own, W_OK) == -1) {
        cg_reason(sys, "rlimit: cgroup v2: %s not writable (%s)", h->own, strerror(errno));
        goto fail;
    }
    sys->ctls = h->ctls;
    st_buf_free(&b);
    return 0;
fail:
    st_buf_free(&b);
    return -1;
}

/* v1: add the hierarchy mounted at root/entry when it carries one of our controllers. */
static void
cg_layout_v1_add(struct cg_system *sys, const char *root, const char *entry)
{
    unsigned ctls = cg_list_ctls(entry, ",");
    struct cg_hier *h;
    char *mount, *own;
    bool fake;

    if (ctls == 0 || sys->nh == CG_MAXH || (ctls & sys->ctls) != 0)
        return;
    mount = st_xasprintf("%s/%s", root, entry);
    fake = !cg_is_cgroupfs(mount, CGROUP_SUPER_MAGIC);
    if ((fake && !sys->allow_fake) || (own = cg_own_path(root, fake, false, ctls)) == NULL) {
        free(mount);
        return;
    }
    h = &sys->h[sys->nh++];
    h->own = cg_join_own(mount, own);
    h->ctls = ctls;
    h->fake = fake;
    sys->ctls |= ctls;
    free(own);
    free(mount);
}

/*
 * v1 layout: every real directory under root named after controllers ("memory",
 * "cpu,cpuacct", "pids"); symlinks are skipped so "cpu" -> "cpu,cpuacct" counts once.
 * The memory hierarchy, required, goes first. Returns 0 when usable, -1 with reason.
 */
static int
cg_layout_v1(struct cg_system *sys, const char *root)
{
    struct dirent *de;
    struct stat st;
    DIR *d;

    if ((d = opendir(root)) == NULL) {
        cg_reason(sys, "rlimit: open %s: %s", root, strerror(errno));
        return -1;
    }
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == -1
            || !S_ISDIR(st.st_mode))
            continue;
        cg_layout_v1_add(sys, root, de->d_name);
    }
    (void)closedir(d);
    for (size_t i = 1; i < sys->nh; i++) {       /* by lowest controller: memory first */
        for (size_t j = i; j > 0 && (sys->h[j].ctls & -sys->h[j].ctls)
                < (sys->h[j - 1].ctls & -sys->h[j - 1].ctls); j--) {
            struct cg_hier t = sys->h[j];
            sys->h[j] = sys->h[j - 1];
            sys->h[j - 1] = t;
        }
    }
    if (!(sys->ctls & CG_F_MEMORY)) {
        cg_reason(sys, "rlimit: no cgroup.controllers (v2) and no memory hierarchy (v1) "
            "under %s", root);
        return -1;
    }
    if (access(sys->h[0].own, W_OK) == -1) {
        cg_reason(sys, "rlimit: %s not writable (%s)", sys->h[0].own, strerror(errno));
        return -1;
    }
    return 0;
}

/* Drop v1 hierarchy i (not writable): it is not used, the reason says so later. */
static void
cg_drop_hier(struct cg_system *sys, size_t i)
{
    free(sys->h[i].own);
    free(sys->h[i].parent);
    sys->h[i] = sys->h[--sys->nh];
    memset(&sys->h[sys->nh], 0, sizeof(sys->h[0]));
    sys->ctls = 0;
    for (size_t j = 0; j < sys->nh; j++)
        sys->ctls |= sys->h[j].ctls;
}

/* The "chosen" reason: controllers in use and the directories they live under. */
static void
cg_reason_chosen(struct cg_system *sys, const char *extra)
{
    struct st_buf b = ST_BUF_INIT;

    st_buf_printf(&b, "cgroup %s: ", sys->mech == CG_V2 ? "v2" : "v1");
    cg_ctls_str(&b, sys->ctls, "", ",");
    st_buf_puts(&b, " writable under ");
    for (size_t i = 0; i < sys->nh; i++)
        st_buf_printf(&b, "%s%s", i ? ", " : "",
            sys->h[i].parent ? sys->h[i].parent : sys->h[i].own);
    if (!(sys->ctls & CG_F_MEMORY) || !(sys->ctls & CG_F_CPU) || !(sys->ctls & CG_F_PIDS)) {
        st_buf_puts(&b, " (not enforced: ");
        cg_ctls_str(&b, ~sys->ctls & (CG_F_MEMORY | CG_F_CPU | CG_F_PIDS), "", ",");
        st_buf_puts(&b, !(sys->ctls & CG_F_MEMORY) ? "; memory by RLIMIT_AS)" : ")");
    }
    if (extra != NULL && *extra != '\0')
        st_buf_printf(&b, "; %s", extra);
    free(sys->reason);
    sys->reason = st_buf_steal(&b);
}

/* Layout and mechanism without creating anything. */
static void
cg_layout(struct cg_system *sys, const char *root)
{
    sys->mech = CG_RLIMIT;
    if (cg_exists(root, "cgroup.controllers")) {
        if (cg_layout_v2(sys, root) == 0)
            sys->mech = CG_V2;
    } else if (cg_layout_v1(sys, root) == 0) {
        sys->mech = CG_V1;
    }
}

static void
cg_system_clear(struct cg_system *sys)
{
    for (size_t i = 0; i < CG_MAXH; i++) {
        free(sys->h[i].own);
        free(sys->h[i].parent);
    }
    memset(sys->h, 0, sizeof(sys->h));
    sys->nh = 0;
    sys->ctls = 0;
    free(sys->leaf);
    sys->leaf = NULL;
}

/* ---- stale groups of dead supervisors ---------------------------------------------- */

/* pid from "<prefix>-<pid>" when entry has that form, else 0. */
static long
cg_stale_pid(const char *entry, const char *prefix, size_t plen)
{
    char *end;
    long pid;

    if (strncmp(entry, prefix, plen) != 0 || entry[plen] == '\0')
        return 0;
    errno = 0;
    pid = strtol(entry + plen, &end, 10);
    return errno == 0 && *end == '\0' && pid > 0 ? pid : 0;
}

/* Remove dir/entry and its instance groups when all are empty (rmdir refuses a populated
   cgroup, so a group that still holds processes stays). */
static void
cg_sweep_one(const char *dir, const char *entry, bool fake)
{
    char *top = st_xasprintf("%s/%s", dir, entry);
    struct dirent *de;
    DIR *d;

    if ((d = opendir(top)) != NULL) {
        while ((de = readdir(d)) != NULL) {
            if (de->d_type != DT_DIR || de->d_name[0] == '.')
                continue;
            char *sub = st_xasprintf("%s/%s", top, de->d_name);
            if (!fake)
                (void)rmdir(sub);
            else if (cg_read_int(sub, "cgroup.procs") < 0)   /* a fake lists no pid */
                (void)cg_rmdir(sub, true);
            free(sub);
        }
        (void)closedir(d);
    }
    (void)(fake ? cg_rmdir(top, true) : rmdir(top));
    free(top);
}

/*
 * When name is "<prefix>-<our pid>", remove the empty sibling groups "<prefix>-<pid>" of
 * supervisors that no longer exist (killed without cleaning up). Nothing is signalled.
 */
static void
cg_sweep_stale(const struct cg_hier *h, const char *name)
{
    const char *dash = strrchr(name, '-');
    struct dirent *de;
    size_t plen;
    DIR *d;

    if (dash == NULL || cg_stale_pid(name, name, (size_t)(dash - name + 1)) != (long)getpid())
        return;
    plen = (size_t)(dash - name + 1);
    if ((d = opendir(h->own)) == NULL)
        return;
    while ((de = readdir(d)) != NULL) {
        long pid = de->d_type == DT_DIR ? cg_stale_pid(de->d_name, name, plen) : 0;

        if (pid > 0 && pid != (long)getpid() && kill((pid_t)pid, 0) == -1 && errno == ESRCH)
            cg_sweep_one(h->own, de->d_name, h->fake);
    }
    (void)closedir(d);
}

/* ---- v2 setup and teardown ------------------------------------------------------- */

/* Enable want in dir/cgroup.subtree_control where missing; the ones enabled by us go to
   *enabled. Returns the set now on there. One write first, then one controller at a time. */
static unsigned
cg_v2_enable(const char *dir, unsigned want, bool fake, unsigned *enabled)
{
    struct st_buf b = ST_BUF_INIT, cur = ST_BUF_INIT;
    unsigned have = 0, missing;

    *enabled = 0;
    if (cg_read(dir, "cgroup.subtree_control", &cur) == 0)
        have = cg_list_ctls(cur.data, " \n");
    st_buf_free(&cur);
    if ((missing = want & ~have) == 0)
        return want;
    cg_ctls_str(&b, missing, "+", " ");
    if (cg_write(dir, "cgroup.subtree_control", b.data, fake) == 0) {
        *enabled = missing;
    } else {
        for (size_t i = 0; i < ST_ARRAY_LEN(cg_ctls); i++) {
            if (!(missing & cg_ctls[i].flag))
                continue;
            st_buf_reset(&b);
            st_buf_printf(&b, "+%s", cg_ctls[i].name);
            if (cg_write(dir, "cgroup.subtree_control", b.data, fake) == 0)
                *enabled |= cg_ctls[i].flag;
        }
    }
    st_buf_free(&b);
    return (have & want) | *enabled;
}

static void
cg_v2_disable(const char *dir, unsigned m)
{
    struct st_buf b = ST_BUF_INIT;

    if (m == 0)
        return;
    cg_ctls_str(&b, m, "-", " ");
    (void)cg_write(dir, "cgroup.subtree_control", b.data, false);
    st_buf_free(&b);
}

/* Undo cg_v2_setup: controllers we enabled, our move into the leaf, the parent group. */
static void
cg_v2_teardown(struct cg_system *sys)
{
    struct cg_hier *h = &sys->h[0];
    char pid[32];

    if (h->parent != NULL)
        cg_v2_disable(h->parent, sys->enabled_parent);
    cg_v2_disable(h->own, sys->enabled_own);
    sys->enabled_parent = sys->enabled_own = 0;
    if (sys->leaf != NULL) {
        (void)snprintf(pid, sizeof(pid), "%ld", (long)getpid());
        if (cg_write(h->own, "cgroup.procs", pid, false) == 0)
            (void)cg_rmdir(sys->leaf, h->fake);
        free(sys->leaf);
        sys->leaf = NULL;
    }
    if (h->ours)
        (void)cg_rmdir(h->parent, h->fake);
    h->ours = false;
}

/* Move this process into <own>/supervisor so <own> may delegate controllers. */
static int
cg_v2_move_to_leaf(struct cg_system *sys, struct st_error *err)
{
    struct cg_hier *h = &sys->h[0];
    char pid[32];

    sys->leaf = st_xasprintf("%s/%s", h->own, CG_LEAF);
    if (mkdir(sys->leaf, 0755) == -1 && errno != EEXIST) {
        st_error_set(err, "mkdir %s: %s", sys->leaf, strerror(errno));
        goto fail;
    }
    (void)snprintf(pid, sizeof(pid), "%ld", (long)getpid());
    if (cg_write_err(sys->leaf, "cgroup.procs", pid, h->fake, err) == -1) {
        (void)cg_rmdir(sys->leaf, h->fake);
        goto fail;
    }
    return 0;
fail:
    free(sys->leaf);
    sys->leaf = NULL;
    return -1;
}

/*
 * Create <own>/<name> and delegate memory/cpu/pids down to it. The controllers actually
 * enabled in both levels become sys->ctls. 0, or -1 with err set and everything undone.
 */
static int
cg_v2_setup(struct cg_system *sys, const char *name, struct st_error *err)
{
    struct cg_hier *h = &sys->h[0];
    unsigned on;

    cg_sweep_stale(h, name);
    h->parent = st_xasprintf("%s/%s", h->own, name);
    if (mkdir(h->parent, 0755) == -1 && errno != EEXIST) {
        st_error_set(err, "mkdir %s: %s", h->parent, strerror(errno));
        return -1;
    }
    h->ours = true;
    if (!sys->own_is_root && cg_v2_move_to_leaf(sys, err) == -1)
        goto fail;
    on = cg_v2_enable(h->own, h->ctls, h->fake, &sys->enabled_own);
    on = cg_v2_enable(h->parent, on, h->fake, &sys->enabled_parent);
    if (on == 0) {
        st_error_set(err, "enable memory/cpu/pids in %s/cgroup.subtree_control: %s "
            "(other processes in %s?)", h->own, strerror(errno), h->own);
        goto fail;
    }
    h->ctls = sys->ctls = on;
    return 0;
fail:
    cg_v2_teardown(sys);
    return -1;
}

/* ---- v1 setup ---------------------------------------------------------------------- */

/* Create <own>/<name> in every hierarchy; one that fails is dropped unless it is memory. */
static int
cg_v1_setup(struct cg_system *sys, const char *name, struct st_buf *notes,
    struct st_error *err)
{
    for (size_t i = 0; i < sys->nh; ) {
        struct cg_hier *h = &sys->h[i];

        cg_sweep_stale(h, name);
        h->parent = st_xasprintf("%s/%s", h->own, name);
        if (mkdir(h->parent, 0755) == 0 || errno == EEXIST) {
            h->ours = true;
            i++;
            continue;
        }
        if (i == 0) {
            st_error_set(err, "mkdir %s: %s", h->parent, strerror(errno));
            return -1;
        }
        st_buf_printf(notes, "%smkdir %s: %s", notes->len ? "; " : "", h->parent,
            strerror(errno));
        cg_drop_hier(sys, i);
    }
    return 0;
}

/* ---- system ------------------------------------------------------------------------ */

static bool
cg_name_ok(const char *name)
{
    return name != NULL && *name != '\0' && strchr(name, '/') == NULL
        && strcmp(name, ".") != 0 && strcmp(name, "..") != 0 && strcmp(name, CG_LEAF) != 0
        && strchr(name, '\n') == NULL;
}

/*
 * Detect and create the parent group(s). See cgroup.h. Falls back to CG_RLIMIT with the
 * reason when a cgroup step fails; returns NULL only for a bad name.
 */
struct cg_system *
cg_detect(const char *root, const char *name, struct st_error *err)
{
    struct st_error why = ST_ERROR_INIT;
    struct st_buf notes = ST_BUF_INIT;
    struct cg_system *sys;
    int rc;

    if (!cg_name_ok(name)) {
        st_error_set(err, "invalid cgroup name \"%s\" (no '/', not \".\", \"..\" or \"%s\")",
            name ? name : "", CG_LEAF);
        return NULL;
    }
    sys = st_xcalloc(1, sizeof(*sys));
    sys->allow_fake = root != NULL;
    cg_layout(sys, root != NULL ? root : CG_DEFAULT_ROOT);
    if (sys->mech == CG_RLIMIT) {
        cg_system_clear(sys);
        return sys;
    }
    rc = sys->mech == CG_V2 ? cg_v2_setup(sys, name, &why) : cg_v1_setup(sys, name, &notes, &why);
    if (rc == -1) {
        cg_reason(sys, "rlimit: cgroup %s: %s", sys->mech == CG_V2 ? "v2" : "v1", why.msg);
        sys->mech = CG_RLIMIT;
        cg_system_clear(sys);
    } else {
        cg_reason_chosen(sys, notes.data);
    }
    st_buf_free(&notes);
    return sys;
}

/* Read-only detection: the mechanism cg_detect would pick, and why. Creates nothing. */
enum cg_mechanism
cg_probe(const char *root, char *reason, size_t reasonlen)
{
    struct cg_system sys;
    enum cg_mechanism m;

    memset(&sys, 0, sizeof(sys));
    sys.allow_fake = root != NULL;
    cg_layout(&sys, root != NULL ? root : CG_DEFAULT_ROOT);
    if (sys.mech != CG_RLIMIT)
        cg_reason_chosen(&sys, NULL);
    if (reasonlen > 0)
        (void)snprintf(reason, reasonlen, "%s", sys.reason ? sys.reason : "");
    m = sys.mech;
    cg_system_clear(&sys);
    free(sys.reason);
    return m;
}

enum cg_mechanism
cg_mechanism(const struct cg_system *sys)
{
    return sys->mech;
}

bool
cg_memory_in_cgroup(const struct cg_system *sys)
{
    return sys->mech != CG_RLIMIT && (sys->ctls & CG_F_MEMORY) != 0;
}

const char *
cg_mechanism_name(enum cg_mechanism m)
{
    switch (m) {
    case CG_V2: return "cgroup-v2";
    case CG_V1: return "cgroup-v1";
    case CG_RLIMIT: break;
    }
    return "rlimit";
}

const char *
cg_system_reason(const struct cg_system *sys)
{
    return sys->reason;
}

/* Remove what cg_detect created (instance groups must be freed first). Takes NULL. */
void
cg_system_free(struct cg_system *sys)
{
    if (sys == NULL)
        return;
    if (sys->mech == CG_V2) {
        cg_v2_teardown(sys);
    } else if (sys->mech == CG_V1) {
        for (size_t i = 0; i < sys->nh; i++)
            if (sys->h[i].ours)
                (void)cg_rmdir(sys->h[i].parent, sys->h[i].fake);
    }
    cg_system_clear(sys);
    free(sys->reason);
    free(sys);
}

/* ---- limits ------------------------------------------------------------------------ */

static void
cg_fmt_limit(char *buf, size_t len, int64_t v, const char *unset)
{
    if (v > 0)
        (void)snprintf(buf, len, "%" PRId64, v);
    else
        (void)snprintf(buf, len, "%s", unset);
}

static int64_t
cg_quota_us(double cpu)
{
    double q = cpu * CG_PERIOD_US;

    if (cpu <= 0)
        return 0;
    return q < CG_MIN_QUOTA_US ? CG_MIN_QUOTA_US : (int64_t)llround(q);
}

static int
cg_v2_limits(const struct cg_group *g, const struct cfg_limits *l, struct st_error *err)
{
    const struct cg_hier *h = &g->sys->h[0];
    const char *dir = g->dir[0];
    char v[64];

    if (h->ctls & CG_F_MEMORY) {
        cg_fmt_limit(v, sizeof(v), l->memory_bytes, "max");
        if (cg_write_err(dir, "memory.max", v, h->fake, err) == -1
            || cg_write_optional(dir, "memory.swap.max", l->memory_bytes > 0 ? "0" : "max",
                false, err) == -1)
            return -1;
    }
    if (h->ctls & CG_F_CPU) {
        int64_t q = cg_quota_us(l->cpu);
        if (q > 0)
            (void)snprintf(v, sizeof(v), "%" PRId64 " %d", q, CG_PERIOD_US);
        else
            (void)snprintf(v, sizeof(v), "max %d", CG_PERIOD_US);
        if (cg_write_err(dir, "cpu.max", v, h->fake, err) == -1)
            return -1;
    }
    if (h->ctls & CG_F_PIDS) {
        cg_fmt_limit(v, sizeof(v), l->pids, "max");
        if (cg_write_err(dir, "pids.max", v, h->fake, err) == -1)
            return -1;
    }
    return 0;
}

/* v1 memory: memsw must stay >= limit_in_bytes, so open memsw first, then set both. */
static int
cg_v1_memory(const char *dir, bool fake, int64_t bytes, struct st_error *err)
{
    char v[64];

    cg_fmt_limit(v, sizeof(v), bytes, "-1");
    if (cg_write_optional(dir, "memory.memsw.limit_in_bytes", "-1", true, err) == -1
        || cg_write_err(dir, "memory.limit_in_bytes", v, fake, err) == -1
        || cg_write_optional(dir, "memory.memsw.limit_in_bytes", v, true, err) == -1)
        return -1;
    return 0;
}

static int
cg_v1_limits(const struct cg_group *g, const struct cfg_limits *l, struct st_error *err)
{
    char v[64];

    for (size_t i = 0; i < g->n; i++) {
        const struct cg_hier *h = &g->sys->h[i];
        int64_t q = cg_quota_us(l->cpu);

        if ((h->ctls & CG_F_MEMORY) && cg_v1_memory(g->dir[i], h->fake, l->memory_bytes, err) == -1)
            return -1;
        if (h->ctls & CG_F_CPU) {
            (void)snprintf(v, sizeof(v), "%d", CG_PERIOD_US);
            if (cg_write_err(g->dir[i], "cpu.cfs_period_us", v, h->fake, err) == -1)
                return -1;
            cg_fmt_limit(v, sizeof(v), q, "-1");
            if (cg_write_err(g->dir[i], "cpu.cfs_quota_us", v, h->fake, err) == -1)
                return -1;
        }
        if (h->ctls & CG_F_PIDS) {
            cg_fmt_limit(v, sizeof(v), l->pids, "max");
            if (cg_write_err(g->dir[i], "pids.max", v, h->fake, err) == -1)
                return -1;
        }
    }
    return 0;
}

/* ---- groups ------------------------------------------------------------------------ */

/*
 * Create (or re-use) <parent>/<instance> in every hierarchy and write its limits.
 * Returns the group (caller frees with cg_group_free), or NULL with err set.
 */
struct cg_group *
cg_group_new(struct cg_system *sys, const char *instance, const struct cfg_limits *limits,
    struct st_error *err)
{
    struct cg_group *g;

    if (!cg_name_ok(instance)) {
        st_error_set(err, "invalid instance name for a cgroup: \"%s\"", instance ? instance : "");
        return NULL;
    }
    g = st_xcalloc(1, sizeof(*g));
    g->sys = sys;
    g->instance = st_xstrdup(instance);
    g->limits = *limits;
    if (sys->mech == CG_RLIMIT)
        return g;
    for (g->n = 0; g->n < sys->nh; g->n++) {
        char *dir = st_xasprintf("%s/%s", sys->h[g->n].parent, instance);

        if (mkdir(dir, 0755) == -1 && errno != EEXIST) {
            st_error_set(err, "mkdir %s: %s", dir, strerror(errno));
            free(dir);
            goto fail;
        }
        g->dir[g->n] = dir;
        g->procs[g->n] = st_xasprintf("%s/cgroup.procs", dir);
    }
    if (cg_group_set_limits(g, limits, err) == -1)
        goto fail;
    return g;
fail:
    cg_group_free(g);
    return NULL;
}

/* Rewrite the limits in place. 0, or -1 with err set (the old values may partly remain). */
int
cg_group_set_limits(struct cg_group *g, const struct cfg_limits *limits, struct st_error *err)
{
    int rc = 0;

    if (g->sys->mech == CG_V2)
        rc = cg_v2_limits(g, limits, err);
    else if (g->sys->mech == CG_V1)
        rc = cg_v1_limits(g, limits, err);
    if (rc == 0)
        g->limits = *limits;
    else
        st_error_prefix(err, "limits for %s", g->instance);
    return rc;
}

/* Write pid into cgroup.procs of every hierarchy (fake trees: the file is created). */
static int
cg_put(const struct cg_group *g, const char *pid, struct st_error *err)
{
    for (size_t i = 0; i < g->n; i++) {
        int fd = open(g->procs[i], O_WRONLY | O_TRUNC | O_CLOEXEC
            | (g->sys->h[i].fake ? O_CREAT : 0), 0644);
        if (fd == -1 || st_write_all(fd, pid, strlen(pid)) == -1) {
            int saved = errno;          /* the exec child reports errno to its parent */

            st_error_set(err, "write %s to %s: %s", pid, g->procs[i], strerror(saved));
            if (fd != -1)
                (void)close(fd);
            errno = saved;
            return -1;
        }
        (void)close(fd);
    }
    return 0;
}

/* Parent side: move pid into the group in every hierarchy. 0, or -1 with err set. */
int
cg_attach(struct cg_group *g, pid_t pid, struct st_error *err)
{
    char v[32];

    (void)snprintf(v, sizeof(v), "%ld", (long)pid);
    return cg_put(g, v, err);
}

/* Child side after fork: "0" (self) into cgroup.procs; only open/write/close on paths
   built before the fork, so it is safe in the child of a single-threaded parent. */
int
cg_enter(struct cg_group *g, struct st_error *err)
{
    return cg_put(g, "0", err);
}

static int
cg_setrlimit(int res, const char *name, rlim_t v, struct st_error *err)
{
    struct rlimit rl = { v, v };

    int saved;

    if (setrlimit(res, &rl) == 0)
        return 0;
    saved = errno;
    st_error_set(err, "setrlimit(%s, %llu): %s", name, (unsigned long long)v, strerror(saved));
    errno = saved;
    return -1;
}

/* Child side: RLIMIT_NOFILE, RLIMIT_CORE 0, RLIMIT_AS when memory is not a cgroup limit. */
int
cg_apply_rlimits(const struct cg_group *g, struct st_error *err)
{
    const struct cfg_limits *l = &g->limits;

    if (l->nofile > 0 && cg_setrlimit(RLIMIT_NOFILE, "RLIMIT_NOFILE", (rlim_t)l->nofile, err) == -1)
        return -1;
    if (cg_setrlimit(RLIMIT_CORE, "RLIMIT_CORE", 0, err) == -1)
        return -1;
    if (l->memory_bytes > 0 && !(g->sys->ctls & CG_F_MEMORY)
        && cg_setrlimit(RLIMIT_AS, "RLIMIT_AS", (rlim_t)l->memory_bytes, err) == -1)
        return -1;
    return 0;
}

/* Index of the hierarchy carrying ctl in g, or -1. */
static int
cg_hier_of(const struct cg_group *g, unsigned ctl)
{
    for (size_t i = 0; i < g->n; i++)
        if (g->sys->h[i].ctls & ctl)
            return (int)i;
    return -1;
}

/* Memory bytes and CPU seconds; each -1 when unknown. 0 when either is known, else -1. */
int
cg_usage(const struct cg_group *g, int64_t *memory_bytes, double *cpu_seconds)
{
    int64_t mem = -1, cpu = -1;
    double secs = -1;
    int i;

    if (g->sys->mech == CG_V2) {
        mem = cg_read_int(g->dir[0], "memory.current");
        if ((cpu = cg_read_key(g->dir[0], "cpu.stat", "usage_usec")) >= 0)
            secs = (double)cpu / 1e6;
    } else if (g->sys->mech == CG_V1) {
        if ((i = cg_hier_of(g, CG_F_MEMORY)) >= 0)
            mem = cg_read_int(g->dir[i], "memory.usage_in_bytes");
        for (size_t j = 0; j < g->n && cpu < 0; j++)
            cpu = cg_read_int(g->dir[j], "cpuacct.usage");
        if (cpu >= 0)
            secs = (double)cpu / 1e9;
    }
    *memory_bytes = mem;
    *cpu_seconds = secs;
    return mem >= 0 || secs >= 0 ? 0 : -1;
}

/* OOM kills in this group since it was created, or -1 when the kernel does not tell. */
int64_t
cg_oom_kills(const struct cg_group *g)
{
    int i;

    if (g->sys->mech == CG_V2 && (g->sys->ctls & CG_F_MEMORY))
        return cg_read_key(g->dir[0], "memory.events", "oom_kill");
    if (g->sys->mech == CG_V1 && (i = cg_hier_of(g, CG_F_MEMORY)) >= 0)
        return cg_read_key(g->dir[i], "memory.oom_control", "oom_kill");
    return -1;
}

/* Pids listed in path (a cgroup.procs file) into *pids (grown); count, or -1 with errno. */
static int
cg_read_pids(const char *path, pid_t **pids, size_t *cap)
{
    struct st_buf b = ST_BUF_INIT;
    size_t n = 0;
    char *p, *end;

    if (cg_read(NULL, path, &b) == -1)
        return errno == ENOENT ? 0 : -1;
    for (p = b.data; *p != '\0'; p = end) {
        long v = strtol(p, &end, 10);
        if (end == p)
            break;
        if (v <= 0)
            continue;
        if (n == *cap) {
            *cap = *cap ? *cap * 2 : 16;
            *pids = st_xrealloc(*pids, *cap * sizeof(**pids));
        }
        (*pids)[n++] = (pid_t)v;
    }
    st_buf_free(&b);
    return (int)n;
}

static bool
cg_pid_in(const pid_t *set, size_t n, pid_t pid)
{
    for (size_t i = 0; i < n; i++)
        if (set[i] == pid)
            return true;
    return false;
}

/*
 * Signal each process listed in the group, re-reading until a pass finds no new one
 * (a forking process may add children between the read and the kill). Each pid gets
 * sig once. Returns the number signalled, or -1 with err set.
 */
static int
cg_kill_each(struct cg_group *g, int sig, struct st_error *err)
{
    pid_t *pids = NULL, *done = NULL;
    size_t cap = 0, ndone = 0, donecap = 0;
    int n, rc = 0;

    for (int round = 0; round < 100; round++) {
        size_t fresh = 0;

        if ((n = cg_read_pids(g->procs[0], &pids, &cap)) == -1) {
            st_error_set(err, "read %s: %s", g->procs[0], strerror(errno));
            rc = -1;
            break;
        }
        for (int i = 0; i < n; i++) {
            if (cg_pid_in(done, ndone, pids[i]))
                continue;
            if (kill(pids[i], sig) == -1 && errno != ESRCH) {
                st_error_set(err, "kill(%ld, %d) in %s: %s", (long)pids[i], sig, g->dir[0],
                    strerror(errno));
                rc = -1;
            }
            if (ndone == donecap) {
                donecap = donecap ? donecap * 2 : 16;
                done = st_xrealloc(done, donecap * sizeof(*done));
            }
            done[ndone++] = pids[i];
            fresh++;
        }
        if (fresh == 0)
            break;
    }
    free(pids);
    free(done);
    return rc == 0 ? (int)ndone : -1;
}

/* Signal every process in the group. See cgroup.h. */
int
cg_kill(struct cg_group *g, int sig, struct st_error *err)
{
    pid_t *pids = NULL;
    size_t cap = 0;
    int n;

    if (g->sys->mech == CG_RLIMIT)
        return 0;
    if (g->sys->mech == CG_V2 && sig == SIGKILL && !g->sys->h[0].fake
        && cg_exists(g->dir[0], "cgroup.kill")) {
        n = cg_read_pids(g->procs[0], &pids, &cap);
        free(pids);
        if (cg_write_err(g->dir[0], "cgroup.kill", "1", false, err) == 0)
            return n < 0 ? 0 : n;
    }
    return cg_kill_each(g, sig, err);
}

/* True when no process is left (v2: cgroup.events "populated 0"; else cgroup.procs). */
bool
cg_is_empty(const struct cg_group *g)
{
    pid_t *pids = NULL;
    size_t cap = 0;
    int64_t populated;
    int n;

    if (g->sys->mech == CG_RLIMIT)
        return true;
    if (g->sys->mech == CG_V2 && !g->sys->h[0].fake
        && (populated = cg_read_key(g->dir[0], "cgroup.events", "populated")) >= 0)
        return populated == 0;
    n = cg_read_pids(g->procs[0], &pids, &cap);
    free(pids);
    return n <= 0;
}

/* Borrowed from g: the v2 group dir or the v1 memory one; "" with rlimit. */
const char *
cg_group_path(const struct cg_group *g)
{
    return g->n > 0 ? g->dir[0] : "";
}

/* Remove the group's directories (each hierarchy) and free it. Takes NULL. */
void
cg_group_free(struct cg_group *g)
{
    if (g == NULL)
        return;
    for (size_t i = 0; i < CG_MAXH; i++) {
        if (g->dir[i] != NULL)
            (void)cg_rmdir(g->dir[i], g->sys->h[i].fake);
        free(g->dir[i]);
        free(g->procs[i]);
    }
    free(g->instance);
    free(g);
}
