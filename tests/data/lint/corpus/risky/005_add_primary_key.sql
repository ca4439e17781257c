-- expect: add-primary-key-without-index
-- the table was created without a key years ago
ALTER TABLE audit_log ADD PRIMARY KEY (id);
