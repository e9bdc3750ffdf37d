-- sql/revops/0001_opportunities.up.sql -- RevOps / POD matching: opportunities from
-- Odoo CRM and from AWS Partner Central (ACE), each normalized into one shape in schema
-- core (which set platform owns), and the ACE -> Odoo match.
-- Reverted by 0001_opportunities.down.sql; tested by tests/integration/t_schema_revops.sh.
--
-- Normalized stages (both sources map onto these): prospect, qualified,
-- technical_validation, business_validation, committed, launched, closed_won, closed_lost.

CREATE TABLE core.odoo_opportunities (
    id                 uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    source_key         text NOT NULL UNIQUE,             -- 'crm.lead:<odoo id>'
    name               text NOT NULL,
    company_name       text,
    partner_name       text,
    contact_email      text,
    stage              text NOT NULL CHECK (stage IN ('prospect', 'qualified', 'technical_validation',
                           'business_validation', 'committed', 'launched', 'closed_won', 'closed_lost')),
    amount             numeric(14, 2) CHECK (amount >= 0),
    currency           char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    close_date         date,
    owner              text,
    probability        numeric(5, 2) CHECK (probability BETWEEN 0 AND 100),
    source_updated_at  timestamptz NOT NULL,
    raw                jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(raw) = 'object'),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX odoo_opportunities_stage_idx ON core.odoo_opportunities (stage);
CREATE INDEX odoo_opportunities_close_date_idx ON core.odoo_opportunities (close_date);
CREATE INDEX odoo_opportunities_owner_idx ON core.odoo_opportunities (owner);
CREATE INDEX odoo_opportunities_source_updated_at_idx ON core.odoo_opportunities (source_updated_at);
CREATE INDEX odoo_opportunities_company_trgm_idx ON core.odoo_opportunities
    USING gin (lower(company_name) gin_trgm_ops);
CREATE TRIGGER odoo_opportunities_set_updated_at BEFORE UPDATE ON core.odoo_opportunities
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

CREATE TABLE core.ace_opportunities (
    id                     uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
    source_key             text NOT NULL UNIQUE,         -- ACE opportunity id, 'O1234567'
    name                   text NOT NULL,
    company_name           text,
    partner_name           text,
    customer_website       text,
    partner_crm_id         text,                         -- the partner's CRM reference, if given
    stage                  text NOT NULL CHECK (stage IN ('prospect', 'qualified', 'technical_validation',
                               'business_validation', 'committed', 'launched', 'closed_won', 'closed_lost')),
    review_status          text NOT NULL DEFAULT 'pending_submission'
                           CHECK (review_status IN ('pending_submission', 'submitted', 'in_review',
                               'approved', 'action_required', 'rejected')),
    amount                 numeric(14, 2) CHECK (amount >= 0),
    currency               char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    close_date             date,
    owner                  text,
    probability            numeric(5, 2) CHECK (probability BETWEEN 0 AND 100),
    source_updated_at      timestamptz NOT NULL,
    raw                    jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(raw) = 'object'),
    -- the POD match: which Odoo opportunity this one is, how sure, and how it was found
    matched_odoo_id        uuid REFERENCES core.odoo_opportunities (id) ON DELETE SET NULL,
    match_score            numeric(4, 3) CHECK (match_score BETWEEN 0 AND 1),
    match_method           text CHECK (match_method IN ('crm_id', 'name_company', 'manual')),
    matched_at             timestamptz,
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    CHECK ((matched_odoo_id IS NULL) = (match_method IS NULL))
);
CREATE INDEX ace_opportunities_stage_idx ON core.ace_opportunities (stage);
CREATE INDEX ace_opportunities_review_status_idx ON core.ace_opportunities (review_status);
CREATE INDEX ace_opportunities_close_date_idx ON core.ace_opportunities (close_date);
CREATE INDEX ace_opportunities_owner_idx ON core.ace_opportunities (owner);
CREATE INDEX ace_opportunities_source_updated_at_idx ON core.ace_opportunities (source_updated_at);
CREATE INDEX ace_opportunities_partner_crm_id_idx ON core.ace_opportunities (partner_crm_id);
CREATE INDEX ace_opportunities_matched_odoo_id_idx ON core.ace_opportunities (matched_odoo_id);
CREATE INDEX ace_opportunities_company_trgm_idx ON core.ace_opportunities
    USING gin (lower(company_name) gin_trgm_ops);
CREATE TRIGGER ace_opportunities_set_updated_at BEFORE UPDATE ON core.ace_opportunities
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();
