-- expect: add-column-volatile-default
CREATE OR REPLACE FUNCTION make_token() RETURNS text LANGUAGE sql AS $$ SELECT md5(random()::text) $$;
ALTER TABLE api_keys ADD COLUMN token text NOT NULL DEFAULT make_token();
