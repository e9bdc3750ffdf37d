-- sql/callcenter/0001_callcenter.up.sql -- the insurance call-center model in schema
-- callcenter: customers, claims, knowledge_base (full-text + trigram search), journeys
-- (states, transitions, per-session contexts), guidelines and the validation audit.
-- Depends only on set platform (ops.uuid_generate_v7, ops.set_updated_at, pg_trgm).
-- Reverted by 0001_callcenter.down.sql; tested by tests/integration/t_schema_callcenter.sh.

CREATE SCHEMA callcenter;
COMMENT ON SCHEMA callcenter IS 'insurance call center: customers, claims, knowledge base, journeys, guidelines';

-- Customers. phone is E.164 ("+15125550142") so phone lookups are exact matches.
CREATE TABLE callcenter.customers (
    id             uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    name           text NOT NULL CHECK (length(btrim(name)) > 0),
    phone          text NOT NULL CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
    email          text CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'),
    policy_number  text NOT NULL UNIQUE CHECK (policy_number ~ '^[A-Z]{2,4}-[0-9A-Z-]{4,20}$'),
    metadata       jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customers_phone_idx ON callcenter.customers (phone);
CREATE INDEX customers_email_idx ON callcenter.customers (lower(email));
CREATE INDEX customers_name_trgm_idx ON callcenter.customers USING gin (name gin_trgm_ops);
CREATE TRIGGER customers_set_updated_at BEFORE UPDATE ON callcenter.customers
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

-- Claims. documents: [{"name","kind","url"}]; history: [{"at","status","note"}].
CREATE TABLE callcenter.claims (
    id             uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    customer_id    uuid NOT NULL REFERENCES callcenter.customers (id) ON DELETE RESTRICT,
    claim_number   text NOT NULL UNIQUE,
    type           text NOT NULL CHECK (type IN ('auto', 'home', 'health', 'life')),
    status         text NOT NULL DEFAULT 'submitted'
                   CHECK (status IN ('submitted', 'under_review', 'approved', 'denied', 'paid', 'closed')),
    amount         numeric(12, 2) NOT NULL CHECK (amount >= 0),
    currency       char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    incident_date  date,
    description    text NOT NULL,
    documents      jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(documents) = 'array'),
    history        jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(history) = 'array'),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX claims_customer_id_idx ON callcenter.claims (customer_id);
CREATE INDEX claims_status_idx ON callcenter.claims (status);
CREATE INDEX claims_type_idx ON callcenter.claims (type);
CREATE INDEX claims_created_at_idx ON callcenter.claims (created_at);
CREATE TRIGGER claims_set_updated_at BEFORE UPDATE ON callcenter.claims
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

-- Knowledge base. The search document weights question (A) over keywords (B) over
-- answer (C); it is a stored generated column, so it can never go stale.
-- array_to_string() is only STABLE in general (element output functions); for text[]
-- it is immutable, which this wrapper states so the generated column may use it.
CREATE FUNCTION callcenter.kb_document(question text, keywords text[], answer text)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector('english'::regconfig, coalesce(question, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(array_to_string(keywords, ' '), '')), 'B')
        || setweight(to_tsvector('english'::regconfig, coalesce(answer, '')), 'C')
$$;
COMMENT ON FUNCTION callcenter.kb_document(text, text[], text) IS
    'weighted search document of a knowledge article: question A, keywords B, answer C';

-- popularity: how often agents used the article (bumped by the application); search
-- ranks the most popular matches first when a query matches very many articles.
CREATE TABLE callcenter.knowledge_base (
    id             uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    category       text NOT NULL CHECK (category IN ('claims', 'billing', 'coverage', 'account')),
    keywords       text[] NOT NULL DEFAULT '{}',
    question       text NOT NULL CHECK (length(btrim(question)) > 0),
    answer         text NOT NULL CHECK (length(btrim(answer)) > 0),
    popularity     integer NOT NULL DEFAULT 0 CHECK (popularity >= 0),
    search_vector  tsvector NOT NULL
                   GENERATED ALWAYS AS (callcenter.kb_document(question, keywords, answer)) STORED,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX knowledge_base_search_idx ON callcenter.knowledge_base USING gin (search_vector);
CREATE INDEX knowledge_base_question_trgm_idx ON callcenter.knowledge_base
    USING gin (question gin_trgm_ops);
CREATE INDEX knowledge_base_keywords_idx ON callcenter.knowledge_base USING gin (keywords);
CREATE INDEX knowledge_base_category_idx ON callcenter.knowledge_base (category);
CREATE INDEX knowledge_base_popularity_idx ON callcenter.knowledge_base (popularity DESC, id);
CREATE TRIGGER knowledge_base_set_updated_at BEFORE UPDATE ON callcenter.knowledge_base
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

-- Journeys: a state machine per conversation flow (e.g. "First notice of loss").
CREATE TABLE callcenter.journeys (
    id             uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    name           text NOT NULL UNIQUE,
    description    text NOT NULL DEFAULT '',
    status         text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'retired')),
    version        integer NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX journeys_status_idx ON callcenter.journeys (status);
