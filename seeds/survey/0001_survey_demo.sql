-- seeds/survey/0001_survey_demo.sql -- a small, realistic voice-survey setup: two users,
-- a telephony and an LLM provider config (secrets referenced by environment variable
-- name only), two email templates, one running campaign with five contacts, two
-- exclusion-list entries, one completed call with two answers and its start event
-- (18 rows). Phone numbers are from ranges reserved for fiction (+1 ... 555 01xx,
-- +44 7700 900xxx).
-- Idempotent: fixed ids, ON CONFLICT DO NOTHING (a rerun changes no row, id or updated_at).
--
-- Ids: uuid_generate_v5(survey namespace, natural name); the survey namespace is
--   1015ca11-8cff-4143-885c-72191afcc318
-- and natural names are 'user:<email>', 'provider_config:<name>', 'email_template:<name>',
-- 'campaign:<slug>', 'contact:<campaign slug>:<phone>', 'exclusion:<phone>',
-- 'call_attempt:<provider_call_id>', 'response:<provider_call_id>:<question id>',
-- 'event:<slug>'.
-- Tests: tests/integration/t_schema_survey.sh

INSERT INTO survey.users (id, email, full_name, role, phone)
SELECT public.uuid_generate_v5('1015ca11-8cff-4143-885c-72191afcc318'::uuid, 'user:' || u.email),
       u.email, u.full_name, u.role::survey.user_role, u.phone
FROM (VALUES
    ('maya.lindqvist@harbordental.example', 'Maya Lindqvist', 'admin', '+12025550143'),
    ('daniel.okafor@harbordental.example', 'Daniel Okafor', 'campaign_manager', NULL)
) AS u(email, full_name, role, phone)
ON CONFLICT DO NOTHING;

INSERT INTO survey.provider_configs (id, name, provider_type, llm_provider, vendor, settings, secret_env, is_default)
SELECT public.uuid_generate_v5('1015ca11-8cff-4143-885c-72191afcc318'::uuid, 'provider_config:' || p.name),
       p.name, p.provider_type::survey.provider_type, p.llm_provider::survey.llm_provider, p.vendor,
       p.settings::jsonb, p.secret_env::jsonb, true
FROM (VALUES
    ('twilio-us-main', 'telephony', NULL, 'twilio',
     '{"region":"us1","edge":"ashburn","machine_detection":"DetectMessageEnd","status_callback_path":"/webhook/telephony/status","record_calls":true}',
     '{"account_sid":"TWILIO_ACCOUNT_SID","auth_token":"TWILIO_AUTH_TOKEN"}'),
    ('openai-survey-agent', 'llm', 'openai', 'openai',
     '{"model":"gpt-4o-mini","temperature":0.2,"max_output_tokens":400,"timeout_ms":8000}',
     '{"api_key":"OPENAI_API_KEY"}')
) AS p(name, provider_type, llm_provider, vendor, settings, secret_env)
ON CONFLICT DO NOTHING;

INSERT INTO survey.email_templates (id, name, template_type, language, subject, body_text)
SELECT public.uuid_generate_v5('1015ca11-8cff-4143-885c-72191afcc318'::uuid, 'email_template:' || e.name),
       e.name, e.template_type::survey.email_template_type, 'en-US', e.subject, e.body_text
FROM (VALUES
    ('campaign_completed_en', 'campaign_completed',
     'Survey campaign "{{campaign_name}}" has finished',
     E'Hello {{recipient_name}},\n\nThe survey campaign "{{campaign_name}}" finished on {{finished_at}}.\n\n'
     'Contacts: {{contacts_total}}\nCompleted surveys: {{completed}} ({{completion_rate}}%)\n'
     'Opted out: {{opted_out}}\nUnreachable after {{max_attempts}} attempts: {{unreachable}}\n\n'
     'The full results are in the dashboard: {{results_url}}\n'),
    ('daily_summary_en', 'daily_summary',
     'Daily survey summary for {{date}}',
     E'Hello {{recipient_name}},\n\nYesterday''s calls for "{{campaign_name}}":\n'
     'Calls placed: {{calls_placed}}, answered: {{calls_answered}}, completed surveys: {{completed}}.\n'
     'Average NPS so far: {{nps}}. New opt-outs: {{opted_out}}.\n\n'
     'Calls that failed on the provider side: {{provider_failures}} (see {{failures_url}}).\n')
) AS e(name, template_type, subject, body_text)
ON CONFLICT DO NOTHING;

