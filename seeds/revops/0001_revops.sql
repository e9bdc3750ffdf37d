-- seeds/revops/0001_revops.sql -- demo data for set revops: Odoo and ACE opportunities
-- (some ACE ones matched to Odoo), and search documents with 1024-dimension embeddings.
--
-- Ids are deterministic: uuid_generate_v5(NS, natural name) with the set's namespace
--   NS = 3282cdc0-c459-5608-b07f-951ee6455196
--      = uuid_generate_v5(uuid_ns_url(), 'https://steward.dev/seeds/revops')
-- and natural names 'odoo:<source_key>', 'ace:<source_key>', 'doc:<source>:<source_id>:<chunk>'.
-- Embeddings are synthetic but deterministic: component i of document k is
-- sin(i * 0.0173 * k + k) (a stand-in for a real embedding model's output); they are
-- written as real[], which also converts to vector(1024) where pgvector is installed.
-- Inserts are ON CONFLICT (id) DO NOTHING: a rerun changes nothing.
-- Tested by tests/integration/t_schema_revops.sh.

INSERT INTO core.odoo_opportunities (id, source_key, name, company_name, partner_name, contact_email, stage,
                                     amount, currency, close_date, owner, probability, source_updated_at, raw)
SELECT uuid_generate_v5('3282cdc0-c459-5608-b07f-951ee6455196', 'odoo:' || v.key),
       v.key, v.name, v.company, v.partner, v.email, v.stage, v.amount, v.cur, v.close::date, v.owner,
       v.prob, v.upd::timestamptz,
       jsonb_build_object('model', 'crm.lead', 'id', split_part(v.key, ':', 2)::integer,
                          'stage_name', v.odoo_stage, 'expected_revenue', v.amount)
FROM (VALUES
    ('crm.lead:4812', 'Data lake migration to AWS',            'Harbor Freight Logistics', 'Dana Whitaker',   'dana.whitaker@harborfreightlogistics.com', 'technical_validation', 185000.00, 'USD', '2026-03-31', 'maria.gonzalez@cloudwise.io', 40.00, '2025-11-20 15:42:10+00', 'Proposition'),
    ('crm.lead:4827', 'Contact center modernization (Connect)', 'Lone Star Mutual',        'Ray Okonkwo',     'rokonkwo@lonestarmutual.com',               'business_validation',  92000.00, 'USD', '2026-02-15', 'james.chen@cloudwise.io',     60.00, '2025-11-25 09:10:44+00', 'Negotiation'),
    ('crm.lead:4833', 'SAP on AWS landing zone',               'Nordwerk Maschinenbau GmbH','Katrin Vogel',   'k.vogel@nordwerk.de',                       'qualified',           240000.00, 'EUR', '2026-06-30', 'maria.gonzalez@cloudwise.io', 20.00, '2025-11-18 12:01:00+00', 'Qualified'),
    ('crm.lead:4840', 'GenAI claims triage pilot',             'Bayside Health Partners',  'Aaron Liu',       'aaron.liu@baysidehealth.org',               'committed',            64000.00, 'USD', '2025-12-19', 'james.chen@cloudwise.io',     90.00, '2025-11-28 17:30:05+00', 'Won pending PO'),
    ('crm.lead:4851', 'Backup and DR for retail stores',       'Pinecrest Outfitters',     'Meg Sorensen',    'meg@pinecrestoutfitters.com',               'closed_lost',          38000.00, 'USD', '2025-10-31', 'priya.nair@cloudwise.io',      0.00, '2025-11-02 08:45:00+00', 'Lost'),
    ('crm.lead:4866', 'Analytics platform on Redshift',        'Meridian Credit Union',    'Tom Haverford',   'thaverford@meridiancu.org',                 'closed_won',          126500.00, 'USD', '2025-11-14', 'priya.nair@cloudwise.io',    100.00, '2025-11-15 10:20:30+00', 'Won')
) AS v (key, name, company, partner, email, stage, amount, cur, close, owner, prob, upd, odoo_stage)
ON CONFLICT (id) DO NOTHING;

INSERT INTO core.ace_opportunities (id, source_key, name, company_name, partner_name, customer_website, partner_crm_id,
                                    stage, review_status, amount, currency, close_date, owner, probability,
                                    source_updated_at, raw, matched_odoo_id, match_score, match_method, matched_at)
SELECT uuid_generate_v5('3282cdc0-c459-5608-b07f-951ee6455196', 'ace:' || v.key),
       v.key, v.name, v.company, 'CloudWise Consulting', v.site, v.crm_id, v.stage, v.review, v.amount, 'USD',
       v.close::date, v.owner, v.prob, v.upd::timestamptz,
       jsonb_build_object('Identifier', v.key, 'LifeCycle', jsonb_build_object('Stage', v.ace_stage, 'ReviewStatus', v.review)),
       CASE WHEN v.match IS NOT NULL THEN uuid_generate_v5('3282cdc0-c459-5608-b07f-951ee6455196', 'odoo:' || v.match) END,
       v.score, v.method, v.matched::timestamptz
FROM (VALUES
    ('O4821937', 'Harbor Freight Logistics - Data Lake',     'Harbor Freight Logistics Inc.', 'harborfreightlogistics.com', 'crm.lead:4812', 'technical_validation', 'approved',  180000.00, '2026-03-31', 'maria.gonzalez@cloudwise.io', 40.00, '2025-11-21 07:00:00+00', 'Technical Validation', 'crm.lead:4812', 1.000, 'crm_id',       '2025-11-21 07:05:00+00'),
    ('O4822410', 'Lone Star Mutual Amazon Connect',          'Lone Star Mutual Insurance',    'lonestarmutual.com',         NULL,            'business_validation',  'approved',   95000.00, '2026-02-28', 'james.chen@cloudwise.io',     60.00, '2025-11-26 07:00:00+00', 'Business Validation',  'crm.lead:4827', 0.870, 'name_company', '2025-11-26 07:05:00+00'),
    ('O4823055', 'Bayside Health GenAI pilot',               'Bayside Health Partners',       'baysidehealth.org',          NULL,            'committed',            'approved',   64000.00, '2025-12-19', 'james.chen@cloudwise.io',     90.00, '2025-11-29 07:00:00+00', 'Committed',            'crm.lead:4840', 0.910, 'manual',       '2025-11-29 09:12:00+00'),
    ('O4823391', 'Meridian CU analytics modernization',      'Meridian Credit Union',         'meridiancu.org',             NULL,            'launched',             'approved',  126500.00, '2025-11-14', 'priya.nair@cloudwise.io',    100.00, '2025-11-16 07:00:00+00', 'Launched',             NULL,            NULL,  NULL,           NULL),
    ('O4824102', 'Sunridge Foods ERP migration',             'Sunridge Foods',                'sunridgefoods.com',          NULL,            'prospect',             'in_review', 75000.00, '2026-05-29', 'maria.gonzalez@cloudwise.io', 10.00, '2025-11-30 07:00:00+00', 'Prospect',             NULL,            NULL,  NULL,           NULL)
) AS v (key, name, company, site, crm_id, stage, review, amount, close, owner, prob, upd, ace_stage, match, score, method, matched)
ON CONFLICT (id) DO NOTHING;

INSERT INTO search.documents (id, source, source_id, chunk, title, content, metadata, embedding)
SELECT uuid_generate_v5('3282cdc0-c459-5608-b07f-951ee6455196', 'doc:' || v.source || ':' || v.sid || ':0'),
       v.source, v.sid, 0, v.title, v.content, v.meta::jsonb,
       ARRAY(SELECT sin(i * 0.0173 * v.k + v.k)::real FROM generate_series(1, 1024) AS i)
FROM (VALUES
    (1, 'odoo', 'crm.lead:4812', 'Harbor Freight Logistics - discovery notes',
     'Customer runs 40 TB of shipment telemetry in on-premises Hadoop; wants S3 + Glue + Athena, retire the cluster by Q2.',
     '{"company":"Harbor Freight Logistics","stage":"technical_validation","kind":"notes"}'),
    (2, 'odoo', 'crm.lead:4827', 'Lone Star Mutual - contact center requirements',
     'Replace the Avaya IVR with Amazon Connect; 350 agents; claims intake bot with Lex; Salesforce CTI integration.',
     '{"company":"Lone Star Mutual","stage":"business_validation","kind":"requirements"}'),
    (3, 'ace',  'O4823055',     'Bayside Health GenAI pilot - ACE summary',
     'Pilot of Bedrock-based claims triage summarizing adjuster notes; HIPAA eligible services only; 8-week timeline.',
     '{"company":"Bayside Health Partners","stage":"committed","kind":"summary"}'),
    (4, 'ace',  'O4824102',     'Sunridge Foods ERP migration - ACE summary',
     'Lift-and-shift of an Oracle-based ERP to EC2 and RDS, followed by a move to Aurora PostgreSQL.',
     '{"company":"Sunridge Foods","stage":"prospect","kind":"summary"}'),
    (5, 'file', 'playbooks/map-funding.md', 'MAP funding playbook',
     'Migration Acceleration Program: assess, mobilize and migrate phases; credits require an approved ACE opportunity.',
     '{"kind":"playbook","topic":"funding"}'),
    (6, 'web',  'https://aws.amazon.com/partners/ace', 'ACE pipeline manager overview',
     'Partners share opportunities with AWS through APN Customer Engagements; review status moves from submitted to approved.',
     '{"kind":"reference","topic":"ace"}')
) AS v (k, source, sid, title, content, meta)
ON CONFLICT (id) DO NOTHING;
