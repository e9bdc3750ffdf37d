-- seeds/conversations/0001_conversations.sql -- demo data for set conversations: three
-- tenants with their phone numbers, objective configs (one with a superseded version),
-- four conversations with their events, and the objectives rebuilt from those events.
--
-- Ids are deterministic: uuid_generate_v5(NS, natural name) with the set's namespace
--   NS = 23832219-8788-5ba1-8a00-d6d135101c07
--      = uuid_generate_v5(uuid_ns_url(), 'https://steward.dev/seeds/conversations')
-- and natural names 'tenant:<slug>', 'config:<slug>:<objective>:<version>',
-- 'conversation:<trace>', 'event:<trace>:<sequence>', 'objective:<trace>:<objective>'.
-- Inserts are ON CONFLICT DO NOTHING (events are append-only and configs immutable, so
-- a rerun must not touch them); conversations carry last_sequence = their event count.
-- Tested by tests/integration/t_schema_conversations.sh.

INSERT INTO conversations.tenants (id, name, slug, phone_number, status, timezone, settings)
SELECT uuid_generate_v5('23832219-8788-5ba1-8a00-d6d135101c07', 'tenant:' || v.slug),
       v.name, v.slug, v.phone, v.status, v.tz, v.settings::jsonb
FROM (VALUES
    ('Lone Star Mutual Claims Line', 'lone-star-mutual', '+15125550100', 'active',    'America/Chicago',
     '{"voice":"aria","language":"en-US","business_hours":"24x7","transfer_number":"+15125550199"}'),
    ('Bayside Dental Group',         'bayside-dental',   '+14155550200', 'active',    'America/Los_Angeles',
     '{"voice":"sol","language":"en-US","business_hours":"mon-fri 08:00-17:00"}'),
    ('Northwind Property Management','northwind-pm',     '+16125550300', 'suspended', 'America/Chicago',
     '{"voice":"aria","language":"en-US","suspended_reason":"billing"}')
) AS v (name, slug, phone, status, tz, settings)
ON CONFLICT (id) DO NOTHING;

INSERT INTO conversations.objective_configs (id, tenant_id, objective, version, description, content, is_active)
SELECT uuid_generate_v5('23832219-8788-5ba1-8a00-d6d135101c07', 'config:' || v.slug || ':' || v.objective || ':' || v.version),
       uuid_generate_v5('23832219-8788-5ba1-8a00-d6d135101c07', 'tenant:' || v.slug),
       v.objective, v.version, v.descr, v.content::jsonb, v.active
FROM (VALUES
    ('lone-star-mutual', 'verify_caller', 1, 'Confirm policy number and date of birth',
     '{"required_slots":["policy_number","date_of_birth"],"max_attempts":3,"on_failure":"transfer"}', true),
    ('lone-star-mutual', 'first_notice_of_loss', 1, 'Collect loss details',
     '{"required_slots":["loss_date","loss_type","location","description"],"on_complete":"create_claim"}', false),
    ('lone-star-mutual', 'first_notice_of_loss', 2, 'Collect loss details; injuries go to an adjuster',
     '{"required_slots":["loss_date","loss_type","location","description","injuries"],"on_complete":"create_claim","escalate_if":{"injuries":true}}', true),
    ('bayside-dental',   'book_appointment', 1, 'Book a cleaning or exam',
     '{"required_slots":["patient_name","date_of_birth","preferred_day","reason"],"calendar":"hygiene"}', true),
    ('bayside-dental',   'verify_insurance', 1, 'Capture dental insurance carrier and member id',
     '{"required_slots":["carrier","member_id"]}', true),
    ('northwind-pm',     'maintenance_request', 1, 'Log a maintenance request',
     '{"required_slots":["unit","issue","urgency"],"urgent_keywords":["flood","gas","no heat"]}', true)
) AS v (slug, objective, version, descr, content, active)
ON CONFLICT (id) DO NOTHING;

INSERT INTO conversations.conversations (id, tenant_id, trace_id, status, channel, caller_number,
                                         last_sequence, metadata, started_at, ended_at)
SELECT uuid_generate_v5('23832219-8788-5ba1-8a00-d6d135101c07', 'conversation:' || v.trace),
       uuid_generate_v5('23832219-8788-5ba1-8a00-d6d135101c07', 'tenant:' || v.slug),
       v.trace, v.status, 'voice', v.caller, v.n, v.meta::jsonb, v.started::timestamptz, v.ended::timestamptz
