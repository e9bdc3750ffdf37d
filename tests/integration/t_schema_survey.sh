#!/usr/bin/env bash
# t_schema_survey.sh -- migration set `survey` (sql/survey, seeds/survey) on a real
# PostgreSQL: up, the 11 tables and 13 enum types from the catalog, conventions, seeds
# twice without change, enum/phone/question/provider constraints, updated_at trigger,
# down to zero (types too) and up again.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/schema_lib.sh"
need_servers

U=$(fresh_db survey)
campaign="public.uuid_generate_v5('1015ca11-8cff-4143-885c-72191afcc318', 'campaign:harbor-dental-satisfaction-2026-12')"
enum_count_sql="SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                WHERE n.nspname = 'survey' AND t.typtype = 'e'"

# --- up -----------------------------------------------------------------------------
ok 'schema_up "$U" survey' "migrate up applies set survey"
is "$(schema_applied "$U" survey)" "1 2" "ops.schema_migrations records every survey migration"
platform_applied=$(schema_applied "$U" platform)
ok 'schema_verify "$U" survey' "migrate verify: applied survey files match their checksums"
is "$(sq "$U" "SELECT count(*) || ': ' || string_agg(c.relname, ' ' ORDER BY c.relname) FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'survey' AND c.relkind = 'r'")" \
   "11: call_attempts campaigns contacts email_notifications email_templates events exclusion_list_entries provider_configs survey_responses transcript_snippets users" \
   "schema survey holds the eleven tables"
is "$(sq "$U" "SELECT count(*) || ': ' || string_agg(t.typname, ' ' ORDER BY t.typname) FROM pg_type t
              JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'survey' AND t.typtype = 'e'")" \
   "13: call_outcome campaign_language campaign_status contact_outcome contact_state email_status email_template_type event_type exclusion_source llm_provider provider_type question_type user_role" \
   "schema survey holds the thirteen enum types"
is "$(schema_conventions "$U" survey)" "" \
   "every survey table: uuid v7 id, created_at/updated_at NOT NULL DEFAULT now(), updated_at row trigger; every foreign key leads an index"

# --- seeds: twice, nothing changes the second time ------------------------------------
ok 'schema_seed "$U" survey' "seed survey"
fp1=$(schema_fingerprint "$U" survey)
ids1=$(schema_fingerprint --ids "$U" survey)
is "$(sq "$U" "SELECT string_agg(t || '=' || n, ' ' ORDER BY t) FROM (
              SELECT 'campaigns' t, count(*) n FROM survey.campaigns
              UNION ALL SELECT 'contacts', count(*) FROM survey.contacts WHERE campaign_id = $campaign
              UNION ALL SELECT 'exclusions', count(*) FROM survey.exclusion_list_entries
              UNION ALL SELECT 'users', count(*) FROM survey.users
              UNION ALL SELECT 'email_templates', count(*) FROM survey.email_templates
              UNION ALL SELECT 'provider_configs', count(*) FROM survey.provider_configs) c")" \
   "campaigns=1 contacts=5 email_templates=2 exclusions=2 provider_configs=2 users=2" \
   "seed rows: a campaign with 5 contacts, 2 exclusions, users, templates, provider configs"
is "$(printf '%s\n' "$fp1" | awk '{ n += $2 } END { print n }')" "18" "seeds hold 18 rows in all (10-20)"
is "$(sq "$U" "SELECT count(*) FROM survey.provider_configs
              WHERE settings::text ~* '(sk-|secret|password)' OR secret_env::text !~ '\"[A-Z_]+\"'")" "0" \
   "provider configs hold no secrets, only environment variable names"
ok 'schema_seed "$U" survey' "seed survey again"
is "$(schema_fingerprint "$U" survey)" "$fp1" \
   "second seed run: counts, sorted-id md5 and updated_at of every table unchanged"

# --- constraints ----------------------------------------------------------------------
like "$(sq_fails "$U" "UPDATE survey.campaigns SET status = 'launched' WHERE id = $campaign")" \
   'invalid input value for enum survey.campaign_status: "launched"' "a campaign status outside the enum is rejected"
like "$(sq_fails "$U" "INSERT INTO survey.users (email, full_name, role) VALUES ('li.wei@harbordental.example', 'Li Wei', 'owner')")" \
   'invalid input value for enum survey.user_role: "owner"' "a user role outside the enum is rejected"
