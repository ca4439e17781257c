-- pgmig:notransaction
-- a typo in the directive: the index below then runs in a transaction
CREATE INDEX CONCURRENTLY items_price_idx ON items (price);
