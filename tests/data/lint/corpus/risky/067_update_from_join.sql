-- expect: update-without-where
UPDATE orders SET region = c.region FROM customers c;
