-- MIGRATION: bee
/* block
 comment */
-- DIRECTION: up
SELECT 1;
