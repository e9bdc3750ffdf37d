-- sql/callcenter/0002_knowledge_search.up.sql -- callcenter.search_knowledge(q, lim):
-- ranked top-N knowledge articles, fast (< 50 ms P95) even for a word that matches a
-- large share of a 1,000,000-article knowledge base. Uses the RUM extension when the
-- server has it (Debian: postgresql-15-rum), plain GIN otherwise.
-- Reverted by 0002_knowledge_search.down.sql; tested by
-- tests/integration/t_schema_callcenter.sh; measured by bench/queries.

-- RUM is optional: create it (and its index) only where the package is installed.
-- Extensions are per database, so this touches nothing outside this database. The index
-- comment records whether this migration created the extension, so that the down
-- migration drops only what this one made.
DO $$
DECLARE
    created boolean := false;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'rum') THEN
        IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'rum') THEN
            CREATE EXTENSION rum WITH SCHEMA public;
            created := true;
        END IF;
        -- in whichever schema rum lives (public unless the DBA chose otherwise)
        EXECUTE format('CREATE INDEX knowledge_base_search_rum_idx ON callcenter.knowledge_base '
                       'USING rum (search_vector %I.rum_tsvector_ops)',
                       (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
                        WHERE e.extname = 'rum'));
        EXECUTE format('COMMENT ON INDEX callcenter.knowledge_base_search_rum_idx IS %L',
                       'ranked order for callcenter.search_knowledge()'
                       || CASE WHEN created THEN '; extension rum created by callcenter 0002' ELSE '' END);
    END IF;
END
$$;

-- Why not just "WHERE search_vector @@ q ORDER BY ts_rank(search_vector, q) LIMIT n":
-- ts_rank needs every matching row's tsvector, so the cost grows with the number of
-- matches: a word in 6-7% of 1,000,000 articles (~66k matches) takes ~0.5-2 s with GIN
-- (every match read from the heap, bitmap going lossy) and ~100 ms even with RUM, which
-- ranks inside the index. This function bounds that work. From the planner's estimate of
-- the number of matches (EXPLAIN; accurate for tsvector after ANALYZE):
--
--   exact   at most callcenter.search_rum_limit (default 10000) matches and RUM
--           installed: RUM ranks them all in the index (ORDER BY search_vector <=> q,
--           which is ts_rank order); or, without RUM, at most
--           callcenter.search_exact_limit (default 2000): ts_rank over all of them.
--   capped  more matches (a common word): take the callcenter.search_candidates
--           (default 200) MOST POPULAR matches -- the planner walks
--           knowledge_base_popularity_idx and stops after that many hits -- and return
--           the best-ranked of those.
--
-- Trade-off: for a common word the answer is the best-ranked article among the most
-- popular matches, not among all matches: a little-used article that would rank higher
-- is not returned. For a help desk that is the wanted behaviour (a one-word query like
-- "claim" has no meaningful exact order), and adding words makes the query selective,
-- hence exact, again. The cost of the capped path is about candidates / selectivity
-- rows (3,000 rows for 200 candidates of a 6.7% word); the slowest queries are words just
-- above the exact limit. Raise the settings to trade latency for exactness.
-- rank is ts_rank(search_vector, q) (weights: question A, keywords B, answer C) in every
-- path. Each query goes through EXECUTE, so it is planned for the actual tsquery.
-- VOLATILE because it runs EXPLAIN (not allowed in STABLE functions).
CREATE FUNCTION callcenter.search_knowledge(q text, lim integer DEFAULT 10)
RETURNS TABLE (id uuid, category text, question text, answer text, rank real)
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
    tsq       tsquery := websearch_to_tsquery('english', coalesce(q, ''));
    cand      integer := coalesce(nullif(current_setting('callcenter.search_candidates', true), '')::integer, 200);
    exact_max integer := coalesce(nullif(current_setting('callcenter.search_exact_limit', true), '')::integer, 2000);
    rum_max   integer := coalesce(nullif(current_setting('callcenter.search_rum_limit', true), '')::integer, 10000);
    rum_nsp   name;
    plan      json;
    est       double precision;
BEGIN
    IF numnode(tsq) = 0 OR coalesce(lim, 0) <= 0 THEN
        RETURN;
    END IF;
    cand := greatest(cand, lim);
    SELECT n.nspname INTO rum_nsp FROM pg_catalog.pg_extension e
    JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'rum'
      AND to_regclass('callcenter.knowledge_base_search_rum_idx') IS NOT NULL;
    IF rum_nsp IS NOT NULL THEN
        exact_max := greatest(exact_max, rum_max);
    ELSE
        rum_max := 0;
    END IF;

    EXECUTE 'EXPLAIN (FORMAT JSON) SELECT 1 FROM callcenter.knowledge_base WHERE search_vector @@ $1'
        INTO plan USING tsq;
    est := (plan -> 0 -> 'Plan' ->> 'Plan Rows')::double precision;

    IF est <= rum_max THEN
        RETURN QUERY EXECUTE format(
            'SELECT kb.id, kb.category, kb.question, kb.answer, ts_rank(kb.search_vector, $1)
             FROM callcenter.knowledge_base AS kb
             WHERE kb.search_vector @@ $1
             ORDER BY kb.search_vector OPERATOR(%I.<=>) $1
             LIMIT $2', rum_nsp)
            USING tsq, lim;
    ELSIF est <= exact_max THEN
        RETURN QUERY EXECUTE
            'SELECT kb.id, kb.category, kb.question, kb.answer, ts_rank(kb.search_vector, $1) AS rank
             FROM callcenter.knowledge_base AS kb
             WHERE kb.search_vector @@ $1
             ORDER BY rank DESC, kb.popularity DESC, kb.id
             LIMIT $2'
            USING tsq, lim;
    ELSE
        RETURN QUERY EXECUTE
            'SELECT c.id, c.category, c.question, c.answer, ts_rank(c.search_vector, $1) AS rank
             FROM (SELECT kb.id, kb.category, kb.question, kb.answer, kb.search_vector, kb.popularity
                   FROM callcenter.knowledge_base AS kb
                   WHERE kb.search_vector @@ $1
                   ORDER BY kb.popularity DESC, kb.id
                   LIMIT $2) AS c
             ORDER BY rank DESC, c.popularity DESC, c.id
             LIMIT $3'
            USING tsq, cand, lim;
    END IF;
END
$fn$;
COMMENT ON FUNCTION callcenter.search_knowledge(text, integer) IS
    'ranked knowledge-base search (ts_rank), top lim: exact up to callcenter.search_rum_limit '
    '(10000, with RUM) or callcenter.search_exact_limit (2000) matches; beyond, the best of '
    'the callcenter.search_candidates (200) most popular matches';
