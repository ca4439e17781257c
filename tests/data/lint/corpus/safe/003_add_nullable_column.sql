-- expect:
ALTER TABLE accounts ADD COLUMN bio text;