INSERT INTO survey.campaigns (id, name, description, status, language, questions, intro_script, closing_script,
                              caller_id, timezone, calling_window_start, calling_window_end, max_attempts,
                              retry_delay_minutes, starts_at, ends_at, created_by, telephony_config_id, llm_config_id)
VALUES (
    public.uuid_generate_v5('1015ca11-8cff-4143-885c-72191afcc318'::uuid, 'campaign:harbor-dental-satisfaction-2026-12'),
    'Harbor Dental patient satisfaction, December 2026',
    'Short follow-up call to patients seen in November: overall experience, wait time and preferred reminder channel.',
    'running', 'en-US',
    '[{"id":"q1","type":"nps","text":"On a scale from zero to ten, how likely are you to recommend Harbor Dental to a friend or family member?"},
      {"id":"q2","type":"rating","text":"How would you rate the time you waited before your appointment started, from one to five?","scale":{"min":1,"max":5}},
      {"id":"q3","type":"single_choice","text":"How would you prefer to receive appointment reminders?","options":["Text message","Phone call","Email"]},
      {"id":"q4","type":"open_ended","text":"Is there anything we could do to make your next visit better?"}]',
    'Hi, this is the automated assistant calling on behalf of Harbor Dental. We are asking patients about their recent visit; it takes about two minutes. Is now a good time?',
    'Thank you for your time and your feedback. Have a great day!',
    '+12025550100', 'America/New_York', '10:00', '19:30', 3, 240,
    '2026-12-01 15:00:00+00', '2026-12-19 00:00:00+00',
    public.uuid_generate_v5('1015ca11-8cff-4143-885c-72191afcc318'::uuid, 'user:daniel.okafor@harbordental.example'),
    public.uuid_generate_v5('1015ca11-8cff-4143-885c-72191afcc318'::uuid, 'provider_config:twilio-us-main'),
    public.uuid_generate_v5('1015ca11-8cff-4143-885c-72191afcc318'::uuid, 'provider_config:openai-survey-agent'))
ON CONFLICT DO NOTHING;

INSERT INTO survey.contacts (id, campaign_id, phone, first_name, last_name, email, state, outcome,
                             attempt_count, last_attempt_at, next_attempt_at, custom_fields)
SELECT public.uuid_generate_v5('1015ca11-8cff-4143-885c-72191afcc318'::uuid,
                               'contact:harbor-dental-satisfaction-2026-12:' || c.phone),
       public.uuid_generate_v5('1015ca11-8cff-4143-885c-72191afcc318'::uuid, 'campaign:harbor-dental-satisfaction-2026-12'),
       c.phone, c.first_name, c.last_name, c.email, c.state::survey.contact_state,
       c.outcome::survey.contact_outcome, c.attempt_count, c.last_attempt_at::timestamptz,
       c.next_attempt_at::timestamptz, c.custom_fields::jsonb
FROM (VALUES
    ('+12025550111', 'Rosa', 'Delgado', 'rosa.delgado@mail.example', 'completed', 'completed', 1,
     '2026-12-01 15:04:10+00', NULL, '{"last_visit":"2026-11-14","location":"Harbor Point"}'),
    ('+12025550112', 'Tom', 'Becker', NULL, 'callback_scheduled', NULL, 1,
     '2026-12-01 15:09:30+00', '2026-12-02 21:00:00+00', '{"last_visit":"2026-11-18","location":"Harbor Point"}'),
    ('+12025550113', 'Aisha', 'Rahman', 'aisha.r@mail.example', 'pending', NULL, 0,
     NULL, NULL, '{"last_visit":"2026-11-20","location":"Eastside"}'),
    ('+12025550114', 'Greg', 'Whitfield', NULL, 'excluded', 'opted_out', 1,
     '2026-11-28 18:30:00+00', NULL, '{"last_visit":"2026-11-03","location":"Eastside"}'),
    ('+447700900123', 'Fiona', 'MacLeod', 'fiona.macleod@mail.example', 'queued', NULL, 0,
     NULL, '2026-12-02 16:00:00+00', '{"last_visit":"2026-11-25","location":"Harbor Point","note":"visiting from Edinburgh"}')
) AS c(phone, first_name, last_name, email, state, outcome, attempt_count, last_attempt_at, next_attempt_at, custom_fields)
ON CONFLICT DO NOTHING;

