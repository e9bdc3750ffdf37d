#!/bin/bash
# t_check.sh -- `steward check`: the shipped configs pass, each tests/conf/bad/NAME.conf
# fails with exit 1 and exactly NAME.err on stderr, usage errors exit 2, and no secret
# from the environment ever reaches the output. No servers needed.
. "$top_srcdir/tests/lib/tap.sh"

# Sample values for every variable the shipped configs need; all are secrets here.
export STEWARD_DATABASE_URL='postgres://steward:Db-Pw-7731@db.internal:5432/steward'
export ODOO_DATABASE_URL='postgres://odoo:Odoo-Pw-4410@odoo.internal/odoo'
export ACE_DATABASE_URL='postgres://ace:Ace-Pw-9902@ace.internal/ace'
export MINIO_ROOT_USER='minio-user-5521' MINIO_ROOT_PASSWORD='Minio-Pw-6634'
export VOICE_AGENT_HMAC_SECRET='Hmac-Secret-8845' OPENAI_API_KEY='sk-Test-Key-1207'
export PLANNER_API_TOKEN='Planner-Token-3390'
export SLACK_WEBHOOK_URL='https://hooks.slack.com/services/T000/B000/Slack-Secret-2268'
export T_CHECK_SECRET='Sup3r-S3cret-pw'
SECRETS="Db-Pw-7731 Odoo-Pw-4410 Ace-Pw-9902 minio-user-5521 Minio-Pw-6634 Hmac-Secret-8845
sk-Test-Key-1207 Planner-Token-3390 Slack-Secret-2268 Sup3r-S3cret-pw"
unset STEWARD_CONF T_CHECK_UNSET_ODOO_URL T_CHECK_RUN_DIR
ALL_OUT=$T/all.out
: >"$ALL_OUT"

for conf in "$top_srcdir"/conf/steward.conf "$top_srcdir"/conf/examples/*.conf; do
    name=${conf#"$top_srcdir"/}
    "$STEWARD" check -c "$conf" >"$T/out" 2>"$T/err"
    rc=$?
    cat "$T/out" "$T/err" >>"$ALL_OUT"
    is "$rc" 0 "$name passes steward check"
    like "$(head -1 "$T/out")" "$name: configuration OK" "$name: OK line on stdout"
    is "$(cat "$T/err")" "" "$name: nothing on stderr"
done

# The shipped default needs nothing from the environment (local socket database).
env -i PATH="$PATH" "$STEWARD" check -c "$top_srcdir/conf/steward.conf" >/dev/null 2>"$T/err"
is "$?:$(cat "$T/err")" "0:" "conf/steward.conf passes with an empty environment"

cd "$top_srcdir/tests/conf/bad" || bail "no tests/conf/bad"
for conf in *.conf; do
    want=${conf%.conf}.err
    # STEWARD_DATABASE_URL is unset for these so that unset_var.conf can show the error.
    env -u STEWARD_DATABASE_URL "$STEWARD" check -c "$conf" >"$T/out" 2>"$T/err"
    rc=$?
    cat "$T/out" "$T/err" >>"$ALL_OUT"
    is "$rc" 1 "bad/$conf exits 1"
    is "$(cat "$T/err")" "$(cat "$want")" "bad/$conf prints exactly $want"
    is "$(cat "$T/out")" "" "bad/$conf prints nothing on stdout"
done
cd "$T" || bail "cd $T"

"$STEWARD" check -c >"$T/out" 2>"$T/err"
is "$?" 2 "-c without a file is a usage error (exit 2)"
like "$(cat "$T/err")" "steward check: -c needs a file name" "usage error says what is missing"
"$STEWARD" check --frobnicate >/dev/null 2>&1
is "$?" 2 "an unknown option exits 2"
"$STEWARD" check -c "$top_srcdir/conf/steward.conf" extra >/dev/null 2>&1
is "$?" 2 "an extra argument exits 2"
"$STEWARD" check -c "$T/no-such.conf" >"$T/out" 2>"$T/err"
is "$?" 1 "a missing file exits 1"
is "$(cat "$T/err")" "$T/no-such.conf: cannot read: No such file or directory" \
    "a missing file is named with the reason"
STEWARD_CONF="$top_srcdir/conf/examples/revops.conf" "$STEWARD" check >"$T/out" 2>&1
is "$?" 0 "STEWARD_CONF names the file when -c is absent"
like "$(cat "$T/out")" "conf/examples/revops.conf: configuration OK" "STEWARD_CONF file checked"
like "$(cat "$T/out")" "workers: 6 (7 instances, 0 exec)" "summary counts workers and instances"
like "$(cat "$T/out")" "limits: " "summary names the limit mechanism"

# .env beside the config: the environment wins, .env fills the rest.
mkdir -p "$T/envconf"
cat >"$T/envconf/steward.conf" <<'CONF'
database = { url = "${T_CHECK_DOTENV_URL}"; };
workers = ( { name = "transform"; kind = "transformer"; } );
CONF
printf '# from .env\nT_CHECK_DOTENV_URL="postgres://u:Dotenv-Pw-5150@h/db"\n' >"$T/envconf/.env"
env -u T_CHECK_DOTENV_URL "$STEWARD" check -c "$T/envconf/steward.conf" >"$T/out" 2>&1
is "$?" 0 ".env beside the config supplies \${VAR}"
unlike "$(cat "$T/out")" "Dotenv-Pw-5150" "the .env secret is not printed"

# Redaction: no secret value from the environment appears in any output above.
all=$(cat "$ALL_OUT")
for s in $SECRETS; do
    unlike "$all" "$s" "check output never contains secret $s"
done
like "$all" 'mysql://steward:***@db.internal/steward' "a rejected URL shows *** for its password"

done_testing
