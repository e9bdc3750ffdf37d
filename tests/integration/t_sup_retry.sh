#!/bin/bash
# t_sup_retry.sh -- failed_retry_s: a failed instance is retried by itself.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/sup_lib.sh"

sup_conf <<EOF
steward = { run_dir = "$T/run"; shutdown_timeout = 5.0; start_limit_burst = 1;
            failed_retry_s = 0.5; };
workers = ( { name = "flaky"; kind = "exec";
              command = ["/bin/sh", "-c", "test -f $T/fixed && exec sleep 1000; exit 4"]; } );
EOF
sup_start
wait_until 5 state_is flaky failed
is "$(wfield flaky last_exit)" "exit 4" "burst 1: failed after the first exit"
touch "$T/fixed"
wait_until 5 state_is flaky running
is "$(wfield flaky state)" running "failed_retry_s retries the failed worker by itself"
ok "grep -q '\"msg\":\"retrying failed worker\"' '$T/stderr'" "the retry is logged"
sup_stop TERM
is "$SUP_RC" 0 "steward exits 0"
done_testing