INSERT INTO survey.exclusion_list_entries (id, phone, source, reason, campaign_id, added_by)
SELECT public.uuid_generate_v5('1015ca11-8cff-4143-885c-72191afcc318'::uuid, 'exclusion:' || x.phone),
       x.phone, x.source::survey.exclusion_source, x.reason,
       CASE WHEN x.from_campaign
            THEN public.uuid_generate_v5('1015ca11-8cff-4143-885c-72191afcc318'::uuid,
                                         'campaign:harbor-dental-satisfaction-2026-12') END,
       public.uuid_generate_v5('1015ca11-8cff-4143-885c-72191afcc318'::uuid, 'user:' || x.added_by)
FROM (VALUES
    ('+12025550114', 'opt_out_during_call', 'Asked not to be called again during a previous survey call.', true,
     'daniel.okafor@harbordental.example'),
    ('+12025550187', 'national_dnc_registry', 'Listed on the National Do Not Call Registry (import of 2026-11-30).', false,
     'maya.lindqvist@harbordental.example')
) AS x(phone, source, reason, from_campaign, added_by)
ON CONFLICT DO NOTHING;

INSERT INTO survey.call_attempts (id, contact_id, campaign_id, attempt_number, telephony_config_id, provider_call_id,
                                  from_number, to_number, outcome, started_at, answered_at, ended_at, duration_seconds)
VALUES (
    public.uuid_generate_v5('1015ca11-8cff-4143-885c-72191afcc318'::uuid, 'call_attempt:CA5f0c2e41b7d94a6e8c1d3b2a90e7f614'),
    public.uuid_generate_v5('1015ca11-8cff-4143-885c-72191afcc318'::uuid, 'contact:harbor-dental-satisfaction-2026-12:+12025550111'),
    public.uuid_generate_v5('1015ca11-8cff-4143-885c-72191afcc318'::uuid, 'campaign:harbor-dental-satisfaction-2026-12'),
    1,
    public.uuid_generate_v5('1015ca11-8cff-4143-885c-72191afcc318'::uuid, 'provider_config:twilio-us-main'),
    'CA5f0c2e41b7d94a6e8c1d3b2a90e7f614', '+12025550100', '+12025550111', 'completed',
    '2026-12-01 15:02:31+00', '2026-12-01 15:02:38+00', '2026-12-01 15:04:10+00', 99)
ON CONFLICT DO NOTHING;

INSERT INTO survey.survey_responses (id, call_attempt_id, contact_id, campaign_id, question_id, question_type,
                                     answer_text, answer_number, confidence)
SELECT public.uuid_generate_v5('1015ca11-8cff-4143-885c-72191afcc318'::uuid,
                               'response:CA5f0c2e41b7d94a6e8c1d3b2a90e7f614:' || r.question_id),
       public.uuid_generate_v5('1015ca11-8cff-4143-885c-72191afcc318'::uuid, 'call_attempt:CA5f0c2e41b7d94a6e8c1d3b2a90e7f614'),
       public.uuid_generate_v5('1015ca11-8cff-4143-885c-72191afcc318'::uuid, 'contact:harbor-dental-satisfaction-2026-12:+12025550111'),
       public.uuid_generate_v5('1015ca11-8cff-4143-885c-72191afcc318'::uuid, 'campaign:harbor-dental-satisfaction-2026-12'),
       r.question_id, r.question_type::survey.question_type, r.answer_text, r.answer_number, r.confidence
FROM (VALUES
    ('q1', 'nps', 'Probably a nine, the hygienist was great.', 9::numeric, 0.94::real),
    ('q4', 'open_ended', 'Text me the day before instead of calling the landline.', NULL, 0.88)
) AS r(question_id, question_type, answer_text, answer_number, confidence)
ON CONFLICT DO NOTHING;

INSERT INTO survey.events (id, event_type, campaign_id, user_id, payload, occurred_at)
VALUES (
    public.uuid_generate_v5('1015ca11-8cff-4143-885c-72191afcc318'::uuid, 'event:harbor-dental-satisfaction-2026-12:started'),
    'campaign_started',
    public.uuid_generate_v5('1015ca11-8cff-4143-885c-72191afcc318'::uuid, 'campaign:harbor-dental-satisfaction-2026-12'),
    public.uuid_generate_v5('1015ca11-8cff-4143-885c-72191afcc318'::uuid, 'user:daniel.okafor@harbordental.example'),
    '{"contacts":5,"excluded_before_start":1}', '2026-12-01 15:00:00+00')
ON CONFLICT DO NOTHING;
