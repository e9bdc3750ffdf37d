-- seeds/planner/0002_demo_clients.sql -- demo data: three clients, a small memory graph,
-- one weekly plan with its schedule blocks, a few events and two execution runs.
-- Idempotent: fixed ids, ON CONFLICT DO NOTHING (a rerun changes no row, id or updated_at).
--
-- Ids: uuid_generate_v5(planner namespace, natural name); the planner namespace is
--   96243a49-90ce-43b2-abf0-629e8ea9e745
-- and natural names are 'client:<client_key>', 'graph_node:<node_id>',
-- 'graph_edge:<from>|<edge_type>|<to>', 'plan:<slug>', 'schedule:<slug>',
-- 'event:<slug>', 'execution_run:<run_id>'.
-- Tests: tests/integration/t_schema_planner.sh

INSERT INTO planner.client_profiles (id, client_key, display_name, email, timezone, status, preferences, metadata)
SELECT public.uuid_generate_v5('96243a49-90ce-43b2-abf0-629e8ea9e745'::uuid, 'client:' || c.client_key),
       c.client_key, c.display_name, c.email, c.timezone, c.status, c.preferences::jsonb, c.metadata::jsonb
FROM (VALUES
    ('harbor-dental', 'Harbor Dental Group', 'ops@harbordental.example', 'America/New_York', 'active',
     '{"focus_hours":"08:00-11:00","meeting_days":["Tue","Thu"],"report_format":"markdown"}',
     '{"industry":"healthcare","locations":3,"account_owner":"Priya Raman"}'),
    ('northwind-logistics', 'Northwind Logistics', 'planning@northwind.example', 'Europe/Berlin', 'active',
     '{"focus_hours":"13:00-16:00","meeting_days":["Mon","Wed"],"report_format":"pdf"}',
     '{"industry":"freight forwarding","fleet_size":140,"account_owner":"Jonas Keller"}'),
    ('lumen-studio', 'Lumen Design Studio', 'hello@lumenstudio.example', 'Europe/Lisbon', 'paused',
     '{"focus_hours":"09:30-12:30"}',
     '{"industry":"design agency","paused_reason":"contract renewal in January"}')
) AS c(client_key, display_name, email, timezone, status, preferences, metadata)
ON CONFLICT DO NOTHING;

INSERT INTO planner.graph_nodes (id, node_id, node_type, label, properties)
SELECT public.uuid_generate_v5('96243a49-90ce-43b2-abf0-629e8ea9e745'::uuid, 'graph_node:' || n.node_id),
       n.node_id, n.node_type, n.label, n.properties::jsonb
FROM (VALUES
    ('client:harbor-dental', 'client', 'Harbor Dental Group', '{"client_key":"harbor-dental"}'),
    ('client:northwind-logistics', 'client', 'Northwind Logistics', '{"client_key":"northwind-logistics"}'),
    ('project:harbor-dental/patient-recall', 'project', 'Patient recall campaign',
     '{"due":"2026-12-18","status":"in_progress"}'),
    ('project:northwind/carrier-onboarding', 'project', 'Carrier onboarding redesign',
     '{"due":"2027-01-29","status":"discovery"}'),
    ('process:new-patient-onboarding', 'process', 'New patient onboarding SOP',
     '{"steps":9,"template":"sop_generator"}'),
    ('process:carrier-vetting', 'process', 'Carrier vetting and contract',
     '{"steps":12,"template":"sop_generator_manifold"}'),
    ('task:recall-list-cleanup', 'task', 'Clean up the overdue-recall patient list',
     '{"estimate_minutes":90,"coda_row":"i-7Qx2"}'),
    ('person:amara-osei', 'person', 'Dr. Amara Osei', '{"role":"practice owner"}'),
    ('person:jonas-keller', 'person', 'Jonas Keller', '{"role":"head of operations"}')
) AS n(node_id, node_type, label, properties)
ON CONFLICT DO NOTHING;

