// Tests of the statement splitter (src/core/sql_split.*); the classifiers: test_statement_kind.cpp.
#include "core/sql_split.hpp"
#include "core/statement_kind.hpp"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

using pgmig::detail::core::is_transaction_control;
using pgmig::detail::core::non_transactional_statement;
using pgmig::detail::core::split_sql;
using pgmig::detail::core::split_sql_lexer;
using pgmig::detail::core::split_sql_parser;
using pgmig::detail::core::sql_statement;

std::vector<std::string> texts(const std::vector<sql_statement>& statements) {
    std::vector<std::string> out;
    for (const auto& s : statements) out.push_back(s.text);
    return out;
}

// "offset:line:text" of each statement, for readable comparisons.
std::vector<std::string> described(const std::vector<sql_statement>& statements) {
    std::vector<std::string> out;
    for (const auto& s : statements)
        out.push_back(std::to_string(s.offset) + ":" + std::to_string(s.line) + ":" + s.text);
    return out;
}

enum class parser { parses, fails };

// Splits `sql` with the lexer, with libpg_query and with split_sql(); checks
// that libpg_query parses it or not as expected, that both paths agree, and
// that every text is the input at its offset. Returns the statements.
std::vector<sql_statement> split_checked(std::string_view sql, parser expected = parser::parses) {
    const auto lexed = split_sql_lexer(sql);
    const auto parsed = split_sql_parser(sql);
    BOOST_TEST(parsed.has_value() == (expected == parser::parses), "libpg_query parses: " << parsed.has_value());
    if (parsed) BOOST_TEST(described(*parsed) == described(lexed), boost::test_tools::per_element());
    BOOST_TEST(described(split_sql(sql)) == described(lexed), boost::test_tools::per_element());
    for (const auto& s : lexed) {
        BOOST_TEST_REQUIRE(s.offset + s.text.size() <= sql.size());
        BOOST_TEST(sql.substr(s.offset, s.text.size()) == s.text);
        BOOST_TEST(s.line == pgmig::detail::core::line_of_offset(sql, s.offset));
    }
    return lexed;
}

void expect_texts(std::string_view sql, const std::vector<std::string>& expected, parser p = parser::parses) {
    BOOST_TEST(texts(split_checked(sql, p)) == expected, boost::test_tools::per_element());
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    BOOST_TEST_REQUIRE(in.good(), "cannot read " << path);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

} // namespace

BOOST_AUTO_TEST_SUITE(sql_split)

// ------------------------------------------------------------------ basics

BOOST_AUTO_TEST_CASE(splits_on_semicolons_and_keeps_a_last_statement_without_one) {
    expect_texts("SELECT 1; SELECT 2;", {"SELECT 1", "SELECT 2"});
    expect_texts("SELECT 1;\nSELECT 2", {"SELECT 1", "SELECT 2"});
    expect_texts("  SELECT 1  ", {"SELECT 1"});
}

BOOST_AUTO_TEST_CASE(drops_empty_statements) {
    expect_texts("", {});
    expect_texts(" \n\t ", {});
    expect_texts(";;; ;\n;", {});
    expect_texts("-- only a comment\n/* and /* another */ */ ;", {});
    expect_texts("SELECT 1;;; -- trailing comment\n;/* c */", {"SELECT 1"});
}

BOOST_AUTO_TEST_CASE(trims_surrounding_comments_and_keeps_inner_ones) {
    expect_texts("-- leading; comment\n/* block; */ SELECT 1 /* inner; */ + 2 -- trailing;\n ; SELECT 3 -- end",
                 {"SELECT 1 /* inner; */ + 2", "SELECT 3"});
}

// ------------------------------------------------------------------ lexical forms

