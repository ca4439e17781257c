-- expect: add-column-volatile-default
ALTER TABLE tasks ADD COLUMN enqueued_at timestamptz NOT NULL DEFAULT clock_timestamp();
