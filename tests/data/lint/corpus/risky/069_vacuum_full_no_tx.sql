-- expect: vacuum-full
-- pgmig:no-transaction
VACUUM FULL ANALYZE events;
