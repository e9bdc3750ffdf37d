-- sql/callcenter/0002_knowledge_search.up.sql -- callcenter.search_knowledge(q, lim):
-- ranked top-N knowledge articles, fast (< 50 ms P95) even for a word that matches a
-- large share of a 1,000,000-article knowledge base. Uses the RUM extension when the
-- server has it (Debian: postgresql-15-rum), plain GIN otherwise.
-- Reverted by 0002_knowledge_search.down.sql; tested by
-- tests/integration/t_schema_callcenter.sh; measured by bench/queries.

-- RUM is optional: create it (and its index) only where the package is installed.
-- Extensions are per database, so this touches nothing outside this database.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'rum') THEN
        CREATE EXTENSION IF NOT EXISTS rum WITH SCHEMA public;
        EXECUTE 'CREATE INDEX knowledge_base_search_rum_idx ON callcenter.knowledge_base '
                'USING rum (search_vector public.rum_tsvector_ops)';
    END IF;
END
$$;

-- Why not just "WHERE search_vector @@ q ORDER BY ts_rank(search_vector, q) LIMIT n":
-- ts_rank needs every matching row's tsvector from the heap, so the cost grows with the
-- number of matches (measured: ~66k matches -> P95 ~480 ms with GIN, ~125 ms with RUM's
-- index-side ranking). This function bounds that work:
--
--   1. Count the matches, but only up to a limit M (a GIN/RUM bitmap count that reads
--      no heap page once the table is vacuumed). M = K without RUM, the RUM limit with it.
--   2. At most K matches (K = setting callcenter.search_candidates, default 1000): rank
--      them all with ts_rank_cd. Exact.
--   3. With RUM and at most callcenter.search_rum_limit matches (default 10000): rank
--      them all inside the index (ORDER BY search_vector <=> q). Exact.
--   4. Otherwise the word is common: take the K most popular matches (the planner walks
--      knowledge_base_popularity_idx and stops after K hits) and return the best-ranked
--      of those.
--
-- Trade-off: for a very common word (more than K matches without RUM, more than the RUM
-- limit with it) the answer is the best-ranked article among the most popular matches,
-- not among all of them: a little-used article that would rank higher is not returned.
-- For a help desk that is the wanted behaviour (a one-word query like "claim" has no
-- meaningful exact order), and a longer, more specific query is exact again.
-- Raising the settings trades latency for exactness. Every query goes through EXECUTE,
-- so it is planned with the actual tsquery (rare and common words get their own plan).
CREATE FUNCTION callcenter.search_knowledge(q text, lim integer DEFAULT 10)
RETURNS TABLE (id uuid, category text, question text, answer text, rank real)
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $fn$
DECLARE
    tsq   tsquery := websearch_to_tsquery('english', coalesce(q, ''));
    k     integer := coalesce(nullif(current_setting('callcenter.search_candidates', true), '')::integer, 1000);
    rum_k integer := coalesce(nullif(current_setting('callcenter.search_rum_limit', true), '')::integer, 10000);
    m     integer;
    n     bigint;
BEGIN
    IF numnode(tsq) = 0 OR coalesce(lim, 0) <= 0 THEN
        RETURN;
    END IF;
    k := greatest(k, lim);
    m := k;
    IF rum_k > k AND EXISTS (SELECT 1 FROM pg_catalog.pg_class c
                             JOIN pg_catalog.pg_namespace s ON s.oid = c.relnamespace
                             WHERE s.nspname = 'callcenter'
                               AND c.relname = 'knowledge_base_search_rum_idx') THEN
        m := rum_k;
    END IF;

    -- 1: how many matches, up to m + 1
    EXECUTE 'SELECT count(*) FROM (SELECT 1 FROM callcenter.knowledge_base
                                  WHERE search_vector @@ $1 LIMIT $2) AS m'
        INTO n USING tsq, m + 1;

    IF n <= k THEN
        -- 2: few matches: exact ranking
        RETURN QUERY EXECUTE
            'SELECT kb.id, kb.category, kb.question, kb.answer, ts_rank_cd(kb.search_vector, $1) AS rank
             FROM callcenter.knowledge_base AS kb
             WHERE kb.search_vector @@ $1
             ORDER BY rank DESC, kb.popularity DESC, kb.id
             LIMIT $2'
            USING tsq, lim;
    ELSIF n <= m THEN
        -- 3: RUM ranks inside the index
        RETURN QUERY EXECUTE
            'SELECT kb.id, kb.category, kb.question, kb.answer, ts_rank_cd(kb.search_vector, $1)
             FROM callcenter.knowledge_base AS kb
             WHERE kb.search_vector @@ $1
             ORDER BY kb.search_vector OPERATOR(public.<=>) $1
             LIMIT $2'
            USING tsq, lim;
    ELSE
        -- 4: common word: best-ranked among the K most popular matches
        RETURN QUERY EXECUTE
            'SELECT c.id, c.category, c.question, c.answer, ts_rank_cd(c.search_vector, $1) AS rank
             FROM (SELECT kb.id, kb.category, kb.question, kb.answer, kb.search_vector, kb.popularity
                   FROM callcenter.knowledge_base AS kb
                   WHERE kb.search_vector @@ $1
                   ORDER BY kb.popularity DESC, kb.id
                   LIMIT $2) AS c
             ORDER BY rank DESC, c.popularity DESC, c.id
             LIMIT $3'
            USING tsq, k, lim;
    END IF;
END
$fn$;
COMMENT ON FUNCTION callcenter.search_knowledge(text, integer) IS
    'ranked knowledge-base search, top lim; exact up to callcenter.search_candidates (1000) '
    'matches, or callcenter.search_rum_limit (10000) with RUM; beyond, best of the most popular';
