-- MIGRATION: validate, then SET NOT NULL without a scan
-- DIRECTION: up
-- VALIDATE takes SHARE UPDATE EXCLUSIVE: reads and writes continue.
ALTER TABLE accounts VALIDATE CONSTRAINT accounts_referrer_fk;
ALTER TABLE accounts VALIDATE CONSTRAINT accounts_display_name_nn;
-- PostgreSQL 12+ proves NOT NULL from the validated CHECK: no scan.
ALTER TABLE accounts ALTER COLUMN display_name SET NOT NULL;
ALTER TABLE accounts DROP CONSTRAINT accounts_display_name_nn;
ALTER TABLE accounts VALIDATE CONSTRAINT accounts_display_name_length;

-- DIRECTION: down
ALTER TABLE accounts ALTER COLUMN display_name DROP NOT NULL;
