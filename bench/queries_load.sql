-- bench/queries_load.sql -- grows callcenter.knowledge_base for bench/queries
-- (psql variables: lo, hi = article numbers to generate, inclusive).
-- Articles are built from 20,000 pseudo-random "sentences" over a skewed vocabulary
-- (bench_snippets, made once by bench/queries), so term frequencies look like text:
-- a few words are everywhere, most are rare. Two marker words are placed exactly:
--   premium      in every 15th article  (~6.7 %, the common word)
--   subrogation  in every 300th article (~0.33 %, the selective word)
-- Ids are uuid_generate_v5(bench namespace, 'kb:<n>') so pgbench can look them up.
INSERT INTO callcenter.knowledge_base (id, category, keywords, question, answer, popularity)
SELECT uuid_generate_v5('9c1f6a52-6f0e-5b7a-8d4e-2b3f8a1c0d77', 'kb:' || g),
       (ARRAY['claims', 'billing', 'coverage', 'account'])[1 + g % 4],
       ARRAY[s1.w1, s2.w1, s3.w1],
       'How do I ' || s1.w1 || ' my ' || s2.w1 || ' ' || s3.w1
           || CASE WHEN g % 15 = 0 THEN ' premium' ELSE '' END || '?',
       s1.txt || '. ' || s2.txt || '. ' || s3.txt
           || CASE WHEN g % 300 = 7 THEN ' Ask about subrogation.' ELSE '.' END,
       floor(1000 * power(((g * 2654435761) % 1000003) / 1000003.0, 4))::integer
FROM generate_series(:lo::bigint, :hi::bigint) AS g
JOIN bench_snippets s1 ON s1.n = (g * 7919) % 20000
JOIN bench_snippets s2 ON s2.n = (g * 104729 + 13) % 20000
JOIN bench_snippets s3 ON s3.n = (g * 1299709 + 101) % 20000;
