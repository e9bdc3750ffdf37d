#!/bin/bash
# t_sup_pause.sh -- a paused supervisor (SIGSTOP for 3 s, far past 3 x heartbeat_s = 1.5 s)
# does not kill its healthy native workers as "watchdog" once it runs again: their
# heartbeats sat unread in the channel, the silence was the supervisor's own.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/sup_lib.sh"

sup_conf <<EOF
steward = { run_dir = "$T/run"; shutdown_timeout = 5.0; heartbeat_s = 0.5; };
database = { url = "postgresql://steward@127.0.0.1:1/none"; };
workers = (
  { name = "sched"; kind = "scheduler"; },
  { name = "transform"; kind = "transformer"; count = 2; }
);
EOF
sup_start
wait_until 10 state_is transform.2 running
wait_until 10 state_is sched running
before=$(sctl status | jq -c '[.workers[] | [.name, .pid, .restarts]]')
kill -STOP "$SUP_PID"
t0=$(date +%s)
until [ $(( $(date +%s) - t0 )) -ge 3 ]; do sleep 0.2; done   # the pause is the test
kill -CONT "$SUP_PID"
wait_until 5 sctl status
# Three more ticks after the pause: a watchdog kill would have happened by then.
three_ticks_later() { [ $(( $(date +%s) - t0 )) -ge 6 ]; }
wait_until 10 three_ticks_later
after=$(sctl status | jq -c '[.workers[] | [.name, .pid, .restarts]]')
is "$after" "$before" "same pids, no restarts after the pause"
ok "! grep -q 'missed its heartbeats' '$T/stderr'" "no watchdog kill logged"
is "$(sctl status | jq -r '[.workers[].last_exit] | map(select(. != null)) | length')" 0 \
    "no last_exit (no watchdog) in status"
is "$(sctl status | jq -r '[.workers[] | select(.state == "running")] | length')" 3 \
    "all three still running"
sup_stop TERM
is "$SUP_RC" 0 "steward exits 0"
done_testing
