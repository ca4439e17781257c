-- expect: suppression-unknown-rule, drop-table
-- pgmig:allow drop-tabel archived to S3 in 2023
DROP TABLE old_exports;
