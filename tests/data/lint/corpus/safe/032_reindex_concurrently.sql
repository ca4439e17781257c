-- expect:
-- expect-not: reindex-without-concurrently
-- pgmig:no-transaction
REINDEX INDEX CONCURRENTLY orders_customer_id_idx;
