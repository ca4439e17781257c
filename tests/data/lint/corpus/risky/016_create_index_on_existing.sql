-- expect: create-index-without-concurrently
CREATE INDEX idx_orders_created_at ON orders (created_at DESC) WHERE deleted_at IS NULL;
