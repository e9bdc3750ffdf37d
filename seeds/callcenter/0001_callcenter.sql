-- seeds/callcenter/0001_callcenter.sql -- demo data for set callcenter: customers,
-- claims of every type and status, knowledge articles in 4 categories, 3 journeys with
-- states and transitions, guidelines, a few journey contexts and validation checks.
--
-- Ids are deterministic: uuid_generate_v5(NS, natural name) with the set's namespace
--   NS = 2e62ecc2-bc28-5d38-8592-806e21396868
--      = uuid_generate_v5(uuid_ns_url(), 'https://steward.dev/seeds/callcenter')
-- and natural names 'customer:<policy>', 'claim:<number>', 'kb:<question>',
-- 'journey:<name>', 'state:<journey>:<state>', 'transition:<journey>:<from>:<trigger>',
-- 'guideline:<name>', 'context:<session>:<journey>', 'audit:<session>:<check>'.
-- Every insert is ON CONFLICT (id) DO NOTHING: a rerun adds nothing, changes nothing
-- (updated_at included), and never overwrites rows an operator edited.
-- Tested by tests/integration/t_schema_callcenter.sh.

INSERT INTO callcenter.customers (id, name, phone, email, policy_number, metadata)
SELECT uuid_generate_v5('2e62ecc2-bc28-5d38-8592-806e21396868', 'customer:' || v.policy),
       v.name, v.phone, v.email, v.policy, v.meta::jsonb
FROM (VALUES
    ('Margaret Okafor',    '+15125550142', 'margaret.okafor@gmail.com',   'AUT-2023-004817', '{"state":"TX","preferred_language":"en","since":2016,"vip":true}'),
    ('Daniel Whitfield',   '+15125550187', 'dan.whitfield@outlook.com',   'HOM-2021-118203', '{"state":"TX","preferred_language":"en","since":2019}'),
    ('Priya Raghunathan',  '+14155550123', 'priya.r@protonmail.com',      'HLT-2024-000391', '{"state":"CA","preferred_language":"en","since":2024}'),
    ('Luis Alberto Moreno','+13055550164', 'lamoreno@yahoo.com',          'AUT-2022-071145', '{"state":"FL","preferred_language":"es","since":2012}'),
    ('Grace Lindqvist',    '+16125550199', 'grace.lindqvist@gmail.com',   'LIF-2019-552010', '{"state":"MN","preferred_language":"en","since":2019,"beneficiaries":2}'),
    ('Samuel Adeyemi',     '+17135550111', 'sam.adeyemi@icloud.com',      'HOM-2020-093377', '{"state":"TX","preferred_language":"en","since":2020}'),
    ('Hannah Kowalczyk',   '+13125550176', 'hkowalczyk@gmail.com',        'AUT-2024-100458', '{"state":"IL","preferred_language":"en","since":2024}'),
    ('Thomas Beaumont',    '+16175550138', 'tbeaumont@comcast.net',       'LIF-2015-310884', '{"state":"MA","preferred_language":"en","since":2015}'),
    ('Aisha Rahman',       '+12125550190', 'aisha.rahman@gmail.com',      'HLT-2023-044219', '{"state":"NY","preferred_language":"en","since":2023}'),
    ('Kenji Watanabe',     '+12065550147', 'kenji.watanabe@gmail.com',    'AUT-2021-058812', '{"state":"WA","preferred_language":"en","since":2021}'),
    ('Rosa Delgado',       '+16025550125', 'rosa.delgado@hotmail.com',    'HOM-2018-077640', '{"state":"AZ","preferred_language":"es","since":2018}'),
    ('William Harrington', '+14045550158', 'w.harrington@bellsouth.net',  'LIF-2010-201733', '{"state":"GA","preferred_language":"en","since":2010,"vip":true}'),
    ('Chloe Fontaine',     '+15045550169', 'chloe.fontaine@gmail.com',    'HOM-2022-130052', '{"state":"LA","preferred_language":"en","since":2022,"flood_zone":"AE"}'),
    ('Marcus Bell',        '+13035550181', 'marcus.bell@gmail.com',       'AUT-2023-090376', '{"state":"CO","preferred_language":"en","since":2023}'),
    ('Eleanor Vasquez',    '+17025550133', 'eleanor.vasquez@yahoo.com',   'HLT-2022-030127', '{"state":"NV","preferred_language":"en","since":2022}'),
    ('Nikolai Petrov',     '+12155550116', 'npetrov@gmail.com',           'AUT-2020-045590', '{"state":"PA","preferred_language":"en","since":2020}'),
    ('Fatima Haddad',      '+13135550172', 'fatima.haddad@outlook.com',   'HLT-2021-021884', '{"state":"MI","preferred_language":"ar","since":2021}'),
    ('Benjamin Carter',    '+19195550105', 'ben.carter@gmail.com',        'LIF-2017-410269', '{"state":"NC","preferred_language":"en","since":2017}'),
    ('Olivia Nakamura',    '+18085550194', 'olivia.nakamura@hawaii.rr.com','HOM-2019-101915', '{"state":"HI","preferred_language":"en","since":2019}'),
    ('Jamal Washington',   '+13015550128', 'jamal.washington@gmail.com',  'AUT-2022-083301', '{"state":"MD","preferred_language":"en","since":2022}'),
    ('Sofia Marchetti',    '+16465550152', 'sofia.marchetti@gmail.com',   'HLT-2024-052736', '{"state":"NY","preferred_language":"it","since":2024}'),
    ('Patrick O''Sullivan','+16175550107', 'posullivan@verizon.net',      'HOM-2016-060418', '{"state":"MA","preferred_language":"en","since":2016}'),
    ('Mei-Ling Chen',      '+14085550163', 'meiling.chen@gmail.com',      'LIF-2021-620047', '{"state":"CA","preferred_language":"zh","since":2021}'),
    ('Robert Langston',    '+19725550184', 'rlangston@sbcglobal.net',     'AUT-2019-032259', '{"state":"TX","preferred_language":"en","since":2019}'),
    ('Ingrid Solberg',     '+15035550149', 'ingrid.solberg@gmail.com',    'HLT-2020-011562', '{"state":"OR","preferred_language":"en","since":2020}')
) AS v (name, phone, email, policy, meta)
ON CONFLICT (id) DO NOTHING;

