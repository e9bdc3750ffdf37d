#!/bin/bash
# t_sup_orphans.sh -- a SIGKILLed supervisor leaves no worker running unsupervised:
# exec programs get SIGTERM through PR_SET_PDEATHSIG, native workers see their channel close.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/sup_lib.sh"

sup_conf <<EOF
steward = { run_dir = "$T/run"; shutdown_timeout = 5.0; };
database = { url = "postgresql://steward@127.0.0.1:1/none"; };
workers = (
  { name = "sleeper"; kind = "exec"; command = ["/bin/sleep", "1000"]; },
  { name = "shell"; kind = "exec"; user = "nobody";
    command = ["/bin/sh", "-c", "trap 'echo got TERM; exit 0' TERM; while :; do sleep 0.1; done"]; },
  { name = "validate"; kind = "validator"; }
);
EOF
sup_start
wait_until 10 state_is sleeper running
wait_until 10 state_is shell running
wait_until 10 state_is validate running
p1=$(wfield sleeper pid); p2=$(wfield shell pid); p3=$(wfield validate pid)
ok "alive $p1 && alive $p2 && alive $p3" "three workers running under steward"
_tap_cleanup_hook="_sup_cleanup; kill -KILL $p1 $p2 $p3 2>/dev/null"    # if the test fails

kill -KILL "$SUP_PID"
wait "$SUP_PID" 2>/dev/null
ok "wait_until 5 dead $p1" "exec worker ends when the supervisor is SIGKILLed"
ok "wait_until 5 dead $p2" "an exec worker that switched user ends too (death signal set after setuid)"
ok "wait_until 5 dead $p3" "native worker ends when the supervisor is SIGKILLed"
done_testing
