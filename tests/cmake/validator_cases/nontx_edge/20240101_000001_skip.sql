-- Statements that only look like VACUUM: the build-time lexer must skip
-- strings, identifiers, comments and dollar quotes exactly as the runtime does.
-- DIRECTION: up
SELECT x$$y, 1$$ VACUUM; $$;
INSERT INTO t VALUES (1, e'a\'; VACUUM');
SELECT note'VACUUM;';
SELECT ($$;$$), (';'), u&"a;";
SELECT a-b/c-- x;
VACUUM;
SELECT 1/*;*/; SELECT $tag_1$ ; $tag_1$; SELECT 2$abc$ VACUUM; $abc$;
UPDATE t SET a = (SELECT 1; VACUUM);
CREATE TABLE w (x int); VACUUM
  w;
