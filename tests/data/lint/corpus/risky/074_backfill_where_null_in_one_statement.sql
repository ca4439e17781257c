-- expect: backfill-in-one-statement
-- expect-not: update-without-where
UPDATE accounts SET locale_code = lower(locale)
 WHERE locale_code IS NULL AND NOT (deleted IS TRUE);