-- Claims: every type (auto, home, health, life) in every status. history is the status
-- trail up to the current status; documents depend on the claim type.
INSERT INTO callcenter.claims (id, customer_id, claim_number, type, status, amount, incident_date,
                               description, documents, history)
SELECT uuid_generate_v5('2e62ecc2-bc28-5d38-8592-806e21396868', 'claim:' || v.num),
       uuid_generate_v5('2e62ecc2-bc28-5d38-8592-806e21396868', 'customer:' || v.policy),
       v.num, v.type, v.status, v.amount, v.incident::date, v.descr,
       CASE v.type
           WHEN 'auto' THEN '[{"name":"police_report.pdf","kind":"police_report"},{"name":"damage_photos.zip","kind":"photos"},{"name":"repair_estimate.pdf","kind":"estimate"}]'
           WHEN 'home' THEN '[{"name":"damage_photos.zip","kind":"photos"},{"name":"contractor_quote.pdf","kind":"estimate"}]'
           WHEN 'health' THEN '[{"name":"itemized_bill.pdf","kind":"invoice"},{"name":"explanation_of_benefits.pdf","kind":"eob"}]'
           ELSE '[{"name":"death_certificate.pdf","kind":"certificate"},{"name":"beneficiary_statement.pdf","kind":"statement"}]'
       END::jsonb,
       (SELECT jsonb_agg(jsonb_build_object(
                   'at', to_char(v.incident::date + 2 + 5 * s.n::integer, 'YYYY-MM-DD'),
                   'status', s.st,
                   'note', CASE s.st
                               WHEN 'submitted' THEN 'Claim opened by phone'
                               WHEN 'under_review' THEN 'Assigned to adjuster'
                               WHEN 'approved' THEN 'Coverage confirmed'
                               WHEN 'denied' THEN 'Not covered under policy terms'
                               WHEN 'paid' THEN 'Payment issued'
                               ELSE 'File closed' END)
                   ORDER BY s.n)
        FROM unnest(CASE v.status
                        WHEN 'submitted' THEN ARRAY['submitted']
                        WHEN 'under_review' THEN ARRAY['submitted', 'under_review']
                        WHEN 'approved' THEN ARRAY['submitted', 'under_review', 'approved']
                        WHEN 'denied' THEN ARRAY['submitted', 'under_review', 'denied']
                        WHEN 'paid' THEN ARRAY['submitted', 'under_review', 'approved', 'paid']
                        ELSE ARRAY['submitted', 'under_review', 'approved', 'paid', 'closed']
                    END) WITH ORDINALITY AS s (st, n))
