-- expect:
-- expect-not: add-foreign-key-without-not-valid
-- pgmig:allow foreign-key-without-index orders_customer_id_idx was built CONCURRENTLY by the previous migration
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
