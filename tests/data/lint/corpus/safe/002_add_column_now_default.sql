-- expect:
-- expect-not: add-column-volatile-default
ALTER TABLE accounts ADD COLUMN last_seen_at timestamptz DEFAULT now();
ALTER TABLE accounts ADD COLUMN created_at timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP;
