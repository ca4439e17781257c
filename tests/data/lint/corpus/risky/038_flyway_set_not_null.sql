-- expect: set-not-null
-- V17__email_required.sql
ALTER TABLE customer ALTER COLUMN email SET NOT NULL;
