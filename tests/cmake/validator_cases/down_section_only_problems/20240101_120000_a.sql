-- DIRECTION: up
SELECT 1;
-- DIRECTION: down
-- pgmig:bogus
-- DIRECTION: down
