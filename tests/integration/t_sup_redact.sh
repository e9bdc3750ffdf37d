#!/bin/bash
# t_sup_redact.sh -- secrets from the config never reach steward's logs, `status`, the
# supervisor's metrics or a worker's own status, even when a worker fails on them.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/sup_lib.sh"

DBPW='pg-Secr3t-9f1c'
HMAC='hmac-Secr3t-77aa'
TOKEN='tok-Secr3t-0b2e'
cat >"$T/.env" <<EOF
T_REDACT_DB_URL=postgresql://steward:$DBPW@127.0.0.1:1/nowhere
T_REDACT_HMAC=$HMAC
T_REDACT_TOKEN=$TOKEN
EOF
sup_conf <<EOF
steward = { run_dir = "$T/run"; shutdown_timeout = 5.0; log = { level = "debug"; }; };
database = { url = "\${T_REDACT_DB_URL}"; };
redis = { url = "redis://:\${T_REDACT_TOKEN}@127.0.0.1:1/0"; };
workers = (
  { name = "events"; kind = "ingestor"; listen = "127.0.0.1:1"; hmac_secret = "\${T_REDACT_HMAC}"; },
  { name = "validate"; kind = "validator"; },
  { name = "app"; kind = "exec"; env = { API_TOKEN = "\${T_REDACT_TOKEN}"; };
    command = ["/bin/sh", "-c", "echo token is \$API_TOKEN; echo db is $T/none; exec sleep 1000"]; },
  { name = "bad"; kind = "exec"; command = ["/nonexistent/\${T_REDACT_TOKEN}"]; restart = "never"; }
);
EOF
"$STEWARD" check -c "$T/steward.conf" >"$T/check.out" 2>&1
is "$?" 0 "the config is valid"
sup_start
wait_until 10 state_is validate running
wait_until 10 state_is app running
wait_until 10 bash -c "grep -q 'token is' '$T/stderr'"
sctl status >"$T/status.json"
smetrics >"$T/metrics.txt"
"$STEWARDCTL" -s "$SOCK" --json validate status >"$T/wstatus.json"
"$STEWARDCTL" -s "$SOCK" --json reload >"$T/reload.json"
sup_stop TERM
is "$SUP_RC" 0 "steward exits 0"

ok "grep -q 'token is' '$T/stderr'" "the exec program's output line was captured"
ok "grep -q '\"app\"' '$T/status.json'" "status was captured"
for f in check.out stderr status.json metrics.txt wstatus.json reload.json; do
    for secret in "$DBPW" "$HMAC" "$TOKEN"; do
        ok "! grep -qF -- '$secret' '$T/$f'" "$f does not contain ${secret%%-*}"
    done
done
like "$(cat "$T/stderr")" '***' "redacted values show as ***"
done_testing