FROM (VALUES
    ('CLM-2025-000101', 'AUT-2023-004817', 'auto',   'submitted',     4820.00, '2025-09-14', 'Rear-ended at a red light on I-35; bumper, trunk lid and tail lights damaged.'),
    ('CLM-2025-000102', 'AUT-2022-071145', 'auto',   'under_review', 12650.50, '2025-08-30', 'Side-swiped while merging on the Palmetto Expressway; driver-side doors replaced.'),
    ('CLM-2025-000103', 'AUT-2024-100458', 'auto',   'approved',      2310.75, '2025-07-19', 'Hail storm cracked the windshield and dented the hood in a parking lot.'),
    ('CLM-2025-000104', 'AUT-2021-058812', 'auto',   'denied',        6400.00, '2025-06-02', 'Engine failure after flooding; driver drove through standing water, excluded wear and tear.'),
    ('CLM-2025-000105', 'AUT-2023-090376', 'auto',   'paid',          1875.20, '2025-05-11', 'Deer collision on US-285 at dusk; grille and headlight assembly replaced.'),
    ('CLM-2025-000106', 'AUT-2020-045590', 'auto',   'closed',        9300.00, '2025-02-23', 'Vehicle stolen from a driveway in Philadelphia; recovered stripped after nine days.'),
    ('CLM-2025-000107', 'AUT-2022-083301', 'auto',   'under_review',  3150.00, '2025-09-03', 'Parked car struck by an unidentified driver; hit-and-run reported to Baltimore police.'),
    ('CLM-2025-000108', 'AUT-2019-032259', 'auto',   'paid',          5420.60, '2025-04-28', 'Multi-car pileup in fog on I-30; front-end damage and towing.'),
    ('CLM-2025-000109', 'AUT-2023-004817', 'auto',   'approved',       640.00, '2025-08-08', 'Rock chip spread across the windshield on the highway; glass replacement.'),
    ('CLM-2025-000110', 'AUT-2024-100458', 'auto',   'submitted',     7980.00, '2025-09-21', 'Lost control on black ice and hit a guardrail; airbags deployed.'),
    ('CLM-2025-000201', 'HOM-2021-118203', 'home',   'submitted',    18400.00, '2025-09-10', 'Burst supply line under the kitchen sink flooded the ground floor overnight.'),
    ('CLM-2025-000202', 'HOM-2020-093377', 'home',   'under_review', 42750.00, '2025-08-26', 'Roof shingles torn off by straight-line winds; water intrusion into two bedrooms.'),
    ('CLM-2025-000203', 'HOM-2018-077640', 'home',   'approved',      6120.00, '2025-07-04', 'Fireworks ignited a backyard fence and scorched the garage siding.'),
    ('CLM-2025-000204', 'HOM-2022-130052', 'home',   'denied',       31800.00, '2025-06-15', 'Flood damage from a storm surge; policy has no flood endorsement.'),
    ('CLM-2025-000205', 'HOM-2019-101915', 'home',   'paid',          3890.40, '2025-05-20', 'Break-in through a lanai door; laptop, jewelry and a camera stolen.'),
    ('CLM-2025-000206', 'HOM-2016-060418', 'home',   'closed',       11200.00, '2025-01-29', 'Ice dam caused water to back up under the roof and stain the ceilings.'),
    ('CLM-2025-000207', 'HOM-2021-118203', 'home',   'under_review',  2450.00, '2025-09-01', 'Lightning strike fried the HVAC control board and the garage door opener.'),
    ('CLM-2025-000208', 'HOM-2020-093377', 'home',   'approved',     15600.00, '2025-08-12', 'Oak limb fell on the carport during a thunderstorm.'),
    ('CLM-2025-000209', 'HOM-2018-077640', 'home',   'paid',          1290.00, '2025-03-18', 'Dishwasher leak warped the hardwood floor in the kitchen.'),
    ('CLM-2025-000210', 'HOM-2022-130052', 'home',   'submitted',     8700.00, '2025-09-24', 'Mold found behind the bathroom wall after a slow shower-pan leak.'),
    ('CLM-2025-000301', 'HLT-2024-000391', 'health', 'submitted',     2380.00, '2025-09-12', 'Emergency room visit for a fractured wrist after a cycling fall.'),
    ('CLM-2025-000302', 'HLT-2023-044219', 'health', 'under_review', 28900.00, '2025-08-22', 'Laparoscopic appendectomy with one-night inpatient stay.'),
    ('CLM-2025-000303', 'HLT-2022-030127', 'health', 'approved',       865.00, '2025-07-30', 'MRI of the left knee ordered by an in-network orthopedist.'),
    ('CLM-2025-000304', 'HLT-2021-021884', 'health', 'denied',        4200.00, '2025-06-09', 'Out-of-network physical therapy without prior authorization.'),
    ('CLM-2025-000305', 'HLT-2024-052736', 'health', 'paid',           312.50, '2025-05-14', 'Urgent care visit and lab work for strep throat.'),
    ('CLM-2025-000306', 'HLT-2020-011562', 'health', 'closed',       16450.00, '2025-02-03', 'Outpatient cataract surgery on the right eye.'),
    ('CLM-2025-000307', 'HLT-2023-044219', 'health', 'approved',      1140.00, '2025-08-05', 'Allergy testing and a first round of immunotherapy.'),
    ('CLM-2025-000308', 'HLT-2024-000391', 'health', 'paid',           540.00, '2025-04-22', 'Dental injury treated at an urgent care clinic after a fall.'),
    ('CLM-2025-000309', 'HLT-2021-021884', 'health', 'under_review',  9780.00, '2025-09-06', 'Ambulance transport and overnight observation for chest pain.'),
    ('CLM-2025-000310', 'HLT-2022-030127', 'health', 'submitted',      198.00, '2025-09-25', 'Telehealth dermatology consultation and prescription.'),
    ('CLM-2025-000401', 'LIF-2019-552010', 'life',   'submitted',   250000.00, '2025-09-08', 'Death benefit claim filed by the surviving spouse after a heart attack.'),
    ('CLM-2025-000402', 'LIF-2015-310884', 'life',   'under_review',500000.00, '2025-08-17', 'Death benefit claim; insured died in a traffic accident, coroner report pending.'),
    ('CLM-2025-000403', 'LIF-2010-201733', 'life',   'approved',    150000.00, '2025-07-02', 'Death benefit claim for the insured''s father under a rider; all documents received.'),
    ('CLM-2025-000404', 'LIF-2017-410269', 'life',   'denied',      300000.00, '2025-05-27', 'Claim within the two-year contestability period; material misstatement on the application.'),
    ('CLM-2025-000405', 'LIF-2021-620047', 'life',   'paid',        100000.00, '2025-03-09', 'Accelerated death benefit for a terminal illness diagnosis.'),
    ('CLM-2025-000406', 'LIF-2010-201733', 'life',   'closed',       25000.00, '2024-11-30', 'Final expense rider payout to the funeral home.'),
    ('CLM-2025-000407', 'LIF-2019-552010', 'life',   'under_review', 50000.00, '2025-09-15', 'Waiver of premium request after a disabling back injury.'),
    ('CLM-2025-000408', 'LIF-2021-620047', 'life',   'approved',     75000.00, '2025-08-19', 'Critical illness rider claim after a stroke diagnosis.'),
    ('CLM-2025-000409', 'LIF-2015-310884', 'life',   'paid',         10000.00, '2025-01-15', 'Child term rider benefit.'),
    ('CLM-2025-000410', 'LIF-2017-410269', 'life',   'submitted',   200000.00, '2025-09-27', 'Accidental death and dismemberment claim after a workplace fall.')
) AS v (num, policy, type, status, amount, incident, descr)
ON CONFLICT (id) DO NOTHING;

