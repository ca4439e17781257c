/* unterminated
-- pgmig:bogus
-- DIRECTION: up
SELECT 1;
