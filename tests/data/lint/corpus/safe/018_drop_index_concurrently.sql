-- expect:
-- expect-not: drop-index-without-concurrently
-- pgmig:no-transaction
DROP INDEX CONCURRENTLY IF EXISTS orders_legacy_idx;
