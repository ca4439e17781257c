/* a /* nested */ still */ -- x
-- DIRECTION: up
SELECT 1;
