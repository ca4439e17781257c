-- expect: batch-not-bounded
-- pgmig:no-transaction
-- pgmig:batch pause 10ms
UPDATE accounts SET locale = 'en-US' WHERE locale = 'en';
