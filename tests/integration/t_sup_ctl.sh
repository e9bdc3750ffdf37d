#!/bin/bash
# t_sup_ctl.sh -- the supervisor's control socket: another uid is refused, malformed
# requests get {"ok":false} and steward keeps running, metrics and ping answer.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/sup_lib.sh"

sup_conf <<EOF
steward = { run_dir = "$T/run"; shutdown_timeout = 5.0; control_group = "steward-test-absent"; };
workers = ( { name = "a"; kind = "exec"; command = ["/bin/sleep", "1000"]; } );
EOF
sup_start
wait_until 5 state_is a running

is "$(stat -c %a "$T/run")" 750 "run dir is 0750"
is "$(stat -c %a "$SOCK")" 660 "control socket is 0660"

# Peer policy: open the path to everyone so that only SO_PEERCRED can refuse.
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ] \
    && setpriv --reuid=nobody --regid=nogroup --clear-groups test -x "$STEWARDCTL" 2>/dev/null; then
    chmod 755 "$T/run"
    chmod 666 "$SOCK"
    err=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$STEWARDCTL" -s "$SOCK" status 2>&1)
    is "$?" 1 "another uid: stewardctl exits 1"
    like "$err" "permission denied" "another uid: permission denied"
    chmod 750 "$T/run"
else
    skip 2 "needs root, setpriv and a stewardctl that nobody may execute"
fi

is "$(sraw 'this is not json' | jq -c '[.ok, (.error | startswith("malformed request"))]')" '[false,true]' \
    "malformed JSON: ok false, malformed request"
is "$(sraw '{"cmd":"frobnicate"}' | jq -c '[.ok, (.error | startswith("unknown command: frobnicate"))]')" \
    '[false,true]' "unknown command: ok false"
is "$(sraw '{"cmd":"restart"}' | jq -c .ok)" false "restart without a name: ok false"
is "$(sraw '{"cmd":"stop","args":{"name":42}}' | jq -c .ok)" false "a non-string name: ok false"
is "$(sraw '{"cmd":"start","args":{"name":"nope"}}' | jq -r .error)" "no such worker: nope" \
    "start of an unknown worker names it"
is "$(sraw '[1,2,3]' | jq -c .ok)" false "a JSON array request: ok false"
ok "kill -0 $SUP_PID" "steward still runs after malformed requests"
is "$(sraw '{"cmd":"ping"}' | jq -c .ok)" true "ping answers"
is "$(wfield a state)" running "status still answers"

m=$(smetrics)
like "$m" 'steward_worker_up{worker="a"} 1' "metrics: steward_worker_up"
like "$m" 'steward_worker_memory_bytes{worker="a"}' "metrics: steward_worker_memory_bytes"
like "$m" '# TYPE steward_log_dropped_total counter' "metrics: steward_log_dropped_total"
like "$("$STEWARDCTL" -s "$SOCK" metrics)" 'steward_worker_up{worker="a"} 1' \
    "stewardctl metrics prints the supervisor's registry"
is "$("$STEWARDCTL" -s "$SOCK" ping)" pong "stewardctl ping"

sup_stop TERM
is "$SUP_RC" 0 "steward exits 0"
done_testing
