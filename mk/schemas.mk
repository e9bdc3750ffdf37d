# mk/schemas.mk -- build fragment owned by the schemas work package: migration sets
# callcenter, conversations and revops (sql/, seeds/), their integration tests, and
# bench/queries (run by hand, not by make check).

nobase_dist_pkgdata_DATA += \
	sql/callcenter/0001_callcenter.up.sql sql/callcenter/0001_callcenter.down.sql \
	sql/callcenter/0002_knowledge_search.up.sql sql/callcenter/0002_knowledge_search.down.sql \
	seeds/callcenter/0001_callcenter.sql \
	sql/conversations/0001_conversations.up.sql sql/conversations/0001_conversations.down.sql \
	seeds/conversations/0001_conversations.sql \
	sql/revops/0001_opportunities.up.sql sql/revops/0001_opportunities.down.sql \
	sql/revops/0002_documents.up.sql sql/revops/0002_documents.down.sql \
	sql/revops/0003_roles.up.sql sql/revops/0003_roles.down.sql \
	seeds/revops/0001_revops.sql

TESTS += tests/integration/t_schema_callcenter.sh tests/integration/t_schema_conversations.sh \
	tests/integration/t_schema_revops.sh tests/integration/t_schema_all.sh
# schema_lib.sh: the helpers of all six t_schema_*.sh (these four and planner/survey in mk/schemas2.mk)
EXTRA_DIST += tests/integration/schema_lib.sh tests/integration/t_schema_callcenter.sh \
	tests/integration/t_schema_conversations.sh tests/integration/t_schema_revops.sh \
	tests/integration/t_schema_all.sh

# bench/queries: run by hand (see its header); not part of make check
EXTRA_DIST += bench/queries bench/queries_load.sql bench/queries_snippets.sql
