-- expect:
-- expect-not: add-check-without-not-valid, set-not-null
-- step 1 of SET NOT NULL without a long lock: VALIDATE and SET NOT NULL follow in later migrations
ALTER TABLE customers ADD CONSTRAINT customers_email_not_null CHECK (email IS NOT NULL) NOT VALID;
