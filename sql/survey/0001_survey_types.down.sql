-- sql/survey/0001_survey_types.down.sql -- reverts 0001_survey_types.up.sql
-- (function, domain, the thirteen enum types, then schema survey, which must be empty).

DROP FUNCTION survey.questions_are_valid(jsonb);
DROP DOMAIN survey.phone_e164;
DROP TYPE survey.exclusion_source;
DROP TYPE survey.llm_provider;
DROP TYPE survey.provider_type;
DROP TYPE survey.email_template_type;
DROP TYPE survey.email_status;
DROP TYPE survey.event_type;
DROP TYPE survey.call_outcome;
DROP TYPE survey.contact_outcome;
DROP TYPE survey.contact_state;
DROP TYPE survey.question_type;
DROP TYPE survey.campaign_language;
DROP TYPE survey.campaign_status;
DROP TYPE survey.user_role;
DROP SCHEMA survey;
