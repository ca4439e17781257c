-- expect:
-- expect-not: create-index-without-concurrently, non-transactional-in-transaction
-- pgmig:no-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_idx ON orders (customer_id);
