#!/usr/bin/env bash
# t_schema_revops.sh -- migration set revops (sql/revops, seeds/revops): Odoo and ACE
# opportunities in core, search.documents with the real[]/vector branch, cosine
# similarity and match_documents(), roles steward_reader/steward_writer shared safely
# between databases; seed twice (nothing changes), down to zero and up again.
# Owned by the schemas work package.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/schema_lib.sh"
need_servers

U=$(fresh_db revops)

ok 'schema_up "$U" platform' 'platform migrates up'
ok 'schema_up "$U" revops' 'revops migrates up'
is "$(schema_applied "$U" revops)" '1 2 3' 'ops.schema_migrations records the three revops migrations'
is "$(sq "$U" "SELECT string_agg(n.nspname || '.' || c.relname, ',' ORDER BY n.nspname, c.relname) FROM pg_class c
               JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname IN ('core', 'search') AND c.relkind = 'r'")" \
   'core.ace_opportunities,core.odoo_opportunities,search.documents' 'the three tables exist in core and search'
is "$(schema_conventions "$U" core)$(schema_conventions "$U" search)" '' \
   'every table: uuid v7 id, timestamps, updated_at trigger, indexed foreign keys'
vector=$(sq "$U" "SELECT count(*) FROM pg_extension WHERE extname = 'vector'")
want_type=$([ "$vector" = 1 ] && echo 'vector(1024)' || echo 'real[]')
is "$(sq "$U" "SELECT format_type(atttypid, atttypmod) FROM pg_attribute
               WHERE attrelid = 'search.documents'::regclass AND attname = 'embedding'")" "$want_type" \
   "embedding column is $want_type (pgvector installed: $vector)"

ok 'schema_seed "$U" revops' 'seed runs'
fp1=$(schema_fingerprint "$U" core search)
ids1=$(schema_fingerprint --ids "$U" core search)
ok 'schema_seed "$U" revops' 'seed runs again'
is "$(schema_fingerprint "$U" core search)" "$fp1" 'second seed run: same counts, ids and updated_at'
is "$(sq "$U" "SELECT (SELECT count(*) FROM core.odoo_opportunities) || ' ' || (SELECT count(*) FROM core.ace_opportunities)
               || ' ' || (SELECT count(*) FROM search.documents)")" '6 5 6' 'seeded opportunities and documents'
is "$(sq "$U" "SELECT o.source_key FROM core.ace_opportunities a JOIN core.odoo_opportunities o ON o.id = a.matched_odoo_id
               WHERE a.source_key = 'O4822410'")" 'crm.lead:4827' 'an ACE opportunity points at its Odoo match'

# constraints
like "$(sq_fails "$U" "INSERT INTO core.odoo_opportunities (source_key, name, stage, source_updated_at)
     VALUES ('crm.lead:4812', 'dup', 'prospect', now())")" 'odoo_opportunities_source_key_key' 'a duplicate source key is rejected'
like "$(sq_fails "$U" "INSERT INTO core.odoo_opportunities (source_key, name, stage, source_updated_at)
     VALUES ('crm.lead:9', 'x', 'negotiation', now())")" 'odoo_opportunities_stage_check' 'an unknown stage is rejected'
like "$(sq_fails "$U" "INSERT INTO core.ace_opportunities (source_key, name, stage, review_status, source_updated_at)
     VALUES ('O1', 'x', 'prospect', 'lost', now())")" 'ace_opportunities_review_status_check' 'an unknown review status is rejected'
like "$(sq_fails "$U" "INSERT INTO core.odoo_opportunities (source_key, name, stage, probability, source_updated_at)
     VALUES ('crm.lead:10', 'x', 'prospect', 120, now())")" 'odoo_opportunities_probability_check' 'a probability above 100 is rejected'
if [ "$vector" = 0 ]; then
    like "$(sq_fails "$U" "INSERT INTO search.documents (source, source_id, content, embedding)
         VALUES ('manual', 'short', 'x', '{1,2,3}')")" 'documents_embedding_check' 'an embedding that is not 1024 long is rejected'
else
    skip 1 'dimension check is the vector(1024) type itself'
fi

# updated_at
before=$(sq "$U" "SELECT updated_at FROM core.odoo_opportunities WHERE source_key = 'crm.lead:4833'")
sq "$U" "UPDATE core.odoo_opportunities SET probability = 30 WHERE source_key = 'crm.lead:4833'"
is "$(sq "$U" "SELECT updated_at > '$before' FROM core.odoo_opportunities WHERE source_key = 'crm.lead:4833'")" t \
   'updated_at moves on UPDATE'

