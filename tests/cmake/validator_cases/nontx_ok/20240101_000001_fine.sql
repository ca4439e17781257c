-- A migration that only talks about VACUUM and CONCURRENTLY.
-- DIRECTION: up
COMMENT ON TABLE t IS 'run VACUUM; CREATE INDEX CONCURRENTLY later';
CREATE TABLE "vacuum" (database text, system text, subscription text);
SELECT database, system FROM "vacuum";
-- DIRECTION: down
DROP TABLE "vacuum";
