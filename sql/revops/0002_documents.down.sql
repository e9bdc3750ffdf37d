-- sql/revops/0002_documents.down.sql -- reverts 0002_documents.up.sql, in whichever
-- branch it ran (extension vector belongs to set platform).

DO $do$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_type WHERE typname = 'vector') THEN
        EXECUTE 'DROP FUNCTION IF EXISTS search.match_documents(public.vector, integer, jsonb)';
    END IF;
END
$do$;
DROP FUNCTION search.match_documents(real[], integer, jsonb);
DROP FUNCTION search.cosine_similarity(real[], real[]);
DROP TABLE search.documents;
