#!/bin/bash
# t_sup_reload.sh -- reload semantics: unchanged keeps its pid, changed restarts, added
# starts, removed stops; an invalid config is refused with file:line and the old one
# keeps running; SIGHUP reloads too.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/sup_lib.sh"

sup_conf <<EOF
steward = { run_dir = "$T/run"; shutdown_timeout = 5.0; };
workers = (
  { name = "keep"; kind = "exec"; command = ["/bin/sleep", "1000"]; },
  { name = "change"; kind = "exec"; command = ["/bin/sleep", "1000"]; },
  { name = "drop"; kind = "exec"; command = ["/bin/sleep", "1000"]; },
  { name = "flip"; kind = "exec"; command = ["/bin/sleep", "1000"]; }
);
database = { url = "postgresql://steward@127.0.0.1:1/none"; };
EOF
sup_start
wait_until 5 state_is drop running
keep=$(wfield keep pid); change=$(wfield change pid); drop=$(wfield drop pid)

sup_conf <<EOF
steward = { run_dir = "$T/run"; shutdown_timeout = 5.0; };
workers = (
  { name = "keep"; kind = "exec"; command = ["/bin/sleep", "1000"]; },
  { name = "change"; kind = "exec"; command = ["/bin/sleep", "2000"]; },
  { name = "add"; kind = "exec"; command = ["/bin/sleep", "1000"]; },
  { name = "flip"; kind = "scheduler"; }
);
database = { url = "postgresql://steward@127.0.0.1:1/none"; };
EOF
res=$(sctl reload)
is "$?" 0 "valid reload: stewardctl exits 0"
is "$(echo "$res" | jq -r .generation)" 2 "valid reload answers generation 2"
is "$(sctl status | jq -r .generation)" 2 "status generation is 2"
is "$(wfield keep pid)" "$keep" "unchanged worker keeps its pid"
wait_until 5 pid_changed change "$change"
ok "pid_changed change $change" "changed worker gets a new pid"
wait_until 5 state_is change running
wait_until 5 state_is add running
is "$(wfield add state)" running "added worker is started"
wait_until 5 dead "$drop"
ok "dead $drop" "removed worker's process is stopped"
is "$(sctl status | jq -r '[.workers[].name] | sort | join(",")')" "add,change,flip,keep" \
    "removed worker is gone from status"
wait_until 10 state_is flip running
is "$(wfield flip kind)" scheduler "exec -> native kind switch applied"
ok "[ -S '$T/run/flip.sock' ]" "the switched worker got its control socket"

printf 'steward = { run_dir = "%s/run"; };\nworkers = (\n  { name = "x"; kind = "nonsense"; }\n);\n' \
    "$T" >"$T/steward.conf"
err=$(sctl reload 2>&1)
is "$?" 1 "invalid reload: stewardctl exits 1"
like "$err" "steward.conf:3" "the error names file:line"
is "$(sctl status | jq -r .generation)" 2 "generation unchanged after an invalid reload"
is "$(wfield keep pid)" "$keep" "old config keeps running"
is "$(sctl status | jq -r '[.workers[].name] | sort | join(",")')" "add,change,flip,keep" \
    "same workers as before the invalid reload"
ok "grep -q 'reload refused, config error' '$T/stderr'" "the config error is logged"

sup_conf <<EOF
steward = { run_dir = "$T/run"; shutdown_timeout = 5.0; };
workers = (
  { name = "keep"; kind = "exec"; command = ["/bin/sleep", "1000"]; }
);
EOF
kill -HUP "$SUP_PID"
gen3() { [ "$(sctl status | jq -r .generation)" = 3 ]; }
wait_until 5 gen3
is "$(sctl status | jq -r .generation)" 3 "SIGHUP reloads: generation 3"
one_worker() { [ "$(sctl status | jq '.workers | length')" = 1 ]; }
wait_until 5 one_worker
is "$(sctl status | jq -r '[.workers[].name] | join(",")')" "keep" "SIGHUP applied the new worker list"
is "$(wfield keep pid)" "$keep" "keep still has its first pid"

sup_stop TERM
is "$SUP_RC" 0 "steward exits 0"
ok stderr_all_json "every stderr line is a JSON object"
done_testing
