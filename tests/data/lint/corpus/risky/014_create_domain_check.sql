-- expect: ban-create-domain-with-constraint
CREATE DOMAIN us_postal_code AS text CHECK (VALUE ~ '^\d{5}(-\d{4})?$');
