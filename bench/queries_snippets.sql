-- bench/queries_snippets.sql -- 20,000 sentences of 8-14 words for bench/queries_load.sql.
-- The vocabulary is drawn with a skew (index ~ rank^3): the first words are very common.
SELECT setseed(0.42);
CREATE UNLOGGED TABLE bench_snippets (n integer PRIMARY KEY, w1 text NOT NULL, txt text NOT NULL);
WITH vocab AS (
    SELECT string_to_array(
        'policy claim coverage vehicle home accident damage payment driver deductible '
        'insurance agent adjuster repair report phone online account bill rate car roof '
        'water fire theft health doctor hospital life beneficiary benefit term renewal '
        'discount bundle estimate photos documents police injury liability collision '
        'comprehensive rental towing glass windshield hail storm flood wind tree fence '
        'garage basement kitchen bathroom pipe leak mold jewelry laptop bicycle boat '
        'motorcycle trailer dog guest neighbor contractor inspection appraisal lender '
        'mortgage escrow refund cancel reinstate lapse grace installment autopay card bank '
        'transfer address move state license record violation ticket points teen student '
        'senior military veteran business office inventory equipment employee customer '
        'prescription pharmacy network provider copay coinsurance maximum preventive '
        'emergency urgent specialist referral authorization therapy surgery ambulance '
        'dental vision maternity newborn child spouse parent funeral burial estate trust '
        'loan lease gap roadside lockout battery tire fuel engine transmission brakes '
        'airbag bumper hood trunk door mirror headlight seat interior paint frame total '
        'salvage title registration inspection mileage commute garaging telematics app '
        'login password email statement invoice declarations endorsement rider exclusion '
        'limit umbrella earthquake sinkhole lightning freeze ice snow hurricane tornado '
        'wildfire smoke evacuation shelter hotel meals living expenses contents belongings '
        'replacement depreciation cash value appraisal receipt serial model year make',
        ' ') AS w
)
INSERT INTO bench_snippets (n, w1, txt)
SELECT s.n, v.w[1 + floor(power(random(), 3) * array_length(v.w, 1))::integer],
       (SELECT string_agg(v.w[1 + floor(power(random(), 2) * array_length(v.w, 1))::integer + 0 * i], ' ')
        FROM generate_series(1, 8 + s.n % 7) AS i WHERE s.n >= 0)
FROM generate_series(0, 19999) AS s (n), vocab AS v;
