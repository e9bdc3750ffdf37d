#!/usr/bin/env bash
# t_schema_conversations.sh -- migration set conversations (sql/conversations,
# seeds/conversations): up, seed twice (nothing changes), conventions, append-only
# events, immutable versioned objective configs, gapless emit_event() under 8 concurrent
# sessions, objectives rebuilt from events, views, down to zero and up again.
# Owned by the schemas work package.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/schema_lib.sh"
need_servers

U=$(fresh_db conversations)

ok 'schema_up "$U" platform' 'platform migrates up'
ok 'schema_up "$U" conversations' 'conversations migrates up'
is "$(schema_applied "$U" conversations)" '1 2' 'ops.schema_migrations records both conversations migrations'
is "$(sq "$U" "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class
               WHERE relnamespace = 'conversations'::regnamespace AND relkind = 'r'")" \
   'conversations,events,objective_configs,objectives,tenants' 'the five tables exist'
is "$(schema_conventions "$U" conversations)" '' 'every table: uuid v7 id, timestamps, updated_at trigger, indexed foreign keys'

ok 'schema_seed "$U" conversations' 'seed runs'
fp1=$(schema_fingerprint "$U" conversations)
ids1=$(schema_fingerprint --ids "$U" conversations)
ok 'schema_seed "$U" conversations' 'seed runs again'
is "$(schema_fingerprint "$U" conversations)" "$fp1" 'second seed run: same counts, ids and updated_at'
is "$(sq "$U" "SELECT count(*) FROM conversations.tenants")" 3 'three tenants'
is "$(sq "$U" "SELECT bool_and(c.last_sequence = (SELECT count(*) FROM conversations.events e WHERE e.trace_id = c.trace_id))
               FROM conversations.conversations c")" t 'seeded counters match the seeded events'

# phone -> tenant routing
is "$(sq "$U" "SELECT slug FROM conversations.tenants WHERE phone_number = '+14155550200'")" bayside-dental 'tenant found by phone number'
like "$(sq "$U" "SET enable_seqscan = off; EXPLAIN SELECT id FROM conversations.tenants WHERE phone_number = '+14155550200'")" \
     tenants_phone_number_idx 'phone lookup uses the phone index'
like "$(sq_fails "$U" "INSERT INTO conversations.tenants (name, slug, phone_number) VALUES ('Copy', 'copy', '+14155550200')")" 'tenants_phone_number_idx' \
   'a second tenant on the same phone number is rejected'

# events are append-only
like "$(sq_fails "$U" "UPDATE conversations.events SET payload = '{}' WHERE trace_id = 'tr-8f2c1a7e-lsm-0001' AND sequence_number = 3")" 'conversations.events is append-only: UPDATE rejected' \
   'UPDATE on events is rejected'
like "$(sq_fails "$U" "DELETE FROM conversations.events WHERE trace_id = 'tr-8f2c1a7e-lsm-0001' AND sequence_number = 3")" 'conversations.events is append-only: DELETE rejected' \
   'DELETE on events is rejected'
like "$(sq_fails "$U" "INSERT INTO conversations.events (trace_id, tenant_id, sequence_number, event_type)
     SELECT trace_id, tenant_id, 3, 'error' FROM conversations.conversations WHERE trace_id = 'tr-8f2c1a7e-lsm-0001'")" 'events_trace_id_sequence_number_key' \
   'a duplicate (trace_id, sequence_number) is rejected'
# event types: any well-formed type lands; the form is checked, not a fixed list
is "$(sq "$U" "SELECT (conversations.emit_event('tr-8f2c1a7e-lsm-0002', t.id, 'payment.refund_issued')).event_type FROM conversations.tenants t WHERE slug = 'lone-star-mutual'")" \
   'payment.refund_issued' 'a new well-formed event type is accepted without a migration'
for bad in 'Hung.Up' 'hung up' '' 'a..b' '.a' 'a.' '9lives' "$(printf 'a%.0s' $(seq 65))"; do
    like "$(sq_fails "$U" "SELECT conversations.emit_event('tr-8f2c1a7e-lsm-0002', t.id, '$bad') FROM conversations.tenants t WHERE slug = 'lone-star-mutual'")" 'events_event_type_form' \
       "a malformed event type is rejected: '${bad:0:12}'"
done
is "$(sq "$U" "SELECT count(*) FROM conversations.known_event_types")" 13 'the 13 documented event types are listed'
is "$(sq "$U" "SELECT count(*) FROM conversations.events e WHERE NOT EXISTS
               (SELECT 1 FROM conversations.known_event_types k WHERE k.event_type = e.event_type)")" 1 \
   'only the new type is outside the documented list'
like "$(sq_fails "$U" "UPDATE conversations.conversations SET status = 'lost' WHERE trace_id = 'tr-8f2c1a7e-lsm-0002'")" 'conversations_status_check' \
   'an unknown conversation status is rejected'

# objective configs: immutable content, one active version
like "$(sq_fails "$U" "UPDATE conversations.objective_configs SET content = '{\"required_slots\":[]}'
     WHERE objective = 'verify_caller'")" 'objective config verify_caller version 1 is immutable' 'UPDATE of a config content is rejected'
like "$(sq_fails "$U" "INSERT INTO conversations.objective_configs (tenant_id, objective, version, content, is_active)
     SELECT id, 'verify_caller', 2, '{}', true FROM conversations.tenants WHERE slug = 'lone-star-mutual'")" 'objective_configs_one_active_idx' \
   'a second active version of an objective is rejected'
