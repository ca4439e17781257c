-- DIRECTION: up
-- pgmig:nontransaction
CREATE INDEX CONCURRENTLY items_name_idx ON items (name);

-- DIRECTION: down
DROP INDEX items_name_idx;
