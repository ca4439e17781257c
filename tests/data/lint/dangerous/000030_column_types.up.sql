CREATE TABLE events (
    id serial PRIMARY KEY,
    code char(3) NOT NULL,
    happened_at timestamp NOT NULL
);
