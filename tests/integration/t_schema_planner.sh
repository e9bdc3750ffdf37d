#!/usr/bin/env bash
# t_schema_planner.sh -- migration set `planner` (sql/planner, seeds/planner) on a real
# PostgreSQL: up, conventions, seeds twice without change, constraints, updated_at
# trigger, get_graph_neighbors(), the five system prompt templates, down to zero, up again.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/schema_lib.sh"
need_servers

U=$(fresh_db planner)

# --- up -----------------------------------------------------------------------------
ok 'schema_up "$U" planner' "migrate up applies set planner"
is "$(schema_applied "$U" planner)" "1 2 3" "ops.schema_migrations records every planner migration"
platform_applied=$(schema_applied "$U" platform)
ok 'schema_verify "$U" planner' "migrate verify: applied planner files match their checksums"
is "$(sq "$U" "SELECT string_agg(c.relname, ' ' ORDER BY c.relname) FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'planner' AND c.relkind = 'r'")" \
   "client_profiles events execution_runs graph_edges graph_nodes plans prompt_templates schedules" \
   "schema planner holds the eight tables"
is "$(schema_conventions "$U" planner)" "" \
   "every planner table: uuid v7 id, created_at/updated_at NOT NULL DEFAULT now(), updated_at row trigger; every foreign key leads an index"
is "$(sq "$U" "SELECT string_agg(indexdef, E'\n' ORDER BY indexname) FROM pg_indexes
              WHERE schemaname = 'planner' AND tablename = 'events'
                AND indexname IN ('events_event_type_idx', 'events_event_source_idx', 'events_created_at_idx')")" \
   "CREATE INDEX events_created_at_idx ON planner.events USING btree (created_at DESC)
CREATE INDEX events_event_source_idx ON planner.events USING btree (event_source)
CREATE INDEX events_event_type_idx ON planner.events USING btree (event_type)" \
   "events indexed on event_type, event_source, created_at DESC"
is "$(sq "$U" "SELECT string_agg(split_part(indexdef, ' USING btree ', 2), ' ' ORDER BY indexdef) FROM pg_indexes
              WHERE schemaname = 'planner' AND tablename = 'execution_runs'
                AND indexname ~ '_(task_id|project_id|process_template_id|run_type|started_at)_idx$'")" \
   "(process_template_id) (project_id) (run_type) (started_at DESC) (task_id)" \
   "execution_runs indexed on task_id, project_id, process_template_id, run_type, started_at DESC"

# --- seeds: twice, nothing changes the second time ------------------------------------
ok 'schema_seed "$U" planner' "seed planner"
fp1=$(schema_fingerprint "$U" planner)
ids1=$(schema_fingerprint --ids "$U" planner)
is "$(sq "$U" "SELECT string_agg(relname || '=' || n, ' ' ORDER BY relname) FROM (
              SELECT 'client_profiles' relname, count(*) n FROM planner.client_profiles
              UNION ALL SELECT 'graph_nodes', count(*) FROM planner.graph_nodes
              UNION ALL SELECT 'graph_edges', count(*) FROM planner.graph_edges
              UNION ALL SELECT 'plans', count(*) FROM planner.plans
              UNION ALL SELECT 'schedules', count(*) FROM planner.schedules
              UNION ALL SELECT 'prompt_templates', count(*) FROM planner.prompt_templates) c")" \
   "client_profiles=3 graph_edges=9 graph_nodes=9 plans=1 prompt_templates=5 schedules=4" \
   "seed rows: 3 clients, 9 nodes, 9 edges, 1 plan, 4 schedules, 5 templates"
is "$(sq "$U" "SELECT id FROM planner.prompt_templates WHERE name = 'sop_generator' AND version = 1")" \
   "$(sq "$U" "SELECT public.uuid_generate_v5('96243a49-90ce-43b2-abf0-629e8ea9e745', 'prompt_template:sop_generator:v1')")" \
   "seed ids are uuid v5 over the planner namespace and the natural name"
ok 'schema_seed "$U" planner' "seed planner again"
fp2=$(schema_fingerprint "$U" planner)
is "$fp2" "$fp1" "second seed run: counts, sorted-id md5 and updated_at of every table unchanged"

# --- prompt templates ------------------------------------------------------------------
is "$(sq "$U" "SELECT string_agg(name || ':v' || version || ':' || kind, ' ' ORDER BY name)
              FROM planner.prompt_templates WHERE is_system")" \
   "daily_reflection:v1:reflection schedule_optimizer:v1:scheduling sop_generator:v1:sop sop_generator_manifold:v1:sop weekly_review:v1:review" \
   "the five v1 system templates exist"
is "$(sq "$U" "SELECT metadata = '{\"analysis_scope\":\"full\",\"gentleness\":\"balanced\",\"math_depth\":\"operational\",\"position_awareness\":true,\"option_count\":3}'::jsonb
              FROM planner.prompt_templates WHERE name = 'sop_generator_manifold' AND version = 1")" \
   "t" "sop_generator_manifold metadata is exactly the manifold settings"
