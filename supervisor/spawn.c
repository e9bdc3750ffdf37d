/*
 * spawn.c -- fork (native kinds) and fork+exec (`exec` kind) per STYLE.md §10.
 * Owns the child side completely: signal reset, fd hygiene, cgroup entry, rlimits,
 * user switch, explicit environment, and the close-on-exec error pipe that tells the
 * parent why an exec failed. Does not own the instance table or the state machine
 * (proc.c), nor reaping (sup.c) and exit handling (instance.c).
 * Tests: tests/integration/t_sup_basic.sh, t_sup_orphans.sh, t_sup_native.sh
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <event2/event.h>

#include "cgroup.h"
#include "log.h"
#include "sup.h"
#include "worker.h"

#define SPAWN_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

enum spawn_stage { STAGE_CGROUP = 1, STAGE_RLIMIT, STAGE_USER, STAGE_CWD, STAGE_EXEC, STAGE_FD };

struct spawn_err {                  /* what the exec child writes into the error pipe */
    int stage;
    int errnum;
};

/* Everything the exec child needs, computed before fork (no allocation after it). */
struct exec_plan {
    char **argv;                    /* borrowed from cfg */
    char **envp;                    /* owned */
    size_t nenv;
    const char *cwd;
    bool switch_user;
    uid_t uid;
    gid_t gid;
    const char *user;
};

static void
child_default_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    for (int sig = 1; sig < NSIG; sig++)
        (void)sigaction(sig, &sa, NULL);
}

static int
cmp_int(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

/* Close every fd except keep[0..n) (n <= 4). */
static void
child_keep_fds(const int *keep, size_t n)
{
    int k[4];
    unsigned lo = 0;

    memcpy(k, keep, n * sizeof(int));
    qsort(k, n, sizeof(int), cmp_int);
    for (size_t i = 0; i < n; i++) {
        if (k[i] < 0)
            continue;
        if ((unsigned)k[i] > lo)
            (void)syscall(SYS_close_range, lo, (unsigned)k[i] - 1, 0);
        lo = (unsigned)k[i] + 1;
    }
    (void)syscall(SYS_close_range, lo, ~0U, 0);
}

/* Put /dev/null on fd (0 or 1) without disturbing other fds. */
static void
child_devnull(int fd, int flags)
{
    int nfd = open("/dev/null", flags | O_CLOEXEC);

    if (nfd == -1)
        return;
    if (nfd != fd) {
        (void)dup2(nfd, fd);
        close(nfd);
    } else {
        (void)fcntl(fd, F_SETFD, 0);
    }
}

/* Common start of every child: forget the parent's loop and signals. */
static void
child_reset(struct sup *s)
{
    if (event_reinit(s->base) == 0)     /* stop sharing the epoll set and signal pipe */
        event_base_free(s->base);
    child_default_signals();
}

static pid_t spawn_parent_pid;     /* the supervisor, recorded before each fork */

/*
 * SIGKILL should the supervisor die: a SIGKILLed supervisor would otherwise leave
 * programs running unsupervised (SIGTERM was not enough: a program may ignore it, as
 * `trap '' TERM; exec sleep` does). Set right after fork, and again after any setuid
 * (which clears it). The supervisor may already be gone by then: leave at once.
 * Only the direct child gets it: its own children are swept by the cgroup kill.
 */
static void
child_death_signal(void)
{
    (void)prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != spawn_parent_pid)
        _exit(WORKER_EXIT_SETUP);
}

/* Last step before the child runs: the death signal again (after setuid), then unblock
   signals. */
static void
child_unblock(void)
{
    sigset_t none;

    child_death_signal();
    sigemptyset(&none);
    (void)sigprocmask(SIG_SETMASK, &none, NULL);
}

/* fork with every signal blocked; the parent gets its mask back. */
static pid_t
spawn_fork(sigset_t *old)
{
    sigset_t all;
    pid_t pid;
    int saved;

    sigfillset(&all);
    if (sigprocmask(SIG_BLOCK, &all, old) == -1)
        return -1;
    spawn_parent_pid = getpid();
    pid = fork();
    if (pid == 0)
        child_death_signal();
    if (pid != 0) {
        saved = errno;
        (void)sigprocmask(SIG_SETMASK, old, NULL);
        errno = saved;
    }
    return pid;
}

