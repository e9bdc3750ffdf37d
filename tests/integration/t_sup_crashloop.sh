#!/bin/bash
# t_sup_crashloop.sh -- stable_s = 0 does not turn off crash-loop protection: /bin/false
# (ready at once, exits at once) reaches `failed` after start_limit_burst quick exits
# instead of being restarted thousands of times.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/sup_lib.sh"

sup_conf <<EOF
steward = { run_dir = "$T/run"; };
workers = ( { name = "false"; kind = "exec"; command = ["/bin/false"]; stable_s = 0.0;
              start_limit_burst = 5; start_limit_interval = 30.0; } );
EOF
sup_start
wait_until 15 state_is false failed
is "$(wfield false state)" failed "stable_s 0: /bin/false ends in failed"
is "$(wfield false restarts)" 4 "after 5 starts (4 restarts)"
is "$(wfield false last_exit)" "exit 1" "last_exit exit 1"
sup_stop TERM
is "$SUP_RC" 0 "steward exits 0"
done_testing