ok "sq \"\$U\" \"UPDATE conversations.objective_configs SET is_active = false WHERE objective = 'verify_caller'\"" \
   'deactivating a version is allowed'
T1=$(sq "$U" "SELECT id FROM conversations.tenants WHERE slug = 'lone-star-mutual'")
is "$(sq "$U" "SELECT version || ':' || is_active FROM conversations.publish_objective_config('$T1', 'first_notice_of_loss',
               '{\"required_slots\":[\"loss_date\"]}', 'v3')")" '3:true' 'publish_objective_config adds the next version, active'
is "$(sq "$U" "SELECT string_agg(version || ':' || is_active, ',' ORDER BY version) FROM conversations.objective_configs
               WHERE tenant_id = '$T1' AND objective = 'first_notice_of_loss'")" '1:false,2:false,3:true' \
   'the previous version is no longer active'

# updated_at
before=$(sq "$U" "SELECT updated_at FROM conversations.tenants WHERE id = '$T1'")
sq "$U" "UPDATE conversations.tenants SET timezone = 'America/Denver' WHERE id = '$T1'"
is "$(sq "$U" "SELECT updated_at > '$before' FROM conversations.tenants WHERE id = '$T1'")" t 'updated_at moves on UPDATE'

# emit_event: 8 sessions x 50 events on one trace -> 1..400 without gaps
for i in $(seq 1 50); do
    echo "SELECT conversations.emit_event('tr-concurrent', '$T1', 'utterance.caller', jsonb_build_object('n', $i));"
done > "$T/emit.sql"
pids=()
for s in 1 2 3 4 5 6 7 8; do
    psql -X -q -v ON_ERROR_STOP=1 "$U" -f "$T/emit.sql" >"$T/emit.$s.out" 2>&1 &
    pids+=($!)
done
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
is "$failed" 0 'eight concurrent emitters all succeed'
is "$(sq "$U" "SELECT count(*) || ' ' || count(DISTINCT sequence_number) || ' ' || min(sequence_number) || ' ' || max(sequence_number)
               FROM conversations.events WHERE trace_id = 'tr-concurrent'")" '400 400 1 400' 'sequence numbers are exactly 1..400'
is "$(sq "$U" "SELECT last_sequence FROM conversations.conversations WHERE trace_id = 'tr-concurrent'")" 400 'the counter ends at 400'
is "$(sq "$U" "SELECT bool_and(sequence_number = n) FROM (SELECT sequence_number, row_number() OVER () AS n
               FROM conversations.get_conversation_events('tr-concurrent')) s")" t 'get_conversation_events returns them in sequence order'
like "$(sq_fails "$U" "BEGIN; SELECT conversations.emit_event('tr-concurrent', '$T1', 'error'); SELECT 1/0; COMMIT;")" 'division by zero' 'a transaction that emits and then fails rolls back'
is "$(sq "$U" "SELECT (conversations.emit_event('tr-concurrent', '$T1', 'utterance.agent')).sequence_number")" 401 \
   'a rolled-back emit leaves no gap'
T2=$(sq "$U" "SELECT id FROM conversations.tenants WHERE slug = 'bayside-dental'")
like "$(sq_fails "$U" "SELECT conversations.emit_event('tr-concurrent', '$T2', 'error')")" 'trace tr-concurrent belongs to another tenant' 'emitting on another tenant'"'"'s trace is rejected'
sq "$U" "SELECT conversations.emit_event('tr-concurrent', '$T1', 'conversation.ended', '{\"status\":\"completed\"}')" >/dev/null
is "$(sq "$U" "SELECT status || ' ' || (ended_at IS NOT NULL) FROM conversations.conversations WHERE trace_id = 'tr-concurrent'")" \
   'completed true' 'conversation.ended closes the conversation'

# objectives are a cache of the events
want=$(sq "$U" "SELECT string_agg(objective || ':' || status || ':' || state::text || ':' || last_sequence, '|' ORDER BY objective)
                FROM conversations.objectives")
sq "$U" "DELETE FROM conversations.objectives"
is "$(sq "$U" "SELECT sum(conversations.rebuild_objectives(trace_id)) FROM conversations.conversations")" 3 'rebuild_objectives writes 3 objectives'
is "$(sq "$U" "SELECT string_agg(objective || ':' || status || ':' || state::text || ':' || last_sequence, '|' ORDER BY objective)
               FROM conversations.objectives")" "$want" 'rebuilt objectives equal the seeded cache'

# views
is "$(sq "$U" "SELECT string_agg(trace_id, ',' ORDER BY trace_id) FROM conversations.active_conversations")" \
   'tr-8f2c1a7e-lsm-0002' 'active_conversations lists the open conversation'
is "$(sq "$U" "SELECT sequence_number || ' ' || event_type FROM conversations.latest_events WHERE trace_id = 'tr-concurrent'")" \
   '402 conversation.ended' 'latest_events shows the last event of a trace'

ok 'schema_down "$U" conversations' 'conversations migrates down'
is "$(sq "$U" "SELECT count(*) FROM pg_namespace WHERE nspname = 'conversations'")" 0 'down removes schema conversations'
is "$(schema_applied "$U" conversations)" - 'down leaves no conversations migration recorded'
ok 'schema_up "$U" conversations' 'conversations migrates up again'
ok 'schema_seed "$U" conversations' 'seed runs on the fresh schema'
is "$(schema_fingerprint --ids "$U" conversations)" "$ids1" 're-seeded after down and up: the same rows and ids as before'

done_testing
