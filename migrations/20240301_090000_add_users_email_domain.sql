-- MIGRATION: add_users_email_domain
-- Expand (pre-deploy, the default phase): the domain of each user's e-mail
-- address, for per-organisation reports. Nullable for now: the release still
-- running during the deploy does not write it, and the rows it inserts keep it
-- NULL until the post-deploy backfill. This release writes it on every insert.

-- DIRECTION: up
ALTER TABLE users ADD COLUMN email_domain text;

-- DIRECTION: down
ALTER TABLE users DROP COLUMN email_domain;
