-- expect: add-check-without-not-valid
ALTER TABLE products ADD COLUMN weight_grams bigint CHECK (weight_grams >= 0);