INSERT INTO planner.graph_edges (id, from_node_id, to_node_id, edge_type, weight, properties)
SELECT public.uuid_generate_v5('96243a49-90ce-43b2-abf0-629e8ea9e745'::uuid,
                               'graph_edge:' || e.from_node_id || '|' || e.edge_type || '|' || e.to_node_id),
       e.from_node_id, e.to_node_id, e.edge_type, e.weight, e.properties::jsonb
FROM (VALUES
    ('client:harbor-dental', 'project:harbor-dental/patient-recall', 'has_project', 1.0, '{}'),
    ('project:harbor-dental/patient-recall', 'process:new-patient-onboarding', 'uses_process', 0.6,
     '{"note":"recalled patients without a chart go through onboarding again"}'),
    ('project:harbor-dental/patient-recall', 'task:recall-list-cleanup', 'has_task', 1.0, '{}'),
    ('person:amara-osei', 'project:harbor-dental/patient-recall', 'owns', 1.0, '{}'),
    ('person:amara-osei', 'client:harbor-dental', 'works_for', 1.0, '{}'),
    ('client:northwind-logistics', 'project:northwind/carrier-onboarding', 'has_project', 1.0, '{}'),
    ('project:northwind/carrier-onboarding', 'process:carrier-vetting', 'uses_process', 0.9, '{}'),
    ('person:jonas-keller', 'project:northwind/carrier-onboarding', 'owns', 1.0, '{}'),
    ('person:jonas-keller', 'client:northwind-logistics', 'works_for', 1.0, '{}')
) AS e(from_node_id, to_node_id, edge_type, weight, properties)
ON CONFLICT DO NOTHING;

INSERT INTO planner.plans (id, client_id, title, description, status, period_start, period_end, goals, metadata)
VALUES (
    public.uuid_generate_v5('96243a49-90ce-43b2-abf0-629e8ea9e745'::uuid, 'plan:harbor-dental-recall-week-50'),
    public.uuid_generate_v5('96243a49-90ce-43b2-abf0-629e8ea9e745'::uuid, 'client:harbor-dental'),
    'Harbor Dental: recall campaign launch week',
    'Clean the overdue-recall list, agree the call script with Dr. Osei and start the first calling wave.',
    'scheduled', DATE '2026-12-07', DATE '2026-12-11',
    '["Overdue-recall list deduplicated and validated","Call script approved","First 200 patients contacted"]',
    '{"source":"weekly_review","week":"2026-W50"}')
ON CONFLICT DO NOTHING;

INSERT INTO planner.schedules (id, plan_id, client_id, title, block_type, status, starts_at, ends_at,
                               timezone, recurrence_rule, priority, metadata)
SELECT public.uuid_generate_v5('96243a49-90ce-43b2-abf0-629e8ea9e745'::uuid, 'schedule:' || s.slug),
       public.uuid_generate_v5('96243a49-90ce-43b2-abf0-629e8ea9e745'::uuid, 'plan:harbor-dental-recall-week-50'),
       public.uuid_generate_v5('96243a49-90ce-43b2-abf0-629e8ea9e745'::uuid, 'client:harbor-dental'),
       s.title, s.block_type, 'planned', s.starts_at::timestamptz, s.ends_at::timestamptz,
       'America/New_York', s.rrule, s.priority, s.metadata::jsonb
FROM (VALUES
    ('recall-list-cleanup', 'Deduplicate and validate the overdue-recall list', 'focus',
     '2026-12-07 08:30:00-05', '2026-12-07 10:00:00-05', NULL, 1,
     '{"graph_node":"task:recall-list-cleanup"}'),
    ('script-review-osei', 'Review the recall call script with Dr. Osei', 'meeting',
     '2026-12-08 13:00:00-05', '2026-12-08 13:45:00-05', NULL, 2, '{"attendees":["Dr. Amara Osei"]}'),
    ('first-calling-wave', 'First calling wave: 200 overdue patients', 'task',
     '2026-12-09 09:00:00-05', '2026-12-09 12:00:00-05', NULL, 1, '{"target_contacts":200}'),
    ('daily-review', 'Daily review and tomorrow''s top three', 'review',
     '2026-12-07 16:45:00-05', '2026-12-07 17:00:00-05', 'RRULE:FREQ=DAILY;COUNT=5', 3,
     '{"prompt_template":"daily_reflection"}')
) AS s(slug, title, block_type, starts_at, ends_at, rrule, priority, metadata)
ON CONFLICT DO NOTHING;

