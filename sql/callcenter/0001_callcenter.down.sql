-- sql/callcenter/0001_callcenter.down.sql -- reverts 0001_callcenter.up.sql.
-- No CASCADE: anything else placed in schema callcenter makes this fail loudly.

DROP TABLE callcenter.validation_audit;
DROP TABLE callcenter.guidelines;
DROP TABLE callcenter.journey_contexts;
DROP TABLE callcenter.journey_transitions;
DROP TABLE callcenter.journey_states;
DROP TABLE callcenter.journeys;
DROP TABLE callcenter.knowledge_base;
DROP FUNCTION callcenter.kb_document(text, text[], text);
DROP TABLE callcenter.claims;
DROP TABLE callcenter.customers;
DROP SCHEMA callcenter;
