-- pgmig:no-transaction
VACUUM FULL orders;
