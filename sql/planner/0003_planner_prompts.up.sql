-- sql/planner/0003_planner_prompts.up.sql -- planner and memory, part 3: versioned
-- prompt templates. The five v1 system templates come from
-- seeds/planner/0001_prompt_templates.sql. Reverted by 0003_planner_prompts.down.sql.
-- Tests: tests/integration/t_schema_planner.sh
--
-- A new wording is a new version (UNIQUE (name, version)); callers pick the highest
-- version of a name. is_system marks templates shipped with steward.

CREATE TABLE planner.prompt_templates (
    id          uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    name        text NOT NULL CHECK (name ~ '^[a-z][a-z0-9_]{0,62}$'),
    version     integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    kind        text NOT NULL
                CHECK (kind IN ('sop', 'scheduling', 'reflection', 'review', 'analysis', 'general')),
    description text,
    body        text NOT NULL CHECK (btrim(body) <> ''),
    metadata    jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
    is_system   boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT prompt_templates_name_version_key UNIQUE (name, version)
);
-- name is indexed by the unique constraint's leading column.
CREATE INDEX prompt_templates_kind_idx ON planner.prompt_templates (kind);
CREATE INDEX prompt_templates_is_system_idx ON planner.prompt_templates (is_system, name);
CREATE TRIGGER prompt_templates_set_updated_at BEFORE UPDATE ON planner.prompt_templates
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();
