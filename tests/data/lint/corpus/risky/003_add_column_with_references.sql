-- expect: add-foreign-key-without-not-valid, foreign-key-without-index
ALTER TABLE comments ADD COLUMN parent_id bigint REFERENCES comments (id);
