-- expect:
-- expect-not: transaction-control-in-transaction
-- pgmig:no-transaction
BEGIN;
UPDATE accounts SET locale = 'en-US' WHERE id BETWEEN 1 AND 5000;
COMMIT;
