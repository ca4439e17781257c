-- DIRECTION: up
SELECT 'í €';
