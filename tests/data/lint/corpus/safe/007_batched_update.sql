-- expect:
-- expect-not: update-without-where
UPDATE accounts SET locale = 'en-US' WHERE locale = 'en' AND id BETWEEN 1 AND 10000;
