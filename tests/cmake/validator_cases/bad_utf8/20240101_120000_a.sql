-- ok
-- DIRECTION: up
SELECT 'Ã(';
