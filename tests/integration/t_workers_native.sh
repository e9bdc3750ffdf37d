#!/bin/bash
# t_workers_native.sh -- steward run with all six native kinds (forked, no exec): every
# instance sends READY (state running), answers ping/status/metrics on its own control socket
# through stewardctl, a stopped (SIGSTOP) worker is killed by the heartbeat watchdog and
# restarted, and SIGTERM to steward stops every native worker gracefully (STOP, exit 0, no
# orphans). (tests/integration/t_sup_native.sh, the supervisor package's, covers socket reuse
# across restarts and `stewardctl stop`.)
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/sup_lib.sh"

# The kinds that need a database get the test server when there is one, else a URL nobody
# dials yet (their pipeline work lands with their own issues).
db_url="postgres://steward@127.0.0.1:1/none"
redis_url="redis://127.0.0.1:1/0"
if [ -n "${STEWARD_TEST_PG_URL:-}" ] && [ -n "${STEWARD_TEST_REDIS_URL:-}" ]; then
    db_url=$(fresh_db native)
    redis_url=$STEWARD_TEST_REDIS_URL
fi
metrics_port=$((20000 + $$ % 20000))
sup_conf <<EOF
steward = { run_dir = "$T/run"; shutdown_timeout = 5.0; heartbeat_s = 1.0; };
database = { url = "$db_url"; };
redis = { url = "$redis_url"; };
sources = { src = { url = "$db_url"; tables = ( { name = "t"; key = "id"; cursor = "updated_at"; } ); }; };
workers = (
  { name = "ingest"; kind = "ingestor"; source = "src"; },
  { name = "transform"; kind = "transformer"; count = 2; },
  { name = "validate"; kind = "validator"; },
  { name = "cache"; kind = "cache-warmer"; },
  { name = "scheduler"; kind = "scheduler"; },
  { name = "metrics"; kind = "metrics"; listen = "127.0.0.1:$metrics_port"; }
);
EOF
names="ingest transform.1 transform.2 validate cache scheduler metrics"
sup_start

all_running() { local n; for n in $names; do state_is "$n" running || return 1; done; }
wait_until 10 all_running
for n in $names; do
    is "$(wfield "$n" state)" running "$n reached running (READY)"
done
is "$(sctl status | jq -r '[.workers[].name] | join(" ")')" "$names" "six kinds, transform count 2"

# Each instance answers on its own socket, next to steward.sock.
is "$("$STEWARDCTL" -s "$SOCK" transform.1 ping)" pong "stewardctl transform.1 ping -> pong"
ok "[ -S '$T/run/transform.2.sock' ]" "transform.2 has its own control socket"
wst=$("$STEWARDCTL" -s "$SOCK" --json transform.2 status)
is "$(jq -r '.name + " " + .kind + " " + .state' <<<"$wst")" "transform.2 transformer running" \
    "worker status names the instance, its kind and state"
is "$(jq -r .pid <<<"$wst")" "$(wfield transform.2 pid)" "worker status pid matches steward's table"
met=$("$STEWARDCTL" -s "$SOCK" cache metrics)
like "$met" 'steward_worker_up{worker="cache"} 1' "stewardctl cache metrics prints steward_worker_up"
like "$met" "process_resident_memory_bytes " "worker metrics include process memory"
if command -v promtool >/dev/null 2>&1; then
    printf '%s\n' "$met" >"$T/cache.prom"
    ok "promtool check metrics <'$T/cache.prom' >/dev/null 2>&1" "worker metrics pass promtool check metrics"
else
    skip 1 "promtool not installed"
fi
out=$("$STEWARDCTL" -s "$SOCK" validate frobnicate 2>&1) && rc=0 || rc=$?
like "$out" "unknown command: frobnicate" "an unknown worker command is refused by name"
is "$rc" 1 "stewardctl exits 1 on a worker error"

# A stopped worker misses its heartbeats (heartbeat_s 1.0: 3 s of silence): the watchdog
# kills it and it comes back.
old=$(wfield scheduler pid)
kill -STOP "$old"
wait_until 12 pid_changed scheduler "$old"
ok "pid_changed scheduler $old" "SIGSTOPped worker replaced by a new process"
is "$(wfield scheduler last_exit)" watchdog "last_exit says watchdog"
wait_until 10 state_is scheduler running
is "$(wfield scheduler state)" running "restarted worker is running again"
ok "dead $old" "the stopped process is gone"

# Graceful stop of everything.
pids=$(sctl status | jq -r '.workers[].pid | select(. != null)')
sup_stop TERM
is "$SUP_RC" 0 "SIGTERM: steward exits 0"
left=0
for p in $pids; do alive "$p" && left=$((left + 1)); done
is "$left" 0 "no native worker left running"
for n in $names; do
    like "$(grep "\"worker\":\"$n\"" "$T/stderr" | grep '"msg":"worker stopping"' | tail -1)" \
        '"reason":"STOP"' "$n began a graceful stop on the supervisor's STOP"
done
exits0=$(grep '"msg":"worker exiting"' "$T/stderr" | grep -c '"code":0')
ok "[ $exits0 -ge 7 ]" "every native worker returned exit code 0 ($exits0 records)"
ok stderr_all_json "every stderr line is a JSON object"
done_testing
