# mk/schemas2.mk -- build fragment owned by the second schemas work package (planner, survey).
# Migration sets sql/planner, sql/survey and their seeds, installed under $(pkgdatadir);
# integration tests that apply them to a real PostgreSQL (helpers: tests/integration/schema_lib.sh,
# listed once, in mk/schemas.mk).

nobase_dist_pkgdata_DATA += \
	sql/planner/0001_planner_core.up.sql sql/planner/0001_planner_core.down.sql \
	sql/planner/0002_planner_graph.up.sql sql/planner/0002_planner_graph.down.sql \
	sql/planner/0003_planner_prompts.up.sql sql/planner/0003_planner_prompts.down.sql \
	seeds/planner/0001_prompt_templates.sql seeds/planner/0002_demo_clients.sql

TESTS += tests/integration/t_schema_planner.sh
EXTRA_DIST += tests/integration/t_schema_planner.sh

nobase_dist_pkgdata_DATA += \
	sql/survey/0001_survey_types.up.sql sql/survey/0001_survey_types.down.sql \
	sql/survey/0002_survey_tables.up.sql sql/survey/0002_survey_tables.down.sql \
	seeds/survey/0001_survey_demo.sql

TESTS += tests/integration/t_schema_survey.sh
EXTRA_DIST += tests/integration/t_schema_survey.sh
