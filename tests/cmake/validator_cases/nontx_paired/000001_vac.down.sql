-- pgmig:no-transaction
VACUUM p;
