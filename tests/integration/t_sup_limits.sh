#!/bin/bash
# t_sup_limits.sh -- limits through cgroups: memory = "32M" ends in oom-killed, cpu = 0.2
# holds a busy loop near 20% of a CPU, a program that daemonizes with setsid leaves
# nothing behind after stop, and steward's groups are gone after exit.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/sup_lib.sh"

sup_conf <<EOF
steward = { run_dir = "$T/run"; shutdown_timeout = 5.0; };
workers = (
  { name = "hog"; kind = "exec"; restart = "never"; limits = { memory = "32M"; };
    command = ["/usr/bin/python3", "-c",
               "import time; x = bytearray(b'x') * (200 << 20); time.sleep(100)"]; },
  { name = "spin"; kind = "exec"; limits = { cpu = 0.2; };
    command = ["/bin/sh", "-c", "while :; do :; done"]; },
  { name = "daemon"; kind = "exec";
    command = ["/bin/sh", "-c", "setsid sleep 1000 & echo \$! > $T/daemon.pid; exec sleep 1000"]; }
);
EOF
sup_start
mech=$(wfield spin limit_mechanism)
case "$mech" in
cgroup-v1|cgroup-v2) ;;
*) sup_stop TERM; skip_all "cgroups not writable here (limit_mechanism $mech)" ;;
esac
diag "limit mechanism: $mech"

wait_until 20 state_is hog stopped
is "$(wfield hog last_exit)" "oom-killed" "allocating past memory = 32M: oom-killed"
is "$(sctl status | jq -c '.workers[] | select(.name == "hog") | .limits')" '{"memory":33554432}' \
    "status shows the memory limit in bytes"

wait_until 5 state_is spin running
c0=$(wfield spin cpu_seconds); t0=$(date +%s.%N)
wait_until 2 false                  # a 2 s measurement window, not a wait for a condition
c1=$(wfield spin cpu_seconds); t1=$(date +%s.%N)
rate=$(awk -v a="$c0" -v b="$c1" -v s="$t0" -v e="$t1" 'BEGIN { printf "%.3f", (b - a) / (e - s) }')
diag "cpu = 0.2: measured $rate CPU"
ok "awk -v r=$rate 'BEGIN { exit !(r > 0.1 && r < 0.3) }'" "cpu = 0.2 holds a busy loop between 0.1 and 0.3 CPU"

wait_until 5 test -s "$T/daemon.pid"
dpid=$(cat "$T/daemon.pid")
ok "alive $dpid" "the daemonized grandchild runs"
sctl stop daemon >/dev/null
wait_until 5 state_is daemon stopped
wait_until 5 dead "$dpid"
ok "dead $dpid" "stop empties the cgroup: the setsid grandchild is gone"

sup_stop TERM
is "$SUP_RC" 0 "steward exits 0"
left=$(find /sys/fs/cgroup -maxdepth 5 -type d -name "steward-$SUP_PID" 2>/dev/null | wc -l)
is "$left" 0 "steward's cgroups are removed at exit"
done_testing
