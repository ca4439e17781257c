-- expect:
-- expect-not: create-index-without-concurrently, foreign-key-without-index
CREATE TABLE subscriptions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES accounts (id),
    plan text NOT NULL DEFAULT 'free',
    started_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX subscriptions_account_id_idx ON subscriptions (account_id);
CREATE UNIQUE INDEX subscriptions_one_active ON subscriptions (account_id) WHERE plan <> 'free';
