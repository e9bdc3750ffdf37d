-- sql/platform/0002_ops.up.sql -- steward's bookkeeping tables in schema ops.
-- Conventions (every set follows them): uuid v7 primary key defaulting to
-- ops.uuid_generate_v7() (the daemon passes its own ids from C), created_at and
-- updated_at maintained by ops.set_updated_at(), foreign-key columns indexed,
-- status columns CHECKed.

-- One unit of work through the pipeline: rows copied from one source table.
CREATE TABLE ops.batches (
    id          uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    source      text NOT NULL,
    table_name  text NOT NULL,
    status      text NOT NULL DEFAULT 'ingested'
                CHECK (status IN ('ingested', 'transformed', 'validated', 'failed')),
    rows        bigint NOT NULL DEFAULT 0 CHECK (rows >= 0),
    bytes       bigint NOT NULL DEFAULT 0 CHECK (bytes >= 0),
    cursor_from text,
    cursor_to   text,
    error       text,
    attempts    integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX batches_status_idx ON ops.batches (status);
CREATE INDEX batches_source_table_created_idx ON ops.batches (source, table_name, created_at);
CREATE TRIGGER batches_set_updated_at BEFORE UPDATE ON ops.batches
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

-- Where each source table's incremental copy stands. One row per (source, table_name):
-- upsert with ON CONFLICT (source, table_name).
CREATE TABLE ops.ingest_state (
    id              uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    source          text NOT NULL,
    table_name      text NOT NULL,
    watermark       text,
    last_key        text,
    last_run_at     timestamptz,
    last_success_at timestamptz,
    last_error      text,
    rows_total      bigint NOT NULL DEFAULT 0 CHECK (rows_total >= 0),
    batches_total   bigint NOT NULL DEFAULT 0 CHECK (batches_total >= 0),
    paused          boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (source, table_name)
);
CREATE TRIGGER ingest_state_set_updated_at BEFORE UPDATE ON ops.ingest_state
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

-- Source schema drift seen by the ingestor (a new column added to the raw table, ...).
CREATE TABLE ops.schema_changes (
    id          uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    source      text NOT NULL,
    table_name  text NOT NULL,
    column_name text NOT NULL,
    change      text NOT NULL DEFAULT 'column_added'
                CHECK (change IN ('column_added', 'column_type_changed', 'column_dropped')),
    data_type   text,
    batch_id    uuid REFERENCES ops.batches (id) ON DELETE SET NULL,
    detail      jsonb,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX schema_changes_batch_id_idx ON ops.schema_changes (batch_id);
CREATE INDEX schema_changes_source_table_idx ON ops.schema_changes (source, table_name, created_at);
CREATE TRIGGER schema_changes_set_updated_at BEFORE UPDATE ON ops.schema_changes
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

-- Which source row produced which core row, per batch. Idempotent inserts:
-- ON CONFLICT (batch_id, source_table, source_key, target_table, target_key) DO NOTHING.
CREATE TABLE ops.lineage (
    id           uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    batch_id     uuid NOT NULL REFERENCES ops.batches (id) ON DELETE CASCADE,
    source_table text NOT NULL,
    source_key   text NOT NULL,
    target_table text NOT NULL,
    target_key   text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (batch_id, source_table, source_key, target_table, target_key)
);
CREATE INDEX lineage_target_idx ON ops.lineage (target_table, target_key);
CREATE INDEX lineage_source_idx ON ops.lineage (source_table, source_key);
CREATE TRIGGER lineage_set_updated_at BEFORE UPDATE ON ops.lineage
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();
-- (batch_id is indexed by the UNIQUE constraint's leading column.)

-- Quality score of a table after validating a batch (0 = all bad, 1 = all good).
CREATE TABLE ops.quality_scores (
    id           uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    batch_id     uuid REFERENCES ops.batches (id) ON DELETE CASCADE,
    table_name   text NOT NULL,
    score        double precision NOT NULL CHECK (score >= 0 AND score <= 1),
    rows_checked bigint NOT NULL DEFAULT 0 CHECK (rows_checked >= 0),
    issues       bigint NOT NULL DEFAULT 0 CHECK (issues >= 0),
    detail       jsonb,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE NULLS NOT DISTINCT (batch_id, table_name)
);
CREATE INDEX quality_scores_table_created_idx ON ops.quality_scores (table_name, created_at);
CREATE TRIGGER quality_scores_set_updated_at BEFORE UPDATE ON ops.quality_scores
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

-- One failed rule on one row. Re-validating a batch deletes its issues first
-- (same transaction), so processing stays idempotent.
CREATE TABLE ops.validation_issues (
    id          uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    batch_id    uuid REFERENCES ops.batches (id) ON DELETE CASCADE,
    table_name  text NOT NULL,
    row_key     text,
    rule        text NOT NULL,
    severity    text NOT NULL DEFAULT 'error' CHECK (severity IN ('info', 'warning', 'error')),
    column_name text,
    message     text NOT NULL,
    detail      jsonb,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX validation_issues_batch_id_idx ON ops.validation_issues (batch_id);
CREATE INDEX validation_issues_table_rule_idx ON ops.validation_issues (table_name, rule, created_at);
CREATE TRIGGER validation_issues_set_updated_at BEFORE UPDATE ON ops.validation_issues
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

-- Rows that could not land, with their error and the row as JSON.
CREATE TABLE ops.rejects (
    id          uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    batch_id    uuid REFERENCES ops.batches (id) ON DELETE SET NULL,
    source      text NOT NULL,
    table_name  text NOT NULL,
    row_key     text,
    error       text NOT NULL,
    "row"       jsonb,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rejects_batch_id_idx ON ops.rejects (batch_id);
CREATE INDEX rejects_source_table_created_idx ON ops.rejects (source, table_name, created_at);
CREATE TRIGGER rejects_set_updated_at BEFORE UPDATE ON ops.rejects
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

-- Scheduler run log. UNIQUE (job, scheduled_for): a cron fire runs once across all
-- nodes (INSERT ... ON CONFLICT DO NOTHING claims it).
CREATE TABLE ops.job_runs (
    id            uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    job           text NOT NULL,
    scheduled_for timestamptz NOT NULL,
    status        text NOT NULL DEFAULT 'running'
                  CHECK (status IN ('pending', 'running', 'retrying', 'succeeded', 'failed',
                                    'skipped', 'timeout')),
    attempt       integer NOT NULL DEFAULT 1 CHECK (attempt >= 1),
    node          text,
    started_at    timestamptz,
    finished_at   timestamptz,
    duration_ms   bigint CHECK (duration_ms >= 0),
    error         text,
    output        text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (job, scheduled_for)
);
CREATE INDEX job_runs_status_idx ON ops.job_runs (status);
CREATE INDEX job_runs_job_started_idx ON ops.job_runs (job, started_at);
CREATE TRIGGER job_runs_set_updated_at BEFORE UPDATE ON ops.job_runs
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();
