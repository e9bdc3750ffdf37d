/* t_reload.c -- the reload plan: unchanged, changed, added, removed per instance. */
#include "config.h"

#include <string.h>

#include "cfg.h"
#include "reload.h"
#include "tap.h"

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

int
main(void)
{
    test_plan_per_instance();
    test_removed_entries_are_listed();
    test_restart_policy_needs_no_restart();
    test_limits_change_in_place_but_nofile_restarts();
    test_instance_names();
    return done_testing();
}
