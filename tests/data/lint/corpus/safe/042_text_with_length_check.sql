-- expect:
-- expect-not: prefer-text-field, add-check-without-not-valid
CREATE TABLE notes (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    body text NOT NULL CHECK (char_length(body) <= 500)
);
