-- expect:
-- expect-not: add-column-not-null-without-default, add-column-volatile-default
ALTER TABLE accounts ADD COLUMN locale text NOT NULL DEFAULT 'en';
