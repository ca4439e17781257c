-- expect: transaction-control-in-transaction
SAVEPOINT before_seed;
INSERT INTO plans (code, price_cents) VALUES ('pro', 2900);
RELEASE SAVEPOINT before_seed;
