-- expect:
-- expect-not: ban-alter-domain-with-add-constraint
ALTER DOMAIN email_address ADD CONSTRAINT email_address_has_at CHECK (VALUE LIKE '%@%') NOT VALID;
