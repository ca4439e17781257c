-- MIGRATION: add_users_display_name
-- A name to greet people with. Existing users get the local part of their
-- e-mail address, so the column can be read without a NULL check.

-- DIRECTION: up
ALTER TABLE users ADD COLUMN display_name text;

UPDATE users
   SET display_name = split_part(email, '@', 1)
 WHERE display_name IS NULL;

-- DIRECTION: down
ALTER TABLE users DROP COLUMN display_name;