FROM (VALUES
    ('tr-8f2c1a7e-lsm-0001', 'lone-star-mutual', 'completed', '+15125550142', 8, '{"call_sid":"CA4f1c0e9a"}', '2025-09-14 09:31:00+00', '2025-09-14 09:38:40+00'),
    ('tr-8f2c1a7e-lsm-0002', 'lone-star-mutual', 'active',    '+19725550184', 4, '{"call_sid":"CA77b2d310"}', '2025-09-27 14:05:19+00', NULL),
    ('tr-3d9b44c0-bdg-0001', 'bayside-dental',   'completed', '+14155550123', 7, '{"call_sid":"CA0a93e5c2"}', '2025-09-22 16:12:03+00', '2025-09-22 16:16:51+00'),
    ('tr-3d9b44c0-bdg-0002', 'bayside-dental',   'abandoned', '+16505550177', 3, '{"call_sid":"CA5e2f9b11"}', '2025-09-23 08:02:44+00', '2025-09-23 08:03:30+00')
) AS v (trace, slug, status, caller, n, meta, started, ended)
ON CONFLICT (id) DO NOTHING;

INSERT INTO conversations.events (id, trace_id, tenant_id, sequence_number, event_type, payload, created_at)
SELECT uuid_generate_v5('23832219-8788-5ba1-8a00-d6d135101c07', 'event:' || v.trace || ':' || v.seq),
       v.trace,
       uuid_generate_v5('23832219-8788-5ba1-8a00-d6d135101c07', 'tenant:' || v.slug),
       v.seq, v.type, v.payload::jsonb, v.at::timestamptz
FROM (VALUES
    ('tr-8f2c1a7e-lsm-0001', 'lone-star-mutual', 1, 'conversation.started', '{"caller":"+15125550142","dialed":"+15125550100"}', '2025-09-14 09:31:00+00'),
    ('tr-8f2c1a7e-lsm-0001', 'lone-star-mutual', 2, 'utterance.agent',      '{"text":"Thanks for calling Lone Star Mutual. This call is recorded. How can I help?"}', '2025-09-14 09:31:02+00'),
    ('tr-8f2c1a7e-lsm-0001', 'lone-star-mutual', 3, 'utterance.caller',     '{"text":"Someone rear-ended me on I-35 this morning.","confidence":0.94}', '2025-09-14 09:31:09+00'),
    ('tr-8f2c1a7e-lsm-0001', 'lone-star-mutual', 4, 'objective.started',    '{"objective":"first_notice_of_loss","config_version":2}', '2025-09-14 09:31:10+00'),
    ('tr-8f2c1a7e-lsm-0001', 'lone-star-mutual', 5, 'objective.updated',    '{"objective":"first_notice_of_loss","state":{"loss_date":"2025-09-14","loss_type":"auto","location":"I-35, Austin"}}', '2025-09-14 09:33:41+00'),
    ('tr-8f2c1a7e-lsm-0001', 'lone-star-mutual', 6, 'tool.called',          '{"tool":"create_claim","args":{"policy_number":"AUT-2023-004817"}}', '2025-09-14 09:37:55+00'),
    ('tr-8f2c1a7e-lsm-0001', 'lone-star-mutual', 7, 'objective.completed',  '{"objective":"first_notice_of_loss","state":{"description":"Rear-ended at a red light","injuries":false,"claim_number":"CLM-2025-000101"}}', '2025-09-14 09:38:02+00'),
    ('tr-8f2c1a7e-lsm-0001', 'lone-star-mutual', 8, 'conversation.ended',   '{"status":"completed","duration_s":460}', '2025-09-14 09:38:40+00'),
    ('tr-8f2c1a7e-lsm-0002', 'lone-star-mutual', 1, 'conversation.started', '{"caller":"+19725550184","dialed":"+15125550100"}', '2025-09-27 14:05:19+00'),
    ('tr-8f2c1a7e-lsm-0002', 'lone-star-mutual', 2, 'utterance.agent',      '{"text":"Thanks for calling Lone Star Mutual. This call is recorded. How can I help?"}', '2025-09-27 14:05:21+00'),
    ('tr-8f2c1a7e-lsm-0002', 'lone-star-mutual', 3, 'utterance.caller',     '{"text":"I need to check on my claim, the number is CLM-2025-000110.","confidence":0.91}', '2025-09-27 14:05:30+00'),
    ('tr-8f2c1a7e-lsm-0002', 'lone-star-mutual', 4, 'objective.started',    '{"objective":"verify_caller","config_version":1,"state":{"policy_number":"AUT-2024-100458"}}', '2025-09-27 14:05:31+00'),
    ('tr-3d9b44c0-bdg-0001', 'bayside-dental',   1, 'conversation.started', '{"caller":"+14155550123","dialed":"+14155550200"}', '2025-09-22 16:12:03+00'),
    ('tr-3d9b44c0-bdg-0001', 'bayside-dental',   2, 'utterance.caller',     '{"text":"Hi, I would like to book a cleaning next week.","confidence":0.97}', '2025-09-22 16:12:10+00'),
    ('tr-3d9b44c0-bdg-0001', 'bayside-dental',   3, 'intent.detected',      '{"intent":"book_appointment","score":0.96}', '2025-09-22 16:12:11+00'),
    ('tr-3d9b44c0-bdg-0001', 'bayside-dental',   4, 'objective.started',    '{"objective":"book_appointment","config_version":1,"state":{"reason":"cleaning"}}', '2025-09-22 16:12:12+00'),
    ('tr-3d9b44c0-bdg-0001', 'bayside-dental',   5, 'tool.called',          '{"tool":"find_slots","args":{"calendar":"hygiene","week":"2025-09-29"}}', '2025-09-22 16:13:40+00'),
    ('tr-3d9b44c0-bdg-0001', 'bayside-dental',   6, 'objective.completed',  '{"objective":"book_appointment","state":{"patient_name":"Priya Raghunathan","preferred_day":"2025-09-30","slot":"10:30"}}', '2025-09-22 16:16:20+00'),
    ('tr-3d9b44c0-bdg-0001', 'bayside-dental',   7, 'conversation.ended',   '{"status":"completed","duration_s":288}', '2025-09-22 16:16:51+00'),
    ('tr-3d9b44c0-bdg-0002', 'bayside-dental',   1, 'conversation.started', '{"caller":"+16505550177","dialed":"+14155550200"}', '2025-09-23 08:02:44+00'),
    ('tr-3d9b44c0-bdg-0002', 'bayside-dental',   2, 'utterance.agent',      '{"text":"Bayside Dental, how can I help you today?"}', '2025-09-23 08:02:46+00'),
    ('tr-3d9b44c0-bdg-0002', 'bayside-dental',   3, 'conversation.ended',   '{"status":"abandoned","reason":"caller_hung_up"}', '2025-09-23 08:03:30+00')
) AS v (trace, slug, seq, type, payload, at)
ON CONFLICT DO NOTHING;

