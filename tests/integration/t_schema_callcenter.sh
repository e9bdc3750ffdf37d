#!/usr/bin/env bash
# t_schema_callcenter.sh -- migration set callcenter (sql/callcenter, seeds/callcenter):
# up, seed twice (nothing changes), conventions, constraints, updated_at trigger,
# full-text / trigram search, callcenter.search_knowledge(), down to zero and up again.
# Owned by the schemas work package.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/schema_lib.sh"
need_servers

U=$(fresh_db callcenter)

ok 'schema_up "$U" platform' 'platform migrates up'
ok 'schema_up "$U" callcenter' 'callcenter migrates up'
is "$(schema_applied "$U" callcenter)" '1 2' 'ops.schema_migrations records both callcenter migrations'
is "$(sq "$U" "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class
               WHERE relnamespace = 'callcenter'::regnamespace AND relkind = 'r'")" \
   'claims,customers,guidelines,journey_contexts,journey_states,journey_transitions,journeys,knowledge_base,validation_audit' \
   'the nine callcenter tables exist'
is "$(schema_conventions "$U" callcenter)" '' 'every table: uuid v7 id, timestamps, updated_at trigger, indexed foreign keys'

# seeds: the promised amounts, and a second run changes nothing
ok 'schema_seed "$U" callcenter' 'seed runs'
fp1=$(schema_fingerprint "$U" callcenter)
ids1=$(schema_fingerprint --ids "$U" callcenter)
ok 'schema_seed "$U" callcenter' 'seed runs again'
fp2=$(schema_fingerprint "$U" callcenter)
is "$fp2" "$fp1" 'second seed run: same counts, ids and updated_at'
counts=$(sq "$U" "SELECT (SELECT count(*) BETWEEN 20 AND 30 FROM callcenter.customers)
                     AND (SELECT count(*) BETWEEN 30 AND 50 FROM callcenter.claims)
                     AND (SELECT count(*) BETWEEN 50 AND 100 FROM callcenter.knowledge_base)
                     AND (SELECT count(*) = 3 FROM callcenter.journeys)
                     AND (SELECT count(*) BETWEEN 10 AND 15 FROM callcenter.guidelines)")
is "$counts" t 'seed sizes: 20-30 customers, 30-50 claims, 50-100 articles, 3 journeys, 10-15 guidelines'
is "$(sq "$U" "SELECT count(DISTINCT (type, status)) FROM callcenter.claims")" 24 'claims cover every type x status'
is "$(sq "$U" "SELECT count(DISTINCT category) FROM callcenter.knowledge_base")" 4 'articles span 4 categories'
is "$(sq "$U" "SELECT count(*) FROM callcenter.journeys j WHERE
               (SELECT count(*) FROM callcenter.journey_states s WHERE s.journey_id = j.id AND kind = 'initial') = 1
               AND EXISTS (SELECT 1 FROM callcenter.journey_transitions t WHERE t.journey_id = j.id)")" 3 \
   'each journey has one initial state and transitions'
is "$(sq "$U" "SELECT id FROM callcenter.customers WHERE policy_number = 'AUT-2023-004817'")" \
   "$(sq "$U" "SELECT uuid_generate_v5('2e62ecc2-bc28-5d38-8592-806e21396868', 'customer:AUT-2023-004817')")" \
   'seed ids are uuid v5 over the set namespace'

# constraints
C=$(sq "$U" "SELECT id FROM callcenter.customers ORDER BY id LIMIT 1")
like "$(sq_fails "$U" "INSERT INTO callcenter.claims (customer_id, claim_number, type, status, amount, description)
     VALUES ('$C', 'CLM-X-1', 'auto', 'lost', 10, 'x')")" 'claims_status_check' 'claim with unknown status is rejected'
like "$(sq_fails "$U" "INSERT INTO callcenter.claims (customer_id, claim_number, type, amount, description)
     VALUES ('$C', 'CLM-X-2', 'pet', 10, 'x')")" 'claims_type_check' 'claim with unknown type is rejected'
like "$(sq_fails "$U" "INSERT INTO callcenter.claims (customer_id, claim_number, type, amount, description)
     VALUES ('$C', 'CLM-X-3', 'auto', -5, 'x')")" 'claims_amount_check' 'negative claim amount is rejected'
like "$(sq_fails "$U" "INSERT INTO callcenter.claims (customer_id, claim_number, type, amount, description)
     VALUES (gen_random_uuid(), 'CLM-X-4', 'auto', 5, 'x')")" 'claims_customer_id_fkey' 'claim of an unknown customer is rejected'
like "$(sq_fails "$U" "INSERT INTO callcenter.customers (name, phone, policy_number) VALUES ('Ann Lee', '555-0100', 'AUT-2025-1')")" 'customers_phone_check' \
   'phone not in E.164 is rejected'
like "$(sq_fails "$U" "INSERT INTO callcenter.journey_states (journey_id, name, kind)
     SELECT id, 'second_start', 'initial' FROM callcenter.journeys WHERE name = 'billing_inquiry'")" 'journey_states_one_initial_idx' \
   'a second initial state in a journey is rejected'
like "$(sq_fails "$U" "INSERT INTO callcenter.journey_transitions (journey_id, from_state, to_state, trigger)
     SELECT id, 'greeting', 'open_claim', 'jump' FROM callcenter.journeys WHERE name = 'billing_inquiry'")" 'journey_transitions_journey_id_to_state_fkey' \
   'a transition to a state of another journey is rejected'
like "$(sq_fails "$U" "INSERT INTO callcenter.validation_audit (session_id, check_name, passed, confidence)
     VALUES ('s1', 'x', true, 1.5)")" 'validation_audit_confidence_check' 'confidence above 1 is rejected'

# updated_at follows updates (and only then)
before=$(sq "$U" "SELECT updated_at FROM callcenter.claims WHERE claim_number = 'CLM-2025-000101'")
sq "$U" "UPDATE callcenter.claims SET status = 'under_review' WHERE claim_number = 'CLM-2025-000101'"
is "$(sq "$U" "SELECT updated_at > '$before' AND updated_at > created_at FROM callcenter.claims
               WHERE claim_number = 'CLM-2025-000101'")" t 'updated_at moves on UPDATE'

# search
is "$(sq "$U" "SELECT question FROM callcenter.knowledge_base
               WHERE search_vector @@ websearch_to_tsquery('english', 'flooding')
               ORDER BY ts_rank(search_vector, websearch_to_tsquery('english', 'flooding')) DESC LIMIT 1")" \
   'Does homeowners insurance cover flood damage?' 'full-text search finds an article by a word form'
is "$(sq "$U" "SELECT question FROM callcenter.knowledge_base
               WHERE question % 'How do I fil a new auto insurence claim'
               ORDER BY similarity(question, 'How do I fil a new auto insurence claim') DESC LIMIT 1")" \
   'How do I file a new auto insurance claim?' 'trigram search finds a misspelled question'
plan=$(sq "$U" "SET enable_seqscan = off; EXPLAIN SELECT id FROM callcenter.knowledge_base
                WHERE question % 'How do I fil a new auto insurence claim'")
like "$plan" knowledge_base_question_trgm_idx 'the trigram query can use the trigram index'
is "$(sq "$U" "SELECT question FROM callcenter.search_knowledge('flood damage', 1)")" \
   'Does homeowners insurance cover flood damage?' 'search_knowledge ranks the best article first'
is "$(sq "$U" "SELECT count(*) FROM callcenter.search_knowledge('claim')")" 10 'search_knowledge returns lim (default 10) rows'
is "$(sq "$U" "SELECT count(*) FROM callcenter.search_knowledge('the', 5)")" 0 'a stop-word query returns nothing'
top5="SELECT string_agg(r::text, ',' ORDER BY r DESC) FROM (
          SELECT ts_rank(search_vector, websearch_to_tsquery('english', 'claim')) AS r
          FROM callcenter.knowledge_base WHERE search_vector @@ websearch_to_tsquery('english', 'claim')
          ORDER BY 1 DESC LIMIT 5) s"
want=$(sq "$U" "$top5")
is "$(sq "$U" "SELECT string_agg(rank::text, ',' ORDER BY rank DESC) FROM callcenter.search_knowledge('claim', 5)")" "$want" \
   'few matches: search_knowledge returns the exact ts_rank top-N'
is "$(sq "$U" "SET callcenter.search_rum_limit = 0;
               SELECT string_agg(rank::text, ',' ORDER BY rank DESC) FROM callcenter.search_knowledge('claim', 5)")" "$want" \
   'few matches, without the RUM path: the same exact top-N'
capped=$(sq "$U" "SET callcenter.search_candidates = 3; SET callcenter.search_rum_limit = 0; SET callcenter.search_exact_limit = 0;
                  SELECT string_agg(question, '|') FROM callcenter.search_knowledge('claim', 2)")
want=$(sq "$U" "SELECT string_agg(question, '|') FROM (SELECT question FROM (
                SELECT question, popularity, id, ts_rank(search_vector, websearch_to_tsquery('english', 'claim')) AS r
                FROM callcenter.knowledge_base WHERE search_vector @@ websearch_to_tsquery('english', 'claim')
                ORDER BY popularity DESC, id LIMIT 3) c ORDER BY r DESC, popularity DESC, id LIMIT 2) s")
is "$capped" "$want" 'many matches: the best-ranked of the most popular candidates'
if [ "$(sq "$U" "SELECT count(*) FROM pg_extension WHERE extname = 'rum'")" = 1 ]; then
    like "$(sq "$U" "SET enable_seqscan = off; EXPLAIN SELECT id FROM callcenter.knowledge_base
                     WHERE search_vector @@ 'claim'::tsquery ORDER BY search_vector <=> 'claim'::tsquery LIMIT 5")" \
         knowledge_base_search_rum_idx 'with RUM installed, ranked order comes from the RUM index'
else
    skip 1 'extension rum not installed'
fi

# down to zero, up again
ok 'schema_down "$U" callcenter' 'callcenter migrates down'
is "$(sq "$U" "SELECT count(*) FROM pg_namespace WHERE nspname = 'callcenter'")" 0 'down removes schema callcenter'
is "$(schema_applied "$U" callcenter)" - 'down leaves no callcenter migration recorded'
is "$(sq "$U" "SELECT count(*) FROM pg_extension WHERE extname = 'rum'")" 0 'down removes extension rum it created'
if [ "$(sq "$U" "SELECT count(*) FROM pg_available_extensions WHERE name = 'rum'")" = 1 ]; then
    sq "$U" "CREATE EXTENSION rum"
    ok 'schema_up "$U" callcenter && schema_down "$U" callcenter' 'up and down with extension rum already there'
    is "$(sq "$U" "SELECT count(*) FROM pg_extension WHERE extname = 'rum'")" 1 'down keeps an extension rum it did not create'
    sq "$U" "DROP EXTENSION rum"
else
    skip 2 'extension rum not installed'
fi
ok 'schema_up "$U" callcenter' 'callcenter migrates up again'
ok 'schema_seed "$U" callcenter' 'seed runs on the fresh schema'
is "$(schema_fingerprint --ids "$U" callcenter)" "$ids1" \
   're-seeded after down and up: the same rows and ids as before'

done_testing
