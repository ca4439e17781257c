-- MIGRATION: create_audit_log

-- DIRECTION: up
CREATE TABLE audit_log (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at      timestamptz NOT NULL DEFAULT now(),
    message text NOT NULL
);

-- DIRECTION: down
DROP TABLE audit_log;
