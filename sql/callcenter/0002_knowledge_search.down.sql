-- sql/callcenter/0002_knowledge_search.down.sql -- reverts 0002_knowledge_search.up.sql.
-- Extension rum is dropped only when nothing else in this database still uses it.

DROP FUNCTION callcenter.search_knowledge(text, integer);
DROP INDEX IF EXISTS callcenter.knowledge_base_search_rum_idx;
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'rum') THEN
        BEGIN
            DROP EXTENSION rum;   -- RESTRICT: fails if another object depends on it
        EXCEPTION WHEN dependent_objects_still_exist THEN
            RAISE NOTICE 'extension rum kept: other objects in this database use it';
        END;
    END IF;
END
$$;
