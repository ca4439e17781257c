-- expect:
-- expect-not: prefer-bigint-over-int
CREATE TABLE billing.invoices (id bigint PRIMARY KEY, total_cents bigint NOT NULL);
ALTER TABLE billing.invoices ADD COLUMN paid_at timestamptz;
