-- sql/platform/0001_platform.up.sql -- the base every other set builds on:
-- extensions, schemas, ops.uuid_generate_v7(), ops.set_updated_at().
-- The runner creates schema ops (for ops.schema_migrations) before this runs,
-- hence IF NOT EXISTS there.

CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS btree_gin WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;

-- pgvector only where the package is installed (it is optional).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') THEN
        CREATE EXTENSION IF NOT EXISTS vector WITH SCHEMA public;
    END IF;
END
$$;

CREATE SCHEMA IF NOT EXISTS raw;
COMMENT ON SCHEMA raw IS 'rows copied from sources as they are (raw.<source>__<table>)';
CREATE SCHEMA IF NOT EXISTS core;
COMMENT ON SCHEMA core IS 'normalized, deduplicated business tables';
CREATE SCHEMA IF NOT EXISTS search;
COMMENT ON SCHEMA search IS 'search documents and indexes';
CREATE SCHEMA IF NOT EXISTS ops;
COMMENT ON SCHEMA ops IS 'steward bookkeeping: batches, lineage, quality, job runs';

-- UUID version 7 (RFC 9562 section 5.7): 48-bit big-endian Unix time in milliseconds,
-- 4-bit version (0111), 12 random bits, 2-bit variant (10), 62 random bits.
-- The daemon generates ids in C (common/uuid7.c); this default serves hand inserts.
CREATE FUNCTION ops.uuid_generate_v7() RETURNS uuid
LANGUAGE plpgsql VOLATILE PARALLEL SAFE AS $$
DECLARE
    ms bigint := floor(extract(epoch FROM clock_timestamp()) * 1000);
    b bytea := public.gen_random_bytes(16);
BEGIN
    b := overlay(b PLACING substring(int8send(ms) FROM 3 FOR 6) FROM 1 FOR 6);
    b := set_byte(b, 6, (get_byte(b, 6) & 15) | 112);
    b := set_byte(b, 8, (get_byte(b, 8) & 63) | 128);
    RETURN encode(b, 'hex')::uuid;
END
$$;
COMMENT ON FUNCTION ops.uuid_generate_v7() IS 'RFC 9562 UUID version 7 (time-ordered)';

-- The millisecond timestamp inside a v7 UUID (for debugging and tests).
CREATE FUNCTION ops.uuid_v7_time(id uuid) RETURNS timestamptz
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT to_timestamp(('x' || substr(replace(id::text, '-', ''), 1, 12))::bit(48)::bigint
        / 1000.0)
$$;

-- BEFORE UPDATE trigger: keeps updated_at current on every table.
CREATE FUNCTION ops.set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION ops.set_updated_at() IS 'BEFORE UPDATE trigger: updated_at := now()';
