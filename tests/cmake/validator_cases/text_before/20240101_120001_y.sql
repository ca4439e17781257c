/* c
 still */ SELECT 0; /*
*/
-- DIRECTION: up
SELECT 1;
