-- sql/callcenter/0002_knowledge_search.down.sql -- reverts 0002_knowledge_search.up.sql.
-- Extension rum is dropped only if 0002 created it (noted in the index comment) and
-- nothing else in this database uses it.

DROP FUNCTION callcenter.search_knowledge(text, integer);
DO $$
DECLARE
    created boolean := coalesce(obj_description(to_regclass('callcenter.knowledge_base_search_rum_idx'), 'pg_class')
                                LIKE '%extension rum created by callcenter 0002%', false);
BEGIN
    DROP INDEX IF EXISTS callcenter.knowledge_base_search_rum_idx;
    IF created THEN
        BEGIN
            DROP EXTENSION rum;   -- RESTRICT: fails if another object depends on it
        EXCEPTION WHEN dependent_objects_still_exist THEN
            RAISE NOTICE 'extension rum kept: other objects in this database use it';
        END;
    END IF;
END
$$;
