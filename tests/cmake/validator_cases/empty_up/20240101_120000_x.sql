-- DIRECTION: up

  
-- DIRECTION: down
SELECT 1;
