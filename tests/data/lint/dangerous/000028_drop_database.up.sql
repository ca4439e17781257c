-- pgmig:no-transaction
DROP DATABASE legacy_reports;
