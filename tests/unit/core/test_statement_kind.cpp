// Tests of the statement classifiers (src/core/statement_kind.*).
#include "core/statement_kind.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <utility>
#include <vector>

using pgmig::detail::core::is_transaction_control;
using pgmig::detail::core::literal_rows_after_first;
using pgmig::detail::core::non_transactional_statement;

BOOST_AUTO_TEST_SUITE(statement_kind)

BOOST_AUTO_TEST_CASE(non_transactional_positives) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"CREATE INDEX CONCURRENTLY i ON t (a)", "CREATE INDEX CONCURRENTLY"},
        {"create unique index concurrently if not exists i on t (a)", "CREATE INDEX CONCURRENTLY"},
        {"-- add it\nCREATE /* c */ INDEX\n  CONCURRENTLY ON t (a);", "CREATE INDEX CONCURRENTLY"},
        {"DROP INDEX CONCURRENTLY IF EXISTS i", "DROP INDEX CONCURRENTLY"},
        {"REINDEX INDEX CONCURRENTLY i", "REINDEX CONCURRENTLY"},
        {"REINDEX TABLE CONCURRENTLY t", "REINDEX CONCURRENTLY"},
        {"REINDEX (VERBOSE, CONCURRENTLY) TABLE t", "REINDEX CONCURRENTLY"},
        {"REINDEX (CONCURRENTLY true) SCHEMA s", "REINDEX CONCURRENTLY"},
        {"REINDEX SCHEMA s", "REINDEX SCHEMA"},
        {"REINDEX DATABASE d", "REINDEX DATABASE"},
        {"reindex system d", "REINDEX SYSTEM"},
        {"VACUUM", "VACUUM"},
        {"vacuum (analyze, verbose) t", "VACUUM"},
        {"VACUUM FULL ANALYZE t", "VACUUM"},
        {"CLUSTER", "CLUSTER"},
        {"CLUSTER VERBOSE", "CLUSTER"},
        {"CREATE DATABASE d", "CREATE DATABASE"},
        {"DROP DATABASE IF EXISTS d WITH (FORCE)", "DROP DATABASE"},
        {"ALTER DATABASE d SET TABLESPACE ts", "ALTER DATABASE ... SET TABLESPACE"},
        {"ALTER DATABASE d WITH TABLESPACE = ts", "ALTER DATABASE ... SET TABLESPACE"},
        {"ALTER SYSTEM SET work_mem = '64MB'", "ALTER SYSTEM"},
        {"CREATE TABLESPACE ts LOCATION '/x'", "CREATE TABLESPACE"},
        {"DROP TABLESPACE ts", "DROP TABLESPACE"},
        {"CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p", "CREATE SUBSCRIPTION"},
        {"CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p WITH (create_slot = true, enabled = false)",
         "CREATE SUBSCRIPTION"},
        {"DROP SUBSCRIPTION s", "DROP SUBSCRIPTION"},
        {"ALTER SUBSCRIPTION s REFRESH PUBLICATION", "ALTER SUBSCRIPTION ... REFRESH"},
        {"ALTER SUBSCRIPTION s SET PUBLICATION p", "ALTER SUBSCRIPTION with refresh"},
        {"ALTER SUBSCRIPTION s ADD PUBLICATION p WITH (refresh = true)", "ALTER SUBSCRIPTION with refresh"},
        {"ALTER TABLE t DETACH PARTITION p CONCURRENTLY", "DETACH PARTITION CONCURRENTLY"},
        {"ALTER TABLE IF EXISTS ONLY s.t DETACH PARTITION s.\"p\" CONCURRENTLY", "DETACH PARTITION CONCURRENTLY"},
        {"DISCARD ALL", "DISCARD ALL"},
        {"COMMIT PREPARED 'x'", "COMMIT PREPARED"},
        {"ROLLBACK PREPARED 'x'", "ROLLBACK PREPARED"},
        // Several statements: the first that cannot run in a transaction block.
        {"SELECT 1; CREATE INDEX CONCURRENTLY i ON t (a); VACUUM", "CREATE INDEX CONCURRENTLY"},
    };
    for (const auto& [sql, name] : cases) BOOST_TEST(non_transactional_statement(sql) == name, sql);
}

