-- expect: drop-column
ALTER TABLE products DROP COLUMN sku CASCADE;
