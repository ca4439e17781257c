-- expect:
ALTER TABLE payments VALIDATE CONSTRAINT payments_amount_positive;
