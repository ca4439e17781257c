/* -- DIRECTION: up
*/
-- DIRECTION: up
SELECT 1;