-- Knowledge base: 15 articles in each of claims, billing, coverage, account.
INSERT INTO callcenter.knowledge_base (id, category, question, keywords, answer, popularity)
SELECT uuid_generate_v5('2e62ecc2-bc28-5d38-8592-806e21396868', 'kb:' || v.question),
       v.category, v.question, v.keywords::text[], v.answer, v.popularity
FROM (VALUES
    ('claims', 'How do I file a new auto insurance claim?', '{auto,claim,accident,file,report}',
     'You can file an auto claim 24/7 by phone, in the mobile app or online. Have your policy number, the date and location of the accident, the other driver''s details and photos of the damage ready. You will receive a claim number immediately.', 980),
    ('claims', 'What should I do right after a car accident?', '{auto,accident,safety,police,photos}',
     'Make sure everyone is safe and call 911 if anyone is injured. Move to a safe place, exchange insurance and contact information with the other driver, take photos of all vehicles and the scene, and get a police report number. Then report the claim to us as soon as possible.', 910),
    ('claims', 'How long does it take to process a claim?', '{claim,processing,time,status,adjuster}',
     'Most auto and home claims are assigned to an adjuster within one business day. Simple claims are usually settled within 7 to 14 days; claims that need an inspection or a police report can take 30 days or more.', 870),
    ('claims', 'How can I check the status of my claim?', '{claim,status,tracking,app}',
     'Log in to the app or the website and open Claims, or call us with your claim number. Statuses are submitted, under review, approved, denied, paid and closed.', 940),
    ('claims', 'What documents do I need for a home insurance claim?', '{home,claim,documents,photos,receipts}',
     'Send photos or video of the damage, receipts or proof of ownership for damaged items, a contractor''s repair estimate and, for theft, a police report. Upload them in the app under your claim.', 640),
    ('claims', 'Will my premium go up if I file a claim?', '{premium,claim,rate,increase,surcharge}',
     'An at-fault accident or several claims in a short period can raise your premium at renewal. Not-at-fault accidents, glass repairs and weather claims usually do not. Your agent can review your specific situation.', 720),
    ('claims', 'How do I file a health insurance claim for an out-of-network provider?', '{health,claim,out-of-network,reimbursement}',
     'Ask the provider for an itemized bill with diagnosis and procedure codes, fill out the member reimbursement form and submit both through the member portal. Out-of-network services are reimbursed at the allowed amount minus your deductible and coinsurance.', 410),
    ('claims', 'How does a beneficiary file a life insurance claim?', '{life,claim,beneficiary,death,certificate}',
     'The beneficiary calls our life claims team or starts the claim online with the policy number, a certified copy of the death certificate and a completed claimant statement. Most death benefits are paid within 30 days of receiving all documents.', 380),
    ('claims', 'What happens if my claim is denied?', '{claim,denied,appeal,review}',
     'You will receive a letter explaining the reason. You can appeal within 60 days by sending additional information or asking for a review by a senior adjuster. For health claims you can also request an external review.', 560),
    ('claims', 'Can I choose my own repair shop?', '{auto,repair,shop,body,estimate}',
     'Yes. You may use any licensed repair shop. Shops in our network guarantee their repairs for as long as you own the vehicle and can bill us directly.', 590),
    ('claims', 'How do I report a stolen vehicle?', '{auto,theft,stolen,police,report}',
     'File a police report first, then call us with the report number, your vehicle identification number and the location it was stolen from. Comprehensive coverage pays for a stolen vehicle that is not recovered within 30 days.', 330),
    ('claims', 'What is an insurance adjuster and what do they do?', '{adjuster,claim,inspection,estimate}',
     'An adjuster investigates your claim, inspects the damage, reviews documents and determines how much the policy pays. You will get your adjuster''s name and direct number when the claim is assigned.', 450),
    ('claims', 'How do I report water damage in my home?', '{home,water,leak,damage,mitigation}',
     'Stop the source of water if you can, take photos and start drying the area to prevent mold. Keep receipts for emergency repairs and call us to open a claim; we can send a water mitigation company.', 520),
    ('claims', 'Do I need a police report to file a claim?', '{police,report,claim,theft,accident}',
     'A police report is required for theft, vandalism and hit-and-run claims and strongly recommended for any accident with injuries or disputed fault.', 300),
    ('claims', 'Can I get a rental car while my car is being repaired?', '{auto,rental,car,reimbursement,repair}',
     'If your policy includes rental reimbursement, we pay for a rental up to your daily limit while your car is in the shop for a covered claim. The at-fault driver''s insurer may also owe you a rental.', 690),
    ('billing', 'How can I pay my insurance premium?', '{billing,payment,premium,autopay,card}',
     'Pay online, in the app, by phone, by mail or with automatic payments from your bank account or card. Autopay customers receive a small discount.', 990),
    ('billing', 'What happens if I miss a premium payment?', '{billing,missed,payment,grace,period,lapse}',
     'You have a grace period, usually 10 to 30 days depending on your state and policy. If the premium is not paid by the end of it, the policy can be cancelled for non-payment. Call us before the due date to arrange a payment plan.', 830),
    ('billing', 'How do I set up automatic payments?', '{billing,autopay,automatic,bank,card}',
     'Open Billing in the app or on the website, choose Automatic payments and add a bank account or card. Payments are drawn on the due date each month.', 760),
    ('billing', 'Why did my premium increase at renewal?', '{billing,premium,increase,renewal,rate}',
     'Premiums can change because of claims, driving violations, a change of address or vehicle, updated home replacement costs, or rate changes approved in your state. Your renewal notice lists what changed.', 880),
    ('billing', 'Can I change my payment due date?', '{billing,due,date,change,payment}',
     'Yes. You can move your due date once per policy term in the app under Billing, or by calling us.', 420),
    ('billing', 'Do you offer a discount for paying in full?', '{billing,discount,paid,full,premium}',
     'Yes. Paying the full term premium up front saves installment fees and earns a paid-in-full discount on most auto and home policies.', 510),
    ('billing', 'How do I get a refund after cancelling my policy?', '{billing,refund,cancel,cancellation}',
     'Unused premium is refunded to your original payment method within 10 business days of the cancellation date, minus any short-rate fee your state allows.', 470),
    ('billing', 'Where can I find my billing statements?', '{billing,statement,invoice,documents}',
     'Every statement from the last seven years is under Billing, then Statements, in the app or on the website. You can also ask for paper statements by mail.', 350),
    ('billing', 'Why was I charged an installment fee?', '{billing,installment,fee,monthly}',
     'Monthly and quarterly plans carry a small installment fee per payment. Autopay from a bank account or paying in full avoids it.', 290),
    ('billing', 'My payment failed. What should I do?', '{billing,payment,failed,declined,card}',
     'Check that your card has not expired and that your bank has funds available, then retry the payment in the app. A failed autopay is retried once after three days.', 610),
    ('billing', 'How are premiums calculated for auto insurance?', '{billing,premium,auto,rating,factors}',
     'Auto premiums depend on your driving record, the vehicle, where it is garaged, annual mileage, the coverages and deductibles you choose and, where allowed, your insurance score.', 540),
    ('billing', 'Can I pay my premium in cash?', '{billing,cash,payment,agent}',
     'Cash payments are accepted at participating retail payment locations and at local agent offices. Keep your receipt.', 150),
    ('billing', 'How do I update my credit card on file?', '{billing,card,update,payment,method}',
     'Go to Billing, then Payment methods, add the new card and set it as the default. Remove the old card afterwards.', 380),
    ('billing', 'What is a non-sufficient funds fee?', '{billing,fee,nsf,returned,payment}',
     'If a payment is returned by your bank, a returned payment fee is added to your next bill as allowed by your state.', 120),
    ('billing', 'Can I get a payment extension?', '{billing,extension,hardship,payment}',
     'In a hardship such as a natural disaster or job loss, we can extend your due date. Call us before the grace period ends.', 330),
    ('coverage', 'What does comprehensive auto coverage include?', '{coverage,auto,comprehensive,theft,hail}',
     'Comprehensive pays for damage to your car from events other than a collision: theft, vandalism, fire, hail, flood, falling objects and hitting an animal. Your deductible applies.', 920),
    ('coverage', 'What is the difference between collision and liability coverage?', '{coverage,auto,collision,liability}',
     'Liability pays for injuries and damage you cause to others and is required by law. Collision pays to repair your own car after a crash, regardless of fault, minus your deductible.', 860),
    ('coverage', 'Does homeowners insurance cover flood damage?', '{coverage,home,flood,endorsement}',
     'No. Standard homeowners policies exclude flood. You need a separate flood policy through the National Flood Insurance Program or a private flood endorsement, usually with a 30-day waiting period.', 780),
    ('coverage', 'What is a deductible?', '{coverage,deductible,out-of-pocket}',
     'The deductible is the amount you pay on a covered claim before insurance pays. A higher deductible lowers your premium.', 950),
    ('coverage', 'Is my personal property covered outside my home?', '{coverage,home,personal,property,theft}',
     'Yes. Personal property coverage follows your belongings worldwide, typically up to 10 percent of the personal property limit for items away from home.', 400),
    ('coverage', 'Does my health plan cover preventive care?', '{coverage,health,preventive,screening,vaccines}',
     'Yes. In-network preventive care such as annual checkups, recommended screenings and vaccines is covered at 100 percent without a deductible.', 700),
    ('coverage', 'What is the difference between term and whole life insurance?', '{coverage,life,term,whole,cash,value}',
     'Term life covers you for a set period, such as 20 years, and is the most affordable. Whole life lasts your entire life and builds cash value you can borrow against.', 650),
    ('coverage', 'Does my auto policy cover a rental car?', '{coverage,auto,rental,car,travel}',
     'Your liability, collision and comprehensive coverages usually extend to a rental car in the United States and Canada. Rental company fees such as loss of use may not be covered.', 580),
    ('coverage', 'What is uninsured motorist coverage?', '{coverage,auto,uninsured,underinsured,motorist}',
     'Uninsured and underinsured motorist coverage pays for your injuries, and in some states your car, when the at-fault driver has no insurance or too little.', 490),
    ('coverage', 'Are dog bites covered by homeowners insurance?', '{coverage,home,liability,dog,bite}',
     'Personal liability coverage usually pays for injuries your dog causes to others, up to your liability limit. Some breeds or dogs with a bite history may be excluded.', 260),
    ('coverage', 'Does health insurance cover emergency care out of network?', '{coverage,health,emergency,out-of-network}',
     'Yes. Emergency care is covered at the in-network cost share even at an out-of-network hospital, and federal law protects you from most surprise bills.', 540),
    ('coverage', 'What does gap insurance cover?', '{coverage,auto,gap,loan,lease}',
     'Gap coverage pays the difference between your car''s actual cash value and what you still owe on the loan or lease if the car is totaled or stolen.', 310),
    ('coverage', 'Is earthquake damage covered?', '{coverage,home,earthquake,endorsement}',
     'Standard homeowners policies exclude earthquakes. An earthquake endorsement or separate policy is available in most states, with a percentage deductible.', 220),
    ('coverage', 'What is an accelerated death benefit?', '{coverage,life,accelerated,terminal,illness}',
     'An accelerated death benefit lets you receive part of your life insurance death benefit while living if you are diagnosed with a terminal illness. The amount paid reduces the benefit for beneficiaries.', 190),
    ('coverage', 'Does my policy cover roadside assistance?', '{coverage,auto,roadside,towing,lockout}',
     'If you added roadside assistance, we cover towing to the nearest repair shop, jump starts, flat tire changes, fuel delivery and lockout service, up to three calls per year.', 670),
    ('account', 'How do I add a driver to my auto policy?', '{account,auto,driver,add,household}',
     'Add a driver in the app under Policy, then Drivers, or call us with the driver''s name, date of birth and license number. Coverage for the new driver starts immediately.', 730),
    ('account', 'How do I update my mailing address?', '{account,address,change,move}',
     'Update your address in the app under Profile. If you moved to another state, call us: your policy may need to be rewritten under that state''s rules.', 620),
    ('account', 'How do I change my life insurance beneficiary?', '{account,life,beneficiary,change}',
     'Submit a change of beneficiary form signed by the policy owner through the portal or by mail. The change takes effect when we record it.', 440),
    ('account', 'How can I get proof of insurance?', '{account,proof,insurance,id,card}',
     'Download your insurance ID card from the app at any time, add it to your phone''s wallet, or ask us to email or mail a copy.', 970),
    ('account', 'How do I cancel my policy?', '{account,cancel,cancellation,policy}',
     'Call us or your agent to cancel; we need the date you want coverage to end and, for auto, proof of new insurance if required by your state. Unused premium is refunded.', 600),
    ('account', 'How do I reset my online account password?', '{account,password,reset,login}',
     'Choose Forgot password on the sign-in screen and follow the link we email you. The link expires after 30 minutes.', 810),
    ('account', 'Can I add my new home to my existing policy?', '{account,home,new,purchase,closing}',
     'Call us before your closing date with the address, purchase price and year built. We can issue a homeowners policy and the proof of insurance your lender needs.', 360),
    ('account', 'How do I add a new vehicle to my policy?', '{account,auto,vehicle,add,vin}',
     'Add the vehicle in the app with its vehicle identification number, or call us. Most policies cover a newly purchased car for a short period, but add it as soon as possible.', 750),
    ('account', 'How do I enroll in paperless documents?', '{account,paperless,documents,email}',
     'Turn on paperless delivery under Profile, then Communication preferences. You will receive an email when new documents are ready.', 280),
    ('account', 'How do I enable two-factor authentication?', '{account,security,two-factor,authentication}',
     'Open Profile, then Security, and turn on two-step verification with a text message or an authenticator app.', 240),
    ('account', 'Who is my insurance agent?', '{account,agent,contact,local}',
     'Your agent''s name, phone number and office address are on the Policy page in the app and on your declarations page.', 330),
    ('account', 'How do I remove a driver from my policy?', '{account,auto,driver,remove,exclusion}',
     'Call us to remove a driver who moved out or no longer uses your vehicles. In some states we need proof the driver has their own insurance.', 270),
    ('account', 'How do I get a copy of my declarations page?', '{account,declarations,documents,policy}',
     'Your current declarations page is under Policy, then Documents, in the app. It lists your coverages, limits, deductibles and premium.', 500),
    ('account', 'Can I bundle my home and auto policies?', '{account,bundle,discount,home,auto}',
     'Yes. Insuring your home and car with us earns a multi-policy discount on both policies. Call us to combine them on one bill.', 680),
    ('account', 'How do I update my phone number or email?', '{account,phone,email,contact,update}',
     'Update your phone number and email under Profile. We send a verification code to the new contact before saving it.', 390)
) AS v (category, question, keywords, answer, popularity)
ON CONFLICT (id) DO NOTHING;