# similarity
is "$(sq "$U" "SELECT round(search.cosine_similarity('{1,2,3}', '{2,4,6}')::numeric, 6) || ' '
               || round(search.cosine_similarity('{1,0}', '{0,1}')::numeric, 6) || ' '
               || round(search.cosine_similarity('{1,0}', '{-1,0}')::numeric, 6)")" '1.000000 0.000000 -1.000000' \
   'cosine_similarity: parallel 1, orthogonal 0, opposite -1'
is "$(sq "$U" "SELECT coalesce(search.cosine_similarity('{1,2}', '{1,2,3}')::text, 'null')")" null \
   'cosine_similarity of different lengths is NULL'
got=$(sq "$U" "SELECT source_id || ' ' || round(similarity::numeric, 6) FROM search.match_documents(
               (SELECT embedding::real[] FROM search.documents WHERE source_id = 'O4824102'), 3) LIMIT 1")
is "$got" 'O4824102 1.000000' 'match_documents ranks the identical embedding first, similarity 1'
is "$(sq "$U" "SELECT count(*) FROM search.match_documents((SELECT embedding::real[] FROM search.documents LIMIT 1), 4)")" 4 \
   'match_documents returns match_count rows'
is "$(sq "$U" "SELECT string_agg(source_id, ',' ORDER BY source_id) FROM search.match_documents(
               (SELECT embedding::real[] FROM search.documents WHERE source_id = 'O4824102'), 10, '{\"kind\":\"playbook\"}')")" \
   'playbooks/map-funding.md' 'match_documents filters on metadata'

# roles: created once per cluster, granted per database, never dropped from under another database
is "$(sq "$U" "SELECT count(*) FROM pg_roles WHERE rolname IN ('steward_reader', 'steward_writer') AND NOT rolcanlogin")" 2 \
   'roles steward_reader and steward_writer exist (NOLOGIN)'
is "$(sq "$U" "SELECT has_table_privilege('steward_reader', 'core.odoo_opportunities', 'SELECT') || ' '
               || has_table_privilege('steward_reader', 'core.odoo_opportunities', 'INSERT') || ' '
               || has_table_privilege('steward_writer', 'search.documents', 'INSERT') || ' '
               || has_table_privilege('steward_writer', 'search.documents', 'DELETE') || ' '
               || has_schema_privilege('steward_reader', 'raw', 'USAGE')")" 'true false true true true' \
   'reader may read only, writer may write'
sq "$U" "CREATE TABLE raw.t_revops_later (id uuid PRIMARY KEY)"
is "$(sq "$U" "SELECT has_table_privilege('steward_reader', 'raw.t_revops_later', 'SELECT')")" t \
   'tables created later are readable by steward_reader too'
sq "$U" "DROP TABLE raw.t_revops_later"
U2=$(fresh_db revops2)
ok 'schema_up "$U2" platform && schema_up "$U2" revops' 'revops migrates up in a second database'
ok 'schema_down "$U" revops' 'revops migrates down in the first'
is "$(sq "$U2" "SELECT count(*) FROM pg_roles WHERE rolname IN ('steward_reader', 'steward_writer')")" 2 \
   'the roles survive while the second database uses them'
is "$(sq "$U2" "SELECT has_table_privilege('steward_reader', 'core.odoo_opportunities', 'SELECT')")" t \
   'the second database keeps its grants'
is "$(sq "$U" "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname IN ('core', 'search') AND c.relkind = 'r'")" 0 'down removes the revops tables'
is "$(sq "$U" "SELECT count(*) FROM pg_proc WHERE pronamespace = 'search'::regnamespace")" 0 'down removes the search functions'
is "$(schema_applied "$U" revops)" - 'down leaves no revops migration recorded in the first database'
is "$(schema_applied "$U2" revops)" '1 2 3' 'the second database still records its revops migrations'
ok 'schema_down "$U2" revops' 'revops migrates down in the second database'
is "$(sq "$U2" "SELECT count(*) FROM pg_roles r WHERE rolname = 'steward_reader'
                AND has_schema_privilege(r.oid, 'core', 'USAGE')")" 0 'no grants left behind'

ok 'schema_up "$U" revops' 'revops migrates up again'
ok 'schema_seed "$U" revops' 'seed runs on the fresh schema'
is "$(schema_fingerprint --ids "$U" core search)" "$ids1" 're-seeded after down and up: the same rows and ids as before'

done_testing
