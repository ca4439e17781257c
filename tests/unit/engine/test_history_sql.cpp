// Pure parts of the history table, the driver boundary and the executors' SQL text.
#include "engine/executor.hpp"
#include "engine/history.hpp"
#include "engine/lock.hpp"

#include <pgmig/error.hpp>

#include "core/identifier.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>

using namespace pgmig;
using namespace pgmig::detail::engine;

BOOST_AUTO_TEST_SUITE(history_sql)

BOOST_AUTO_TEST_CASE(quoting) {
    BOOST_TEST(quote_literal("it's") == "'it''s'");
    BOOST_TEST(quote_literal("back\\slash") == "'back\\slash'");
    BOOST_TEST(quote_ident("My \"Table\"") == "\"My \"\"Table\"\"\"");
    BOOST_CHECK_THROW(quote_literal(std::string("a\0b", 3)), std::invalid_argument);
    BOOST_TEST(qualified_table({"Ops", "sm"}) == "\"Ops\".\"sm\"");
}

BOOST_AUTO_TEST_CASE(error_line_parsing) {
    BOOST_TEST(error_line_from_message("ERROR:  syntax error at or near \"SELEC\"\nLINE 3: SELEC oops;\n        ^") == 3);
    BOOST_TEST(error_line_from_message("ERROR:  division by zero") == 0);
    BOOST_TEST(error_line_from_message("ERROR:  x\nDETAIL: the LINE 7: is not here\nLINE 12: foo") == 12);
    BOOST_TEST(error_line_from_message("LINE x: nope") == 0);
}