-- Journeys with their states and transitions.
INSERT INTO callcenter.journeys (id, name, description, status, version)
SELECT uuid_generate_v5('2e62ecc2-bc28-5d38-8592-806e21396868', 'journey:' || v.name), v.name, v.descr, v.status, 1
FROM (VALUES
    ('first_notice_of_loss', 'Caller reports a new loss: verify identity, collect incident details, open the claim.', 'active'),
    ('billing_inquiry',      'Caller asks about a bill, a payment or a premium change.',                               'active'),
    ('policy_change',        'Caller adds or removes a driver or vehicle, or changes an address.',                    'draft')
) AS v (name, descr, status)
ON CONFLICT (id) DO NOTHING;

INSERT INTO callcenter.journey_states (id, journey_id, name, kind, instructions)
SELECT uuid_generate_v5('2e62ecc2-bc28-5d38-8592-806e21396868', 'state:' || v.journey || ':' || v.name),
       uuid_generate_v5('2e62ecc2-bc28-5d38-8592-806e21396868', 'journey:' || v.journey),
       v.name, v.kind, v.instr
FROM (VALUES
    ('first_notice_of_loss', 'greeting',          'initial',  'Greet the caller, state your name and ask how you can help.'),
    ('first_notice_of_loss', 'verify_identity',   'step',     'Confirm the policy number and the date of birth of the policyholder.'),
    ('first_notice_of_loss', 'collect_incident',  'step',     'Ask for the date, time and location of the loss and what happened.'),
    ('first_notice_of_loss', 'collect_documents', 'step',     'Explain which photos and documents to upload and how.'),
    ('first_notice_of_loss', 'open_claim',        'step',     'Create the claim and read the claim number back to the caller.'),
    ('first_notice_of_loss', 'escalate',          'terminal', 'Transfer to a licensed adjuster; summarize the call for them.'),
    ('first_notice_of_loss', 'wrap_up',           'terminal', 'Explain next steps and the adjuster contact timeline, then close.'),
    ('billing_inquiry',      'greeting',          'initial',  'Greet the caller and ask for the policy number.'),
    ('billing_inquiry',      'verify_identity',   'step',     'Confirm the policy number and the billing ZIP code.'),
    ('billing_inquiry',      'explain_bill',      'step',     'Walk through the latest statement: premium, fees, due date.'),
    ('billing_inquiry',      'take_payment',      'step',     'Take a payment by card or bank account; never read card numbers back.'),
    ('billing_inquiry',      'wrap_up',           'terminal', 'Confirm the payment or the answer and close.'),
    ('policy_change',        'greeting',          'initial',  'Greet the caller and ask what they would like to change.'),
    ('policy_change',        'verify_identity',   'step',     'Confirm the policy number and that the caller is a named insured.'),
    ('policy_change',        'collect_change',    'step',     'Collect driver, vehicle or address details for the change.'),
    ('policy_change',        'quote_change',      'step',     'Quote the premium impact of the change and ask for confirmation.'),
    ('policy_change',        'wrap_up',           'terminal', 'Confirm the effective date and that new documents are in the app.')
) AS v (journey, name, kind, instr)
ON CONFLICT (id) DO NOTHING;