static pid_t
spawn_native(struct sup *s, struct instance *in, const struct worker_kind *kind,
    struct spawn_result *res, struct st_error *err)
{
    struct worker_ctx ctx;
    struct st_error cerr = ST_ERROR_INIT;
    sigset_t old;
    int sp[2];
    pid_t pid;

    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) == -1) {
        st_error_set(err, "socketpair for %s: %s", in->name, strerror(errno));
        return -1;
    }
    ctx = (struct worker_ctx){
        .cfg = s->cfg, .wcfg = in->wcfg, .instance = in->name, .index = in->index,
        .sup_fd = sp[1], .ctl_fd = in->ctl_fd, .listen_fd = in->listen_fd,
        .conf_path = s->conf_path, .heartbeat_s = s->cfg->steward.heartbeat_s,
        .generation = s->generation, .ctl_owner_uid = s->owner_uid,
        .ctl_group_gid = s->group_gid,
    };
    if ((pid = spawn_fork(&old)) == -1) {
        st_error_set(err, "fork for %s: %s", in->name, strerror(errno));
        close(sp[0]);
        close(sp[1]);
        return -1;
    }
    if (pid == 0) {
        int keep[4] = { sp[1], in->ctl_fd, STDERR_FILENO, in->listen_fd };

        child_reset(s);
        child_keep_fds(keep, 4);
        child_devnull(STDIN_FILENO, O_RDONLY);
        child_devnull(STDOUT_FILENO, O_WRONLY);
        log_set_process(in->name);
        if (in->cg != NULL && (cg_enter(in->cg, &cerr) == -1 || cg_apply_rlimits(in->cg, &cerr) == -1)) {
            log_error("worker setup failed", LF_STR("error", cerr.msg));
            _exit(WORKER_EXIT_SETUP);
        }
        child_unblock();
        _exit(kind->main(&ctx));
    }
    close(sp[1]);
    res->sp_fd = sp[0];
    res->heartbeat_s = ctx.heartbeat_s;     /* what this process beats at, across reloads */
    (void)fcntl(res->sp_fd, F_SETFL, O_NONBLOCK);
    return pid;
}

static void
exec_plan_free(struct exec_plan *p)
{
    for (size_t i = 0; i < p->nenv; i++)
        free(p->envp[i]);
    free(p->envp);
}

/* Append "k=v", replacing an earlier entry for the same key. */
static void
exec_env_set(struct exec_plan *p, const char *k, const char *v)
{
    size_t klen = strlen(k);

    for (size_t i = 0; i < p->nenv; i++) {
        if (strncmp(p->envp[i], k, klen) == 0 && p->envp[i][klen] == '=') {
            free(p->envp[i]);
            p->envp[i] = st_xasprintf("%s=%s", k, v);
            return;
        }
    }
    p->envp = st_xrealloc(p->envp, (p->nenv + 2) * sizeof(char *));
    p->envp[p->nenv++] = st_xasprintf("%s=%s", k, v);
    p->envp[p->nenv] = NULL;
}

static int
exec_plan_init(struct exec_plan *p, const struct cfg_worker *w, struct st_error *err)
{
    struct passwd *pw = getpwuid(geteuid());
    const char *home = pw != NULL && pw->pw_dir != NULL ? pw->pw_dir : "/";
    char *own_home = st_xstrdup(home);      /* getpwnam below reuses the static entry */

    memset(p, 0, sizeof(*p));
    home = own_home;
    if (w->command == NULL || w->command[0] == NULL) {
        st_error_set(err, "worker %s: exec kind needs a command", w->name);
        goto fail;
    }
    p->argv = w->command;
    p->cwd = w->cwd;
    if (w->user != NULL && w->user[0] != '\0') {
        errno = 0;
        if ((pw = getpwnam(w->user)) == NULL) {
            st_error_set(err, "user %s: %s", w->user, errno ? strerror(errno) : "no such user");
            goto fail;
        }
        if (geteuid() != 0 && pw->pw_uid != geteuid()) {
            st_error_set(err, "user %s: steward must run as root to switch users", w->user);
            goto fail;
        }
        p->switch_user = geteuid() == 0;
        p->uid = pw->pw_uid;
        p->gid = pw->pw_gid;
        p->user = w->user;
        home = pw->pw_dir;
    }
    exec_env_set(p, "PATH", SPAWN_PATH);
    exec_env_set(p, "HOME", home);
    exec_env_set(p, "LANG", "C.UTF-8");
    if (p->user != NULL) {
        exec_env_set(p, "USER", p->user);
        exec_env_set(p, "LOGNAME", p->user);
    }
    for (size_t i = 0; i < w->nenv; i++)
        exec_env_set(p, w->env[i].key, w->env[i].value);
    free(own_home);
    return 0;
fail:
    free(own_home);
    return -1;
}

static void
exec_child_fail(int fd, int stage, int errnum)
{
    struct spawn_err e = { stage, errnum };

    (void)!write(fd, &e, sizeof(e));
    _exit(127);
}

