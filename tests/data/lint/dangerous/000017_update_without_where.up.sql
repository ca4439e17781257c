-- Backfill in one statement: every row locked until commit.
UPDATE users SET email_normalized = lower(email);
