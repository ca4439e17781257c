-- expect: transaction-control-in-transaction, add-column-volatile-default
-- expect-not: add-column-not-null-without-default
BEGIN;
--
-- Add field uuid to invoice
--
ALTER TABLE "billing_invoice" ADD COLUMN "uuid" uuid DEFAULT gen_random_uuid() NOT NULL;
COMMIT;
