/*
 * sup.c -- `steward run`: the supervisor's run loop (DESIGN.md "Processes").
 * Owns startup (run dir, control socket, cgroups, the first instances), signals (as
 * libevent events), reaping, shutdown, the 1 s tick and systemd's watchdog. Leaves the
 * instance lifecycle to instance.c (state transitions to proc.c, fork/exec to spawn.c),
 * control commands to sup_ctl.c, reload to reload.c, /proc reading to proc_stat.c.
 * Tests: tests/integration/t_sup_basic.sh, t_sup_shutdown.sh, t_sup_orphans.sh
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <event2/event.h>
#include <json-c/json.h>

#include "cgroup.h"
#include "cmds.h"
#include "ctl.h"
#include "log.h"
#include "metrics.h"
#include "notify.h"
#include "proc_stat.h"
#include "reload.h"
#include "sup.h"
#include "worker.h"

/* One SIGCHLD may cover many exits; orphans we adopted as subreaper are just reaped. Each
   exit is looked at before it is reaped (WNOWAIT), while /proc still shows its limits. */
static void
sup_reap(struct sup *s)
{
    struct instance *in;
    siginfo_t si;
    bool cpu_limit;
    int status;

    for (;;) {
        memset(&si, 0, sizeof(si));
        if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) == -1 || si.si_pid == 0)
            return;
        in = sup_find_pid(s, si.si_pid);
        cpu_limit = in != NULL && !in->sigkilled && si.si_code == CLD_KILLED
            && si.si_status == SIGKILL && proc_stat_cpu_limit_hit(si.si_pid);
        if (waitpid(si.si_pid, &status, WNOHANG) != si.si_pid)
            return;
        if (in != NULL)
            sup_exited(s, in, status, cpu_limit);
    }
}

static void
sup_begin_stop(struct sup *s)
{
    s->stop_requests++;
    if (s->stop_requests > 1) {
        log_warn("second stop request, killing every worker now");
        for (size_t i = 0; i < s->nprocs; i++)
            sup_kill_all(s->procs[i], true);
        return;
    }
    s->stopping = true;
    sup_notify(s, "STOPPING=1");
    log_info("stopping", LF_DBL("shutdown_timeout_s", s->cfg->steward.shutdown_timeout_s));
    for (size_t i = 0; i < s->nprocs; i++) {
        struct instance *in = s->procs[i];
        sup_stop_instance(s, in, false);
    }
    sup_check_stopped(s);
}

static void
sup_on_signal(evutil_socket_t sig, short what, void *arg)
{
    struct sup *s = arg;

    (void)what;
    switch (sig) {
    case SIGCHLD: sup_reap(s); break;
    case SIGHUP: (void)sup_reload(s, NULL); break;
    case SIGTERM:
    case SIGINT: sup_begin_stop(s); break;
    }
}

static void
sup_on_tick(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    sup_watchdog_tick(arg);
}

static void
sup_on_systemd_watchdog(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    sup_notify(arg, "WATCHDOG=1");
}

/* Signals as loop events, the 1 s tick, and systemd's watchdog at half its interval. */
static int
sup_open_signals(struct sup *s, struct st_error *err)
{
    static const int sigs[4] = { SIGCHLD, SIGHUP, SIGTERM, SIGINT };
    struct timeval tick = { SUP_TICK_MS / 1000, (SUP_TICK_MS % 1000) * 1000 };

    (void)signal(SIGPIPE, SIG_IGN);
    for (size_t i = 0; i < 4; i++) {
        s->ev_sig[i] = evsignal_new(s->base, sigs[i], sup_on_signal, s);
        if (s->ev_sig[i] == NULL || evsignal_add(s->ev_sig[i], NULL) == -1) {
            st_error_set(err, "watch signal %d: %s", sigs[i], strerror(errno));
            return -1;
        }
    }
    s->ev_tick = event_new(s->base, -1, EV_PERSIST, sup_on_tick, s);
    if (s->ev_tick == NULL || event_add(s->ev_tick, &tick) == -1) {
        st_error_set(err, "add the watchdog tick: %s", strerror(errno));
        return -1;
    }
    if (s->watchdog_usec > 0) {
        struct timeval wd = { (time_t)(s->watchdog_usec / 2000000),
            (suseconds_t)((s->watchdog_usec / 2) % 1000000) };
        s->ev_watchdog = event_new(s->base, -1, EV_PERSIST, sup_on_systemd_watchdog, s);
        if (s->ev_watchdog == NULL || event_add(s->ev_watchdog, &wd) == -1) {
            st_error_set(err, "add the systemd watchdog timer: %s", strerror(errno));
            return -1;
        }
    }
    return 0;
}

