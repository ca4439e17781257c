-- MIGRATION: add columns without rewrites
-- DIRECTION: up
-- Constant and stable defaults do not rewrite the table (PostgreSQL 11+).
ALTER TABLE accounts ADD COLUMN locale text NOT NULL DEFAULT 'en';
ALTER TABLE accounts ADD COLUMN last_seen_at timestamptz DEFAULT CURRENT_TIMESTAMP;
ALTER TABLE accounts ADD COLUMN referrer_id bigint;
ALTER TABLE accounts ADD COLUMN display_name text;
-- NOT VALID: instant; rows are checked later by VALIDATE. A CHECK limits the length
-- instead of varchar(50): changing it later needs no ALTER COLUMN TYPE.
ALTER TABLE accounts ADD CONSTRAINT accounts_display_name_nn CHECK (display_name IS NOT NULL) NOT VALID;
ALTER TABLE accounts ADD CONSTRAINT accounts_display_name_length CHECK (char_length(display_name) <= 50) NOT VALID;

-- DIRECTION: down
ALTER TABLE accounts DROP CONSTRAINT accounts_display_name_length;
ALTER TABLE accounts DROP CONSTRAINT accounts_display_name_nn;
ALTER TABLE accounts DROP COLUMN display_name;
ALTER TABLE accounts DROP COLUMN referrer_id;
ALTER TABLE accounts DROP COLUMN last_seen_at;
ALTER TABLE accounts DROP COLUMN locale;
