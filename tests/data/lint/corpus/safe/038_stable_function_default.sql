-- expect:
-- expect-not: add-column-volatile-default
CREATE FUNCTION current_tenant() RETURNS text LANGUAGE sql STABLE AS $$ SELECT current_setting('app.tenant') $$;
ALTER TABLE documents ADD COLUMN tenant text DEFAULT current_tenant();