/*
 * The run dir, 0750: created here (mode set past the umask), or kept as found (systemd's
 * RuntimeDirectory). With control_group, a dir we own is given that group, so that members
 * can reach the 0660 sockets inside; never a shared sticky dir such as /tmp.
 */
static int
sup_run_dir(struct sup *s, struct st_error *err)
{
    bool created = mkdir(s->run_dir, 0750) == 0;
    struct stat st;

    if (!created && errno != EEXIST) {
        st_error_set(err, "create run dir %s: %s", s->run_dir, strerror(errno));
        return -1;
    }
    if (stat(s->run_dir, &st) == -1) {
        st_error_set(err, "stat run dir %s: %s", s->run_dir, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        st_error_set(err, "run dir %s is not a directory", s->run_dir);
        return -1;
    }
    if (created && chmod(s->run_dir, 0750) == -1) {
        st_error_set(err, "chmod 0750 %s: %s", s->run_dir, strerror(errno));
        return -1;
    }
    if (s->group_gid == (gid_t)-1 || st.st_gid == s->group_gid)
        return 0;
    if (st.st_uid != s->owner_uid || (st.st_mode & S_ISVTX)) {
        log_warn("run dir is not in the control group: its members cannot reach the sockets",
            LF_STR("run_dir", s->run_dir), LF_STR("group", s->cfg->steward.control_group));
        return 0;
    }
    if (chown(s->run_dir, (uid_t)-1, s->group_gid) == -1)     /* EPERM: not a member */
        log_warn("run dir is not in the control group: its members cannot reach the sockets",
            LF_STR("run_dir", s->run_dir), LF_STR("group", s->cfg->steward.control_group),
            LF_STR("error", strerror(errno)));
    return 0;
}

/* Run dir (0750), control socket, cgroups, then one instance per configured worker. */
static int
sup_prepare(struct sup *s, struct st_error *err)
{
    struct group *gr;
    char name[32];

    s->run_dir = st_xstrdup(s->cfg->steward.run_dir);
    s->owner_uid = geteuid();
    s->group_gid = (gid_t)-1;
    if (s->cfg->steward.control_group != NULL && s->cfg->steward.control_group[0] != '\0') {
        if ((gr = getgrnam(s->cfg->steward.control_group)) != NULL)
            s->group_gid = gr->gr_gid;
        else
            log_info("control group not found, only root and the daemon's user may connect",
                LF_STR("group", s->cfg->steward.control_group));
    }
    if (sup_run_dir(s, err) == -1)
        return -1;
    (void)snprintf(name, sizeof(name), "steward-%ld", (long)getpid());
    if ((s->cg = cg_detect(NULL, name, err)) == NULL)
        return -1;
    log_info("limits", LF_STR("mechanism", cg_mechanism_name(cg_mechanism(s->cg))),
        LF_STR("reason", cg_system_reason(s->cg)));
    s->ctl_path = st_xasprintf("%s/steward.sock", s->run_dir);
    if ((s->ctl_fd = sup_listen(s, s->ctl_path, err)) == -1)
        return -1;
    if (sup_ctl_setup(s, err) == -1)
        return -1;
    for (size_t i = 0; i < s->cfg->nworkers; i++) {
        for (int k = 1; k <= s->cfg->workers[i].count; k++) {
            struct instance *in = sup_instance_new(s, &s->cfg->workers[i], k, err);
            if (in == NULL)
                return -1;
            sup_add_instance(s, in);
        }
    }
    return 0;
}

static void
sup_cleanup(struct sup *s)
{
    while (s->nprocs > 0)
        sup_instance_destroy(s, s->procs[0]);
    free(s->procs);
    ctl_server_free(s->ctl);
    if (s->ctl_fd != -1) {
        close(s->ctl_fd);
        (void)unlink(s->ctl_path);
    }
    cg_system_free(s->cg);
    for (size_t i = 0; i < 4; i++)
        if (s->ev_sig[i] != NULL)
            event_free(s->ev_sig[i]);
    if (s->ev_tick != NULL)
        event_free(s->ev_tick);
    if (s->ev_watchdog != NULL)
        event_free(s->ev_watchdog);
    met_registry_free(s->met);
    notify_close(s->notify);
    cfg_free(s->cfg);
    if (s->base != NULL)
        event_base_free(s->base);
    free(s->ctl_path);
    free(s->run_dir);
}

/* Log every config problem, one record each. */
static void
sup_log_diag(const struct cfg_diag *d)
{
    for (size_t i = 0; i < d->n; i++)
        log_error("config error", LF_STR("error", d->msgs[i]));
}

static const char sup_run_usage[] = "usage: steward run [-c FILE]\n"
    "  -c, --config FILE   configuration (default: $STEWARD_CONF, else "
    "/etc/steward/steward.conf)\n";

/* Options into *conf. Returns 0, 1 for --help (printed), or 2 (usage printed). */
static int
sup_parse_args(int argc, char **argv, const char **conf)
{
    const char *env = getenv("STEWARD_CONF");

    *conf = env != NULL && env[0] != '\0' ? env : "/etc/steward/steward.conf";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(sup_run_usage, stdout);
            return 1;
        }
        if ((strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "--config") == 0) && i + 1 < argc) {
            *conf = argv[++i];
            continue;
        }
        fprintf(stderr, "steward run: unexpected argument: %s\n%s", argv[i], sup_run_usage);
        return 2;
    }
    return 0;
}