BOOST_AUTO_TEST_CASE(single_quoted_strings) {
    expect_texts("SELECT 'a;b'; SELECT 'it''s; ok'; SELECT '';", {"SELECT 'a;b'", "SELECT 'it''s; ok'", "SELECT ''"});
    expect_texts("SELECT '-- not a comment;'; SELECT '/* nor this; */'",
                 {"SELECT '-- not a comment;'", "SELECT '/* nor this; */'"});
}

BOOST_AUTO_TEST_CASE(backslash_is_not_an_escape_in_standard_strings) {
    expect_texts(R"(SELECT 'C:\dir\'; SELECT 2)", {R"(SELECT 'C:\dir\')", "SELECT 2"});
}

BOOST_AUTO_TEST_CASE(escape_strings) {
    expect_texts(R"(SELECT E'a\';b'; SELECT e'c\\'; SELECT E'd'';e\\\'f';)",
                 {R"(SELECT E'a\';b')", R"(SELECT e'c\\')", R"(SELECT E'd'';e\\\'f')"});
    // An identifier ending in e is not an E'' prefix.
    expect_texts(R"(SELECT 'x' AS e, 'y\'; SELECT 2)", {R"(SELECT 'x' AS e, 'y\')", "SELECT 2"});
}

BOOST_AUTO_TEST_CASE(unicode_bit_hex_and_national_strings) {
    expect_texts(R"(SELECT U&'\0041;' UESCAPE '\'; SELECT u&'d\0061t\+000061;', U&"d;" FROM (SELECT 1 AS "d;") s;)",
                 {R"(SELECT U&'\0041;' UESCAPE '\')", R"(SELECT u&'d\0061t\+000061;', U&"d;" FROM (SELECT 1 AS "d;") s)"});
    expect_texts("SELECT B'1010', b'', X'1F', x'ab', N'n;', n'''x;';SELECT 2",
                 {"SELECT B'1010', b'', X'1F', x'ab', N'n;', n'''x;'", "SELECT 2"});
}

BOOST_AUTO_TEST_CASE(quoted_identifiers) {
    expect_texts(R"(CREATE TABLE "a;b" ("c""d;" int, "--x" int, "/*" int); SELECT 2)",
                 {R"(CREATE TABLE "a;b" ("c""d;" int, "--x" int, "/*" int))", "SELECT 2"});
}

BOOST_AUTO_TEST_CASE(dollar_quotes) {
    expect_texts("SELECT $$a;b$$; SELECT $tag$ ; $$ ; $tag$; SELECT $$$$;",
                 {"SELECT $$a;b$$", "SELECT $tag$ ; $$ ; $tag$", "SELECT $$$$"});
    // $a$ ... $b$ ... $b$ ... $a$: the inner quote is only text of the outer one.
    expect_texts("SELECT $a$ x $b$ ; $a $b$ ; $a$; SELECT 2", {"SELECT $a$ x $b$ ; $a $b$ ; $a$", "SELECT 2"});
    // Tags are case sensitive and may hold underscores, digits and non-ASCII letters.
    expect_texts("SELECT $Tag$ $tag$ ; $TAG$ $Tag$; SELECT $_1$;$_1$; SELECT $é$;$é$",
                 {"SELECT $Tag$ $tag$ ; $TAG$ $Tag$", "SELECT $_1$;$_1$", "SELECT $é$;$é$"});
}

BOOST_AUTO_TEST_CASE(dollar_signs_that_are_not_quotes) {
    // $1 is a parameter: the $$ right after it opens a quote.
    expect_texts("PREPARE p(int) AS SELECT $1 ||$$;$$; SELECT 2", {"PREPARE p(int) AS SELECT $1 ||$$;$$", "SELECT 2"});
    // $ inside an identifier (a$$ is one identifier, as is x$y$z).
    expect_texts("SELECT 1 AS a$$; SELECT 2 AS x$y$z; SELECT $$;$$",
                 {"SELECT 1 AS a$$", "SELECT 2 AS x$y$z", "SELECT $$;$$"});
}

BOOST_AUTO_TEST_CASE(comments) {
    expect_texts("SELECT 1 -- a; 'b $$ /*\n+ 2; SELECT /* a; /* nested; */ still; */ 3",
                 {"SELECT 1 -- a; 'b $$ /*\n+ 2", "SELECT /* a; /* nested; */ still; */ 3"});
    // A comment right after an operator ends the operator.
    expect_texts("SELECT 2 +-- c;\n3; SELECT 2 +/* ; */3", {"SELECT 2 +-- c;\n3", "SELECT 2 +/* ; */3"});
    // A lone CR ends a -- comment.
    expect_texts("SELECT 1 -- c\r;SELECT 2", {"SELECT 1", "SELECT 2"});
}

