#!/bin/bash
# t_sup_restart.sh -- crash loop ends in failed, `start` revives it; stop/start/restart
# by instance and by worker name; failed_retry_s; unknown names are refused.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/sup_lib.sh"

sup_conf <<EOF
steward = { run_dir = "$T/run"; shutdown_timeout = 5.0; start_limit_burst = 4; };
workers = (
  { name = "crasher"; kind = "exec";
    command = ["/bin/sh", "-c", "test -f $T/fixed && exec sleep 1000; exit 3"]; },
  { name = "pool"; kind = "exec"; count = 2; command = ["/bin/sleep", "1000"]; },
  { name = "once"; kind = "exec"; restart = "on-failure"; command = ["/bin/true"]; }
);
EOF
sup_start

# crash loop: 4 failures (100+200+400 ms of backoff) -> failed, exit 3 recorded
wait_until 10 state_is crasher failed
is "$(wfield crasher state)" failed "crash loop ends in failed"
is "$(wfield crasher last_exit)" "exit 3" "exit 3 recorded"
is "$(wfield crasher restarts)" 3 "three restarts before giving up (burst 4)"
is "$(wfield crasher pid)" null "a failed instance has no pid"
mrestarts=$(smetrics | grep '^steward_worker_restarts_total{worker="crasher",reason="exit"}')
is "$mrestarts" 'steward_worker_restarts_total{worker="crasher",reason="exit"} 3' \
    "restarts counted in metrics by reason"
touch "$T/fixed"
out=$(sctl start crasher)
is "$?" 0 "stewardctl start on a failed worker succeeds"
wait_until 5 state_is crasher running
is "$(wfield crasher state)" running "start revives a failed worker"

# restart-policy on-failure: a clean exit stays stopped
wait_until 5 state_is once stopped
is "$(wfield once last_exit)" "exit 0" "on-failure: exit 0 stays stopped"

# stop / start / restart
wait_until 5 state_is pool.1 running
p1=$(wfield pool.1 pid)
sctl stop pool.1 >/dev/null
wait_until 5 state_is pool.1 stopped
is "$(wfield pool.1 state)" stopped "stop NAME stops the instance"
ok "dead $p1" "its process is gone"
is "$(wfield pool.2 state)" running "the other instance keeps running"
sctl start pool.1 >/dev/null
wait_until 5 state_is pool.1 running
is "$(wfield pool.1 state)" running "start NAME starts it again"
a1=$(wfield pool.1 pid); a2=$(wfield pool.2 pid)
res=$(sctl restart pool)
is "$(echo "$res" | jq -c .workers)" '["pool.1","pool.2"]' "restart WORKER covers all its instances"
wait_until 5 pid_changed pool.1 "$a1"
wait_until 5 pid_changed pool.2 "$a2"
ok "pid_changed pool.1 $a1 && pid_changed pool.2 $a2" "both instances got new pids"

err=$(sctl restart transform.9 2>&1)
rc=$?
is "$rc" 1 "unknown worker: stewardctl exits 1"
like "$err" "no such worker: transform.9" "unknown worker: error names it"

sup_stop TERM
is "$SUP_RC" 0 "steward exits 0"
done_testing