/* fds 0, 1 and 2 open (on /dev/null when missing), so that no socket or pipe of ours
   lands on them; and no signal blocked by whoever started us. */
static void
sup_std_fds(void)
{
    sigset_t none;

    sigemptyset(&none);
    (void)sigprocmask(SIG_SETMASK, &none, NULL);
    for (int fd = 0; fd < 3; fd++) {
        if (fcntl(fd, F_GETFD) == -1) {
            int n = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
            if (n != -1 && n != fd) {
                (void)dup2(n, fd);
                close(n);
            }
        }
    }
}

int
cmd_run(int argc, char **argv)
{
    struct sup sup = { .ctl_fd = -1 };
    struct cfg_diag diag = CFG_DIAG_INIT;
    struct st_error err = ST_ERROR_INIT;
    const char *conf;
    int level, rc;

    if ((rc = sup_parse_args(argc, argv, &conf)) != 0)
        return rc == 1 ? 0 : rc;
    rc = 1;
    log_set_process("steward");
    sup_std_fds();
    sup.conf_path = (char *)conf;
    if ((sup.cfg = cfg_load(conf, &diag)) == NULL) {
        sup_log_diag(&diag);
        cfg_diag_free(&diag);
        return 1;
    }
    if ((level = log_level_parse(sup.cfg->steward.log_level)) != -1)
        log_set_level((enum log_level)level);
    sup.generation = 1;
    sup.started_wall_us = st_wall_us();
    if ((sup.notify = notify_open(getenv("NOTIFY_SOCKET"), &err)) == NULL)
        goto fail;
    sup.watchdog_usec = notify_watchdog_usec(getenv("WATCHDOG_USEC"), getenv("WATCHDOG_PID"),
        (long)getpid());
    (void)unsetenv("NOTIFY_SOCKET");    /* children must not talk to systemd as us */
    (void)unsetenv("WATCHDOG_USEC");
    (void)unsetenv("WATCHDOG_PID");
    (void)prctl(PR_SET_CHILD_SUBREAPER, 1);     /* daemonized grandchildren come back to us */
    if ((sup.base = event_base_new()) == NULL) {
        st_error_set(&err, "event_base_new failed");
        goto fail;
    }
    if (sup_prepare(&sup, &err) == -1 || sup_open_signals(&sup, &err) == -1)
        goto fail;
    log_info("steward started", LF_STR("config", conf), LF_INT("workers", sup.nprocs),
        LF_STR("run_dir", sup.run_dir));
    for (size_t i = 0; i < sup.nprocs; i++)
        sup_start_instance(&sup, sup.procs[i]);
    sup.launched = true;
    sup_check_ready(&sup);
    if (event_base_dispatch(sup.base) != 0) {
        log_error("event loop failed, killing every worker");
        for (size_t i = 0; i < sup.nprocs; i++)
            sup_kill_all(sup.procs[i], true);
        goto out;
    }
    sup_reap(&sup);
    log_info("steward stopped");
    rc = 0;
    goto out;
fail:
    log_error("steward cannot start", LF_STR("error", err.msg));
    /* children already started are stopped hard */
    for (size_t i = 0; i < sup.nprocs; i++)
        sup_kill_all(sup.procs[i], true);
out:
    sup_cleanup(&sup);
    return rc;
}
