-- sql/platform/0003_uuid_v7_monotonic.down.sql -- back to 0001's ops.uuid_generate_v7().

CREATE OR REPLACE FUNCTION ops.uuid_generate_v7() RETURNS uuid
LANGUAGE plpgsql VOLATILE PARALLEL SAFE AS $$
DECLARE
    ms bigint := floor(extract(epoch FROM clock_timestamp()) * 1000);
    b bytea := public.gen_random_bytes(16);
BEGIN
    b := overlay(b PLACING substring(int8send(ms) FROM 3 FOR 6) FROM 1 FOR 6);
    b := set_byte(b, 6, (get_byte(b, 6) & 15) | 112);
    b := set_byte(b, 8, (get_byte(b, 8) & 63) | 128);
    RETURN encode(b, 'hex')::uuid;
END
$$;
COMMENT ON FUNCTION ops.uuid_generate_v7() IS 'RFC 9562 UUID version 7 (time-ordered)';
