-- sql/platform/0001_platform.down.sql -- reverts 0001_platform.up.sql.
-- Schema ops stays: it holds ops.schema_migrations, which belongs to the runner.
-- raw goes with its contents (tables the ingestor made); core and search must be
-- empty by now (the domain sets' downs ran first).

DROP FUNCTION IF EXISTS ops.set_updated_at();
DROP FUNCTION IF EXISTS ops.uuid_v7_time(uuid);
DROP FUNCTION IF EXISTS ops.uuid_generate_v7();
DROP SCHEMA IF EXISTS search;
DROP SCHEMA IF EXISTS core;
DROP SCHEMA IF EXISTS raw CASCADE;
DROP EXTENSION IF EXISTS vector;
DROP EXTENSION IF EXISTS pgcrypto;
DROP EXTENSION IF EXISTS btree_gin;
DROP EXTENSION IF EXISTS pg_trgm;
DROP EXTENSION IF EXISTS "uuid-ossp";