is "$(sq "$U" "SELECT count(*) FROM planner.prompt_templates WHERE is_system AND length(body) < 500")" "0" \
   "every system template has a real body (500+ characters)"
like "$(sq_fails "$U" "INSERT INTO planner.prompt_templates (name, version, kind, body)
                VALUES ('sop_generator', 1, 'sop', 'a second v1')")" \
   "prompt_templates_name_version_key" "a second (name, version) is rejected"

# --- graph neighbours -----------------------------------------------------------------
is "$(sq "$U" "SELECT string_agg(neighbor_id || ' ' || edge_type || ' ' || direction, E'\n')
              FROM planner.get_graph_neighbors('project:harbor-dental/patient-recall')")" \
   "task:recall-list-cleanup has_task outgoing
process:new-patient-onboarding uses_process outgoing
client:harbor-dental has_project incoming
person:amara-osei owns incoming" \
   "get_graph_neighbors: outgoing and incoming edges with their types"
is "$(sq "$U" "SELECT count(*) FROM planner.get_graph_neighbors('no:such-node')")" "0" \
   "get_graph_neighbors of an unknown node is empty"
like "$(sq_fails "$U" "INSERT INTO planner.graph_edges (from_node_id, to_node_id, edge_type)
                VALUES ('client:harbor-dental', 'project:harbor-dental/patient-recall', 'has_project')")" \
   "graph_edges_from_to_type_key" "a duplicate (from, to, edge_type) edge is rejected"
like "$(sq_fails "$U" "INSERT INTO planner.graph_edges (from_node_id, to_node_id, edge_type)
                VALUES ('client:harbor-dental', 'no:such-node', 'has_project')")" \
   "graph_edges_to_node_id_fkey" "an edge to an unknown node is rejected"

# --- constraints ----------------------------------------------------------------------
like "$(sq_fails "$U" "INSERT INTO planner.plans (title, status) VALUES ('Q1 roadmap', 'archived')")" \
   "plans_status_check" "a plan status outside draft/scheduled/active/completed is rejected"
like "$(sq_fails "$U" "INSERT INTO planner.execution_runs (run_id, run_type) VALUES ('run-x', 'Batch')")" \
   "execution_runs_run_type_check" "a run_type other than Process/Touchpoint is rejected"
like "$(sq_fails "$U" "INSERT INTO planner.execution_runs (run_id, run_type)
                VALUES ('run-2026-12-04-harbor-onboarding-sop', 'Process')")" \
   "execution_runs_run_id_key" "a duplicate run_id is rejected"
like "$(sq_fails "$U" "INSERT INTO planner.events (event_type, event_source) VALUES ('Task Created', 'coda')")" \
   "events_event_type_check" "an event_type with spaces is rejected"
like "$(sq_fails "$U" "INSERT INTO planner.schedules (plan_id, title, starts_at, ends_at)
                SELECT id, 'backwards', '2026-12-07 10:00Z', '2026-12-07 09:00Z' FROM planner.plans LIMIT 1")" \
   "schedules_check" "a schedule block ending before it starts is rejected"
is "$(sq "$U" "INSERT INTO planner.execution_runs (run_id, run_type, task_id) VALUES ('run-ok', 'Touchpoint', 'i-1')
              RETURNING status || ' ' || (id IS NOT NULL)")" "pending true" \
   "a valid run gets status pending and a generated id"

# --- updated_at trigger ---------------------------------------------------------------
plan="public.uuid_generate_v5('96243a49-90ce-43b2-abf0-629e8ea9e745', 'plan:harbor-dental-recall-week-50')"
before=$(sq "$U" "SELECT created_at || '|' || updated_at FROM planner.plans WHERE id = $plan")
is "$(sq "$U" "UPDATE planner.plans SET status = 'active' WHERE id = $plan
              RETURNING (updated_at > '${before#*|}'::timestamptz) || ' ' || (created_at = '${before%|*}'::timestamptz)")" \
   "true true" "UPDATE moves updated_at forward and leaves created_at alone"

# --- down to zero, up again -----------------------------------------------------------
ok 'schema_down "$U" planner' "migrate down to zero"
is "$(sq "$U" "SELECT count(*) FROM pg_namespace WHERE nspname = 'planner'")" "0" "schema planner is gone"
is "$(schema_applied "$U" planner)" "-" "no planner migration is recorded any more"
is "$(schema_applied "$U" platform)" "$platform_applied" "platform stays applied"
is "$(sq "$U" "SELECT count(*) FROM pg_proc WHERE proname = 'get_graph_neighbors'")" "0" "get_graph_neighbors is gone"
ok 'schema_up "$U" planner' "migrate up again after down"
ok 'schema_verify "$U" planner' "migrate verify after down and up again: the files match their checksums"
ok 'schema_seed "$U" planner' "seed again after down/up"
is "$(schema_fingerprint --ids "$U" planner)" "$ids1" \
   "after down/up/seed: the same tables, counts and ids"

done_testing
