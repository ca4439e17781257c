-- Fails on a non-empty table.
ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL;
