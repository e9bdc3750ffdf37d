# seeds/: idempotent seed files, installed under $(pkgdatadir)/seeds/<set>/ (steward seed).
nobase_dist_pkgdata_DATA += \
	seeds/callcenter/0001_callcenter.sql \
	seeds/conversations/0001_conversations.sql \
	seeds/planner/0001_prompt_templates.sql \
	seeds/planner/0002_demo_clients.sql \
	seeds/revops/0001_revops.sql \
	seeds/survey/0001_survey_demo.sql
