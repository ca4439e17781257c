-- expect: drop-column, set-not-null, change-column-type, add-column-not-null-without-default
ALTER TABLE invoices
    ADD COLUMN issued_on date NOT NULL,
    ALTER COLUMN customer_ref SET NOT NULL,
    ALTER COLUMN total TYPE numeric(14, 2),
    DROP COLUMN legacy_total;
