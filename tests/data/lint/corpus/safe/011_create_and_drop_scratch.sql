-- expect:
-- expect-not: drop-table, update-without-where
CREATE TABLE tmp_backfill (id bigint PRIMARY KEY, value text);
INSERT INTO tmp_backfill SELECT id, email FROM accounts WHERE email IS NOT NULL;
UPDATE tmp_backfill SET value = lower(value);
DROP TABLE tmp_backfill;