BOOST_AUTO_TEST_CASE(continued_string_literals) {
    expect_texts("SELECT 'a;'\n  'b;'; SELECT 2", {"SELECT 'a;'\n  'b;'", "SELECT 2"});
    // The second part of a continued E'' literal keeps the backslash escapes.
    // PostgreSQL 15 returns one row for the first statement; psql 15 splits it
    // wrongly at "d;".
    expect_texts("SELECT E'a\\'; b'\n  ' c \\' d;' AS x; SELECT 2", {"SELECT E'a\\'; b'\n  ' c \\' d;' AS x", "SELECT 2"});
    // Without a newline between them they are two literals (the second a
    // standard one), which is a syntax error, but still splits like this.
    expect_texts("SELECT E'a' ' \\'; SELECT 2", {"SELECT E'a' ' \\'", "SELECT 2"}, parser::fails);
}

BOOST_AUTO_TEST_CASE(continued_literals_across_comments_need_the_lexer) {
    // The server accepts -- comments in the whitespace of a continued literal;
    // libpg_query 15-4.0 rejects them, so the lexer splits these.
    expect_texts("SELECT 'a' -- c\n'b;'; SELECT 2", {"SELECT 'a' -- c\n'b;'", "SELECT 2"}, parser::fails);
    expect_texts("SELECT E'a\\'; b'\n  -- comment '\n  ' c \\' d;' AS x; SELECT 2",
                 {"SELECT E'a\\'; b'\n  -- comment '\n  ' c \\' d;' AS x", "SELECT 2"}, parser::fails);
    // A block comment does not continue a literal.
    expect_texts("SELECT E'a' /* c */\n' \\'; SELECT 2", {"SELECT E'a' /* c */\n' \\'", "SELECT 2"}, parser::fails);
}

// ------------------------------------------------------------------ bodies

BOOST_AUTO_TEST_CASE(function_bodies_in_dollar_quotes_and_strings) {
    const std::string f1 = "CREATE FUNCTION f(x int) RETURNS int LANGUAGE plpgsql AS $body$\n"
                           "DECLARE s text := 'x; $$';\nBEGIN\n  IF x > 0 THEN RETURN x; END IF;\n  RETURN -x;\nEND;\n$body$";
    const std::string f2 = "CREATE FUNCTION g() RETURNS trigger LANGUAGE plpgsql AS '\nBEGIN\n"
                           "  NEW.a := ''x;'';\n  RETURN NEW;\nEND;\n'";
    expect_texts(f1 + ";\n" + f2 + ";\nSELECT 1;", {f1, f2, "SELECT 1"});
}

BOOST_AUTO_TEST_CASE(do_blocks) {
    expect_texts("DO $$ BEGIN PERFORM 1; RAISE NOTICE '%;', $x$ ; $x$; END $$; DO LANGUAGE plpgsql $d$ BEGIN NULL; END $d$",
                 {"DO $$ BEGIN PERFORM 1; RAISE NOTICE '%;', $x$ ; $x$; END $$",
                  "DO LANGUAGE plpgsql $d$ BEGIN NULL; END $d$"});
}

