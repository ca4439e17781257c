-- DIRECTION: up
SELECT 'À¯';
