-- The service's accounts. One row per person; the e-mail address is the login.

-- DIRECTION: up
CREATE TABLE users (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email      text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_email_check CHECK (position('@' IN email) > 1)
);

-- DIRECTION: down
DROP TABLE users;