BOOST_AUTO_TEST_CASE(begin_atomic_bodies) {
    const std::string f = "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n"
                          "  SELECT CASE WHEN a > 0 THEN 1 ELSE 0 END;\n"
                          "  SELECT CASE a WHEN 1 THEN (CASE WHEN a < 0 THEN -1 END) ELSE 2 END;\nEND";
    const std::string p = "create or replace procedure p(n int) language sql begin atomic\n"
                          "  insert into t values (n, case when n > 1 then 'a;' else 'b' end);\n"
                          "  update t set v = v || ';';\nend";
    expect_texts(f + ";\n" + p + ";\nSELECT 1", {f, p, "SELECT 1"});
    // Comments between BEGIN and ATOMIC, an empty body.
    expect_texts("CREATE FUNCTION e() RETURNS void LANGUAGE sql BEGIN /* ; */ ATOMIC END; SELECT 1",
                 {"CREATE FUNCTION e() RETURNS void LANGUAGE sql BEGIN /* ; */ ATOMIC END", "SELECT 1"});
}

BOOST_AUTO_TEST_CASE(end_and_case_as_names_inside_begin_atomic) {
    // `AS end`, `r.end`, `r.case` are names, not the end of the body (psql 15
    // gets this wrong; libpg_query and the lexer do not).
    const std::string f = "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql BEGIN ATOMIC\n"
                          "  SELECT r.end AS end FROM r WHERE r.case = 'x;' AND r.end = a;\n"
                          "  SELECT 1 AS case;\nEND";
    expect_texts(f + "; SELECT 2", {f, "SELECT 2"});
    // Bare labels: `SELECT 1 end` and `SELECT 1 case` are valid; the body
    // ends at the END that follows a ';'.
    const std::string g = "CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1 end, 2 case; "
                          "SELECT CASE WHEN true THEN 1 END end; END";
    expect_texts(g + "; SELECT 2", {g, "SELECT 2"});
    // END right after a ';' closes the body; the END after it is a statement.
    expect_texts("CREATE FUNCTION h() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END; END",
                 {"CREATE FUNCTION h() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END", "END"});
}

BOOST_AUTO_TEST_CASE(begin_outside_routine_bodies_is_not_a_block) {
    expect_texts("BEGIN; SELECT 1; COMMIT", {"BEGIN", "SELECT 1", "COMMIT"});
    expect_texts("CREATE FUNCTION begin() RETURNS int LANGUAGE sql AS 'SELECT 1'; SELECT begin()",
                 {"CREATE FUNCTION begin() RETURNS int LANGUAGE sql AS 'SELECT 1'", "SELECT begin()"});
    expect_texts("CREATE TABLE atomic (begin int); SELECT begin, atomic.begin FROM atomic",
                 {"CREATE TABLE atomic (begin int)", "SELECT begin, atomic.begin FROM atomic"});
}

BOOST_AUTO_TEST_CASE(rule_actions_in_parentheses) {
    const std::string r = "CREATE RULE r AS ON UPDATE TO t DO ALSO (\n  INSERT INTO l VALUES (1);\n"
                          "  INSERT INTO l VALUES (2)\n)";
    expect_texts(r + "; SELECT 1", {r, "SELECT 1"});
}

// ------------------------------------------------------------------ positions

