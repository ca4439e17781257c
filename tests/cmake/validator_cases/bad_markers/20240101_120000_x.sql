-- DIRECTION:
-- direction: sideways
-- DIRECTION: up
SELECT 1;
-- DIRECTION: Left
