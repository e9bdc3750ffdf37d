#!/bin/bash
# t_sup_logs.sh -- logs never stall the supervisor: with its stderr a pipe nobody reads and
# a chatty worker, steward keeps answering and counts the dropped records.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/sup_lib.sh"

sup_conf <<EOF
steward = { run_dir = "$T/run"; shutdown_timeout = 5.0; };
workers = ( { name = "chatty"; kind = "exec"; limits = { cpu = 0.2; };
              command = ["/usr/bin/yes", "a line of output"]; } );
EOF
mkfifo "$T/stderr.fifo"
exec 7<>"$T/stderr.fifo"            # held open, never read: the pipe fills up
"$STEWARD" run -c "$T/steward.conf" 2>"$T/stderr.fifo" &
SUP_PID=$!
wait_until 10 sctl status
dropped() { smetrics | awk '$1 == "steward_log_dropped_total" { exit !($2 > 0) }'; }
wait_until 15 dropped
ok dropped "records that would block are dropped and counted (steward_log_dropped_total > 0)"
t0=$(date +%s%N)
state=$(wfield chatty state)
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
is "$state" running "status answers while stderr is full"
diag "status took $ms ms with a full stderr pipe"
ok "[ $ms -lt 3000 ]" "the supervisor is not stalled"
sup_stop TERM
is "$SUP_RC" 0 "steward exits 0 with a full stderr"
exec 7<&-
done_testing
