-- expect: add-column-volatile-default, add-primary-key-without-index, prefer-bigint-over-int
ALTER TABLE legacy_imports ADD COLUMN id serial PRIMARY KEY;
