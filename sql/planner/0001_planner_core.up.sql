-- sql/planner/0001_planner_core.up.sql -- planner and memory, part 1: schema planner,
-- client profiles, the event log, plans, their schedules and execution runs.
-- Needs set platform (ops.uuid_generate_v7(), ops.set_updated_at()) and nothing else.
-- Reverted by 0001_planner_core.down.sql. Tests: tests/integration/t_schema_planner.sh
--
-- Conventions: uuid v7 primary key, created_at/updated_at (trigger), every foreign key
-- and lookup column indexed, statuses and kinds CHECKed. Open vocabularies (event
-- types and sources, which come from webhooks) are CHECKed for shape: an identifier
-- of letters, digits, '_' and '-', in parts joined by '.', ':' or '/' (task.created,
-- calendar:event-updated), at most 100 characters; no spaces, no empty parts.

CREATE SCHEMA planner;
COMMENT ON SCHEMA planner IS 'planner and memory: clients, events, plans, schedules, runs, graph, prompts';

-- A person or organisation the planner works for.
CREATE TABLE planner.client_profiles (
    id           uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    client_key   text NOT NULL UNIQUE
                 CHECK (client_key ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    display_name text NOT NULL CHECK (btrim(display_name) <> ''),
    email        text CHECK (email IS NULL OR email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
    timezone     text NOT NULL DEFAULT 'UTC',
    status       text NOT NULL DEFAULT 'active'
                 CHECK (status IN ('active', 'paused', 'archived')),
    preferences  jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(preferences) = 'object'),
    metadata     jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX client_profiles_status_idx ON planner.client_profiles (status);
CREATE INDEX client_profiles_email_idx ON planner.client_profiles (lower(email));
CREATE TRIGGER client_profiles_set_updated_at BEFORE UPDATE ON planner.client_profiles
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

-- The planner's memory: everything that happened (webhooks, reflections, run results).
CREATE TABLE planner.events (
    id           uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    event_type   text NOT NULL CHECK (length(event_type) <= 100
                 AND event_type ~ '^[A-Za-z][A-Za-z0-9_-]*([.:/][A-Za-z0-9_-]+)*$'),
    event_source text NOT NULL CHECK (length(event_source) <= 100
                 AND event_source ~ '^[A-Za-z][A-Za-z0-9_-]*([.:/][A-Za-z0-9_-]+)*$'),
    client_id    uuid REFERENCES planner.client_profiles (id) ON DELETE SET NULL,
    payload      jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(payload) = 'object'),
    metadata     jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_event_type_idx ON planner.events (event_type);
CREATE INDEX events_event_source_idx ON planner.events (event_source);
CREATE INDEX events_created_at_idx ON planner.events (created_at DESC);
CREATE INDEX events_client_id_idx ON planner.events (client_id);
CREATE TRIGGER events_set_updated_at BEFORE UPDATE ON planner.events
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

-- A plan for a period (a day, a week, a project phase), optionally for one client.
CREATE TABLE planner.plans (
    id           uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    client_id    uuid REFERENCES planner.client_profiles (id) ON DELETE CASCADE,
    title        text NOT NULL CHECK (btrim(title) <> ''),
    description  text,
    status       text NOT NULL DEFAULT 'draft'
                 CHECK (status IN ('draft', 'scheduled', 'active', 'completed')),
    period_start date,
    period_end   date,
    goals        jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(goals) = 'array'),
    metadata     jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (period_end IS NULL OR period_start IS NULL OR period_end >= period_start)
);
CREATE INDEX plans_client_id_idx ON planner.plans (client_id);
CREATE INDEX plans_status_idx ON planner.plans (status);
CREATE INDEX plans_period_start_idx ON planner.plans (period_start);
CREATE TRIGGER plans_set_updated_at BEFORE UPDATE ON planner.plans
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

-- A time block of a plan (focus work, a meeting, a review); external_ref is the
-- calendar event id once the block is pushed to a calendar.
CREATE TABLE planner.schedules (
    id              uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    plan_id         uuid NOT NULL REFERENCES planner.plans (id) ON DELETE CASCADE,
    client_id       uuid REFERENCES planner.client_profiles (id) ON DELETE SET NULL,
    title           text NOT NULL CHECK (btrim(title) <> ''),
    block_type      text NOT NULL DEFAULT 'focus'
                    CHECK (block_type IN ('focus', 'meeting', 'task', 'break', 'review', 'travel')),
    status          text NOT NULL DEFAULT 'planned'
                    CHECK (status IN ('planned', 'confirmed', 'in_progress', 'done', 'skipped', 'cancelled')),
    starts_at       timestamptz NOT NULL,
    ends_at         timestamptz NOT NULL,
    timezone        text NOT NULL DEFAULT 'UTC',
    recurrence_rule text CHECK (recurrence_rule IS NULL OR recurrence_rule ~ '^(RRULE:)?FREQ='),
    priority        smallint NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 5),
    external_ref    text,
    metadata        jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at)
);
CREATE INDEX schedules_plan_id_idx ON planner.schedules (plan_id);
CREATE INDEX schedules_client_id_idx ON planner.schedules (client_id);
CREATE INDEX schedules_starts_at_idx ON planner.schedules (starts_at);
CREATE INDEX schedules_status_idx ON planner.schedules (status);
CREATE INDEX schedules_external_ref_idx ON planner.schedules (external_ref);
CREATE TRIGGER schedules_set_updated_at BEFORE UPDATE ON planner.schedules
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

-- One execution of a process template (an SOP run) or of a single touchpoint.
-- run_id is the caller's idempotency key; task/project/template ids are external
-- (Coda, the process library), hence text.
CREATE TABLE planner.execution_runs (
    id                  uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    run_id              text NOT NULL UNIQUE CHECK (btrim(run_id) <> ''),
    run_type            text NOT NULL CHECK (run_type IN ('Process', 'Touchpoint')),
    task_id             text,
    project_id          text,
    process_template_id text,
    client_id           uuid REFERENCES planner.client_profiles (id) ON DELETE SET NULL,
    plan_id             uuid REFERENCES planner.plans (id) ON DELETE SET NULL,
    status              text NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'cancelled')),
    attempt             integer NOT NULL DEFAULT 1 CHECK (attempt >= 1),
    triggered_by        text,
    started_at          timestamptz,
    finished_at         timestamptz,
    duration_ms         bigint CHECK (duration_ms >= 0),
    input               jsonb NOT NULL DEFAULT '{}',
    output              jsonb,
    error               text,
    metadata            jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CHECK (finished_at IS NULL OR started_at IS NULL OR finished_at >= started_at),
    CHECK (status <> 'failed' OR error IS NOT NULL)
);
CREATE INDEX execution_runs_task_id_idx ON planner.execution_runs (task_id);
CREATE INDEX execution_runs_project_id_idx ON planner.execution_runs (project_id);
CREATE INDEX execution_runs_process_template_id_idx ON planner.execution_runs (process_template_id);
CREATE INDEX execution_runs_run_type_idx ON planner.execution_runs (run_type);
CREATE INDEX execution_runs_started_at_idx ON planner.execution_runs (started_at DESC);
CREATE INDEX execution_runs_status_idx ON planner.execution_runs (status);
CREATE INDEX execution_runs_client_id_idx ON planner.execution_runs (client_id);
CREATE INDEX execution_runs_plan_id_idx ON planner.execution_runs (plan_id);
CREATE TRIGGER execution_runs_set_updated_at BEFORE UPDATE ON planner.execution_runs
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();
