-- sql/survey/0002_survey_tables.down.sql -- reverts 0002_survey_tables.up.sql
-- (tables in reverse order of creation; their indexes and triggers go with them).

DROP TABLE survey.email_notifications;
DROP TABLE survey.events;
DROP TABLE survey.transcript_snippets;
DROP TABLE survey.survey_responses;
DROP TABLE survey.call_attempts;
DROP TABLE survey.exclusion_list_entries;
DROP TABLE survey.contacts;
DROP TABLE survey.campaigns;
DROP TABLE survey.email_templates;
DROP TABLE survey.provider_configs;
DROP TABLE survey.users;
