-- expect:
-- expect-not: add-foreign-key-without-not-valid
ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;
