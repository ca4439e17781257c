// Tests of the statement classifiers (src/core/statement_kind.*).
#include "core/statement_kind.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <utility>
#include <vector>

using pgmig::detail::is_transaction_control;
using pgmig::detail::non_transactional_statement;

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

BOOST_AUTO_TEST_SUITE_END()
