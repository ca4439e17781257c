-- DIRECTION: up
SELECT ';', '[', ']', '\\', '${x}', '$$';
-- pgmig:allow drop-column because [reasons]; really\
-- DIRECTION: down
SELECT '\\';
