-- expect: update-without-where, drop-column
UPDATE accounts SET display_name = coalesce(nickname, email);
ALTER TABLE accounts DROP COLUMN nickname;
