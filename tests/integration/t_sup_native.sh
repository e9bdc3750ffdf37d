#!/bin/bash
# t_sup_native.sh -- native worker kinds (forked, not exec'd): READY makes them running,
# the per-instance control socket answers and survives a worker restart, STOP over the
# channel stops them gracefully, a worker that goes silent is killed by the watchdog
# (steward.heartbeat_s = 0.5: watchdog after 1.5 s of silence, well before the default 15 s).
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
is "$(wfield transform.1 state)" running "native worker is running after READY"
is "$(wfield sched kind)" scheduler "kind reported"
ok "[ -S '$T/run/transform.1.sock' ]" "per-instance control socket exists"
out=$("$STEWARDCTL" -s "$SOCK" transform.1 ping 2>&1)
is "$?" 0 "stewardctl NAME ping reaches the worker"

ino=$(stat -c %i "$T/run/transform.1.sock")
old=$(wfield transform.1 pid)
kill -9 "$old"
wait_until 10 pid_changed transform.1 "$old"
wait_until 10 state_is transform.1 running
is "$(wfield transform.1 last_exit)" "signal 9" "killed native worker: signal 9"
is "$(stat -c %i "$T/run/transform.1.sock")" "$ino" "the control socket is the same across restarts"
"$STEWARDCTL" -s "$SOCK" transform.1 ping >/dev/null 2>&1
is "$?" 0 "the restarted worker answers on the same socket"

spid=$(wfield sched pid)
sctl stop sched >/dev/null
wait_until 5 state_is sched stopped
is "$(wfield sched last_exit)" "exit 0" "STOP over the channel: graceful exit 0"
ok "grep '\"msg\":\"worker stopping\"' '$T/stderr' | grep -q '\"worker\":\"sched\"'" \
    "the worker logged its graceful stop"

wpid=$(wfield transform.2 pid)
kill -STOP "$wpid"
watchdog_hit() { [ "$(wfield transform.2 last_exit)" = watchdog ]; }
t0=$(date +%s%N)
wait_until 10 watchdog_hit
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
is "$(wfield transform.2 last_exit)" watchdog "a silent worker is killed: last_exit watchdog"
diag "watchdog after $ms ms of silence (heartbeat_s 0.5)"
ok "[ $ms -lt 5000 ]" "the watchdog follows steward.heartbeat_s (3 x 0.5 s, not 15 s)"
wait_until 5 state_is transform.2 running
ok "pid_changed transform.2 $wpid" "and restarted"

sup_stop TERM
is "$SUP_RC" 0 "steward exits 0"
ok "[ ! -e '$T/run/transform.1.sock' ]" "instance sockets removed at exit"
ok stderr_all_json "every stderr line is a JSON object"
done_testing
