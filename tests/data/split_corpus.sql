-- split_corpus.sql: tricky but valid PostgreSQL 15 SQL for the statement splitter.
--
-- tests/unit/test_sql_split.cpp splits this file with libpg_query and with the
-- own lexer (both must agree) and checks the statement count. Every statement
-- runs, in this order, in a fresh database as a non-superuser, each one on its
-- own connection or all in one transaction (none of them is transaction
-- control or needs to run outside a transaction block); `psql -1 -f` runs it
-- too. Keep it that way when adding to it. Not here because libpg_query 15-4.0 or psql 15 get
-- them wrong (the unit tests have them): a -- comment inside the whitespace
-- of a continued literal ('a' -- c<newline>'b'), and an E'' literal continued
-- on the next line (E'a'<newline>'\'...', where the second part keeps the E rules);
-- psql also ends a BEGIN ATOMIC body early at `AS end` or `r.end`.
/* A block comment /* nested */ holding ; semicolons; 'quotes' and $$dollars$$ */
CREATE TABLE split_t (
    id integer PRIMARY KEY,
    "semi;colon" text DEFAULT ';',          -- a ; in an identifier and in a default
    "quote""d" text DEFAULT 'it''s; fine',
    note text
);
INSERT INTO split_t (id, note) VALUES (1, 'a;b'), (2, E'c\';d'), (3, e'back\\slash;'), (4, $$dollar; 'quoted'$$);
INSERT INTO split_t (id, note) VALUES (5, U&'\0041; unicode'), (6, 'line one;
line two; still the string');
INSERT INTO split_t (id, note) VALUES (7, 'continued;'
    ' string');
INSERT INTO split_t (id, note) VALUES (8, 'continued;'   	

	    ' across; blank lines');
SELECT 'C:\dir\' AS standard_conforming, E'ends with a backslash\\' AS e_string;
SELECT B'1010' AS bits, X'1F' AS hex, N'national;' AS nat, U&"d\0061t\+000061" FROM (SELECT 1 AS "data") AS s;
SELECT 'héllo; wörld' AS "naïve;column", 3 AS price$$, 4 AS a$b$c;;;
SELECT $$$$ AS empty_dollar, $_$a$$b$_$ AS underscore_tag, $Tag$ $tag$ ; $TAG$ $Tag$ AS case_sensitive_tag;
SELECT 2 +-- a comment right after an operator ;
    3 AS five, 2 +/* ; */3 AS also_five, 10 /* /* ; */ */ - 1 AS nine;
SELECT 1 AS same_line; SELECT 2 AS same_line_too;
COMMENT ON TABLE split_t IS 'has; semicolons -- and no comment /* here */';
CREATE VIEW split_v AS SELECT id, note FROM split_t WHERE note LIKE '%;%';
CREATE TYPE split_mood AS ENUM ('sad;', 'ok');
ALTER TYPE split_mood ADD VALUE 'happy';
CREATE INDEX "concurrently_idx" ON split_t (note);
CREATE FUNCTION split_plpgsql(x integer) RETURNS integer
LANGUAGE plpgsql AS $body$
DECLARE
    s text := 'not the end; $$ either';
BEGIN
    -- END; is only a comment here
    IF x > 0 THEN
        RETURN x;
    END IF;
    RETURN -x;
END;
$body$;
CREATE FUNCTION split_nested() RETURNS text LANGUAGE plpgsql AS $a$
BEGIN
    RETURN $b$ inner; $a $b$ || ';' || $$x;$$;
END
$a$;
DO $$
BEGIN
    PERFORM 1; /* ; */
    RAISE NOTICE 'done; %', $x$ $y$ ; $x$;
END
$$;
DO LANGUAGE plpgsql $do$ BEGIN PERFORM split_nested(); END $do$;
CREATE FUNCTION split_trg() RETURNS trigger LANGUAGE plpgsql AS '
BEGIN
    NEW.note := coalesce(NEW.note, ''default; note'');
    RETURN NEW;
END;
';
CREATE TRIGGER split_trg BEFORE INSERT ON split_t FOR EACH ROW EXECUTE FUNCTION split_trg();
CREATE TABLE split_range ("end" integer, "case" text);
INSERT INTO split_range VALUES (1, 'one;'), (2, 'two');
CREATE FUNCTION split_atomic(a integer) RETURNS integer
LANGUAGE sql
BEGIN ATOMIC
    SELECT CASE WHEN a > 0 THEN 1 ELSE 0 END;
    SELECT r."end" AS "end;" FROM split_range AS r WHERE r."case" = 'one;' AND r."end" = a;
    SELECT CASE a WHEN 1 THEN 10 WHEN 2 THEN (CASE WHEN a < 0 THEN -1 ELSE 20 END) ELSE 0 END;
END;
CREATE OR REPLACE PROCEDURE split_proc(n integer)
LANGUAGE sql
BEGIN ATOMIC
    INSERT INTO split_t (id, note) VALUES (n, 'proc; ' || CASE WHEN n > 100 THEN 'big' ELSE 'small' END);
    UPDATE split_t SET note = note || ';' WHERE id = n;
END;
CREATE FUNCTION split_ret(a integer) RETURNS integer LANGUAGE sql IMMUTABLE RETURN a + 1;
CREATE FUNCTION begin() RETURNS text LANGUAGE sql AS 'SELECT ''a function named begin; fine''';
CREATE TABLE split_log (id integer, what text);
CREATE RULE split_rule AS ON UPDATE TO split_t DO ALSO (
    INSERT INTO split_log VALUES (NEW.id, 'updated; once');
    INSERT INTO split_log VALUES (NEW.id, 'updated; twice')
);
CALL split_proc(101);
CREATE FUNCTION split_param(integer) RETURNS text LANGUAGE sql
BEGIN ATOMIC SELECT $1::text ||$$;$$|| $1; END;
WITH x AS (SELECT ';' AS s) SELECT s, split_atomic(1), split_plpgsql(-2), split_ret(1), begin(), split_param(41) FROM x;
SELECT (ARRAY[1, 2])[1] AS first, '{";"}'::text[] AS arr, "quote""d" FROM split_t WHERE id = 1;
-- the last statement has no ';' (psql style) and a comment after it
SELECT count(*) AS "last; statement" FROM split_log
-- trailing comment; not a statement
