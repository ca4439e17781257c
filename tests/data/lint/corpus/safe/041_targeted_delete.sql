-- expect:
-- expect-not: delete-without-where
DELETE FROM sessions WHERE expires_at < now() - interval '30 days';
