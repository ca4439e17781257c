-- expect: non-transactional-in-transaction
DROP INDEX CONCURRENTLY IF EXISTS idx_users_last_login;
