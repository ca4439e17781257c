-- expect: add-foreign-key-without-not-valid, foreign-key-without-index
ALTER TABLE line_items ADD CONSTRAINT line_items_order_fk FOREIGN KEY (order_id) REFERENCES orders (id) NOT VALID;
ALTER TABLE line_items VALIDATE CONSTRAINT line_items_order_fk;
