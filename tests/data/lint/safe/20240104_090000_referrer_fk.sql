-- MIGRATION: foreign key in two steps
-- DIRECTION: up
ALTER TABLE accounts
    ADD CONSTRAINT accounts_referrer_fk FOREIGN KEY (referrer_id) REFERENCES accounts (id) NOT VALID;

-- DIRECTION: down
ALTER TABLE accounts DROP CONSTRAINT accounts_referrer_fk;
