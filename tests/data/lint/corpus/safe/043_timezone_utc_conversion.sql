-- expect:
SET LOCAL TimeZone = 'UTC';
ALTER TABLE events ADD COLUMN happened_at_utc timestamptz;