INSERT INTO planner.events (id, event_type, event_source, client_id, payload, metadata, created_at, updated_at)
SELECT public.uuid_generate_v5('96243a49-90ce-43b2-abf0-629e8ea9e745'::uuid, 'event:' || ev.slug),
       ev.event_type, ev.event_source,
       public.uuid_generate_v5('96243a49-90ce-43b2-abf0-629e8ea9e745'::uuid, 'client:' || ev.client_key),
       ev.payload::jsonb, ev.metadata::jsonb, ev.at::timestamptz, ev.at::timestamptz
FROM (VALUES
    ('coda-task-recall-cleanup', 'task.created', 'coda', 'harbor-dental',
     '{"task_id":"i-7Qx2","title":"Clean up the overdue-recall patient list","estimate_minutes":90}',
     '{"webhook":"/webhook/coda/task-created"}', '2026-12-03 15:12:04+00'),
    ('gcal-script-review-moved', 'calendar.event_updated', 'gcal', 'harbor-dental',
     '{"calendar_event":"script-review-osei","old_start":"2026-12-08T10:00:00-05:00","new_start":"2026-12-08T13:00:00-05:00"}',
     '{"webhook":"/webhook/gcal/event-updated"}', '2026-12-04 09:41:30+00'),
    ('northwind-kickoff-notes', 'note.added', 'planner', 'northwind-logistics',
     '{"text":"Carrier vetting takes 11 days on average; insurance certificate checks are the slowest step."}',
     '{}', '2026-12-04 14:05:00+00')
) AS ev(slug, event_type, event_source, client_key, payload, metadata, at)
ON CONFLICT DO NOTHING;

INSERT INTO planner.execution_runs (id, run_id, run_type, task_id, project_id, process_template_id, client_id,
                                    status, triggered_by, started_at, finished_at, duration_ms, input, output, error)
SELECT public.uuid_generate_v5('96243a49-90ce-43b2-abf0-629e8ea9e745'::uuid, 'execution_run:' || r.run_id),
       r.run_id, r.run_type, r.task_id, r.project_id, r.template_id,
       public.uuid_generate_v5('96243a49-90ce-43b2-abf0-629e8ea9e745'::uuid, 'client:' || r.client_key),
       r.status, 'scheduler', r.started_at::timestamptz, r.finished_at::timestamptz, r.duration_ms,
       r.input::jsonb, r.output::jsonb, r.error
FROM (VALUES
    ('run-2026-12-04-harbor-onboarding-sop', 'Process', NULL, 'project:harbor-dental/patient-recall',
     'process:new-patient-onboarding', 'harbor-dental', 'succeeded',
     '2026-12-04 10:00:00+00', '2026-12-04 10:00:42.318+00', 42318,
     '{"prompt_template":"sop_generator","version":1}', '{"sections":9,"to_confirm":2}', NULL),
    ('run-2026-12-04-northwind-vetting-touchpoint', 'Touchpoint', 'i-9Lm4', 'project:northwind/carrier-onboarding',
     NULL, 'northwind-logistics', 'failed',
     '2026-12-04 15:30:00+00', '2026-12-04 15:30:05.004+00', 5004,
     '{"channel":"email","to":"planning@northwind.example"}', NULL,
     'SMTP 451 4.7.1 greylisted, retry scheduled')
) AS r(run_id, run_type, task_id, project_id, template_id, client_key, status,
       started_at, finished_at, duration_ms, input, output, error)
ON CONFLICT DO NOTHING;
