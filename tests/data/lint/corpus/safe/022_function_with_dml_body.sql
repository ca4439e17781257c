-- expect:
-- expect-not: delete-without-where, update-without-where
CREATE OR REPLACE FUNCTION purge_everything() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM cache_entries;
    UPDATE counters SET value = 0;
END $$;
