-- expect: prefer-bigint-over-int
ALTER TABLE products ADD COLUMN stock smallint NOT NULL DEFAULT 0;
