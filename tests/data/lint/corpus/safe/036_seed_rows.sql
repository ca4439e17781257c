-- expect:
INSERT INTO plans (code, price_cents) VALUES ('free', 0), ('pro', 2900)
ON CONFLICT (code) DO UPDATE SET price_cents = EXCLUDED.price_cents;
