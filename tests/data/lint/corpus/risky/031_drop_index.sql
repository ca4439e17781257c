-- expect: drop-index-without-concurrently
DROP INDEX IF EXISTS idx_orders_status;
