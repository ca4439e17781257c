-- MIGRATION: users_email_domain_not_null
-- Contract (post-deploy, after the backfill): every row has a domain now;
-- make sure it stays so. NOT VALID adds the constraint at once (new writes are
-- checked); VALIDATE then reads the table without blocking reads or writes.
-- pgmig:phase post-deploy

-- DIRECTION: up
ALTER TABLE users ADD CONSTRAINT users_email_domain_present CHECK (email_domain IS NOT NULL) NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT users_email_domain_present;

-- DIRECTION: down
ALTER TABLE users DROP CONSTRAINT users_email_domain_present;
