-- MIGRATION:   
-- MIGRATION: x
-- migrations: y
-- DIRECTION: up
-- MIGRATION: z
SELECT 1;
