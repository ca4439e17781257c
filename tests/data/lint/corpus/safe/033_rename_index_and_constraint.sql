-- expect:
-- expect-not: rename-table, rename-column
ALTER INDEX orders_customer_id_idx RENAME TO orders_customer_idx;
ALTER TABLE orders RENAME CONSTRAINT orders_customer_fk TO orders_customer_id_fkey;