BOOST_AUTO_TEST_CASE(offsets_and_lines) {
    const std::string sql = "/* line 1\n   line 2; */\nSELECT 1;  SELECT\n2;\n\n-- c\n  SELECT 'a\nb';SELECT 4";
    const auto s = split_checked(sql);
    BOOST_TEST(described(s) == (std::vector<std::string>{"24:3:SELECT 1", "35:3:SELECT\n2", "53:7:SELECT 'a\nb'",
                                                         "66:8:SELECT 4"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(crlf_and_lone_cr_input) {
    const std::string sql = "SELECT 1;\r\n/* a\r\n b */ SELECT\r\n 2;\r\n\r\nSELECT 3;\rSELECT 4\r\n";
    const auto s = split_checked(sql);
    BOOST_TEST(described(s) == (std::vector<std::string>{"0:1:SELECT 1", "23:3:SELECT\r\n 2", "38:6:SELECT 3",
                                                         "48:7:SELECT 4"}),
               boost::test_tools::per_element());
    BOOST_TEST(pgmig::detail::core::line_of_offset("a\r\nb\rc\nd", 7) == 4);
    BOOST_TEST(pgmig::detail::core::line_of_offset("a\nb", 100) == 2);
    BOOST_TEST(pgmig::detail::core::line_of_offset("", 0) == 1);
}

BOOST_AUTO_TEST_CASE(statements_on_one_line_after_a_multiline_statement) {
    const std::string sql = "SELECT\n'x\n\n'; SELECT 2; SELECT 3 -- c\n; SELECT 4";
    const auto s = split_checked(sql);
    BOOST_TEST(described(s) == (std::vector<std::string>{"0:1:SELECT\n'x\n\n'", "14:4:SELECT 2", "24:4:SELECT 3",
                                                         "40:5:SELECT 4"}),
               boost::test_tools::per_element());
}

// ------------------------------------------------------------------ broken input

BOOST_AUTO_TEST_CASE(unterminated_constructs_end_the_input) {
    expect_texts("SELECT 1; SELECT 'abc; SELECT 2", {"SELECT 1", "SELECT 'abc; SELECT 2"}, parser::fails);
    expect_texts("SELECT 1; SELECT E'abc\\'; SELECT 2 ", {"SELECT 1", "SELECT E'abc\\'; SELECT 2 "}, parser::fails);
    expect_texts("SELECT 1; SELECT \"abc; SELECT 2\n", {"SELECT 1", "SELECT \"abc; SELECT 2\n"}, parser::fails);
    expect_texts("SELECT 1; SELECT $a$ x; $b$ ; $A$", {"SELECT 1", "SELECT $a$ x; $b$ ; $A$"}, parser::fails);
    expect_texts("SELECT 1; SELECT 2 /* x; /* y */ ; ", {"SELECT 1", "SELECT 2 /* x; /* y */ ; "}, parser::fails);
    // An unterminated comment alone is kept too, so the server reports it.
    expect_texts("SELECT 1; /* x;", {"SELECT 1", "/* x;"}, parser::fails);
    expect_texts("SELECT 1; SELECT (2; SELECT 3", {"SELECT 1", "SELECT (2; SELECT 3"}, parser::fails);
    expect_texts("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2",
                 {"CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2"}, parser::fails);
    // A -- comment at the very end, without a newline, is fine.
    expect_texts("SELECT 1 -- c", {"SELECT 1"});
}

BOOST_AUTO_TEST_CASE(syntax_errors_still_split) {
    expect_texts("SELEC 1; SELECT 'a;b'; FOO BAR", {"SELEC 1", "SELECT 'a;b'", "FOO BAR"}, parser::fails);
    expect_texts("SELECT ); SELECT 2", {"SELECT )", "SELECT 2"}, parser::fails);
}

BOOST_AUTO_TEST_CASE(nul_bytes_go_to_the_lexer) {
    const std::string sql("SELECT '\0;'; SELECT 2", 21);
    BOOST_TEST(!split_sql_parser(sql).has_value());
    BOOST_TEST(texts(split_sql(sql)) == (std::vector<std::string>{std::string("SELECT '\0;'", 11), "SELECT 2"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(syntax_newer_than_postgresql_15_splits_via_the_lexer) {
    // PostgreSQL 17: MERGE ... RETURNING and JSON_TABLE; PostgreSQL 16: 1_000, 0x1F, IS JSON.
    expect_texts("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET v = ';' "
                 "RETURNING merge_action(), t.*; SELECT 'a;b'",
                 {"MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET v = ';' "
                  "RETURNING merge_action(), t.*",
                  "SELECT 'a;b'"},
                 parser::fails);
    expect_texts(R"(SELECT * FROM JSON_TABLE('[{"a":";"}]'::jsonb, '$[*]' COLUMNS (a text PATH '$.a')) AS jt; SELECT 2)",
                 {R"(SELECT * FROM JSON_TABLE('[{"a":";"}]'::jsonb, '$[*]' COLUMNS (a text PATH '$.a')) AS jt)",
                  "SELECT 2"},
                 parser::fails);
    expect_texts("SELECT 1_000, 0x1F; SELECT '{}' IS JSON OBJECT; SELECT $$;$$",
                 {"SELECT 1_000, 0x1F", "SELECT '{}' IS JSON OBJECT", "SELECT $$;$$"}, parser::fails);
}

// ------------------------------------------------------------------ corpus

BOOST_AUTO_TEST_CASE(corpus_splits_the_same_with_libpg_query_and_the_lexer) {
    const std::string sql = read_file(std::string(PGMIG_TEST_DATA_DIR) + "/split_corpus.sql");
    const auto statements = split_checked(sql, parser::parses);
    BOOST_TEST(statements.size() == 36u);
    // Each statement on its own is exactly one statement that PostgreSQL 15's
    // grammar accepts, so no split point is off.
    for (const auto& s : statements) {
        const auto alone = split_sql_parser(s.text);
        BOOST_TEST_REQUIRE(alone.has_value(), "libpg_query rejects statement at line " << s.line << ": " << s.text);
        BOOST_TEST_REQUIRE(alone->size() == 1u);
        BOOST_TEST((*alone)[0].text == s.text);
        BOOST_TEST(non_transactional_statement(s.text) == "");
        BOOST_TEST(!is_transaction_control(s.text));
    }
    BOOST_TEST(statements.front().line == 14);
    BOOST_TEST(statements.back().text == "SELECT count(*) AS \"last; statement\" FROM split_log");
}

BOOST_AUTO_TEST_SUITE_END()

#include "core/batch.hpp"

BOOST_AUTO_TEST_SUITE(batch_directives)

BOOST_AUTO_TEST_CASE(a_batch_line_is_on_the_next_statement_and_says_its_pause_and_timeout) {
    const std::string sql = "SELECT 1;\n"
                            "-- pgmig:batch pause 50ms\n"
                            "-- a comment between\n"
                            "UPDATE t SET x = 0 -- pgmig:batch (not a line of its own)\n"
                            "  WHERE id IN (SELECT id FROM t WHERE x IS NULL LIMIT 100);\n"
                            "DELETE FROM t WHERE false;\n"
                            "  -- pgmig:batch timeout 2s\n"
                            "INSERT INTO u SELECT 1;\n";
    const auto stmts = pgmig::detail::core::split_sql(sql);
    BOOST_REQUIRE(stmts.size() == 4u);
    const auto specs = pgmig::detail::core::batch_specs(sql, stmts);
    BOOST_REQUIRE(specs.size() == 4u);
    BOOST_TEST(!specs[0].has_value());
    BOOST_REQUIRE(specs[1].has_value());
    BOOST_TEST(specs[1]->pause.count() == 50);
    BOOST_TEST(!specs[1]->statement_timeout.has_value());
    BOOST_TEST(!specs[2].has_value());
    BOOST_REQUIRE(specs[3].has_value());
    BOOST_TEST(specs[3]->statement_timeout->count() == 2000);
    BOOST_TEST(specs[3]->pause.count() == 0);
    BOOST_TEST(pgmig::detail::core::is_batchable_statement("WITH b AS (SELECT 1) UPDATE t SET x = 1"));
    BOOST_TEST(pgmig::detail::core::is_batchable_statement("merge into t using s on true when matched then delete"));
    BOOST_TEST(!pgmig::detail::core::is_batchable_statement("CREATE INDEX CONCURRENTLY i ON t (x)"));
}

BOOST_AUTO_TEST_SUITE_END()