-- the cached objectives, as rebuild_objectives() derives them from the events above
INSERT INTO conversations.objectives (id, conversation_id, tenant_id, objective_config_id, objective,
                                      status, state, last_sequence, completed_at)
SELECT uuid_generate_v5('23832219-8788-5ba1-8a00-d6d135101c07', 'objective:' || v.trace || ':' || v.objective),
       uuid_generate_v5('23832219-8788-5ba1-8a00-d6d135101c07', 'conversation:' || v.trace),
       uuid_generate_v5('23832219-8788-5ba1-8a00-d6d135101c07', 'tenant:' || v.slug),
       uuid_generate_v5('23832219-8788-5ba1-8a00-d6d135101c07', 'config:' || v.slug || ':' || v.objective || ':' || v.version),
       v.objective, v.status, v.state::jsonb, v.seq, v.completed::timestamptz
FROM (VALUES
    ('tr-8f2c1a7e-lsm-0001', 'lone-star-mutual', 'first_notice_of_loss', 2, 'completed', 7,
     '{"loss_date":"2025-09-14","loss_type":"auto","location":"I-35, Austin","description":"Rear-ended at a red light","injuries":false,"claim_number":"CLM-2025-000101"}',
     '2025-09-14 09:38:02+00'),
    ('tr-8f2c1a7e-lsm-0002', 'lone-star-mutual', 'verify_caller',        1, 'in_progress', 4,
     '{"policy_number":"AUT-2024-100458"}', NULL),
    ('tr-3d9b44c0-bdg-0001', 'bayside-dental',   'book_appointment',     1, 'completed', 6,
     '{"reason":"cleaning","patient_name":"Priya Raghunathan","preferred_day":"2025-09-30","slot":"10:30"}',
     '2025-09-22 16:16:20+00')
) AS v (trace, slug, objective, version, status, seq, state, completed)
ON CONFLICT (id) DO NOTHING;
