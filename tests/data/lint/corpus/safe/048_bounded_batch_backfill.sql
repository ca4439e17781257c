-- expect:
-- expect-not: batch-not-bounded, update-without-where
-- pgmig:no-transaction
-- pgmig:batch
UPDATE accounts SET locale = 'en-US'
 WHERE id IN (SELECT id FROM accounts WHERE locale = 'en' ORDER BY id LIMIT 10000);
