-- expect: reindex-without-concurrently
REINDEX INDEX idx_sessions_token;
