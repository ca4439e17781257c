-- expect: add-unique-without-index
ALTER TABLE teams ADD COLUMN slug text UNIQUE;
