-- expect:
-- expect-not: drop-table
DROP TABLE import_staging; -- pgmig:allow drop-table staging table, emptied after every import
