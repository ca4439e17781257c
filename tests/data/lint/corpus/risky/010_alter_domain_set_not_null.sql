-- expect: ban-alter-domain-with-add-constraint
ALTER DOMAIN email_address SET NOT NULL;