INSERT INTO callcenter.journey_transitions (id, journey_id, from_state, to_state, trigger, condition, priority)
SELECT uuid_generate_v5('2e62ecc2-bc28-5d38-8592-806e21396868', 'transition:' || v.journey || ':' || v.from_state || ':' || v.trigger),
       uuid_generate_v5('2e62ecc2-bc28-5d38-8592-806e21396868', 'journey:' || v.journey),
       v.from_state, v.to_state, v.trigger, v.cond::jsonb, v.prio
FROM (VALUES
    ('first_notice_of_loss', 'greeting',          'verify_identity',   'intent_report_loss',  '{"intent":"report_loss"}',         10),
    ('first_notice_of_loss', 'verify_identity',   'collect_incident',  'identity_verified',   '{"verified":true}',                10),
    ('first_notice_of_loss', 'verify_identity',   'escalate',          'identity_failed',     '{"verified":false,"attempts":3}',   0),
    ('first_notice_of_loss', 'collect_incident',  'escalate',          'injury_reported',     '{"injuries":true}',                20),
    ('first_notice_of_loss', 'collect_incident',  'collect_documents', 'incident_complete',   '{}',                               10),
    ('first_notice_of_loss', 'collect_documents', 'open_claim',        'documents_explained', '{}',                               10),
    ('first_notice_of_loss', 'open_claim',        'wrap_up',           'claim_opened',        '{}',                               10),
    ('billing_inquiry',      'greeting',          'verify_identity',   'intent_billing',      '{"intent":"billing"}',             10),
    ('billing_inquiry',      'verify_identity',   'explain_bill',      'identity_verified',   '{"verified":true}',                10),
    ('billing_inquiry',      'explain_bill',      'take_payment',      'wants_to_pay',        '{"intent":"make_payment"}',        10),
    ('billing_inquiry',      'explain_bill',      'wrap_up',           'question_answered',   '{}',                                0),
    ('billing_inquiry',      'take_payment',      'wrap_up',           'payment_confirmed',   '{"payment":"approved"}',           10),
    ('policy_change',        'greeting',          'verify_identity',   'intent_change',       '{"intent":"policy_change"}',       10),
    ('policy_change',        'verify_identity',   'collect_change',    'identity_verified',   '{"verified":true}',                10),
    ('policy_change',        'collect_change',    'quote_change',      'change_collected',    '{}',                               10),
    ('policy_change',        'quote_change',      'wrap_up',           'change_confirmed',    '{"confirmed":true}',               10),
    ('policy_change',        'quote_change',      'collect_change',    'change_revised',      '{"confirmed":false}',               0)
) AS v (journey, from_state, to_state, trigger, cond, prio)
ON CONFLICT (id) DO NOTHING;

