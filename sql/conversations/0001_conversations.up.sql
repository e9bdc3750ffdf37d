-- sql/conversations/0001_conversations.up.sql -- the voice-agent event store in schema
-- conversations: tenants (phone -> tenant routing), versioned immutable objective
-- configs, conversations, append-only events with a gapless per-trace sequence,
-- objectives (cached state rebuilt from events); emit_event(), get_conversation_events(),
-- rebuild_objectives(), publish_objective_config(); views active_conversations,
-- latest_events. Depends only on set platform.
-- Reverted by 0001_conversations.down.sql; tested by tests/integration/t_schema_conversations.sh.

CREATE SCHEMA conversations;
COMMENT ON SCHEMA conversations IS 'voice-agent event store: tenants, objective configs, conversations, events';

CREATE TABLE conversations.tenants (
    id             uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    name           text NOT NULL CHECK (length(btrim(name)) > 0),
    slug           text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]*$'),
    phone_number   text NOT NULL CHECK (phone_number ~ '^\+[1-9][0-9]{6,14}$'),
    status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'archived')),
    timezone       text NOT NULL DEFAULT 'UTC',
    settings       jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(settings) = 'object'),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
-- the phone -> tenant route of every incoming call (cached by the cache-warmer)
CREATE UNIQUE INDEX tenants_phone_number_idx ON conversations.tenants (phone_number);
CREATE INDEX tenants_status_idx ON conversations.tenants (status);
CREATE TRIGGER tenants_set_updated_at BEFORE UPDATE ON conversations.tenants
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

-- Objective configs are versioned and immutable: a change is a new version. Only
-- is_active may change on an existing version; at most one active version per tenant
-- and objective.
CREATE TABLE conversations.objective_configs (
    id             uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    tenant_id      uuid NOT NULL REFERENCES conversations.tenants (id) ON DELETE CASCADE,
    objective      text NOT NULL CHECK (objective ~ '^[a-z][a-z0-9_]*$'),
    version        integer NOT NULL CHECK (version > 0),
    description    text NOT NULL DEFAULT '',
    content        jsonb NOT NULL CHECK (jsonb_typeof(content) = 'object'),
    is_active      boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, objective, version)
);
CREATE UNIQUE INDEX objective_configs_one_active_idx ON conversations.objective_configs (tenant_id, objective)
    WHERE is_active;
CREATE INDEX objective_configs_objective_idx ON conversations.objective_configs (objective);

CREATE FUNCTION conversations.objective_configs_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.id, NEW.tenant_id, NEW.objective, NEW.version, NEW.description, NEW.content, NEW.created_at)
       IS DISTINCT FROM
       (OLD.id, OLD.tenant_id, OLD.objective, OLD.version, OLD.description, OLD.content, OLD.created_at) THEN
        RAISE EXCEPTION 'objective config % version % is immutable', OLD.objective, OLD.version
            USING ERRCODE = 'integrity_constraint_violation',
                  HINT = 'insert a new version (conversations.publish_objective_config) instead';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER objective_configs_immutable BEFORE UPDATE ON conversations.objective_configs
    FOR EACH ROW EXECUTE FUNCTION conversations.objective_configs_immutable();
CREATE TRIGGER objective_configs_set_updated_at BEFORE UPDATE ON conversations.objective_configs
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

-- One conversation per trace. last_sequence is the per-trace event counter that
-- emit_event() increments under the row lock.
CREATE TABLE conversations.conversations (
    id             uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    tenant_id      uuid NOT NULL REFERENCES conversations.tenants (id) ON DELETE RESTRICT,
    trace_id       text NOT NULL UNIQUE CHECK (length(trace_id) BETWEEN 1 AND 200),
    status         text NOT NULL DEFAULT 'active'
                   CHECK (status IN ('active', 'completed', 'failed', 'abandoned')),
    channel        text NOT NULL DEFAULT 'voice' CHECK (channel IN ('voice', 'sms', 'web')),
    caller_number  text,
    last_sequence  integer NOT NULL DEFAULT 0 CHECK (last_sequence >= 0),
    metadata       jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
    started_at     timestamptz NOT NULL DEFAULT now(),
    ended_at       timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversations_tenant_started_idx ON conversations.conversations (tenant_id, started_at);
CREATE INDEX conversations_status_idx ON conversations.conversations (status);
CREATE INDEX conversations_caller_number_idx ON conversations.conversations (caller_number);
CREATE TRIGGER conversations_set_updated_at BEFORE UPDATE ON conversations.conversations
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

-- Events: append-only (UPDATE and DELETE are rejected), numbered 1, 2, 3... per trace.
CREATE TABLE conversations.events (
    id               uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    trace_id         text NOT NULL REFERENCES conversations.conversations (trace_id) ON DELETE RESTRICT,
    tenant_id        uuid NOT NULL REFERENCES conversations.tenants (id) ON DELETE RESTRICT,
    sequence_number  integer NOT NULL CHECK (sequence_number > 0),
    event_type       text NOT NULL CHECK (event_type IN (
                         'conversation.started', 'conversation.ended',
                         'utterance.caller', 'utterance.agent',
                         'intent.detected', 'tool.called', 'tool.result',
                         'objective.started', 'objective.updated', 'objective.completed',
                         'objective.failed', 'transfer.requested', 'error')),
    payload          jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(payload) = 'object'),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (trace_id, sequence_number)
);
CREATE INDEX events_tenant_created_idx ON conversations.events (tenant_id, created_at);
CREATE INDEX events_event_type_idx ON conversations.events (event_type);
CREATE INDEX events_created_at_idx ON conversations.events (created_at);

