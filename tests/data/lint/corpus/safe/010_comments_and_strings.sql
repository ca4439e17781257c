-- expect:
-- expect-not: drop-table, drop-column, delete-without-where
-- DROP TABLE users; is how this used to work
COMMENT ON TABLE accounts IS 'DROP TABLE accounts; would be very bad';
/* ALTER TABLE accounts DROP COLUMN email; */
SELECT 'DELETE FROM accounts';
