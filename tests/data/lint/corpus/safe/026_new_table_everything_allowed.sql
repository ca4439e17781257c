-- expect:
-- expect-not: add-column-not-null-without-default, add-unique-without-index, add-check-without-not-valid, rename-column
CREATE TABLE coupons (id bigint PRIMARY KEY, code text NOT NULL, percent_off numeric NOT NULL);
ALTER TABLE coupons ADD COLUMN expires_at timestamptz NOT NULL;
ALTER TABLE coupons ADD CONSTRAINT coupons_code_key UNIQUE (code);
ALTER TABLE coupons ADD CONSTRAINT coupons_percent CHECK (percent_off BETWEEN 0 AND 100);
ALTER TABLE coupons RENAME COLUMN code TO coupon_code;
