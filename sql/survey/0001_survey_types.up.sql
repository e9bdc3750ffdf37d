-- sql/survey/0001_survey_types.up.sql -- voice survey agent, part 1: schema survey, the
-- thirteen enum types of its statuses and kinds, the E.164 phone domain and the
-- validator of a campaign's questions. Tables follow in 0002_survey_tables.
-- Needs set platform only. Reverted by 0001_survey_types.down.sql.
-- Tests: tests/integration/t_schema_survey.sh

CREATE SCHEMA survey;
COMMENT ON SCHEMA survey IS 'voice survey agent: campaigns, contacts, calls, responses, notifications';

CREATE TYPE survey.user_role AS ENUM ('admin', 'campaign_manager', 'analyst', 'viewer');
CREATE TYPE survey.campaign_status AS ENUM
    ('draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled');
-- The locale the agent speaks (speech recognition and synthesis need the region).
CREATE TYPE survey.campaign_language AS ENUM
    ('en-US', 'en-GB', 'es-ES', 'es-MX', 'fr-FR', 'de-DE', 'it-IT', 'pt-BR', 'nl-NL');
CREATE TYPE survey.question_type AS ENUM
    ('yes_no', 'rating', 'nps', 'single_choice', 'multiple_choice', 'numeric', 'open_ended');
-- Where a contact stands in the dialing workflow ...
CREATE TYPE survey.contact_state AS ENUM
    ('pending', 'queued', 'in_progress', 'callback_scheduled', 'completed', 'exhausted', 'excluded');
-- ... and how it ended (set once the state is final).
CREATE TYPE survey.contact_outcome AS ENUM
    ('completed', 'partial', 'refused', 'opted_out', 'unreachable', 'wrong_number', 'ineligible');
CREATE TYPE survey.call_outcome AS ENUM
    ('completed', 'partial', 'no_answer', 'busy', 'voicemail', 'refused', 'opted_out', 'failed', 'cancelled');
CREATE TYPE survey.event_type AS ENUM
    ('campaign_created', 'campaign_started', 'campaign_paused', 'campaign_resumed',
     'campaign_completed', 'campaign_cancelled', 'contacts_imported', 'contact_excluded',
     'call_started', 'call_answered', 'call_ended', 'call_failed', 'response_recorded',
     'opt_out_received', 'email_queued', 'email_sent', 'email_failed', 'provider_error');
CREATE TYPE survey.email_status AS ENUM
    ('queued', 'sending', 'sent', 'delivered', 'bounced', 'failed');
CREATE TYPE survey.email_template_type AS ENUM
    ('campaign_started', 'campaign_completed', 'daily_summary', 'call_failure_alert',
     'opt_out_confirmation', 'user_invitation');
CREATE TYPE survey.provider_type AS ENUM
    ('telephony', 'llm', 'speech_to_text', 'text_to_speech', 'email');
CREATE TYPE survey.llm_provider AS ENUM
    ('openai', 'anthropic', 'azure_openai', 'google_gemini', 'mistral', 'ollama');
CREATE TYPE survey.exclusion_source AS ENUM
    ('manual', 'opt_out_during_call', 'national_dnc_registry', 'complaint', 'import', 'api');

-- A phone number in E.164 form: '+', country code, subscriber number, 7 to 15 digits.
CREATE DOMAIN survey.phone_e164 AS text
    CONSTRAINT phone_e164_check CHECK (VALUE ~ '^\+[1-9][0-9]{6,14}$');

-- A campaign's questions: a non-empty JSON array of objects, each with a unique string
-- "id", a non-empty string "text" and a "type" among survey.question_type; choice
-- questions carry an "options" array of at least two entries.
-- Example: [{"id":"q1","type":"nps","text":"How likely ...?"},
--           {"id":"q2","type":"single_choice","text":"...","options":["Phone","Email"]}]
CREATE FUNCTION survey.questions_are_valid(questions jsonb) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT jsonb_typeof($1) = 'array'
       AND jsonb_array_length($1) > 0
       AND NOT EXISTS (
           SELECT 1 FROM jsonb_array_elements($1) q
           WHERE jsonb_typeof(q) IS DISTINCT FROM 'object'
              OR jsonb_typeof(q -> 'id') IS DISTINCT FROM 'string'
              OR jsonb_typeof(q -> 'text') IS DISTINCT FROM 'string'
              OR btrim(q ->> 'text') = ''
              OR jsonb_typeof(q -> 'type') IS DISTINCT FROM 'string'
              OR NOT (q ->> 'type') = ANY (enum_range(NULL::survey.question_type)::text[])
              OR ((q ->> 'type') IN ('single_choice', 'multiple_choice')
                  AND (jsonb_typeof(q -> 'options') IS DISTINCT FROM 'array'
                       OR jsonb_array_length(q -> 'options') < 2)))
       AND (SELECT count(DISTINCT q ->> 'id') = count(*) FROM jsonb_array_elements($1) q)
$$;
COMMENT ON FUNCTION survey.questions_are_valid(jsonb) IS
    'CHECK helper: campaign questions are an array of {id, type, text[, options]}';
