-- sql/revops/0002_documents.up.sql -- search.documents: text chunks with metadata and a
-- 1024-dimension embedding, plus search.cosine_similarity() and search.match_documents().
-- Reverted by 0002_documents.down.sql; tested by tests/integration/t_schema_revops.sh.
--
-- Two branches, decided here once, with the same function names in both:
--  * pgvector installed (extension vector, which set platform creates when available):
--    embedding vector(1024) with an HNSW cosine index; match_documents orders by <=>.
--    real[] overloads of both functions cast to vector, so callers write the same SQL.
--  * otherwise (e.g. PostgreSQL 15 on Debian 12, where pgvector is not packaged):
--    embedding real[] (CHECKed to 1024 dimensions); cosine_similarity() in SQL and
--    match_documents() as an exact scan -- fine for thousands of documents, not millions.

DO $do$
DECLARE
    has_vector boolean;
BEGIN
    -- set platform creates extension vector wherever the package is installed
    has_vector := EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector');

    EXECUTE format($sql$
        CREATE TABLE search.documents (
            id          uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
            source      text NOT NULL CHECK (source IN ('odoo', 'ace', 'web', 'file', 'manual')),
            source_id   text NOT NULL,
            chunk       integer NOT NULL DEFAULT 0 CHECK (chunk >= 0),
            title       text NOT NULL DEFAULT '',
            content     text NOT NULL CHECK (length(content) > 0),
            metadata    jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
            embedding   %s,
            created_at  timestamptz NOT NULL DEFAULT now(),
            updated_at  timestamptz NOT NULL DEFAULT now(),
            UNIQUE (source, source_id, chunk)
        )$sql$,
        CASE WHEN has_vector THEN 'public.vector(1024)'
             ELSE 'real[] CHECK (array_ndims(embedding) = 1 AND array_length(embedding, 1) = 1024)' END);
    CREATE INDEX documents_metadata_idx ON search.documents USING gin (metadata jsonb_path_ops);
    CREATE TRIGGER documents_set_updated_at BEFORE UPDATE ON search.documents
        FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

    -- cosine similarity of two real[] (NULL when the lengths differ or a norm is 0)
    IF has_vector THEN
        CREATE FUNCTION search.cosine_similarity(a real[], b real[]) RETURNS double precision
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
        'SELECT CASE WHEN array_length(a, 1) = array_length(b, 1)
                     THEN 1 - (a::public.vector OPERATOR(public.<=>) b::public.vector) END';
    ELSE
        CREATE FUNCTION search.cosine_similarity(a real[], b real[]) RETURNS double precision
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
        'SELECT CASE WHEN array_length(a, 1) = array_length(b, 1)
                     THEN (SELECT sum(x::float8 * y) / nullif(sqrt(sum(x::float8 * x)) * sqrt(sum(y::float8 * y)), 0)
                           FROM unnest(a, b) AS t (x, y)) END';
    END IF;
    COMMENT ON FUNCTION search.cosine_similarity(real[], real[]) IS 'cosine similarity of two embeddings';

    IF has_vector THEN
        BEGIN   -- HNSW needs pgvector >= 0.5; older ones search by exact scan
            EXECUTE 'CREATE INDEX documents_embedding_idx ON search.documents
                     USING hnsw (embedding public.vector_cosine_ops)';
        EXCEPTION WHEN undefined_object THEN
            RAISE NOTICE 'pgvector without hnsw: search.documents has no embedding index';
        END;
        CREATE FUNCTION search.match_documents(query_embedding public.vector, match_count integer DEFAULT 10,
                                               filter jsonb DEFAULT '{}')
        RETURNS TABLE (id uuid, source text, source_id text, title text, content text, metadata jsonb,
                       similarity double precision)
        LANGUAGE sql STABLE AS
        'SELECT d.id, d.source, d.source_id, d.title, d.content, d.metadata,
                1 - (d.embedding OPERATOR(public.<=>) query_embedding)
         FROM search.documents d
         WHERE d.embedding IS NOT NULL AND d.metadata @> filter
         ORDER BY d.embedding OPERATOR(public.<=>) query_embedding
         LIMIT match_count';
        CREATE FUNCTION search.match_documents(query_embedding real[], match_count integer DEFAULT 10,
                                               filter jsonb DEFAULT '{}')
        RETURNS TABLE (id uuid, source text, source_id text, title text, content text, metadata jsonb,
                       similarity double precision)
        LANGUAGE sql STABLE AS
        'SELECT * FROM search.match_documents(query_embedding::public.vector, match_count, filter)';
    ELSE
        CREATE FUNCTION search.match_documents(query_embedding real[], match_count integer DEFAULT 10,
                                               filter jsonb DEFAULT '{}')
        RETURNS TABLE (id uuid, source text, source_id text, title text, content text, metadata jsonb,
                       similarity double precision)
        LANGUAGE sql STABLE AS
        'SELECT s.* FROM (
             SELECT d.id, d.source, d.source_id, d.title, d.content, d.metadata,
                    search.cosine_similarity(d.embedding, query_embedding) AS similarity
             FROM search.documents d
             WHERE d.embedding IS NOT NULL AND d.metadata @> filter) AS s
         WHERE s.similarity IS NOT NULL
         ORDER BY s.similarity DESC, s.id
         LIMIT match_count';
    END IF;
    COMMENT ON FUNCTION search.match_documents(real[], integer, jsonb) IS
        'the match_count documents most similar (cosine) to query_embedding, optionally metadata @> filter';
END
$do$;
