-- expect: rename-column, create-index-without-concurrently
ALTER TABLE tickets RENAME COLUMN assignee TO assignee_id;
CREATE INDEX tickets_assignee_id_idx ON tickets (assignee_id);
