-- Data loss, and old app instances still select the column.
ALTER TABLE users DROP COLUMN legacy_flag;