like "$(sq_fails "$U" "INSERT INTO survey.contacts (campaign_id, phone, first_name) VALUES ($campaign, '+12025550113', 'Aisha')")" \
   "contacts_campaign_id_phone_key" "a second contact with the same phone in a campaign is rejected"
like "$(sq_fails "$U" "INSERT INTO survey.contacts (campaign_id, phone) VALUES ($campaign, '202-555-0199')")" \
   "phone_e164_check" "a phone number not in E.164 form is rejected"
like "$(sq_fails "$U" "INSERT INTO survey.exclusion_list_entries (phone, source) VALUES ('+12025550187', 'manual')")" \
   "exclusion_list_entries_phone_key" "a phone already on the exclusion list is rejected"
like "$(sq_fails "$U" "UPDATE survey.campaigns SET questions = '{\"q1\":\"How was it?\"}' WHERE id = $campaign")" \
   "campaigns_questions_array" "campaign questions that are not a JSON array are rejected"
like "$(sq_fails "$U" "UPDATE survey.campaigns SET questions = '[{\"id\":\"q1\",\"type\":\"essay\",\"text\":\"Tell us\"}]' WHERE id = $campaign")" \
   "campaigns_questions_valid" "a question with a type outside question_type is rejected"
like "$(sq_fails "$U" "UPDATE survey.campaigns SET questions = '[{\"id\":\"q1\",\"type\":\"single_choice\",\"text\":\"Pick\",\"options\":[\"A\"]}]' WHERE id = $campaign")" \
   "campaigns_questions_valid" "a choice question with fewer than two options is rejected"
like "$(sq_fails "$U" "INSERT INTO survey.provider_configs (name, provider_type, vendor) VALUES ('anthropic-backup', 'llm', 'anthropic')")" \
   "provider_configs_llm_provider_check" "an llm provider config without llm_provider is rejected"
like "$(sq_fails "$U" "INSERT INTO survey.provider_configs (name, provider_type, vendor, settings)
                VALUES ('vonage-eu', 'telephony', 'vonage', '{\"api_key\":\"abc123\"}')")" \
   "provider_configs_settings_no_secrets" "a provider config with a secret in settings is rejected"
like "$(sq_fails "$U" "INSERT INTO survey.provider_configs (name, provider_type, vendor, secret_env)
                VALUES ('vonage-eu', 'telephony', 'vonage', '{\"api_key\":\"abc123\"}')")" \
   "provider_configs_secret_env_names" "secret_env values that are not environment variable names are rejected"
is "$(sq "$U" "INSERT INTO survey.contacts (campaign_id, phone, first_name)
              VALUES ($campaign, '+12025550199', 'Noah') RETURNING state")" "pending" \
   "a valid contact is accepted with state pending"

# --- updated_at trigger ---------------------------------------------------------------
before=$(sq "$U" "SELECT created_at || '|' || updated_at FROM survey.campaigns WHERE id = $campaign")
is "$(sq "$U" "UPDATE survey.campaigns SET status = 'paused' WHERE id = $campaign
              RETURNING (updated_at > '${before#*|}'::timestamptz) || ' ' || (created_at = '${before%|*}'::timestamptz)")" \
   "true true" "UPDATE moves updated_at forward and leaves created_at alone"

# --- down to zero, up again -----------------------------------------------------------
ok 'schema_down "$U" survey' "migrate down to zero"
is "$(sq "$U" "SELECT count(*) FROM pg_namespace WHERE nspname = 'survey'")" "0" "schema survey is gone"
is "$(schema_applied "$U" survey)" "-" "no survey migration is recorded any more"
is "$(schema_applied "$U" platform)" "$platform_applied" "platform stays applied"
is "$(sq "$U" "SELECT count(*) FROM pg_type WHERE typname IN ('campaign_status', 'question_type', 'llm_provider', 'phone_e164')")" \
   "0" "the enum types and the phone domain are gone"
ok 'schema_up "$U" survey' "migrate up again after down"
ok 'schema_verify "$U" survey' "migrate verify after down and up again: the files match their checksums"
is "$(sq "$U" "$enum_count_sql")" "13" "the thirteen enum types are back"
ok 'schema_seed "$U" survey' "seed again after down/up"
is "$(schema_fingerprint --ids "$U" survey)" "$ids1" \
   "after down/up/seed: the same tables, counts and ids"

done_testing
