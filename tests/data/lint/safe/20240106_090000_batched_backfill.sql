-- MIGRATION: batched backfill and a deliberate, reviewed drop
-- DIRECTION: up
UPDATE accounts SET locale = 'en-US' WHERE locale = 'en' AND id BETWEEN 1 AND 10000;
DELETE FROM sessions WHERE expires_at < now() - interval '30 days';
-- pgmig:allow drop-column plan moved to the billing service in release 41; no deployed code reads it
ALTER TABLE accounts DROP COLUMN plan;

-- DIRECTION: down
ALTER TABLE accounts ADD COLUMN plan text NOT NULL DEFAULT 'free';
