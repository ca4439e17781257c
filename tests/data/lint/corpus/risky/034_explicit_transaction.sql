-- expect: transaction-control-in-transaction
BEGIN;
ALTER TABLE accounts ADD COLUMN nickname text;
COMMIT;