CREATE FUNCTION conversations.events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'conversations.events is append-only: % rejected', TG_OP
        USING ERRCODE = 'integrity_constraint_violation',
              HINT = 'record a new event instead';
END
$$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON conversations.events
    FOR EACH ROW EXECUTE FUNCTION conversations.events_append_only();
-- (never fires past events_append_only; present so every table follows the convention)
CREATE TRIGGER events_set_updated_at BEFORE UPDATE ON conversations.events
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

-- Objectives: cached state per conversation and objective, rebuilt from the
-- objective.* events by rebuild_objectives().
CREATE TABLE conversations.objectives (
    id                  uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    conversation_id     uuid NOT NULL REFERENCES conversations.conversations (id) ON DELETE CASCADE,
    tenant_id           uuid NOT NULL REFERENCES conversations.tenants (id) ON DELETE RESTRICT,
    objective_config_id uuid REFERENCES conversations.objective_configs (id) ON DELETE SET NULL,
    objective           text NOT NULL,
    status              text NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'in_progress', 'completed', 'failed')),
    state               jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(state) = 'object'),
    last_sequence       integer NOT NULL DEFAULT 0 CHECK (last_sequence >= 0),
    completed_at        timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (conversation_id, objective)
);
CREATE INDEX objectives_tenant_id_idx ON conversations.objectives (tenant_id);
CREATE INDEX objectives_objective_config_id_idx ON conversations.objectives (objective_config_id);
CREATE INDEX objectives_status_idx ON conversations.objectives (status);
CREATE TRIGGER objectives_set_updated_at BEFORE UPDATE ON conversations.objectives
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

-- emit_event: append one event to a trace with the next gapless sequence number,
-- creating the conversation on its first event. The UPDATE of the conversation row
-- takes its row lock, so concurrent emitters on one trace queue up and each sees the
-- previous one's committed counter (READ COMMITTED re-reads the locked row); a rolled
-- back emit rolls its increment back too, so numbers never skip. Under REPEATABLE READ
-- or SERIALIZABLE a concurrent emit fails with a serialization error: retry it.
-- 'conversation.ended' also closes the conversation (payload status, default completed).
CREATE FUNCTION conversations.emit_event(p_trace_id text, p_tenant_id uuid, p_event_type text,
                                         p_payload jsonb DEFAULT '{}')
RETURNS conversations.events
LANGUAGE plpgsql AS $$
DECLARE
    conv conversations.conversations;
    ev   conversations.events;
BEGIN
    INSERT INTO conversations.conversations (tenant_id, trace_id)
    VALUES (p_tenant_id, p_trace_id)
    ON CONFLICT (trace_id) DO NOTHING;

    UPDATE conversations.conversations
    SET last_sequence = last_sequence + 1,
        status = CASE WHEN p_event_type = 'conversation.ended'
                      THEN coalesce(p_payload ->> 'status', 'completed') ELSE status END,
        ended_at = CASE WHEN p_event_type = 'conversation.ended' THEN now() ELSE ended_at END
    WHERE trace_id = p_trace_id
    RETURNING * INTO conv;

    IF conv.tenant_id <> p_tenant_id THEN
        RAISE EXCEPTION 'trace % belongs to another tenant', p_trace_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;

    INSERT INTO conversations.events (trace_id, tenant_id, sequence_number, event_type, payload)
    VALUES (p_trace_id, p_tenant_id, conv.last_sequence, p_event_type, coalesce(p_payload, '{}'))
    RETURNING * INTO ev;
    RETURN ev;
END
$$;
COMMENT ON FUNCTION conversations.emit_event(text, uuid, text, jsonb) IS
    'append an event to a trace with the next gapless sequence number (creates the conversation)';

CREATE FUNCTION conversations.get_conversation_events(p_trace_id text)
RETURNS SETOF conversations.events
LANGUAGE sql STABLE AS $$
    SELECT * FROM conversations.events WHERE trace_id = p_trace_id ORDER BY sequence_number
