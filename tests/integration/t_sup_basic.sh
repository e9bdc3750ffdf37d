#!/bin/bash
# t_sup_basic.sh -- steward run with exec workers: status fields, kill -9 restarts,
# output capture as JSON records, exec failure, RLIMIT_CPU exits, graceful shutdown.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/sup_lib.sh"

# A config that does not load: exit 1, the error as a JSON record.
printf 'workers = ( { name = "x"; kind = "nonsense"; } );\n' >"$T/bad.conf"
"$STEWARD" run -c "$T/bad.conf" 2>"$T/bad.err"
is "$?" 1 "invalid config at start: exit 1"
like "$(jq -r .error "$T/bad.err" 2>&1)" "bad.conf:1" "the error is a JSON record naming file:line"

long=$(head -c 7000 /dev/zero | tr '\0' 'x')
printf '%s\n' "$long" >"$T/long.txt"
# 'a' + 1500 three-byte characters: 3000 falls inside a character; then an invalid byte.
python3 -c 'import sys; sys.stdout.buffer.write(b"a" + "\u20ac".encode() * 1500 + b"\n\xffbad\n")' >"$T/utf8.txt"
sup_conf <<EOF
steward = { run_dir = "$T/run"; shutdown_timeout = 5.0; };
workers = (
  { name = "sleeper"; kind = "exec"; command = ["/bin/sleep", "1000"]; },
  { name = "talker"; kind = "exec"; count = 2;
    command = ["/bin/sh", "-c", "echo hello from \$WHO; cat $T/long.txt; exec sleep 1000"];
    env = { WHO = "talker"; }; },
  { name = "missing"; kind = "exec"; command = ["/x/y"]; },
  { name = "who"; kind = "exec"; user = "nobody"; cwd = "/tmp";
    command = ["/bin/sh", "-c", "echo \"who uid=\$(id -u) cwd=\$(pwd) lang=\$LANG path=\$PATH\"; exec sleep 1000"]; },
  { name = "slow"; kind = "exec"; ready_after_s = 1.5; command = ["/bin/sleep", "1000"]; },
  { name = "utf8"; kind = "exec"; command = ["/bin/sh", "-c", "cat $T/utf8.txt; exec sleep 1000"]; },
  { name = "cpuhard"; kind = "exec"; restart = "never";
    command = ["/bin/sh", "-c", "ulimit -t 1; exec /bin/sh -c 'while :; do :; done'"]; },
  { name = "cpusoft"; kind = "exec"; restart = "never";
    command = ["/bin/sh", "-c", "ulimit -St 1; exec /bin/sh -c 'while :; do :; done'"]; }
);
EOF
sup_start
is "$(wfield slow state)" starting "ready_after_s: an exec worker starts as starting"

wait_until 10 state_is sleeper running
is "$(wfield sleeper state)" running "exec worker is running"
keys=$(sctl status | jq -c '[keys[]]')
is "$keys" '["config","generation","pid","started_at","workers"]' "status has the documented top-level fields"
wkeys=$(sctl status | jq -c '.workers[0] | [keys[]] - ["worker"]')
is "$wkeys" '["cpu_seconds","kind","last_exit","limit_mechanism","limits","memory_bytes","name","pid","restarts","state","uptime_s"]' \
    "each worker has the documented fields"
is "$(sctl status | jq -r '.generation')" 1 "generation starts at 1"
is "$(sctl status | jq -r '.pid')" "$SUP_PID" "status pid is steward's"
is "$(sctl status | jq -r '[.workers[].name] | join(",")')" "sleeper,talker.1,talker.2,missing,who,slow,utf8,cpuhard,cpusoft" \
    "count = 2 yields NAME.1 and NAME.2"

# kill -9 of a worker: new pid, one restart, last_exit "signal 9"
old=$(wfield sleeper pid)
kill -9 "$old"
wait_until 10 pid_changed sleeper "$old"
ok "pid_changed sleeper $old" "killed worker gets a new pid"
wait_until 5 state_is sleeper running
is "$(wfield sleeper restarts)" 1 "restart counted"
is "$(wfield sleeper last_exit)" "signal 9" "last_exit says signal 9"

# output capture: one record per line, with the instance's name
wait_until 5 grep -q '"msg":"hello from talker"' "$T/stderr"
like "$(grep '"msg":"hello from talker"' "$T/stderr" | head -1)" '"worker":"talker.' \
    "program output becomes a record with the instance name"
talker_pieces() { grep '"worker":"talker' "$T/stderr" | grep -c '"truncated":true'; }
six_pieces() { [ "$(talker_pieces)" -ge 6 ]; }
wait_until 5 six_pieces
is "$(talker_pieces)" 6 "a 7000-byte line is split in 3 pieces (x2 instances)"

# user, cwd and the explicit environment
wait_until 5 grep -q '"msg":"who uid=' "$T/stderr"
like "$(grep '"msg":"who uid=' "$T/stderr")" \
    "who uid=$(id -u nobody) cwd=/tmp lang=C.UTF-8 path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    "exec runs as user, in cwd, with the base environment"
wait_until 5 state_is slow running
is "$(wfield slow state)" running "ready_after_s: running once it stayed up"

# split on a UTF-8 boundary, invalid bytes replaced: every record stays valid UTF-8 JSON
replaced() { grep '"worker":"utf8"' "$T/stderr" | jq -e 'select(.msg == "\ufffdbad")' >/dev/null; }
wait_until 5 replaced
utf=$(grep '"worker":"utf8"' "$T/stderr" | grep '"truncated":true' | jq -r '.msg | utf8bytelength' | tr '\n' ' ')
is "$utf" "2998 1503 " "a 4501-byte line splits at 2998 bytes, before a 3-byte character"
ok replaced "an invalid byte becomes U+FFFD"

# exec failure: exit 127 and a clear log line
wait_until 5 grep -q 'exec /x/y: No such file or directory' "$T/stderr"
ok "grep -q 'exec /x/y: No such file or directory' '$T/stderr'" "exec failure logged with its cause"
missing_exit() { [ "$(wfield missing last_exit)" = "exit 127" ]; }
wait_until 5 missing_exit
is "$(wfield missing last_exit)" "exit 127" "failed exec exits 127"

# RLIMIT_CPU: the soft limit's SIGXCPU and the hard limit's SIGKILL both say cpu-limit
wait_until 15 state_is cpusoft stopped
is "$(wfield cpusoft last_exit)" cpu-limit "soft RLIMIT_CPU reached (SIGXCPU): cpu-limit"
wait_until 15 state_is cpuhard stopped
is "$(wfield cpuhard last_exit)" cpu-limit "hard RLIMIT_CPU reached (SIGKILL): cpu-limit"

# graceful shutdown: exit 0, no worker left, socket removed
pids=$(sctl status | jq -r '.workers[].pid | select(. != null)')
sup_stop TERM
is "$SUP_RC" 0 "SIGTERM: steward exits 0"
left=0
for p in $pids; do alive "$p" && left=$((left + 1)); done
is "$left" 0 "no worker process left"
ok "[ ! -e '$SOCK' ]" "control socket removed"
ok stderr_all_json "every stderr line is a JSON object"
done_testing
