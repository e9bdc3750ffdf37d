# sql/: migration sets, installed under $(pkgdatadir)/sql/<set>/ (steward migrate).
nobase_dist_pkgdata_DATA += \
	sql/callcenter/0001_callcenter.down.sql \
	sql/callcenter/0001_callcenter.up.sql \
	sql/callcenter/0002_knowledge_search.down.sql \
	sql/callcenter/0002_knowledge_search.up.sql \
	sql/conversations/0001_conversations.down.sql \
	sql/conversations/0001_conversations.up.sql \
	sql/conversations/0002_event_types.down.sql \
	sql/conversations/0002_event_types.up.sql \
	sql/planner/0001_planner_core.down.sql \
	sql/planner/0001_planner_core.up.sql \
	sql/planner/0002_planner_graph.down.sql \
	sql/planner/0002_planner_graph.up.sql \
	sql/planner/0003_planner_prompts.down.sql \
	sql/planner/0003_planner_prompts.up.sql \
	sql/platform/0001_platform.down.sql \
	sql/platform/0001_platform.up.sql \
	sql/platform/0002_ops.down.sql \
	sql/platform/0002_ops.up.sql \
	sql/platform/0003_uuid_v7_monotonic.down.sql \
	sql/platform/0003_uuid_v7_monotonic.up.sql \
	sql/revops/0001_opportunities.down.sql \
	sql/revops/0001_opportunities.up.sql \
	sql/revops/0002_documents.down.sql \
	sql/revops/0002_documents.up.sql \
	sql/revops/0003_roles.down.sql \
	sql/revops/0003_roles.up.sql \
	sql/survey/0001_survey_types.down.sql \
	sql/survey/0001_survey_types.up.sql \
	sql/survey/0002_survey_tables.down.sql \
	sql/survey/0002_survey_tables.up.sql