$$;
COMMENT ON FUNCTION conversations.get_conversation_events(text) IS 'the events of a trace in sequence order';

-- rebuild_objectives: recompute the cached objectives of a trace from its objective.*
-- events (payload: {"objective": NAME, "state": {...}}; state keys merge in order).
-- Returns the number of objectives written.
CREATE FUNCTION conversations.rebuild_objectives(p_trace_id text)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    n integer;
BEGIN
    WITH ev AS (
        SELECT e.*, e.payload ->> 'objective' AS objective
        FROM conversations.events e
        WHERE e.trace_id = p_trace_id AND e.event_type LIKE 'objective.%'
          AND e.payload ? 'objective'
    ), agg AS (
        SELECT ev.objective,
               (array_agg(ev.event_type ORDER BY ev.sequence_number DESC))[1] AS last_type,
               max(ev.sequence_number) AS last_seq,
               max(ev.created_at) AS last_at
        FROM ev GROUP BY ev.objective
    ), st AS (
        SELECT ev.objective, coalesce(jsonb_object_agg(kv.key, kv.value ORDER BY ev.sequence_number), '{}') AS state
        FROM ev, jsonb_each(CASE WHEN jsonb_typeof(ev.payload -> 'state') = 'object'
                                 THEN ev.payload -> 'state' ELSE '{}' END) AS kv
        GROUP BY ev.objective
    )
    INSERT INTO conversations.objectives AS o (conversation_id, tenant_id, objective_config_id, objective,
                                               status, state, last_sequence, completed_at)
    SELECT c.id, c.tenant_id,
           (SELECT oc.id FROM conversations.objective_configs oc
            WHERE oc.tenant_id = c.tenant_id AND oc.objective = agg.objective AND oc.is_active),
           agg.objective,
           CASE agg.last_type WHEN 'objective.started' THEN 'in_progress'
                              WHEN 'objective.updated' THEN 'in_progress'
                              WHEN 'objective.completed' THEN 'completed'
                              ELSE 'failed' END,
           coalesce(st.state, '{}'), agg.last_seq,
           CASE WHEN agg.last_type = 'objective.completed' THEN agg.last_at END
    FROM agg
    JOIN conversations.conversations c ON c.trace_id = p_trace_id
    LEFT JOIN st ON st.objective = agg.objective
    ON CONFLICT (conversation_id, objective) DO UPDATE
        SET status = EXCLUDED.status, state = EXCLUDED.state, last_sequence = EXCLUDED.last_sequence,
            completed_at = EXCLUDED.completed_at,
            objective_config_id = coalesce(o.objective_config_id, EXCLUDED.objective_config_id)
        WHERE (o.status, o.state, o.last_sequence, o.completed_at)
              IS DISTINCT FROM (EXCLUDED.status, EXCLUDED.state, EXCLUDED.last_sequence, EXCLUDED.completed_at);
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;

-- publish_objective_config: store CONTENT as the next version of (tenant, objective)
-- and make it the active one, in one statement sequence under a lock on the tenant.
CREATE FUNCTION conversations.publish_objective_config(p_tenant_id uuid, p_objective text, p_content jsonb,
                                                       p_description text DEFAULT '')
RETURNS conversations.objective_configs
LANGUAGE plpgsql AS $$
DECLARE
    v   integer;
    cfg conversations.objective_configs;
BEGIN
    PERFORM 1 FROM conversations.tenants WHERE id = p_tenant_id FOR UPDATE;
    SELECT coalesce(max(version), 0) + 1 INTO v FROM conversations.objective_configs
    WHERE tenant_id = p_tenant_id AND objective = p_objective;
    UPDATE conversations.objective_configs SET is_active = false
    WHERE tenant_id = p_tenant_id AND objective = p_objective AND is_active;
    INSERT INTO conversations.objective_configs (tenant_id, objective, version, description, content, is_active)
    VALUES (p_tenant_id, p_objective, v, coalesce(p_description, ''), p_content, true)
    RETURNING * INTO cfg;
    RETURN cfg;
END
$$;

-- Views for the common questions.
CREATE VIEW conversations.active_conversations AS
    SELECT c.id, c.trace_id, c.tenant_id, t.name AS tenant_name, t.phone_number AS tenant_phone,
           c.channel, c.caller_number, c.started_at, c.last_sequence AS event_count,
           c.updated_at AS last_activity_at
    FROM conversations.conversations c
    JOIN conversations.tenants t ON t.id = c.tenant_id
    WHERE c.status = 'active';

CREATE VIEW conversations.latest_events AS
    SELECT DISTINCT ON (e.trace_id) e.trace_id, e.tenant_id, e.sequence_number, e.event_type,
           e.payload, e.created_at
    FROM conversations.events e
    ORDER BY e.trace_id, e.sequence_number DESC;
