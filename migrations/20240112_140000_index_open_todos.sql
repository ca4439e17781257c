-- "The open todos of a user" is the service's main query: a partial index
-- holds only the rows it reads. The table is in use by now, so the index is
-- built CONCURRENTLY, which keeps it writable; that cannot run inside a
-- transaction, hence the directive (pgmig then runs the file statement by
-- statement and records its progress).
-- pgmig:no-transaction

-- DIRECTION: up
CREATE INDEX CONCURRENTLY IF NOT EXISTS todos_open_by_user_idx ON todos (user_id) WHERE NOT done;

-- DIRECTION: down
DROP INDEX CONCURRENTLY IF EXISTS todos_open_by_user_idx;
