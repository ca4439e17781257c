-- expect:
CREATE OR REPLACE VIEW active_accounts AS
SELECT id, email FROM accounts WHERE deleted_at IS NULL;
