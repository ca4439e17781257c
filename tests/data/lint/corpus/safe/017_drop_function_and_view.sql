-- expect:
-- expect-not: drop-table
DROP VIEW IF EXISTS active_accounts_v1;
DROP FUNCTION IF EXISTS legacy_score(bigint);
