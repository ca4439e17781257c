-- Missing -- pgmig:no-transaction: fails with "cannot run inside a transaction block".
CREATE INDEX CONCURRENTLY orders_user_id_idx ON orders (user_id);
