#!/bin/bash
# t_sup_reload.sh -- reload semantics: unchanged keeps its pid, changed restarts, added
# starts, removed stops; new memory/cpu/pids limits are written in place (same pid) while
# a new nofile restarts; an invalid config is refused with file:line and the old one
# keeps running; SIGHUP reloads too.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/sup_lib.sh"

sup_conf <<EOF
steward = { run_dir = "$T/run"; shutdown_timeout = 5.0; };
workers = (
  { name = "keep"; kind = "exec"; command = ["/bin/sleep", "1000"]; },
  { name = "change"; kind = "exec"; command = ["/bin/sleep", "1000"]; },
  { name = "drop"; kind = "exec"; command = ["/bin/sleep", "1000"]; },
  { name = "flip"; kind = "exec"; command = ["/bin/sleep", "1000"]; },
  { name = "lim"; kind = "exec"; limits = { memory = "64M"; cpu = 0.5; };
    command = ["/bin/sleep", "1000"]; },
  { name = "fds"; kind = "exec"; limits = { nofile = 1024; }; command = ["/bin/sleep", "1000"]; }
);
database = { url = "postgresql://steward@127.0.0.1:1/none"; };
EOF
sup_start
wait_until 5 state_is drop running
wait_until 5 state_is fds running
keep=$(wfield keep pid); change=$(wfield change pid); drop=$(wfield drop pid)
lim=$(wfield lim pid); fds=$(wfield fds pid)

sup_conf <<EOF
steward = { run_dir = "$T/run"; shutdown_timeout = 5.0; };
workers = (
  { name = "keep"; kind = "exec"; command = ["/bin/sleep", "1000"]; },
  { name = "change"; kind = "exec"; command = ["/bin/sleep", "2000"]; },
  { name = "add"; kind = "exec"; command = ["/bin/sleep", "1000"]; },
  { name = "flip"; kind = "scheduler"; },
  { name = "lim"; kind = "exec"; limits = { memory = "128M"; cpu = 0.25; pids = 50; };
    command = ["/bin/sleep", "1000"]; },
  { name = "fds"; kind = "exec"; limits = { nofile = 512; }; command = ["/bin/sleep", "1000"]; }
);
database = { url = "postgresql://steward@127.0.0.1:1/none"; };
EOF
res=$(sctl reload)
is "$?" 0 "valid reload: stewardctl exits 0"
is "$(echo "$res" | jq -r .generation)" 2 "valid reload answers generation 2"
is "$(sctl status | jq -r .generation)" 2 "status generation is 2"
is "$(wfield keep pid)" "$keep" "unchanged worker keeps its pid"
wait_until 5 pid_changed change "$change"
ok "pid_changed change $change" "changed worker gets a new pid"
wait_until 5 state_is change running
wait_until 5 state_is add running
is "$(wfield add state)" running "added worker is started"
wait_until 5 dead "$drop"
ok "dead $drop" "removed worker's process is stopped"
is "$(sctl status | jq -r '[.workers[].name] | sort | join(",")')" "add,change,fds,flip,keep,lim" \
    "removed worker is gone from status"
wait_until 10 state_is flip running
is "$(wfield flip kind)" scheduler "exec -> native kind switch applied"
ok "[ -S '$T/run/flip.sock' ]" "the switched worker got its control socket"

# Limits: memory/cpu/pids are cgroup files rewritten under the running process; nofile is
# an rlimit, set only when a process starts.
is "$(echo "$res" | jq -c '[.limits, .changed]')" "[1,3]" "reload counts lim as limits; change, flip, fds as changed"
is "$(sctl status | jq -c '.workers[] | select(.name == "lim") | .limits')" \
    '{"memory":134217728,"cpu":0.25,"pids":50}' "status shows the new limits"
# cgfile CONTROLLER FILE: FILE of lim's group in the hierarchy carrying CONTROLLER (v1) or v2.
cgfile() {
    local line dir
    if [ "$(wfield lim limit_mechanism)" = cgroup-v2 ]; then
        dir=/sys/fs/cgroup$(sed -n 's/^0:://p' "/proc/$lim/cgroup")
    else
        line=$(grep -E "^[0-9]+:([^:]*,)?$1(,[^:]*)?:" "/proc/$lim/cgroup") || return 1
        dir=/sys/fs/cgroup/$(cut -d: -f2 <<<"$line")$(cut -d: -f3- <<<"$line")
    fi
    cat "$dir/$2"
}
case "$(wfield lim limit_mechanism)" in
cgroup-v1)
    is "$(wfield lim pid)" "$lim" "new memory/cpu/pids: same pid (written in place)"
    is "$(cgfile memory memory.limit_in_bytes)" 134217728 "memory.limit_in_bytes is the new 128M"
    is "$(cgfile cpu cpu.cfs_quota_us)" 25000 "cpu.cfs_quota_us is the new 0.25 CPU"
    is "$(cgfile pids pids.max)" 50 "pids.max is the new 50" ;;
cgroup-v2)
    is "$(wfield lim pid)" "$lim" "new memory/cpu/pids: same pid (written in place)"
    is "$(cgfile memory memory.max)" 134217728 "memory.max is the new 128M"
    is "$(cgfile cpu cpu.max)" "25000 100000" "cpu.max is the new 0.25 CPU"
    is "$(cgfile pids pids.max)" 50 "pids.max is the new 50" ;;
*)
    wait_until 5 pid_changed lim "$lim"
    ok "pid_changed lim $lim" "rlimit mechanism: a new memory limit needs a new process"
    skip 3 "no writable cgroups: nothing to rewrite in place" ;;
esac
wait_until 5 pid_changed fds "$fds"
ok "pid_changed fds $fds" "new nofile: the worker is restarted"
wait_until 5 state_is fds running
is "$(awk '/^Max open files/ { print $4 }' "/proc/$(wfield fds pid)/limits")" 512 \
    "the new process has RLIMIT_NOFILE 512"

printf 'steward = { run_dir = "%s/run"; };\nworkers = (\n  { name = "x"; kind = "nonsense"; }\n);\n' \
    "$T" >"$T/steward.conf"
err=$(sctl reload 2>&1)
is "$?" 1 "invalid reload: stewardctl exits 1"
like "$err" "steward.conf:3" "the error names file:line"
is "$(sctl status | jq -r .generation)" 2 "generation unchanged after an invalid reload"
is "$(wfield keep pid)" "$keep" "old config keeps running"
is "$(sctl status | jq -r '[.workers[].name] | sort | join(",")')" "add,change,fds,flip,keep,lim" \
    "same workers as before the invalid reload"
ok "grep -q 'reload refused, config error' '$T/stderr'" "the config error is logged"

sup_conf <<EOF
steward = { run_dir = "$T/run"; shutdown_timeout = 5.0; };
workers = (
  { name = "keep"; kind = "exec"; command = ["/bin/sleep", "1000"]; }
);
EOF
kill -HUP "$SUP_PID"
gen3() { [ "$(sctl status | jq -r .generation)" = 3 ]; }
wait_until 5 gen3
is "$(sctl status | jq -r .generation)" 3 "SIGHUP reloads: generation 3"
one_worker() { [ "$(sctl status | jq '.workers | length')" = 1 ]; }
wait_until 5 one_worker
is "$(sctl status | jq -r '[.workers[].name] | join(",")')" "keep" "SIGHUP applied the new worker list"
is "$(wfield keep pid)" "$keep" "keep still has its first pid"

sup_stop TERM
is "$SUP_RC" 0 "steward exits 0"
ok stderr_all_json "every stderr line is a JSON object"
done_testing
