-- expect:
-- expect-not: add-check-without-not-valid
ALTER TABLE payments ADD CONSTRAINT payments_amount_positive CHECK (amount_cents > 0) NOT VALID;
