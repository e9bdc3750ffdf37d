#!/bin/bash
# t_sup_reload_readd.sh -- a worker removed by one reload and added back by the next while
# its old process is still stopping stays one instance: it starts again once the old
# process is gone, in its own cgroup, and keeps running.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/sup_lib.sh"

conf_with_stub() {
    sup_conf <<EOF
steward = { run_dir = "$T/run"; shutdown_timeout = 1.5; };
workers = (
  { name = "keep"; kind = "exec"; command = ["/bin/sleep", "1000"]; },
  { name = "stub"; kind = "exec"; command = ["/bin/sh", "-c", "trap '' TERM; while :; do sleep 0.1; done"]; }
);
EOF
}
conf_with_stub
sup_start
wait_until 5 state_is stub running
old=$(wfield stub pid)

sup_conf <<EOF
steward = { run_dir = "$T/run"; shutdown_timeout = 1.5; };
workers = ( { name = "keep"; kind = "exec"; command = ["/bin/sleep", "1000"]; } );
EOF
is "$(sctl reload | jq -c '[.removed, .added]')" "[1,0]" "stub removed"
is "$(wfield stub state)" stopping "it ignores SIGTERM: still stopping"
conf_with_stub
is "$(sctl reload | jq -c '[.removed, .added]')" "[0,1]" "stub added back while stopping"
is "$(sctl status | jq -r '[.workers[].name] | join(",")')" "keep,stub" "still one stub instance"

wait_until 10 pid_changed stub "$old"
wait_until 5 state_is stub running
ok "dead $old" "the old process was killed after shutdown_timeout"
ok "pid_changed stub $old" "a new process runs for the re-added worker"
new=$(wfield stub pid)
wait_until 2 false                  # a settling window: a broken cgroup shows as a crash loop
is "$(wfield stub pid):$(wfield stub state)" "$new:running" "and it keeps running"
unlike "$(cat "$T/stderr")" "enter cgroup" "its cgroup was not removed under it"

sup_stop TERM
is "$SUP_RC" 0 "steward exits 0"
ok stderr_all_json "every stderr line is a JSON object"
done_testing
