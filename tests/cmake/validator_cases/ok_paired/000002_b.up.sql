-- pgmig:no-transaction
CREATE INDEX CONCURRENTLY i ON a(x);
