-- pgmig:no-transaction
CREATE INDEX CONCURRENTLY i ON p (x);