BOOST_AUTO_TEST_CASE(non_transactional_negatives) {
    const std::vector<std::string> cases = {
        "CREATE INDEX \"concurrently_idx\" ON t (a)",
        "CREATE INDEX \"concurrently\" ON t (a)",
        "CREATE INDEX i ON t (a) -- CONCURRENTLY",
        "CREATE INDEX /* CONCURRENTLY */ i ON t (a)",
        "-- CREATE INDEX CONCURRENTLY i ON t (a)\nCREATE INDEX i ON t (a)",
        "SELECT 'CREATE INDEX CONCURRENTLY i ON t (a)'",
        "SELECT $$VACUUM$$",
        "COMMENT ON TABLE t IS 'VACUUM; CREATE DATABASE d'",
        "DO $$ BEGIN EXECUTE 'VACUUM'; END $$",
        "DROP INDEX i",
        "REINDEX TABLE t",
        "REINDEX (CONCURRENTLY false) TABLE t",
        "REINDEX (concurrently off, verbose) INDEX i",
        "ANALYZE t",
        "CLUSTER t",
        "CLUSTER VERBOSE t USING i",
        "CLUSTER (VERBOSE) t",
        "ALTER TYPE mood ADD VALUE 'happy'",
        "ALTER DATABASE d SET search_path TO a, b",
        "ALTER DATABASE d RESET ALL",
        "ALTER DATABASE d CONNECTION LIMIT 5",
        "ALTER DATABASE d RENAME TO e",
        "ALTER TABLESPACE ts RENAME TO u",
        "ALTER TABLE t DETACH PARTITION p",
        "ALTER TABLE t DETACH PARTITION p FINALIZE",
        "ALTER TABLE \"concurrently\" DETACH PARTITION p",
        "CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p WITH (create_slot = false, slot_name = 's')",
        "CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p WITH (connect = false)",
        "ALTER SUBSCRIPTION s SET PUBLICATION p WITH (refresh = false)",
        "ALTER SUBSCRIPTION s DISABLE",
        "ALTER SUBSCRIPTION s SET (slot_name = NONE)",
        "DISCARD PLANS",
        "REFRESH MATERIALIZED VIEW CONCURRENTLY v",
        "CREATE TABLE vacuum (database int)",
        "SELECT * FROM vacuum",
        "COMMIT",
        "",
        "-- nothing",
    };
    for (const auto& sql : cases) BOOST_TEST(non_transactional_statement(sql) == "", sql);
}

BOOST_AUTO_TEST_CASE(transaction_control) {
    const std::vector<std::string> yes = {
        "BEGIN", "begin work", "BEGIN ISOLATION LEVEL SERIALIZABLE", "START TRANSACTION READ ONLY", "COMMIT",
        "commit and chain", "END", "END TRANSACTION", "ROLLBACK", "ROLLBACK TO SAVEPOINT a", "ABORT", "SAVEPOINT a",
        "RELEASE SAVEPOINT a", "release a", "PREPARE TRANSACTION 'x'", "COMMIT PREPARED 'x'", "ROLLBACK PREPARED 'x'",
        "-- the end\n/* c */ COMMIT;", "SELECT 1; COMMIT",
    };
    for (const auto& sql : yes) BOOST_TEST(is_transaction_control(sql), sql);
    const std::vector<std::string> no = {
        "SELECT 1",
        "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE",
        "PREPARE transaction AS SELECT 1",
        "PREPARE p AS SELECT 1",
        "SELECT 'COMMIT'",
        "-- COMMIT\nSELECT 1",
        "DO $$ BEGIN COMMIT; END $$",
        "CREATE TABLE commit (rollback int)",
        "CALL p()",
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END",
        "START something",
        "",
    };
    for (const auto& sql : no) BOOST_TEST(!is_transaction_control(sql), sql);
}

