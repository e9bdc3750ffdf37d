# mk/schemas.mk -- build fragment owned by the schemas work package: migration sets
# callcenter, conversations and revops (sql/, seeds/), their integration tests, and
# bench/queries (run by hand, not by make check).

nobase_dist_pkgdata_DATA += \
	sql/callcenter/0001_callcenter.up.sql sql/callcenter/0001_callcenter.down.sql \
	sql/callcenter/0002_knowledge_search.up.sql sql/callcenter/0002_knowledge_search.down.sql \
	seeds/callcenter/0001_callcenter.sql

TESTS += tests/integration/t_schema_callcenter.sh
EXTRA_DIST += tests/integration/schema_lib.sh tests/integration/t_schema_callcenter.sh
