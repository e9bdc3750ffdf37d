/* t_reload.c -- the reload plan: unchanged, changed, added, removed per instance; and
   its application (sup_reload) against stubs of instance.c that record each operation. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg.h"
#include "proc.h"
#include "reload.h"
#include "sup.h"
#include "tap.h"

/* --- stubs of instance.c / sup.c: each call appends "op:name " to calls --- */
static char calls[4096];
static struct instance *stub_procs[16];
static size_t stub_nprocs;

static void
record(const char *op, const char *name)
{
    size_t n = strlen(calls);

    (void)snprintf(calls + n, sizeof(calls) - n, "%s:%s ", op, name);
}

struct instance *
sup_find(struct sup *s, const char *name)
{
    (void)s;
    for (size_t i = 0; i < stub_nprocs; i++)
        if (strcmp(stub_procs[i]->name, name) == 0)
            return stub_procs[i];
    return NULL;
}

void
sup_instance_follow(struct instance *in, const struct cfg_worker *neww)
{
    in->wcfg = neww;
    record("follow", in->name);
}

void
sup_instance_change(struct sup *s, struct instance *in, const struct cfg_worker *neww)
{
    (void)s;
    in->wcfg = neww;
    record("change", in->name);
}

int
sup_instance_set_limits(struct sup *s, struct instance *in, const struct cfg_worker *neww,
    struct st_error *err)
{
    (void)s;
    (void)err;
    in->wcfg = neww;
    record("limits", in->name);
    return 0;
}

void
sup_instance_revive(struct sup *s, struct instance *in, const struct cfg_worker *neww, int index)
{
    (void)s;
    (void)index;
    in->wcfg = neww;
    record("revive", in->name);
}

struct instance *
sup_instance_new(struct sup *s, const struct cfg_worker *w, int index, struct st_error *err)
{
    char *name = reload_instance_name(w, index);
    struct instance *in = proc_new(name, w->name, index, w, false);

    (void)s;
    (void)err;
    free(name);
    return in;
}

void
sup_add_instance(struct sup *s, struct instance *in)
{
    (void)s;
    if (stub_nprocs < ST_ARRAY_LEN(stub_procs))
        stub_procs[stub_nprocs++] = in;
    record("add", in->name);
}

void
sup_start_instance(struct sup *s, struct instance *in)
{
    (void)s;
    record("start", in->name);
}

void
sup_remove_instance(struct sup *s, struct instance *in)
{
    (void)s;
    record("remove", in->name);
}

static int stub_reload_rc;

int
sup_instance_reload(struct sup *s, struct instance *in, const struct cfg_worker *neww,
    unsigned generation, const char *digest, struct st_error *err)
{
    char buf[128];

    (void)s;
    (void)err;
    (void)snprintf(buf, sizeof(buf), "%u/%s", generation, digest);
    record("reload", in->name);
    record(" msg", buf);
    if (stub_reload_rc == 0)
        in->wcfg = neww;
    return stub_reload_rc;
}

void
sup_notify(struct sup *s, const char *msg)
{
    (void)s;
    (void)msg;
}

static struct cfg *
load(const char *text)
{
    struct cfg_diag d = CFG_DIAG_INIT;
    struct cfg *c = cfg_load_string(text, "test.conf", &d);

    if (c == NULL)
        printf("# config error: %s\n", cfg_diag_first(&d));
    cfg_diag_free(&d);
    return c;
}

static const char *
action_of(const struct reload_plan *p, const char *name)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->items[i].name, name) == 0)
            return reload_action_name(p->items[i].action);
    return "absent";
}

static const char OLD[] =
    "workers = ( { name = \"a\"; kind = \"exec\"; command = [\"/bin/sleep\", \"100\"]; },\n"
    "            { name = \"b\"; kind = \"exec\"; command = [\"/bin/sleep\", \"100\"]; },\n"
    "            { name = \"c\"; kind = \"exec\"; command = [\"/bin/sleep\", \"100\"]; count = 2; } );\n";

static const char NEW[] =
    "workers = ( { name = \"a\"; kind = \"exec\"; command = [\"/bin/sleep\", \"100\"]; },\n"
    "            { name = \"b\"; kind = \"exec\"; command = [\"/bin/sleep\", \"200\"]; },\n"
    "            { name = \"c\"; kind = \"exec\"; command = [\"/bin/sleep\", \"100\"]; count = 3; },\n"
    "            { name = \"d\"; kind = \"exec\"; command = [\"/bin/sleep\", \"100\"]; } );\n";