-- Guidelines checked against every agent answer.
INSERT INTO callcenter.guidelines (id, name, category, severity, rule, pattern)
SELECT uuid_generate_v5('2e62ecc2-bc28-5d38-8592-806e21396868', 'guideline:' || v.name), v.name, v.category, v.severity, v.rule, v.pattern
FROM (VALUES
    ('no_coverage_promises',    'compliance', 'critical', 'Never promise that a claim will be paid or approved before the adjuster decides.', '(?i)\m(guarantee|definitely (be )?(paid|covered|approved))\M'),
    ('verify_before_details',   'privacy',    'critical', 'Do not discuss policy or claim details before the caller''s identity is verified.', NULL),
    ('no_full_card_numbers',    'privacy',    'critical', 'Never read back or store a full card number; confirm only the last four digits.', '\m[0-9]{13,19}\M'),
    ('no_ssn_disclosure',       'privacy',    'critical', 'Never speak or display a full Social Security number.', '\m[0-9]{3}-[0-9]{2}-[0-9]{4}\M'),
    ('recorded_line_notice',    'compliance', 'warning',  'Tell the caller the call is recorded for quality and training at the start of the call.', NULL),
    ('empathetic_opening',      'tone',       'info',     'Acknowledge the caller''s situation with empathy before asking for details after a loss.', NULL),
    ('plain_language',          'tone',       'info',     'Explain coverage terms such as deductible or subrogation in plain language.', NULL),
    ('no_legal_advice',         'compliance', 'warning',  'Do not give legal or medical advice; refer the caller to a professional.', '(?i)\m(you should sue|legal advice)\M'),
    ('accurate_deductible',     'accuracy',   'warning',  'Quote the deductible from the caller''s declarations page, never a typical amount.', NULL),
    ('cite_policy_section',     'accuracy',   'info',     'When explaining an exclusion, name the policy section that applies.', NULL),
    ('escalate_injuries',       'escalation', 'critical', 'Transfer any call reporting bodily injury to a licensed adjuster.', '(?i)\m(injur|hospital|ambulance)'),
    ('escalate_angry_caller',   'escalation', 'warning',  'Offer a supervisor when the caller asks for one or repeats a complaint three times.', '(?i)\m(supervisor|manager|complaint)\M'),
    ('no_fault_determination',  'compliance', 'warning',  'Do not tell the caller who was at fault; fault is decided by the adjuster.', '(?i)\m(your fault|not your fault|at fault)\M')
) AS v (name, category, severity, rule, pattern)
ON CONFLICT (id) DO NOTHING;

