-- DIRECTION: up

SELECT 'ô€€';
