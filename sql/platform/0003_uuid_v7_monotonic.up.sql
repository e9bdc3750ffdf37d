-- sql/platform/0003_uuid_v7_monotonic.up.sql -- ops.uuid_generate_v7() sorts in generation
-- order, also within one millisecond.
-- 0001's version filled rand_a with random bits, so 2,000 ids made in one statement did
-- not sort in the order they were made. Like PostgreSQL 18's uuidv7(), rand_a now holds
-- the fraction of the millisecond (12 bits, from the microsecond clock), and when the
-- clock has not moved since the session's last id, the 60-bit (ms, fraction) value steps
-- by one (RFC 9562 section 6.2, method 3), so ids of one session strictly increase.
-- The last value lives in the session setting steward.uuid7_last; an id made in a
-- transaction that rolls back may be reused, which is harmless since it never landed.
-- set_config makes the function parallel-unsafe: a query using it runs without parallel
-- workers (it is a column default; inserts do not run in parallel anyway).

CREATE OR REPLACE FUNCTION ops.uuid_generate_v7() RETURNS uuid
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE AS $$
DECLARE
    us bigint := floor(extract(epoch FROM clock_timestamp()) * 1000000);
    t bigint := (us / 1000) * 4096 + ((us % 1000) * 4096) / 1000;   -- ms << 12 | fraction
    last bigint := coalesce(nullif(current_setting('steward.uuid7_last', true), ''), '0')::bigint;
    b bytea := public.gen_random_bytes(16);
BEGIN
    IF t <= last THEN
        t := last + 1;
    END IF;
    PERFORM set_config('steward.uuid7_last', t::text, false);
    b := overlay(b PLACING substring(int8send(t >> 12) FROM 3 FOR 6) FROM 1 FOR 6);
    b := set_byte(b, 6, 112 | ((t >> 8) & 15)::int);         -- version 0111, fraction high
    b := set_byte(b, 7, (t & 255)::int);                     -- fraction low
    b := set_byte(b, 8, (get_byte(b, 8) & 63) | 128);        -- variant 10
    RETURN encode(b, 'hex')::uuid;
END
$$;
COMMENT ON FUNCTION ops.uuid_generate_v7() IS
    'RFC 9562 UUID version 7, strictly increasing within a session (sub-millisecond rand_a)';