-- A few live and finished journey contexts.
INSERT INTO callcenter.journey_contexts (id, session_id, journey_id, customer_id, current_state, status,
                                         variables, activated_at, completed_at)
SELECT uuid_generate_v5('2e62ecc2-bc28-5d38-8592-806e21396868', 'context:' || v.session || ':' || v.journey),
       v.session,
       uuid_generate_v5('2e62ecc2-bc28-5d38-8592-806e21396868', 'journey:' || v.journey),
       uuid_generate_v5('2e62ecc2-bc28-5d38-8592-806e21396868', 'customer:' || v.policy),
       v.state, v.status, v.vars::jsonb, v.activated::timestamptz, v.completed::timestamptz
FROM (VALUES
    ('call-20250914-0931-7f3a', 'first_notice_of_loss', 'AUT-2023-004817', 'wrap_up',          'completed', '{"claim_number":"CLM-2025-000101","verified":true}',  '2025-09-14 09:31:00+00', '2025-09-14 09:44:12+00'),
    ('call-20250910-2212-0b91', 'first_notice_of_loss', 'HOM-2021-118203', 'wrap_up',          'completed', '{"claim_number":"CLM-2025-000201","verified":true}',  '2025-09-10 22:12:40+00', '2025-09-10 22:30:05+00'),
    ('call-20250927-1405-c2d8', 'first_notice_of_loss', 'LIF-2017-410269', 'collect_incident', 'active',    '{"verified":true,"caller_role":"spouse"}',             '2025-09-27 14:05:19+00', NULL),
    ('call-20250926-1120-5e44', 'billing_inquiry',      'AUT-2022-083301', 'take_payment',     'active',    '{"verified":true,"amount_due":"148.32"}',              '2025-09-26 11:20:02+00', NULL),
    ('call-20250925-1602-91aa', 'billing_inquiry',      'HLT-2024-052736', 'explain_bill',     'abandoned', '{"verified":true}',                                    '2025-09-25 16:02:47+00', NULL),
    ('call-20250924-0817-3b6c', 'policy_change',        'AUT-2024-100458', 'quote_change',     'active',    '{"verified":true,"change":"add_driver","driver":"Emma Kowalczyk"}', '2025-09-24 08:17:33+00', NULL)
) AS v (session, journey, policy, state, status, vars, activated, completed)
ON CONFLICT (id) DO NOTHING;

-- Validation checks run on agent answers.
INSERT INTO callcenter.validation_audit (id, session_id, guideline_id, check_name, content, passed, violations, confidence)
SELECT uuid_generate_v5('2e62ecc2-bc28-5d38-8592-806e21396868', 'audit:' || v.session || ':' || v.guideline),
       v.session,
       uuid_generate_v5('2e62ecc2-bc28-5d38-8592-806e21396868', 'guideline:' || v.guideline),
       v.guideline, v.content, v.passed, v.violations::jsonb, v.confidence
FROM (VALUES
    ('call-20250914-0931-7f3a', 'no_coverage_promises', 'I have opened claim CLM-2025-000101; an adjuster will call you within one business day.', true,  '[]', 0.970),
    ('call-20250914-0931-7f3a', 'recorded_line_notice', 'This call is recorded for quality and training. How can I help you today?',               true,  '[]', 0.990),
    ('call-20250910-2212-0b91', 'no_coverage_promises', 'Don''t worry, water damage like this will definitely be covered.',                     false, '[{"rule":"no_coverage_promises","span":"definitely be covered","offset":39}]', 0.930),
    ('call-20250926-1120-5e44', 'no_full_card_numbers', 'Thank you, I have the card ending in 4417.',                                              true,  '[]', 0.995),
    ('call-20250927-1405-c2d8', 'empathetic_opening',   'I am so sorry for your loss. I will help you start the claim and explain each step.',     true,  '[]', 0.880),
    ('call-20250924-0817-3b6c', 'accurate_deductible',  'Your collision deductible is usually around 500 dollars.',                                false, '[{"rule":"accurate_deductible","span":"usually around 500 dollars"}]', 0.710)
) AS v (session, guideline, content, passed, violations, confidence)
ON CONFLICT (id) DO NOTHING;