/* The exec child after fork: never returns. */
static void
exec_child(struct sup *s, struct instance *in, const struct exec_plan *p, int outw, int errw)
{
    struct st_error cerr = ST_ERROR_INIT;
    int keep[3] = { STDOUT_FILENO, STDERR_FILENO, -1 };

    child_reset(s);
    (void)setsid();                 /* its own process group: stop signals reach helpers */
    /* Lift both pipe ends above 2 so that dup2 below never lands on itself. */
    outw = fcntl(outw, F_DUPFD_CLOEXEC, 3);
    errw = fcntl(errw, F_DUPFD_CLOEXEC, 3);
    if (errw == -1)
        _exit(127);
    if (outw == -1 || dup2(outw, STDOUT_FILENO) == -1 || dup2(outw, STDERR_FILENO) == -1)
        exec_child_fail(errw, STAGE_FD, errno);
    keep[2] = errw;
    child_keep_fds(keep, 3);
    child_devnull(STDIN_FILENO, O_RDONLY);
    if (in->cg != NULL && cg_enter(in->cg, &cerr) == -1)
        exec_child_fail(errw, STAGE_CGROUP, errno ? errno : EPERM);
    if (in->cg != NULL && cg_apply_rlimits(in->cg, &cerr) == -1)
        exec_child_fail(errw, STAGE_RLIMIT, errno ? errno : EPERM);
    if (p->switch_user && (setgid(p->gid) == -1 || initgroups(p->user, p->gid) == -1
        || setuid(p->uid) == -1))
        exec_child_fail(errw, STAGE_USER, errno);
    if (p->cwd != NULL && p->cwd[0] != '\0' && chdir(p->cwd) == -1)
        exec_child_fail(errw, STAGE_CWD, errno);
    child_unblock();
    execve(p->argv[0], p->argv, p->envp);
    exec_child_fail(errw, STAGE_EXEC, errno);
}

/* Read the child's verdict: 0 when exec happened, else -1 with err describing it. */
static int
exec_verdict(int fd, const struct exec_plan *p, struct st_error *err)
{
    struct spawn_err e;
    ssize_t n;

    do
        n = read(fd, &e, sizeof(e));
    while (n == -1 && errno == EINTR);
    if (n != (ssize_t)sizeof(e))
        return 0;
    switch (e.stage) {
    case STAGE_CGROUP: st_error_set(err, "enter cgroup: %s", strerror(e.errnum)); break;
    case STAGE_RLIMIT: st_error_set(err, "set rlimits: %s", strerror(e.errnum)); break;
    case STAGE_USER: st_error_set(err, "switch to user %s: %s", p->user, strerror(e.errnum)); break;
    case STAGE_CWD: st_error_set(err, "chdir %s: %s", p->cwd, strerror(e.errnum)); break;
    case STAGE_FD: st_error_set(err, "redirect output: %s", strerror(e.errnum)); break;
    default: st_error_set(err, "exec %s: %s", p->argv[0], strerror(e.errnum)); break;
    }
    return -1;
}

static pid_t
spawn_exec(struct sup *s, struct instance *in, struct spawn_result *res, struct st_error *err)
{
    struct exec_plan plan;
    struct st_error xerr = ST_ERROR_INIT;
    int out[2] = { -1, -1 }, ep[2] = { -1, -1 };
    sigset_t old;
    pid_t pid = -1;

    if (exec_plan_init(&plan, in->wcfg, err) == -1)
        return -1;
    if (pipe2(out, O_CLOEXEC) == -1 || pipe2(ep, O_CLOEXEC) == -1) {
        st_error_set(err, "pipe for %s: %s", in->name, strerror(errno));
        goto out;
    }
    if ((pid = spawn_fork(&old)) == -1) {
        st_error_set(err, "fork for %s: %s", in->name, strerror(errno));
        goto out;
    }
    if (pid == 0)
        exec_child(s, in, &plan, out[1], ep[1]);
    close(ep[1]);
    ep[1] = -1;
    close(out[1]);
    out[1] = -1;
    res->out_fd = out[0];
    out[0] = -1;
    (void)fcntl(res->out_fd, F_SETFL, O_NONBLOCK);
    res->exec_ok = exec_verdict(ep[0], &plan, &xerr) == 0;
    if (!res->exec_ok)
        log_error("worker program could not start", LF_STR("worker", in->name),
            LF_STR("error", xerr.msg));
out:
    for (int i = 0; i < 2; i++) {
        if (out[i] != -1)
            close(out[i]);
        if (ep[i] != -1)
            close(ep[i]);
    }
    exec_plan_free(&plan);
    return pid;
}

pid_t
spawn_instance(struct sup *s, struct instance *in, struct spawn_result *res,
    struct st_error *err)
{
    const struct worker_kind *kind;

    *res = (struct spawn_result){ .sp_fd = -1, .out_fd = -1, .exec_ok = false,
        .heartbeat_s = in->heartbeat_s };

    if (!in->native)
        return spawn_exec(s, in, res, err);
    if ((kind = worker_kind_find(in->wcfg->kind)) == NULL) {
        st_error_set(err, "worker %s: unknown kind %s", in->name, in->wcfg->kind);
        return -1;
    }
    return spawn_native(s, in, kind, res, err);
}
