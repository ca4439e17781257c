-- expect:
-- expect-not: drop-column
-- pgmig:allow drop-column plan moved to the billing service in release 41; no deployed code reads it
ALTER TABLE accounts DROP COLUMN plan;
