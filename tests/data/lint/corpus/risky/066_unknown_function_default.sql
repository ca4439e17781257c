-- expect: add-column-volatile-default
-- short_code() is defined elsewhere, outside these migrations
ALTER TABLE links ADD COLUMN code text NOT NULL DEFAULT short_code();
