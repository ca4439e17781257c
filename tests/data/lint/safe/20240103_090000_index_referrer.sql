-- MIGRATION: index accounts.referrer_id without blocking writes
-- DIRECTION: up
-- pgmig:no-transaction
CREATE INDEX CONCURRENTLY accounts_referrer_id_idx ON accounts (referrer_id);
CREATE UNIQUE INDEX CONCURRENTLY accounts_lower_email_idx ON accounts (lower(email));

-- DIRECTION: down
-- pgmig:no-transaction
DROP INDEX CONCURRENTLY accounts_lower_email_idx;
DROP INDEX CONCURRENTLY accounts_referrer_id_idx;
