-- expect: suppression-without-reason, drop-column
-- pgmig:allow drop-column
ALTER TABLE users DROP COLUMN middle_name;
