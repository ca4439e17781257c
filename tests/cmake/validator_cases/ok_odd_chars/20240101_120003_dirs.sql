-- pgmig:lock-timeout 2 min
-- PGMIG : No-Transaction
-- DIRECTION: up
-- pgmig:lock-timeout 10s
SELECT 1;
-- DIRECTION: down
-- pgmig:lock-timeout 500ms
SELECT 2;