CREATE TRIGGER journeys_set_updated_at BEFORE UPDATE ON callcenter.journeys
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

CREATE TABLE callcenter.journey_states (
    id             uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    journey_id     uuid NOT NULL REFERENCES callcenter.journeys (id) ON DELETE CASCADE,
    name           text NOT NULL CHECK (name ~ '^[a-z][a-z0-9_]*$'),
    kind           text NOT NULL DEFAULT 'step' CHECK (kind IN ('initial', 'step', 'terminal')),
    instructions   text NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (journey_id, name)
);
-- exactly one way in: at most one initial state per journey
CREATE UNIQUE INDEX journey_states_one_initial_idx ON callcenter.journey_states (journey_id)
    WHERE kind = 'initial';
CREATE TRIGGER journey_states_set_updated_at BEFORE UPDATE ON callcenter.journey_states
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

-- Transitions name their states; the composite keys keep both ends inside one journey.
CREATE TABLE callcenter.journey_transitions (
    id             uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    journey_id     uuid NOT NULL REFERENCES callcenter.journeys (id) ON DELETE CASCADE,
    from_state     text NOT NULL,
    to_state       text NOT NULL,
    trigger        text NOT NULL CHECK (length(btrim(trigger)) > 0),
    condition      jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(condition) = 'object'),
    priority       integer NOT NULL DEFAULT 0,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (journey_id, from_state, trigger),
    FOREIGN KEY (journey_id, from_state) REFERENCES callcenter.journey_states (journey_id, name)
        ON UPDATE CASCADE ON DELETE CASCADE,
    FOREIGN KEY (journey_id, to_state) REFERENCES callcenter.journey_states (journey_id, name)
        ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX journey_transitions_to_state_idx ON callcenter.journey_transitions (journey_id, to_state);
CREATE TRIGGER journey_transitions_set_updated_at BEFORE UPDATE ON callcenter.journey_transitions
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

-- Where one call session stands in one journey.
CREATE TABLE callcenter.journey_contexts (
    id             uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    session_id     text NOT NULL,
    journey_id     uuid NOT NULL REFERENCES callcenter.journeys (id) ON DELETE CASCADE,
    customer_id    uuid REFERENCES callcenter.customers (id) ON DELETE SET NULL,
    current_state  text NOT NULL,
    status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'completed', 'abandoned')),
    variables      jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(variables) = 'object'),
    activated_at   timestamptz NOT NULL DEFAULT now(),
    completed_at   timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (session_id, journey_id),
    FOREIGN KEY (journey_id, current_state) REFERENCES callcenter.journey_states (journey_id, name)
        ON UPDATE CASCADE
);
CREATE INDEX journey_contexts_journey_state_idx ON callcenter.journey_contexts (journey_id, current_state);
CREATE INDEX journey_contexts_customer_id_idx ON callcenter.journey_contexts (customer_id);
CREATE INDEX journey_contexts_status_idx ON callcenter.journey_contexts (status);
CREATE TRIGGER journey_contexts_set_updated_at BEFORE UPDATE ON callcenter.journey_contexts
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

-- Guidelines the agent's answers are checked against.
CREATE TABLE callcenter.guidelines (
    id             uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    name           text NOT NULL UNIQUE,
    category       text NOT NULL CHECK (category IN ('compliance', 'privacy', 'tone', 'accuracy', 'escalation')),
    severity       text NOT NULL DEFAULT 'warning' CHECK (severity IN ('info', 'warning', 'critical')),
    rule           text NOT NULL CHECK (length(btrim(rule)) > 0),
    pattern        text,
    is_active      boolean NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX guidelines_category_idx ON callcenter.guidelines (category);
CREATE INDEX guidelines_active_idx ON callcenter.guidelines (is_active) WHERE is_active;
CREATE TRIGGER guidelines_set_updated_at BEFORE UPDATE ON callcenter.guidelines
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

-- One row per validation check run on an agent response.
CREATE TABLE callcenter.validation_audit (
    id             uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    session_id     text NOT NULL,
    guideline_id   uuid REFERENCES callcenter.guidelines (id) ON DELETE SET NULL,
    check_name     text NOT NULL,
    content        text NOT NULL DEFAULT '',
    passed         boolean NOT NULL,
    violations     jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(violations) = 'array'),
    confidence     numeric(4, 3) NOT NULL CHECK (confidence BETWEEN 0 AND 1),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX validation_audit_session_id_idx ON callcenter.validation_audit (session_id);
CREATE INDEX validation_audit_guideline_id_idx ON callcenter.validation_audit (guideline_id);
CREATE INDEX validation_audit_created_at_idx ON callcenter.validation_audit (created_at);
CREATE INDEX validation_audit_failed_idx ON callcenter.validation_audit (created_at) WHERE NOT passed;
CREATE TRIGGER validation_audit_set_updated_at BEFORE UPDATE ON callcenter.validation_audit
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();