BOOST_AUTO_TEST_CASE(create_sql_has_the_specified_columns_and_index) {
    const std::string sql = history_create_sql({"public", "schema_migrations"});
    for (const auto& col : history_columns()) BOOST_TEST(sql.find(col.first) != std::string::npos);
    BOOST_TEST(sql.find("CREATE TABLE IF NOT EXISTS \"public\".\"schema_migrations\"") != std::string::npos);
    BOOST_TEST(sql.find("CREATE UNIQUE INDEX IF NOT EXISTS \"schema_migrations_version_direction_success\"") !=
               std::string::npos);
    BOOST_TEST(sql.find("(version, direction) WHERE status = 'success'") != std::string::npos);
    // Long table names derive an index name within PostgreSQL's 63 bytes (core/identifier).
    const history_table_name long_name{"s", std::string(60, 'x')};
    BOOST_TEST(history_create_sql(long_name).find("\"" + pgmig::detail::core::history_index_name(long_name) + "\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(shapes_are_cumulative_and_upgrades_additive) {
    const auto& shapes = history_shapes();
    BOOST_REQUIRE(!shapes.empty());
    for (std::size_t i = 0; i < shapes.size(); ++i) BOOST_TEST(shapes[i].number == static_cast<int>(i) + 1);
    BOOST_TEST(current_history_shape() == static_cast<int>(shapes.size()));
    BOOST_TEST(history_columns(1).size() == 13u); // the first table pgmig created
    BOOST_TEST(history_columns().size() == history_columns(current_history_shape()).size());

    // Every column of every shape is in the CREATE, in shape order.
    const std::string create = history_create_sql({"public", "schema_migrations"});
    std::size_t at = 0;
    for (const auto& col : history_columns()) {
        const std::size_t found = create.find("    " + col.first + " ", at);
        BOOST_TEST_REQUIRE(found != std::string::npos, col.first);
        at = found;
    }

    // An upgrade adds exactly the later shapes' columns, idempotently; the current shape needs none.
    const history_table_name t{"ops", "History"};
    BOOST_TEST(history_upgrade_sql(t, current_history_shape()).empty());
    BOOST_TEST(history_upgrade_sql(t, current_history_shape() + 1).empty()); // a newer shape is never downgraded
    const std::string from1 = history_upgrade_sql(t, 1);
    BOOST_TEST(from1.rfind("ALTER TABLE \"ops\".\"History\" ADD COLUMN IF NOT EXISTS ", 0) == 0, from1);
    const auto shape_1 = history_columns(1);
    for (const auto& col : history_columns()) {
        const bool in_shape_1 = std::any_of(shape_1.begin(), shape_1.end(),
                                            [&](const auto& c) { return c.first == col.first; });
        BOOST_TEST((from1.find("EXISTS " + col.first + " ") != std::string::npos) == !in_shape_1, col.first);
    }
    BOOST_TEST(from1.find("DROP") == std::string::npos);
    BOOST_TEST(from1.find("DEFAULT") == std::string::npos); // nullable, no default: no table rewrite
}

BOOST_AUTO_TEST_CASE(shape_of_an_existing_table) {
    table_shape s{true, true, history_columns(1)};
    BOOST_TEST(shape_of(s) == 1);
    s.columns = history_columns();
    BOOST_TEST(shape_of(s) == current_history_shape());
    s.columns.emplace_back("from_a_newer_release", "jsonb"); // a newer shape reads as the newest known
    BOOST_TEST(shape_of(s) == current_history_shape());
    s.columns = history_columns(1);
    s.columns.erase(s.columns.begin() + 3);
    BOOST_TEST(shape_of(s) == 0);
    table_shape view{true, false, history_columns()};
    BOOST_TEST(shape_of(view) == 0);
    BOOST_TEST(shape_of(table_shape{}) == 0);
}

BOOST_AUTO_TEST_CASE(transaction_sql_is_one_round_trip_with_literal_bookkeeping) {
    const history_table_name t{"public", "schema_migrations"};
    const auto set = migration_set::from_files(
        {{"000007_add_t.up.sql", "CREATE TABLE t (id int);\n"}, {"000007_add_t.down.sql", "DROP TABLE t;\n"}});
    options opts;
    const std::string by = quote_literal("deploy@host (myapp)");
    const std::string sql = up_transaction_sql(t, opts, *set.find(7), by, false);
    BOOST_TEST(sql.rfind("BEGIN; CREATE TABLE t (id int);", 0) == 0, sql);
    BOOST_TEST(sql.find("'deploy@host (myapp)'") != std::string::npos);
    BOOST_TEST(sql.find("'DROP TABLE t;\n'") != std::string::npos); // down_sql stored with the up
    BOOST_TEST(sql.find("'up', 'success', 0,") != std::string::npos);  // time written after the run
    BOOST_TEST(sql.find("clock_timestamp") == std::string::npos);
    BOOST_TEST(sql.find("UPDATE") == std::string::npos); // no down row to supersede
    BOOST_TEST(sql.substr(sql.size() - 8) == "; COMMIT");
    BOOST_TEST(up_transaction_sql(t, opts, *set.find(7), by, true).find("SET status = 'reverted'") != std::string::npos);
    // The up row records the up SQL its checksum hashes, and its size (history shape 4).
    BOOST_TEST(sql.find("up_sql, up_sql_bytes) VALUES") != std::string::npos, sql);
    BOOST_TEST(sql.find("'pre-deploy', 'CREATE TABLE t (id int);\n', 25)") != std::string::npos, sql);
    // A dry run prints the SQL once: the row's copy is a placeholder.
    const std::string dry = up_transaction_sql(t, opts, *set.find(7), by, false, nullptr, true);
    BOOST_TEST(dry.find("'pre-deploy', <the up SQL above, as a literal>, 25)") != std::string::npos, dry);
    // A text of 1 MiB or more: only its size.
    BOOST_TEST(up_sql_values(std::string(std::size_t{1} << 20, ' ')) == "NULL, 1048576");
    BOOST_TEST(up_sql_values("SELECT 'x';") == "'SELECT ''x'';', 11");

    const std::string down = down_transaction_sql(t, opts, 7, "add_t", set.find(7)->checksum, "DROP TABLE t;\n", by);
    BOOST_TEST(down.find("'down', 'success', 0,") != std::string::npos);
    BOOST_TEST(down.find("SET status = 'reverted' WHERE version = 7 AND status = 'success'") != std::string::npos);
}

// The session fence is the history row's status: no statement of its own
// (issue 9), the up's and the down's INSERT carry it.
BOOST_AUTO_TEST_CASE(session_fence_is_the_history_rows_status) {
    const history_table_name t{"public", "schema_migrations"};
    const auto set = migration_set::from_files({{"000007_add_t.up.sql", "CREATE TABLE t (id int);\n"}});
    options opts;
    lock_fence fence;
    fence.status_sql = session_fence_status_sql(42, "7, -9", "1234");
    BOOST_TEST(fence.status_sql ==
               "CASE WHEN pg_catalog.pg_try_advisory_xact_lock_shared(7, -9) THEN pg_catalog.current_setting("
               "'pgmig: the migration lock (advisory lock key 42) is no longer held: its session (pid 1234) ended') "
               "ELSE 'success' END");
    const std::string by = quote_literal("me");
    for (const std::string& sql :
         {up_transaction_sql(t, opts, *set.find(7), by, false, &fence),
          down_transaction_sql(t, opts, 7, "add_t", set.find(7)->checksum, "DROP TABLE t;\n", by, &fence)}) {
        const std::size_t insert = sql.find("INSERT INTO");
        BOOST_TEST_REQUIRE(insert != std::string::npos, sql);
        BOOST_TEST(sql.find(fence.status_sql) > insert, sql);
        BOOST_TEST(sql.find(fence.status_sql) != std::string::npos, sql);
        BOOST_TEST(sql.find("DO $") == std::string::npos, sql);
        BOOST_TEST(sql.find("'success', 0,") == std::string::npos, sql);
        BOOST_TEST(sql.substr(sql.size() - 8) == "; COMMIT");
    }
    // What the server says when the test succeeds (the lock's session is gone) is lock_lost, with the message.
    db_error lost("", "42704", "", 1);
    lost.primary = "unrecognized configuration parameter \"pgmig: the migration lock (advisory lock key 42) is no "
                   "longer held: its session (pid 1234) ended\"";
    try {
        lock_fence::check(lost);
        BOOST_FAIL("no fence_violation");
    } catch (const fence_violation& v) {
        BOOST_TEST((v.what_kind == fence_violation::kind::lock_lost));
        BOOST_TEST(std::string(v.what()) ==
                   "pgmig: the migration lock (advisory lock key 42) is no longer held: its session (pid 1234) ended");
    }
    // Another unrecognized setting is not the fence's.
    lost.primary = "unrecognized configuration parameter \"no_such\"";
    BOOST_CHECK_NO_THROW(lock_fence::check(lost));
}

BOOST_AUTO_TEST_CASE(execution_times_statement) {
    const history_table_name t{"ops", "History"};
    BOOST_TEST(execution_times_sql(t, {}).empty());
    const std::string sql =
        execution_times_sql(t, {{20240101000000, direction::up, 12}, {3, direction::down, 4500}, {5, direction::up, -1}});
    BOOST_TEST(sql ==
               "UPDATE \"ops\".\"History\" AS h SET execution_ms = m.ms FROM (VALUES (20240101000000, 'up', 12), "
               "(3, 'down', 4500), (5, 'up', 0 /* measured ms */)) AS m (version, direction, ms) "
               "WHERE h.version = m.version AND h.direction = m.direction AND h.status = 'success'");
}

BOOST_AUTO_TEST_CASE(foreign_shapes) {
    history_table_name t;
    table_shape missing;
    BOOST_TEST(foreign_table_message(t, missing, "pgmig").empty());

    table_shape ours{true, true, history_columns()};
    BOOST_TEST(foreign_table_message(t, ours, "pgmig").empty());
    ours.columns.emplace_back("extra_column", "text"); // extra columns are tolerated
    BOOST_TEST(foreign_table_message(t, ours, "pgmig").empty());

    table_shape golang{true, true, {{"version", "bigint"}, {"dirty", "boolean"}}};
    const std::string g = foreign_table_message(t, golang, "myapp db");
    BOOST_TEST(g.find("golang-migrate") != std::string::npos);
    BOOST_TEST(g.find("version bigint, dirty boolean") != std::string::npos);
    BOOST_TEST(g.find("public.schema_migrations") != std::string::npos);
    BOOST_TEST(g.find("history_table") != std::string::npos);
    BOOST_TEST(g.find("`myapp db import --from golang-migrate --history-table public.pgmig_migrations`") !=
                   std::string::npos,
               g);
    table_shape goose{true, true, {{"id", "integer"}, {"version_id", "bigint"}, {"is_applied", "boolean"},
                                   {"tstamp", "timestamp without time zone"}}};
    BOOST_TEST(foreign_table_message(t, goose, "pgmig").find("goose's history table") != std::string::npos);
    table_shape unknown{true, true, {{"id", "integer"}}};
    BOOST_TEST(foreign_table_message(t, unknown, "pgmig").find("`pgmig baseline --version V") != std::string::npos);

    table_shape rails{true, true, {{"version", "character varying"}}};
    BOOST_TEST(foreign_table_message(t, rails, "pgmig").find("Rails or dbmate") != std::string::npos);

    table_shape wrong_type = {true, true, history_columns()};
    wrong_type.columns[1].second = "integer";
    BOOST_TEST(!foreign_table_message(t, wrong_type, "pgmig").empty());

    table_shape view{true, false, history_columns()};
    BOOST_TEST(foreign_table_message(t, view, "pgmig").find("not a table") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(exit_codes_are_stable) {
    BOOST_TEST(exit_code(error_code::usage) == 1);
    BOOST_TEST(exit_code(error_code::pending) == 2);
    BOOST_TEST(exit_code(error_code::drift) == 3);
    BOOST_TEST(exit_code(error_code::policy) == 3);
    BOOST_TEST(exit_code(error_code::foreign_history_table) == 3);
    BOOST_TEST(exit_code(error_code::not_reversible) == 3);
    BOOST_TEST(exit_code(error_code::failed_recorded) == 4);
    BOOST_TEST(exit_code(error_code::lock_timeout) == 5);
    BOOST_TEST(exit_code(error_code::connection) == 6);
    BOOST_TEST(exit_code(error_code::migration_failed) == 7);
    BOOST_TEST(exit_code(error_code::invalid_migration) == 8);
    BOOST_TEST(exit_code(error_code::database) == 9);
    BOOST_TEST(exit_code(error_code::confirmation_required) == 10);
    BOOST_TEST(exit_code(error_code::lock_lost) == 13);
    BOOST_TEST(exit_code(error_code::read_only) == 14);
    BOOST_TEST(std::string(to_string(error_code::lock_timeout)) == "lock_timeout");
    BOOST_TEST(std::string(to_string(error_code::lock_lost)) == "lock_lost");
    BOOST_TEST(std::string(to_string(error_code::read_only)) == "read_only");
}

BOOST_AUTO_TEST_SUITE_END()
