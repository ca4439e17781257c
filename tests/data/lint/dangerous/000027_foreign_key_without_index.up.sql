-- NOT VALID avoids the long lock, but no index covers orders(coupon_id).
ALTER TABLE orders
    ADD CONSTRAINT orders_coupon_fk FOREIGN KEY (coupon_id) REFERENCES coupons (id) NOT VALID;
