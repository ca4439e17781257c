-- expect: add-check-without-not-valid
ALTER TABLE payments ADD CONSTRAINT payments_currency_iso CHECK (char_length(currency) = 3) NOT VALID;
ALTER TABLE payments VALIDATE CONSTRAINT payments_currency_iso;
