-- expect: prefer-bigint-over-int, prefer-timestamptz
CREATE TABLE page_views (
    id serial PRIMARY KEY,
    page_id integer NOT NULL,
    viewed_at timestamp NOT NULL DEFAULT now()
);