namespace {

// The statement with the ranges literal_rows_after_first() returns taken out.
std::string without_literal_rows(const std::string& sql) {
    std::string out;
    std::size_t copied = 0;
    for (const pgmig::detail::core::sql_span& r : literal_rows_after_first(sql)) {
        BOOST_TEST_REQUIRE(r.begin >= copied);
        BOOST_TEST_REQUIRE(r.end > r.begin);
        out += sql.substr(copied, r.begin - copied);
        copied = r.end;
    }
    return out + sql.substr(copied);
}

} // namespace

BOOST_AUTO_TEST_CASE(literal_rows_after_the_first_are_found) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y'), (-3, NULL)", "INSERT INTO t (a, b) VALUES (1, 'x')"},
        {"insert into t values (1),\n (2) -- two\n, (3)\nON CONFLICT DO NOTHING",
         "insert into t values (1)\nON CONFLICT DO NOTHING"},
        {"VALUES (1, true), (2, false), (3, DEFAULT)", "VALUES (1, true)"},
        {"WITH x AS (SELECT 1) INSERT INTO t VALUES (now()), (E'a\\'b', $$c$$) RETURNING id",
         "WITH x AS (SELECT 1) INSERT INTO t VALUES (now()) RETURNING id"},
        // Rows that are not literals stay, and split the ranges around them.
        {"INSERT INTO t VALUES (1), (2), (now()), (3), (4)", "INSERT INTO t VALUES (1), (now())"},
        {"INSERT INTO t VALUES (1), ((SELECT max(id) FROM u)), (2)", "INSERT INTO t VALUES (1), ((SELECT max(id) FROM u))"},
        {"INSERT INTO t VALUES (1), ('a'::jsonb)", "INSERT INTO t VALUES (1), ('a'::jsonb)"},
        // A row followed by more expression is not taken: the parser must see the syntax error.
        {"INSERT INTO t VALUES (1), (2)::int", "INSERT INTO t VALUES (1), (2)::int"},
        {"INSERT INTO t VALUES (1), (2 3)", "INSERT INTO t VALUES (1), (2 3)"},
        {"INSERT INTO t VALUES (1), ()", "INSERT INTO t VALUES (1), ()"},
        {"INSERT INTO t VALUES (1), (2", "INSERT INTO t VALUES (1), (2"},
        // Not a VALUES list, or one row only.
        {"INSERT INTO t SELECT 1", "INSERT INTO t SELECT 1"},
        {"INSERT INTO t VALUES (1)", "INSERT INTO t VALUES (1)"},
        {"CREATE TABLE p PARTITION OF t FOR VALUES IN (1, 2)", "CREATE TABLE p PARTITION OF t FOR VALUES IN (1, 2)"},
        {"SELECT * FROM (VALUES (1), (2)) v", "SELECT * FROM (VALUES (1), (2)) v"},
        {"INSERT INTO t VALUES ('a;b'), ('c', 'd')", "INSERT INTO t VALUES ('a;b')"},
    };
    for (const auto& [sql, expected] : cases) BOOST_TEST(without_literal_rows(sql) == expected, sql);
}

BOOST_AUTO_TEST_CASE(classifying_a_huge_statement_reads_only_its_head) {
    // A seed of a million rows: classified by its first words (the rest is never tokenised).
    std::string seed = "INSERT INTO t (a) VALUES (0)";
    for (int i = 1; i < 200000; ++i) seed += ", (" + std::to_string(i) + ")";
    seed += ";\nCREATE INDEX CONCURRENTLY i ON t (a)";
    BOOST_TEST(non_transactional_statement(seed) == "CREATE INDEX CONCURRENTLY");
    BOOST_TEST(!is_transaction_control(seed));
    BOOST_TEST(literal_rows_after_first(seed).size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