static const char NO_B[] =
    "workers = ( { name = \"a\"; kind = \"exec\"; command = [\"/bin/sleep\", \"100\"]; } );\n";

static void
test_plan_per_instance(void)
{
    struct cfg *old = load(OLD), *new = load(NEW);
    struct reload_plan p;

    if (old == NULL || new == NULL) {
        ok(0, "test configs load");
        return;
    }
    reload_plan_make(old, new, &p);
    is_str(action_of(&p, "a"), "unchanged", "same settings: unchanged");
    is_str(action_of(&p, "b"), "changed", "new command: changed");
    is_str(action_of(&p, "c.1"), "unchanged", "count grew: existing instance unchanged");
    is_str(action_of(&p, "c.3"), "added", "count grew: new instance added");
    is_str(action_of(&p, "d"), "added", "new entry: added");
    is_int(p.n, 6, "one item per instance");
    reload_plan_free(&p);
    cfg_free(old);
    cfg_free(new);
}

static void
test_removed_entries_are_listed(void)
{
    struct cfg *old = load(OLD), *new = load(NO_B);
    struct reload_plan p;

    if (old == NULL || new == NULL) {
        ok(0, "test configs load");
        return;
    }
    reload_plan_make(old, new, &p);
    is_str(action_of(&p, "b"), "removed", "entry gone: removed");
    is_str(action_of(&p, "c.2"), "removed", "every instance of a gone entry is removed");
    is_str(action_of(&p, "a"), "unchanged", "the kept one is unchanged");
    reload_plan_free(&p);
    cfg_free(old);
    cfg_free(new);
}

static const char POLICY_OLD[] =
    "steward = { start_limit_burst = 5; };\n"
    "workers = ( { name = \"a\"; kind = \"exec\"; command = [\"/bin/sleep\", \"100\"]; } );\n";
static const char POLICY_NEW[] =
    "steward = { start_limit_burst = 9; stable_s = 5.0; };\n"
    "workers = ( { name = \"a\"; kind = \"exec\"; command = [\"/bin/sleep\", \"100\"];\n"
    "              restart = \"on-failure\"; ready_after_s = 2.0; } );\n";

static void
test_restart_policy_needs_no_restart(void)
{
    struct cfg *old = load(POLICY_OLD), *new = load(POLICY_NEW);
    struct reload_plan p;

    if (old == NULL || new == NULL) {
        ok(0, "test configs load");
        return;
    }
    reload_plan_make(old, new, &p);
    is_str(action_of(&p, "a"), "unchanged", "start limits, restart policy, ready_after_s: unchanged");
    reload_plan_free(&p);
    cfg_free(old);
    cfg_free(new);
}

static const char LIMITS_OLD[] =
    "workers = ( { name = \"a\"; kind = \"exec\"; command = [\"/bin/sleep\", \"100\"]; },\n"
    "            { name = \"b\"; kind = \"exec\"; command = [\"/bin/sleep\", \"100\"]; },\n"
    "            { name = \"c\"; kind = \"exec\"; command = [\"/bin/sleep\", \"100\"];\n"
    "              limits = { memory = \"64M\"; cpu = 0.5; }; },\n"
    "            { name = \"d\"; kind = \"exec\"; command = [\"/bin/sleep\", \"100\"]; } );\n";
static const char LIMITS_NEW[] =
    "workers = ( { name = \"a\"; kind = \"exec\"; command = [\"/bin/sleep\", \"100\"];\n"
    "              limits = { memory = \"64M\"; cpu = 0.5; pids = 10; }; },\n"
    "            { name = \"b\"; kind = \"exec\"; command = [\"/bin/sleep\", \"100\"];\n"
    "              limits = { nofile = 256; }; },\n"
    "            { name = \"c\"; kind = \"exec\"; command = [\"/bin/sleep\", \"100\"]; },\n"
    "            { name = \"d\"; kind = \"exec\"; command = [\"/bin/sleep\", \"200\"];\n"
    "              limits = { memory = \"64M\"; }; } );\n";

static void
test_limits_change_in_place_but_nofile_restarts(void)
{
    struct cfg *old = load(LIMITS_OLD), *new = load(LIMITS_NEW);
    struct reload_plan p;

    if (old == NULL || new == NULL) {
        ok(0, "test configs load");
        return;
    }
    reload_plan_make(old, new, &p);
    is_str(action_of(&p, "a"), "limits", "new memory, cpu, pids: limits (in place)");
    is_str(action_of(&p, "b"), "changed", "new nofile (an rlimit): changed");
    is_str(action_of(&p, "c"), "limits", "limits removed: limits");
    is_str(action_of(&p, "d"), "changed", "limits and command: changed");
    reload_plan_free(&p);
    cfg_free(old);
    cfg_free(new);
}

