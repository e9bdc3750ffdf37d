-- sql/survey/0002_survey_tables.up.sql -- voice survey agent, part 2: the eleven tables.
-- Reverted by 0002_survey_tables.down.sql. Tests: tests/integration/t_schema_survey.sh
--
-- Conventions: uuid v7 primary key, created_at/updated_at (trigger), every foreign key
-- and lookup column indexed, statuses and kinds are the enum types of 0001, phone
-- numbers are survey.phone_e164. Provider secrets never live here: provider_configs
-- names the environment variables that hold them.

-- People who run campaigns (authentication is external; this is the directory).
CREATE TABLE survey.users (
    id            uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    email         text NOT NULL CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'),
    full_name     text NOT NULL CHECK (btrim(full_name) <> ''),
    role          survey.user_role NOT NULL DEFAULT 'viewer',
    phone         survey.phone_e164,
    is_active     boolean NOT NULL DEFAULT true,
    last_login_at timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON survey.users (lower(email));
CREATE INDEX users_role_idx ON survey.users (role);
CREATE TRIGGER users_set_updated_at BEFORE UPDATE ON survey.users
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

-- A telephony, LLM, speech or email provider account. settings holds non-secret
-- options; secret_env maps each secret to the environment variable holding it,
-- e.g. {"auth_token": "TWILIO_AUTH_TOKEN"}.
CREATE TABLE survey.provider_configs (
    id            uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    name          text NOT NULL UNIQUE CHECK (btrim(name) <> ''),
    provider_type survey.provider_type NOT NULL,
    llm_provider  survey.llm_provider,
    vendor        text NOT NULL CHECK (vendor ~ '^[a-z][a-z0-9_-]{0,62}$'),
    settings      jsonb NOT NULL DEFAULT '{}'
                  CHECK (jsonb_typeof(settings) = 'object')
                  CONSTRAINT provider_configs_settings_no_secrets
                  CHECK (NOT settings ?| ARRAY['api_key', 'apikey', 'secret', 'client_secret',
                                               'password', 'token', 'auth_token', 'private_key']),
    secret_env    jsonb NOT NULL DEFAULT '{}'
                  CONSTRAINT provider_configs_secret_env_names
                  CHECK (jsonb_typeof(secret_env) = 'object'
                         AND NOT jsonb_path_exists(secret_env,
                             '$.* ? (@.type() != "string" || !(@ like_regex "^[A-Z_][A-Z0-9_]*$"))')),
    is_default    boolean NOT NULL DEFAULT false,
    is_active     boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT provider_configs_llm_provider_check
        CHECK ((provider_type = 'llm') = (llm_provider IS NOT NULL))
);
CREATE INDEX provider_configs_provider_type_idx ON survey.provider_configs (provider_type);
CREATE INDEX provider_configs_llm_provider_idx ON survey.provider_configs (llm_provider);
-- At most one default configuration per provider type.
CREATE UNIQUE INDEX provider_configs_one_default_key ON survey.provider_configs (provider_type)
    WHERE is_default;
CREATE TRIGGER provider_configs_set_updated_at BEFORE UPDATE ON survey.provider_configs
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

-- Mail templates; placeholders use {{name}}. One active template per type and language.
CREATE TABLE survey.email_templates (
    id            uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    name          text NOT NULL UNIQUE CHECK (name ~ '^[a-z][a-z0-9_]{0,62}$'),
    template_type survey.email_template_type NOT NULL,
    language      survey.campaign_language NOT NULL DEFAULT 'en-US',
    subject       text NOT NULL CHECK (btrim(subject) <> ''),
    body_text     text NOT NULL CHECK (btrim(body_text) <> ''),
    body_html     text,
    is_active     boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX email_templates_template_type_idx ON survey.email_templates (template_type, language);
CREATE UNIQUE INDEX email_templates_one_active_key ON survey.email_templates (template_type, language)
    WHERE is_active;
CREATE TRIGGER email_templates_set_updated_at BEFORE UPDATE ON survey.email_templates
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

-- A survey campaign: the questions, when and how to call, with which providers.
CREATE TABLE survey.campaigns (
    id                   uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    name                 text NOT NULL CHECK (btrim(name) <> ''),
    description          text,
    status               survey.campaign_status NOT NULL DEFAULT 'draft',
    language             survey.campaign_language NOT NULL DEFAULT 'en-US',
    questions            jsonb NOT NULL
                         CONSTRAINT campaigns_questions_array CHECK (jsonb_typeof(questions) = 'array')
                         CONSTRAINT campaigns_questions_valid CHECK (survey.questions_are_valid(questions)),
    intro_script         text NOT NULL CHECK (btrim(intro_script) <> ''),
    closing_script       text,
    caller_id            survey.phone_e164,
    timezone             text NOT NULL DEFAULT 'UTC',
    calling_window_start time NOT NULL DEFAULT '09:00',
    calling_window_end   time NOT NULL DEFAULT '20:00',
    max_attempts         smallint NOT NULL DEFAULT 3 CHECK (max_attempts BETWEEN 1 AND 10),
    retry_delay_minutes  integer NOT NULL DEFAULT 240 CHECK (retry_delay_minutes >= 5),
    starts_at            timestamptz,
    ends_at              timestamptz,
    created_by           uuid REFERENCES survey.users (id) ON DELETE SET NULL,
    telephony_config_id  uuid REFERENCES survey.provider_configs (id) ON DELETE SET NULL,
    llm_config_id        uuid REFERENCES survey.provider_configs (id) ON DELETE SET NULL,
    metadata             jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CHECK (calling_window_end > calling_window_start),
    CHECK (ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at)
);
CREATE INDEX campaigns_status_idx ON survey.campaigns (status);
CREATE INDEX campaigns_name_idx ON survey.campaigns (name);
CREATE INDEX campaigns_starts_at_idx ON survey.campaigns (starts_at);
CREATE INDEX campaigns_created_by_idx ON survey.campaigns (created_by);
CREATE INDEX campaigns_telephony_config_id_idx ON survey.campaigns (telephony_config_id);
CREATE INDEX campaigns_llm_config_id_idx ON survey.campaigns (llm_config_id);
CREATE TRIGGER campaigns_set_updated_at BEFORE UPDATE ON survey.campaigns
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

-- A person to call within one campaign (the same number may be in several campaigns).
CREATE TABLE survey.contacts (
    id              uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    campaign_id     uuid NOT NULL REFERENCES survey.campaigns (id) ON DELETE CASCADE,
    phone           survey.phone_e164 NOT NULL,
    first_name      text,
    last_name       text,
    email           text,
    language        survey.campaign_language,
    timezone        text,
    state           survey.contact_state NOT NULL DEFAULT 'pending',
    outcome         survey.contact_outcome,
    attempt_count   smallint NOT NULL DEFAULT 0 CHECK (attempt_count >= 0),
    last_attempt_at timestamptz,
    next_attempt_at timestamptz,
    custom_fields   jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(custom_fields) = 'object'),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT contacts_campaign_id_phone_key UNIQUE (campaign_id, phone),
    CONSTRAINT contacts_outcome_final_check
        CHECK (outcome IS NULL OR state IN ('completed', 'exhausted', 'excluded'))
);
-- campaign_id is indexed by the unique constraint's leading column.
CREATE INDEX contacts_phone_idx ON survey.contacts (phone);
CREATE INDEX contacts_state_next_attempt_idx ON survey.contacts (state, next_attempt_at);
CREATE INDEX contacts_outcome_idx ON survey.contacts (outcome);
CREATE TRIGGER contacts_set_updated_at BEFORE UPDATE ON survey.contacts
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

-- Numbers never to call, across all campaigns (opt-outs, do-not-call registry).
CREATE TABLE survey.exclusion_list_entries (
    id          uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    phone       survey.phone_e164 NOT NULL,
    source      survey.exclusion_source NOT NULL,
    reason      text,
    campaign_id uuid REFERENCES survey.campaigns (id) ON DELETE SET NULL,
    added_by    uuid REFERENCES survey.users (id) ON DELETE SET NULL,
    expires_at  timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT exclusion_list_entries_phone_key UNIQUE (phone)
);
CREATE INDEX exclusion_list_entries_source_idx ON survey.exclusion_list_entries (source);
CREATE INDEX exclusion_list_entries_campaign_id_idx ON survey.exclusion_list_entries (campaign_id);
CREATE INDEX exclusion_list_entries_added_by_idx ON survey.exclusion_list_entries (added_by);
CREATE TRIGGER exclusion_list_entries_set_updated_at BEFORE UPDATE ON survey.exclusion_list_entries
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

-- One dial of one contact. outcome stays NULL while the call is in progress.
CREATE TABLE survey.call_attempts (
    id                  uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    contact_id          uuid NOT NULL REFERENCES survey.contacts (id) ON DELETE CASCADE,
    campaign_id         uuid NOT NULL REFERENCES survey.campaigns (id) ON DELETE CASCADE,
    attempt_number      smallint NOT NULL CHECK (attempt_number >= 1),
    telephony_config_id uuid REFERENCES survey.provider_configs (id) ON DELETE SET NULL,
    provider_call_id    text,
    from_number         survey.phone_e164,
    to_number           survey.phone_e164 NOT NULL,
    outcome             survey.call_outcome,
    started_at          timestamptz NOT NULL DEFAULT now(),
    answered_at         timestamptz,
    ended_at            timestamptz,
    duration_seconds    integer CHECK (duration_seconds >= 0),
    recording_url       text,
    error_message       text,
    metadata            jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT call_attempts_contact_id_attempt_number_key UNIQUE (contact_id, attempt_number),
    CONSTRAINT call_attempts_provider_call_id_key UNIQUE (provider_call_id),
    CHECK (ended_at IS NULL OR ended_at >= started_at),
    CHECK (answered_at IS NULL OR answered_at >= started_at)
);
-- contact_id is indexed by the unique constraint's leading column.
CREATE INDEX call_attempts_campaign_id_idx ON survey.call_attempts (campaign_id);
CREATE INDEX call_attempts_telephony_config_id_idx ON survey.call_attempts (telephony_config_id);
CREATE INDEX call_attempts_outcome_idx ON survey.call_attempts (outcome);
CREATE INDEX call_attempts_started_at_idx ON survey.call_attempts (started_at DESC);
CREATE TRIGGER call_attempts_set_updated_at BEFORE UPDATE ON survey.call_attempts
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

-- One answer to one question in one call; question_id is the "id" in campaigns.questions.
CREATE TABLE survey.survey_responses (
    id              uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    call_attempt_id uuid NOT NULL REFERENCES survey.call_attempts (id) ON DELETE CASCADE,
    contact_id      uuid NOT NULL REFERENCES survey.contacts (id) ON DELETE CASCADE,
    campaign_id     uuid NOT NULL REFERENCES survey.campaigns (id) ON DELETE CASCADE,
    question_id     text NOT NULL CHECK (btrim(question_id) <> ''),
    question_type   survey.question_type NOT NULL,
    answer_text     text,
    answer_number   numeric,
    answer_choices  jsonb CHECK (answer_choices IS NULL OR jsonb_typeof(answer_choices) = 'array'),
    confidence      real CHECK (confidence BETWEEN 0 AND 1),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT survey_responses_call_attempt_id_question_id_key UNIQUE (call_attempt_id, question_id),
    CONSTRAINT survey_responses_answer_present
        CHECK (answer_text IS NOT NULL OR answer_number IS NOT NULL OR answer_choices IS NOT NULL)
);
-- call_attempt_id is indexed by the unique constraint's leading column.
CREATE INDEX survey_responses_contact_id_idx ON survey.survey_responses (contact_id);
CREATE INDEX survey_responses_campaign_question_idx ON survey.survey_responses (campaign_id, question_id);
CREATE TRIGGER survey_responses_set_updated_at BEFORE UPDATE ON survey.survey_responses
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

-- What was said in a call, in order; times are milliseconds from the call's start.
CREATE TABLE survey.transcript_snippets (
    id              uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    call_attempt_id uuid NOT NULL REFERENCES survey.call_attempts (id) ON DELETE CASCADE,
    sequence_number integer NOT NULL CHECK (sequence_number >= 0),
    speaker         text NOT NULL CHECK (speaker IN ('agent', 'respondent', 'system')),
    text            text NOT NULL,
    question_id     text,
    started_ms      integer CHECK (started_ms >= 0),
    ended_ms        integer,
    confidence      real CHECK (confidence BETWEEN 0 AND 1),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT transcript_snippets_call_attempt_id_sequence_number_key
        UNIQUE (call_attempt_id, sequence_number),
    CHECK (ended_ms IS NULL OR started_ms IS NULL OR ended_ms >= started_ms)
);
-- call_attempt_id is indexed by the unique constraint's leading column.
CREATE INDEX transcript_snippets_question_id_idx ON survey.transcript_snippets (question_id);
CREATE TRIGGER transcript_snippets_set_updated_at BEFORE UPDATE ON survey.transcript_snippets
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

-- Audit trail of the survey workflow; rows outlive what they point at (SET NULL).
CREATE TABLE survey.events (
    id              uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    event_type      survey.event_type NOT NULL,
    campaign_id     uuid REFERENCES survey.campaigns (id) ON DELETE SET NULL,
    contact_id      uuid REFERENCES survey.contacts (id) ON DELETE SET NULL,
    call_attempt_id uuid REFERENCES survey.call_attempts (id) ON DELETE SET NULL,
    user_id         uuid REFERENCES survey.users (id) ON DELETE SET NULL,
    payload         jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(payload) = 'object'),
    occurred_at     timestamptz NOT NULL DEFAULT now(),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_event_type_idx ON survey.events (event_type);
CREATE INDEX events_occurred_at_idx ON survey.events (occurred_at DESC);
CREATE INDEX events_campaign_id_idx ON survey.events (campaign_id);
CREATE INDEX events_contact_id_idx ON survey.events (contact_id);
CREATE INDEX events_call_attempt_id_idx ON survey.events (call_attempt_id);
CREATE INDEX events_user_id_idx ON survey.events (user_id);
CREATE TRIGGER events_set_updated_at BEFORE UPDATE ON survey.events
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

-- An email to send or sent (campaign started, daily summary, failure alert, ...).
CREATE TABLE survey.email_notifications (
    id                  uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    template_id         uuid REFERENCES survey.email_templates (id) ON DELETE SET NULL,
    user_id             uuid REFERENCES survey.users (id) ON DELETE SET NULL,
    campaign_id         uuid REFERENCES survey.campaigns (id) ON DELETE SET NULL,
    to_address          text NOT NULL CHECK (to_address ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'),
    subject             text NOT NULL,
    body                text NOT NULL,
    status              survey.email_status NOT NULL DEFAULT 'queued',
    attempts            smallint NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    provider_message_id text,
    error_message       text,
    scheduled_for       timestamptz NOT NULL DEFAULT now(),
    sent_at             timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT email_notifications_failed_has_error CHECK (status <> 'failed' OR error_message IS NOT NULL)
);
CREATE INDEX email_notifications_template_id_idx ON survey.email_notifications (template_id);
CREATE INDEX email_notifications_user_id_idx ON survey.email_notifications (user_id);
CREATE INDEX email_notifications_campaign_id_idx ON survey.email_notifications (campaign_id);
CREATE INDEX email_notifications_status_scheduled_idx ON survey.email_notifications (status, scheduled_for);
CREATE INDEX email_notifications_provider_message_id_idx ON survey.email_notifications (provider_message_id);
CREATE TRIGGER email_notifications_set_updated_at BEFORE UPDATE ON survey.email_notifications
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();
