-- sql/revops/0003_roles.down.sql -- reverts 0003_roles.up.sql in this database: revokes
-- the grants and default privileges, then drops each role only if nothing else uses it
-- (no member roles, no privileges or objects left in any database). A role another
-- database still uses stays, with a NOTICE: dropping it would break that database.

DO $do$
DECLARE
    r text;
    s text;
BEGIN
    FOREACH r IN ARRAY ARRAY['steward_reader', 'steward_writer'] LOOP
        CONTINUE WHEN NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r);
        FOREACH s IN ARRAY ARRAY['raw', 'core', 'search', 'ops'] LOOP
            EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I REVOKE ALL ON TABLES FROM %I', s, r);
            EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I REVOKE ALL ON SEQUENCES FROM %I', s, r);
            EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM %I', s, r);
            EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM %I', s, r);
            EXECUTE format('REVOKE ALL ON SCHEMA %I FROM %I', s, r);
        END LOOP;
        IF EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                   WHERE g.rolname = r) THEN
            RAISE NOTICE 'role % kept: other roles are members of it', r;
            CONTINUE;
        END IF;
        BEGIN
            EXECUTE format('DROP ROLE %I', r);
        EXCEPTION
            WHEN dependent_objects_still_exist THEN
                RAISE NOTICE 'role % kept: it still has privileges or objects (another database?)', r;
            WHEN insufficient_privilege THEN
                RAISE NOTICE 'role % kept: no privilege to drop it', r;
        END;
    END LOOP;
END
$do$;