static void
test_instance_names(void)
{
    struct cfg_worker w;
    char *n;

    memset(&w, 0, sizeof(w));
    w.name = "transform";
    w.count = 1;
    n = reload_instance_name(&w, 1);
    is_str(n, "transform", "count 1: the entry's name");
    free(n);
    w.count = 2;
    n = reload_instance_name(&w, 2);
    is_str(n, "transform.2", "count 2: NAME.2");
    free(n);
}

/* The file is written, sup_reload re-reads it and calls one operation per instance. */
static void
test_apply_calls_one_operation_per_instance(void)
{
    char path[] = "/tmp/t_reload_XXXXXX";
    int fd = mkstemp(path);
    struct sup s = { .conf_path = path, .generation = 1 };
    FILE *f;

    s.cfg = load(OLD);
    ok(fd != -1 && s.cfg != NULL, "old config and a temp file");
    if (fd == -1 || s.cfg == NULL)
        return;
    for (size_t i = 0; i < s.cfg->nworkers; i++)
        for (int k = 1; k <= s.cfg->workers[i].count; k++) {
            char *name = reload_instance_name(&s.cfg->workers[i], k);
            stub_procs[stub_nprocs++] = proc_new(name, s.cfg->workers[i].name, k,
                &s.cfg->workers[i], false);
            free(name);
        }
    f = fdopen(fd, "w");
    fputs(NEW, f);
    fclose(f);
    calls[0] = '\0';
    is_int(sup_reload(&s, NULL), 0, "reload applied");
    is_str(calls, "follow:a change:b follow:c.1 follow:c.2 add:c.3 start:c.3 add:d start:d ",
        "a follows, b restarts, c.3 and d start");
    is_int(s.generation, 2, "generation counted");
    f = fopen(path, "w");
    fputs("workers = ( { name = ", f);
    fclose(f);
    calls[0] = '\0';
    is_int(sup_reload(&s, NULL), -1, "invalid file refused");
    is_str(calls, "", "nothing applied");
    is_int(s.generation, 2, "generation kept");
    unlink(path);
    for (size_t i = 0; i < stub_nprocs; i++)
        proc_free(stub_procs[i]);
    stub_nprocs = 0;
    cfg_free(s.cfg);
}

/* A reloadable item keeps the instance (RELOAD with the new generation and digest); when
   the instance cannot be told, it is restarted instead. */
static void
test_apply_reloadable(void)
{
    struct cfg *old = load(OLD), *new = load(OLD);
    struct instance *in;
    struct reload_plan p;
    size_t counts[RELOAD_NACTIONS];

    if (old == NULL || new == NULL)
        return;
    in = proc_new("a", "a", 1, &old->workers[0], true);
    stub_procs[stub_nprocs++] = in;
    reload_plan_make(old, new, &p);
    is_int(p.n, 4, "four instances");
    is_str(reload_action_name(RELOAD_RELOADABLE), "reloadable", "action name");
    p.items[0].action = RELOAD_RELOADABLE;      /* what cfg_worker_change will decide */
    calls[0] = '\0';
    stub_reload_rc = 0;
    reload_apply(NULL, &p, 7, "ab12", counts);
    like(calls, "reload:a  msg:7/ab12 ", "RELOAD sent with the new generation and digest");
    unlike(calls, "change:a", "not restarted");
    is_int(counts[RELOAD_RELOADABLE], 1, "counted as reloaded");
    calls[0] = '\0';
    stub_reload_rc = -1;
    reload_apply(NULL, &p, 8, "cd34", counts);
    like(calls, "reload:a  msg:8/cd34 change:a ", "cannot be told: restarted instead");
    reload_plan_free(&p);
    stub_nprocs = 0;
    proc_free(in);
    cfg_free(old);
    cfg_free(new);
}

int
main(void)
{
    test_plan_per_instance();
    test_removed_entries_are_listed();
    test_restart_policy_needs_no_restart();
    test_limits_change_in_place_but_nofile_restarts();
    test_instance_names();
    test_apply_calls_one_operation_per_instance();
    test_apply_reloadable();
    return done_testing();
}
