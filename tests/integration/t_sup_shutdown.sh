#!/bin/bash
# t_sup_shutdown.sh -- sd_notify messages in order (READY, RELOADING, READY, STOPPING);
# a worker that ignores SIGTERM is killed after shutdown_timeout; a second SIGTERM kills
# at once; SIGINT stops like SIGTERM, down to an exec program's setsid grandchild; steward
# exits 0 each time with no worker left.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/sup_lib.sh"

# A tiny NOTIFY_SOCKET reader: one line per datagram ("\n" inside shown as "|").
python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
open(sys.argv[1] + ".up", "w").close()
with open(sys.argv[2], "a") as f:
    while True:
        m = s.recv(4096).decode()
        f.write(m.replace("\n", "|") + "\n")
        f.flush()' "$T/notify.sock" "$T/notify.log" &
reader=$!
_tap_cleanup_hook='_sup_cleanup; kill $reader 2>/dev/null'
wait_until 5 test -e "$T/notify.sock.up"

stubborn='["/bin/sh", "-c", "trap \"\" TERM; while :; do sleep 0.1; done"]'
sup_conf <<EOF
steward = { run_dir = "$T/run"; shutdown_timeout = 1.0; };
workers = (
  { name = "polite"; kind = "exec"; command = ["/bin/sleep", "1000"]; },
  { name = "stubborn"; kind = "exec"; command = $stubborn; },
  { name = "once"; kind = "exec"; restart = "on-failure"; command = ["/bin/true"]; },
  { name = "slow"; kind = "exec"; ready_after_s = 1.0; command = ["/bin/sleep", "1000"]; }
);
EOF
NOTIFY_SOCKET=$T/notify.sock WATCHDOG_USEC=200000 sup_start
early=$(wfield slow state)
is "$early:$(grep -c '^READY=1' "$T/notify.log")" "starting:0" "no READY=1 while a worker is still starting"
wait_until 5 grep -q '^READY=1' "$T/notify.log"
ok "grep -q '^READY=1' '$T/notify.log'" "READY=1 once every worker runs (or exited for good)"
wait_until 5 grep -q '^WATCHDOG=1' "$T/notify.log"
ok "grep -q '^WATCHDOG=1' '$T/notify.log'" "WATCHDOG=1 sent when WATCHDOG_USEC is set"
like "$(grep "^READY=1" "$T/notify.log" | head -1)" "workers running" "READY=1 carries a STATUS="
sctl reload >/dev/null
two_ready() { [ "$(grep -c '^READY=1' "$T/notify.log")" = 2 ]; }
wait_until 5 two_ready
pids=$(sctl status | jq -r '.workers[].pid | select(. != null)')
t0=$(date +%s%N)
sup_stop TERM
t1=$(date +%s%N)
is "$SUP_RC" 0 "forced shutdown: steward exits 0"
ms=$(( (t1 - t0) / 1000000 ))
diag "shutdown with a stubborn worker took $ms ms (shutdown_timeout 1.0)"
ok "[ $ms -ge 900 ] && [ $ms -lt 5000 ]" "the stubborn worker was killed after shutdown_timeout"
left=0
for p in $pids; do alive "$p" && left=$((left + 1)); done
is "$left" 0 "no worker process left"
wait_until 5 grep -q '^STOPPING=1' "$T/notify.log"
is "$(grep -Ev '^(WATCHDOG=1|STATUS=)' "$T/notify.log" | cut -d'|' -f1 | tr '\n' ' ')" \
    "READY=1 RELOADING=1 READY=1 STOPPING=1 " \
    "notify messages in order: READY, RELOADING, READY, STOPPING"
ok "grep -q 'did not stop in time' '$T/stderr'" "the escalation is logged"

# A second SIGTERM does not wait for shutdown_timeout.
sup_conf <<EOF
steward = { run_dir = "$T/run"; shutdown_timeout = 60.0; };
workers = ( { name = "stubborn"; kind = "exec"; command = $stubborn; } );
EOF
sup_start
wait_until 5 state_is stubborn running
spid=$(wfield stubborn pid)
t0=$(date +%s%N)
kill -TERM "$SUP_PID"
wait_until 5 grep -q '"msg":"stopping worker"' "$T/stderr"
sup_stop TERM
t1=$(date +%s%N)
is "$SUP_RC" 0 "second SIGTERM: steward exits 0"
ms=$(( (t1 - t0) / 1000000 ))
ok "[ $ms -lt 5000 ]" "second SIGTERM kills at once ($ms ms, timeout 60 s)"
ok "dead $spid" "the stubborn worker is gone"
ok stderr_all_json "every stderr line is a JSON object"

# SIGINT (Ctrl-C in a terminal) is a graceful stop too, and takes daemonized helpers along.
sup_conf <<EOF
steward = { run_dir = "$T/run"; shutdown_timeout = 5.0; };
database = { url = "postgresql://steward@127.0.0.1:1/none"; };
workers = (
  { name = "daemon"; kind = "exec";
    command = ["/bin/sh", "-c", "setsid sleep 1000 & echo \$! > $T/daemon.pid; exec sleep 1000"]; },
  { name = "sched"; kind = "scheduler"; }
);
EOF
sup_start
wait_until 10 state_is sched running
wait_until 5 test -s "$T/daemon.pid"
dpid=$(cat "$T/daemon.pid"); mpid=$(wfield daemon pid); npid=$(wfield sched pid)
mech=$(wfield daemon limit_mechanism)
sup_stop INT
is "$SUP_RC" 0 "SIGINT: steward exits 0"
ok "wait_until 5 dead $mpid && wait_until 5 dead $npid" "SIGINT stops every worker"
like "$(grep '"worker":"sched"' "$T/stderr" | grep '"msg":"worker exiting"')" '"code":0' \
    "SIGINT: the native worker stopped gracefully (exit code 0)"
if [ "$mech" != rlimit ]; then
    ok "wait_until 5 dead $dpid" "SIGINT: the exec worker's setsid grandchild is gone ($mech)"
else
    kill -KILL "$dpid" 2>/dev/null
    skip 1 "no writable cgroups: a setsid grandchild escapes the process group"
fi
ok stderr_all_json "every stderr line is a JSON object (SIGINT run)"
done_testing
