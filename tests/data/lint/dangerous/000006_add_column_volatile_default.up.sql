-- gen_random_uuid() is volatile: every row gets its own value, so the table is rewritten.
ALTER TABLE users ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid();
