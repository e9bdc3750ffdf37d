-- sql/revops/0003_roles.up.sql -- database roles for the RevOps back-end:
--   steward_reader  SELECT on the tables of raw, core, search, ops (and future ones)
--   steward_writer  SELECT, INSERT, UPDATE, DELETE there, and their sequences
-- Neither can log in: grant them to login roles (GRANT steward_reader TO metabase).
-- Reverted by 0003_roles.down.sql; tested by tests/integration/t_schema_revops.sh.
--
-- Roles are cluster-wide, grants are per database. So: a role is created only if it
-- does not exist yet (another database of this cluster may have made it, or the DBA
-- did), and the down migration revokes what this database granted but drops a role
-- only when nothing else holds on to it (no members, no privileges or objects in any
-- other database -- DROP ROLE checks pg_shdepend). Without CREATEROLE and with no
-- existing role, the role is skipped with a NOTICE rather than failing the migration.
-- "Future tables" means tables the role running this migration creates later
-- (ALTER DEFAULT PRIVILEGES FOR ROLE current_user).

DO $do$
DECLARE
    r text;
    s text;
BEGIN
    FOREACH r IN ARRAY ARRAY['steward_reader', 'steward_writer'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', r);
            EXCEPTION
                WHEN insufficient_privilege THEN
                    RAISE NOTICE 'role % does not exist and cannot be created here (no CREATEROLE): skipped', r;
                    CONTINUE;
                WHEN duplicate_object OR unique_violation THEN
                    NULL;   -- another database's migration created it at the same moment
            END;
        END IF;
        FOREACH s IN ARRAY ARRAY['raw', 'core', 'search', 'ops'] LOOP
            EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', s, r);
            IF r = 'steward_reader' THEN
                EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO %I', s, r);
                EXECUTE format('GRANT SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I', s, r);
                EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT ON TABLES TO %I', s, r);
                EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT ON SEQUENCES TO %I', s, r);
            ELSE
                EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I', s, r);
                EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I', s, r);
                EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I', s, r);
                EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO %I', s, r);
            END IF;
        END LOOP;
    END LOOP;
END
$do$;
