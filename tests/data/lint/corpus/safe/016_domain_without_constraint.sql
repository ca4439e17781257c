-- expect:
-- expect-not: ban-create-domain-with-constraint
CREATE DOMAIN email_address AS text;
