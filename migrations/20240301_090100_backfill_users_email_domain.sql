-- MIGRATION: backfill_users_email_domain
-- Post-deploy: once every replica runs the release that writes email_domain,
-- no writer leaves it NULL any more, so the backfill can finish. In batches of
-- 1,000 rows, each in a short transaction of its own (-- pgmig:batch): pgmig
-- repeats the UPDATE until it changes no row, records batches and rows in the
-- history, and an interrupted run resumes where the committed batches stopped.
-- pgmig:phase post-deploy
-- pgmig:no-transaction

-- DIRECTION: up
-- pgmig:batch pause 10ms
UPDATE users
   SET email_domain = split_part(email, '@', 2)
 WHERE id IN (SELECT id FROM users WHERE email_domain IS NULL ORDER BY id LIMIT 1000);

-- DIRECTION: down
SELECT 'the backfilled values stay; the column goes with 20240301090000''s rollback';
