# mk/db.mk -- build fragment owned by the db work package: libpq wrapper, digests,
# UUID v7, migration engine and `steward migrate` / `steward seed`, sql/platform.
steward_SOURCES += supervisor/cmd_migrate.c

nobase_dist_pkgdata_DATA += \
	sql/platform/0001_platform.up.sql sql/platform/0001_platform.down.sql \
	sql/platform/0002_ops.up.sql sql/platform/0002_ops.down.sql

libsteward_a_SOURCES += common/uuid7.c common/uuid7.h
check_PROGRAMS += tests/unit/t_uuid7
TESTS += tests/unit/t_uuid7
libsteward_a_SOURCES += common/db.c common/db.h
check_PROGRAMS += tests/unit/t_db
TESTS += tests/unit/t_db
libsteward_a_SOURCES += common/digest.c common/digest.h
check_PROGRAMS += tests/unit/t_digest
TESTS += tests/unit/t_digest
libsteward_a_SOURCES += common/migrate.c common/migrate.h
check_PROGRAMS += tests/unit/t_migrate_lines
TESTS += tests/unit/t_migrate_lines

DB_INTEGRATION = tests/integration/t_migrate_basic.sh tests/integration/t_migrate_dryrun.sh \
	tests/integration/t_migrate_drift.sh tests/integration/t_migrate_concurrent.sh \
	tests/integration/t_seed.sh
TESTS += $(DB_INTEGRATION)
EXTRA_DIST += $(DB_INTEGRATION) tests/integration/migrate_lib.sh
