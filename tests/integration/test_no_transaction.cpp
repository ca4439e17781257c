// -- pgmig:no-transaction migrations against a real PostgreSQL: statement by
// statement outside a transaction, a `running` row with progress, and precise
// reports after a failure or a crash.
#include "support/server.hpp"

#include "engine/executor.hpp"

#include <pgmig/pgmig.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

using namespace pgmig_test;
namespace fs = std::filesystem;

namespace {

pgmig::options quiet() {
    pgmig::options o;
    o.log = [](pgmig::log_level, const std::string&) {};
    o.connect_timeout = std::chrono::seconds(5);
    return o;
}

const std::pair<std::string, std::string> orders = {
    "000001_orders.up.sql",
    "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, code text);\n"
    "INSERT INTO orders SELECT g, g % 10, 'c' || (g % 3) FROM generate_series(1, 1000) g;\n"};


} // namespace

BOOST_AUTO_TEST_SUITE(no_transaction)

BOOST_AUTO_TEST_CASE(two_concurrent_index_builds_apply_and_roll_back) {
    scratch_database db("notx_ok");
    auto set = make_set({orders,
                         {"20240102_000000_indexes.sql",
                          "-- pgmig:no-transaction\n-- DIRECTION: up\n"
                          "CREATE INDEX CONCURRENTLY orders_user_idx ON orders (user_id);\n"
                          "CREATE INDEX CONCURRENTLY orders_code_idx ON orders (code);\n"
                          "-- DIRECTION: down\nDROP INDEX CONCURRENTLY orders_code_idx;\n"
                          "DROP INDEX CONCURRENTLY orders_user_idx;\n"}});
    auto r = pgmig::migrate_on_startup(db.url(), set, quiet());
    BOOST_TEST(r.applied.size() == 2u);
    BOOST_TEST(db.scalar("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                         "WHERE c.relname IN ('orders_user_idx', 'orders_code_idx') AND i.indisvalid") == "2");
    BOOST_TEST(db.scalar("SELECT status || ' ' || statements_done || '/' || statements_total FROM schema_migrations "
                         "WHERE version = 20240102000000") == "success 2/2");
    BOOST_TEST(db.scalar("SELECT down_sql IS NOT NULL FROM schema_migrations WHERE version = 20240102000000") == "t");
    BOOST_TEST(!pgmig::migrate_on_startup(db.url(), set, quiet()).took_lock); // no-op afterwards

    // Roll it back outside a transaction, then apply it again.
    auto conn = db.connect();
    auto opts = quiet();
    pgmig::detail::exec_context ctx{*conn, opts.history_table, opts, opts.log};
    const pgmig::migration& m = *set.find(20240102000000);
    BOOST_TEST(m.down_no_transaction);
    pgmig::detail::apply_down(ctx, m.version, m.name, m.checksum, m.down_sql, m.down_file, m.down_line,
                              m.down_no_transaction);
    BOOST_TEST(db.scalar("SELECT count(*) FROM pg_class WHERE relname IN ('orders_user_idx', 'orders_code_idx')") == "0");
    BOOST_TEST(db.scalar("SELECT status FROM schema_migrations WHERE version = 20240102000000 AND direction = 'down'") ==
               "success");
    BOOST_TEST(pgmig::migrate_on_startup(db.url(), set, quiet()).applied.size() == 1u);
    BOOST_TEST(db.scalar("SELECT count(*) FROM schema_migrations WHERE version = 20240102000000 AND status = 'success'") ==
               "1");
}

BOOST_AUTO_TEST_CASE(failure_midway_names_statement_and_invalid_index) {
    scratch_database db("notx_fail");
    auto set = make_set({orders,
                         {"000002_unique_code.up.sql",
                          "-- pgmig:no-transaction\n"
                          "CREATE INDEX CONCURRENTLY orders_user_idx ON orders (user_id);\n"
                          "CREATE UNIQUE INDEX CONCURRENTLY orders_code_key ON orders (code);\n"}});
    auto e = expect_error([&] { pgmig::migrate_on_startup(db.url(), set, quiet()); });
    const std::string msg = e.what();
    BOOST_TEST_MESSAGE(msg);
    BOOST_TEST(static_cast<int>(e.code()) == static_cast<int>(pgmig::error_code::migration_failed));
    BOOST_TEST(msg.find("statement 2 of 2") != std::string::npos);
    BOOST_TEST(msg.find("000002_unique_code.up.sql:3") != std::string::npos);
    BOOST_TEST(msg.find("23505") != std::string::npos);
    BOOST_TEST(msg.find("DROP INDEX CONCURRENTLY IF EXISTS public.orders_code_key") != std::string::npos);
    BOOST_TEST(e.where().line == 3);
    // Statement 1 took effect (no transaction), and the row says how far it got.
    BOOST_TEST(db.scalar("SELECT count(*) FROM pg_class WHERE relname = 'orders_user_idx'") == "1");
    BOOST_TEST(db.scalar("SELECT status || ' ' || statements_done || '/' || statements_total FROM schema_migrations "
                         "WHERE version = 2") == "failed 1/2");
    auto again = expect_error([&] { pgmig::migrate_on_startup(db.url(), set, quiet()); });
    BOOST_TEST(static_cast<int>(again.code()) == static_cast<int>(pgmig::error_code::failed_recorded));
}

BOOST_AUTO_TEST_CASE(killed_midway_is_reported_precisely_on_next_boot) {
    scratch_database db("notx_kill");
    const fs::path dir = fs::temp_directory_path() / ("pgmig_notx_kill_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::ofstream(dir / "000001_orders.up.sql") << orders.second;
    const std::string slow = "-- pgmig:no-transaction\n"
                             "CREATE INDEX CONCURRENTLY orders_user_idx ON orders (user_id);\n"
                             "SELECT pg_sleep(60);\n"
                             "CREATE INDEX CONCURRENTLY orders_code_idx ON orders (code);\n";
    std::ofstream(dir / "000002_slow.up.sql") << slow;

    std::string helper = PGMIG_BOOT_HELPER_PATH, url = db.url(), dirs = dir.string();
    char* args[] = {helper.data(), url.data(), dirs.data(), nullptr};
    pid_t pid = 0;
    BOOST_REQUIRE(posix_spawn(&pid, helper.c_str(), nullptr, nullptr, args, environ) == 0);
    // Wait until the sleep runs, then kill the "service" hard.
    std::string sleeper;
    for (int i = 0; i < 300 && sleeper.empty(); ++i) {
        sleeper = db.scalar("SELECT pid FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(60)%' "
                            "AND datname = current_database()");
        if (sleeper.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    BOOST_REQUIRE_MESSAGE(!sleeper.empty(), "the migration never reached its pg_sleep statement");
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    db.exec("SELECT pg_terminate_backend(" + sleeper + ")");

    BOOST_TEST(db.scalar("SELECT status || ' ' || statements_done || '/' || statements_total FROM schema_migrations "
                         "WHERE version = 2") == "running 1/3");
    auto set = pgmig::migration_set::from_directory(dir.string());
    auto e = expect_error([&] { pgmig::migrate_on_startup(db.url(), set, quiet()); });
    const std::string msg = e.what();
    BOOST_TEST_MESSAGE(msg);
    BOOST_TEST(static_cast<int>(e.code()) == static_cast<int>(pgmig::error_code::failed_recorded));
    BOOST_TEST(pgmig::exit_code(e.code()) == 4);
    BOOST_TEST(msg.find("interrupted") != std::string::npos);
    BOOST_TEST(msg.find("statement 2 of 3 (000002_slow.up.sql:3): SELECT pg_sleep(60)") != std::string::npos);
    BOOST_TEST(msg.find("db repair") != std::string::npos);
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
