-- expect: non-transactional-in-transaction
CREATE INDEX CONCURRENTLY idx_users_email_lower ON users (lower(email));
