// Faults the world throws at a run (issue 10, issue 16 item 1), against a real
// PostgreSQL 15 (and a real PgBouncer): a lost lock, idle_session_timeout,
// permanent connection errors, a read-only server, a pooler that refuses the
// startup options, no-transaction migrations through a transaction pooler.
#include "support/cli_runner.hpp"
#include "support/server.hpp"

#include <pgmig/pgmig.hpp>

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

using namespace pgmig_test;

namespace {

pgmig::options opts_with(log_capture& log, const std::string& app = "pgmig") {
    pgmig::options o;
    o.log = log.logger();
    o.application_name = app;
    o.connect_timeout = std::chrono::seconds(10);
    o.lock_timeout = std::chrono::seconds(60);
    return o;
}

// n migrations, each creating a table and sleeping `sleep` seconds.
pgmig::migration_set slow_set(int n, const std::string& sleep) {
    std::vector<std::pair<std::string, std::string>> files;
    for (int i = 1; i <= n; ++i) {
        char name[64];
        std::snprintf(name, sizeof name, "%06d_t%d.up.sql", i, i);
        files.emplace_back(name, "CREATE TABLE t" + std::to_string(i) + " (id int);\nSELECT pg_sleep(" + sleep + ");\n");
    }
    return make_set(std::move(files));
}

std::string lock_holder_pid(scratch_database& db, const std::string& app) {
    return db.scalar("SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                     "WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND l.granted AND a.application_name = '" +
                     app + "'");
}

std::set<std::int64_t> versions(const std::vector<pgmig::step_result>& steps) {
    std::set<std::int64_t> out;
    for (const auto& s : steps) out.insert(s.version);
    return out;
}

pgmig::error connect_error(const std::string& url, log_capture& log) {
    pgmig::options o = opts_with(log);
    o.connect_timeout = std::chrono::seconds(20);
    return expect_error([&] { pgmig::migrate_on_startup(url, slow_set(1, "0"), o); });
}

} // namespace

BOOST_AUTO_TEST_SUITE(faults)

// Issue 10.1: terminating the lock's backend mid-run stops that run with
// lock_lost; the instance that takes the lock next applies the rest; nothing
// is applied twice and no `failed` row is recorded. Ten trials.
BOOST_AUTO_TEST_CASE(lost_lock_stops_the_run) {
    int stopped = 0, double_applies = 0;
    for (int trial = 1; trial <= 10; ++trial) {
        scratch_database db("lost_lock");
        const pgmig::migration_set set = slow_set(8, "0.2");
        log_capture log_a, log_b;
        std::optional<pgmig::error> a_error;
        std::vector<pgmig::step_result> a_applied;
        std::thread a([&] {
            try {
                pgmig::migrate_on_startup(db.url(), set, opts_with(log_a, "pgmig_a"));
            } catch (const pgmig::partial_error& e) {
                a_error = e;
                a_applied = e.applied();
            } catch (const pgmig::error& e) {
                a_error = e;
            }
        });
        wait_until([&] { return !lock_holder_pid(db, "pgmig_a").empty(); }, "run A holds the lock");
        pgmig::startup_report b_report;
        std::optional<pgmig::error> b_error;
        std::thread b([&] {
            try {
                b_report = pgmig::migrate_on_startup(db.url(), set, opts_with(log_b, "pgmig_b"));
            } catch (const pgmig::error& e) {
                b_error = e;
            }
        });
        wait_until([&] {
            return db.scalar("SELECT count(*) FROM pg_catalog.pg_tables WHERE tablename = 'schema_migrations'") == "1" &&
                   db.scalar("SELECT count(*) FROM schema_migrations") != "0";
        }, "run A applied a migration");
        const std::string pid = lock_holder_pid(db, "pgmig_a");
        if (!pid.empty()) db.exec("SELECT pg_terminate_backend(" + pid + ")");
        a.join();
        b.join();
        BOOST_TEST_CONTEXT("trial " << trial << "\nA: " << log_a.all() << "\nB: " << log_b.all()) {
            BOOST_TEST_REQUIRE(!pid.empty());
            BOOST_TEST_REQUIRE(a_error.has_value());
            BOOST_TEST((a_error->code() == pgmig::error_code::lock_lost), a_error->what());
            BOOST_TEST(std::string(a_error->what()).find("was lost during the run") != std::string::npos);
            BOOST_TEST(!b_error.has_value(), (b_error ? b_error->what() : ""));
            if (a_error && a_error->code() == pgmig::error_code::lock_lost) ++stopped;
            const std::set<std::int64_t> by_a = versions(a_applied);
            std::set<std::int64_t> by_b(b_report.applied.begin(), b_report.applied.end());
            for (std::int64_t v : by_a)
                if (by_b.count(v) != 0) ++double_applies;
            BOOST_TEST(by_a.size() + by_b.size() == 8u);
            BOOST_TEST(db.scalar("SELECT count(*) FROM schema_migrations") == "8");
            BOOST_TEST(db.scalar("SELECT count(DISTINCT version) FROM schema_migrations WHERE status = 'success'") == "8");
            BOOST_TEST(db.scalar("SELECT count(*) FROM schema_migrations WHERE status IN ('failed', 'running')") == "0");
        }
    }
    BOOST_TEST_MESSAGE("lost lock: 10 trials, " << stopped << " stopped with lock_lost, " << double_applies
                                                << " double applies");
    BOOST_TEST(double_applies == 0);
}

// Issue 9: the fence is the history row's status. A migration that itself
// ends the lock's session (it holds the run key: the two-key advisory lock)
// gets to its history INSERT with the lock lost: the row cannot be written,
// so neither its effects nor its row are there, no `failed` row either, and
// the error says the lock was lost (the fence's own message).
BOOST_AUTO_TEST_CASE(lost_lock_fence_is_the_history_rows_status) {
    scratch_database db("fence_status");
    const pgmig::migration_set set = make_set({
        {"000001_first.up.sql", "CREATE TABLE first_t (id int);\n"},
        {"000002_ends_the_lock.up.sql",
         "CREATE TABLE second_t (id int);\n"
         "SELECT pg_terminate_backend(l.pid, 10000) FROM pg_catalog.pg_locks l\n"
         " WHERE l.locktype = 'advisory' AND l.objsubid = 2 AND l.granted AND l.pid <> pg_backend_pid()\n"
         "   AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database());\n"},
        {"000003_third.up.sql", "CREATE TABLE third_t (id int);\n"},
    });
    log_capture log;
    std::optional<pgmig::partial_error> e;
    try {
        pgmig::migrate_on_startup(db.url(), set, opts_with(log));
    } catch (const pgmig::partial_error& p) {
        e = p;
    }
    BOOST_TEST_REQUIRE(e.has_value(), log.all());
    const std::string what = e->what();
    BOOST_TEST_CONTEXT(what << "\n" << log.all()) {
        BOOST_TEST((e->code() == pgmig::error_code::lock_lost));
        BOOST_TEST(what.find("was lost during the run: pgmig: the migration lock (advisory lock key ") !=
                   std::string::npos);
        BOOST_TEST(what.find(") is no longer held: its session (pid ") != std::string::npos);
        BOOST_TEST(what.find("migration 2 (000002_ends_the_lock.up.sql) was rolled back, not applied") !=
                   std::string::npos);
        BOOST_TEST(e->applied().size() == 1u);
        BOOST_TEST(db.table_exists("public", "first_t"));
        BOOST_TEST(!db.table_exists("public", "second_t"));
        BOOST_TEST(!db.table_exists("public", "third_t"));
        BOOST_TEST(db.scalar("SELECT count(*) FROM schema_migrations") == "1");
        BOOST_TEST(db.scalar("SELECT string_agg(version || ' ' || status, ',') FROM schema_migrations") == "1 success");
    }
    // Nothing of migration 2 was recorded, so it is still pending: a next boot
    // (with a migration 2 that no longer ends the lock's session) applies the rest.
    const pgmig::migration_set fixed = make_set({
        {"000001_first.up.sql", "CREATE TABLE first_t (id int);\n"},
        {"000002_ends_the_lock.up.sql", "CREATE TABLE second_t (id int);\n"},
        {"000003_third.up.sql", "CREATE TABLE third_t (id int);\n"},
    });
    log_capture again;
    const auto r = pgmig::migrate_on_startup(db.url(), fixed, opts_with(again));
    BOOST_TEST(r.applied.size() == 2u, again.all());
    BOOST_TEST(db.table_exists("public", "second_t"));
    BOOST_TEST(db.table_exists("public", "third_t"));
}

// Issue 10.2: a database whose sessions close after 1 s idle does not take
// the lock away from a run of slow migrations. Three trials.
BOOST_AUTO_TEST_CASE(idle_session_timeout_keeps_the_lock) {
    for (int trial = 1; trial <= 3; ++trial) {
        scratch_database db("idle_timeout");
        db.exec("ALTER DATABASE " + db.name() + " SET idle_session_timeout = '1s'");
        log_capture log;
        const auto r = pgmig::migrate_on_startup(db.url(), slow_set(3, "1.5"), opts_with(log));
        BOOST_TEST_CONTEXT("trial " << trial << ": " << log.all()) {
            BOOST_TEST(r.applied.size() == 3u);
            BOOST_TEST(db.scalar("SELECT count(*) FROM schema_migrations WHERE status = 'success'") == "3");
        }
    }
}

// Issue 10.8: permanent errors are not retried (no "connection attempt … failed" debug line).
BOOST_AUTO_TEST_CASE(permanent_connection_errors_fail_fast) {
    scratch_database db("fail_fast");
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"wrong password", url_with_password(db.url(), "not-the-password")},
        {"unknown database", url_for_database(server_url(), "pgmig_no_such_database")},
        {"sslmode=require without SSL", db.url() + (db.url().find('?') == std::string::npos ? "?" : "&") + "sslmode=require"},
        {"invalid connection string", "host=127.0.0.1 port=notaport dbname=x"},
        {"unknown option", "host=127.0.0.1 no_such_option=1"},
    };
    for (const auto& [what, url] : cases) {
        log_capture log;
        const pgmig::error e = connect_error(url, log);
        BOOST_TEST_CONTEXT(what << ": " << e.what() << "\n" << log.all()) {
            BOOST_TEST((e.code() == pgmig::error_code::connection));
            BOOST_TEST(std::string(e.what()).find("not retried") != std::string::npos);
            BOOST_TEST(log.count("connection attempt") == 0u);
        }
    }
    log_capture log;
    const pgmig::error empty = connect_error("   ", log);
    BOOST_TEST((empty.code() == pgmig::error_code::usage));
    BOOST_TEST(std::string(empty.what()).find("no database given: the connection string is empty") != std::string::npos);
}

// Issue 16.5: a transient failure is retried until connect_timeout, and the
// message counts the attempts the log shows.
BOOST_AUTO_TEST_CASE(transient_failures_retry_until_connect_timeout) {
    log_capture log;
    pgmig::options o = opts_with(log);
    o.connect_timeout = std::chrono::seconds(1);
    const pgmig::error e =
        expect_error([&] { pgmig::migrate_on_startup("postgresql://postgres@127.0.0.1:1/x", slow_set(1, "0"), o); });
    const std::size_t retries = log.count("connection attempt");
    BOOST_TEST_CONTEXT(e.what() << "\n" << log.all()) {
        BOOST_TEST((e.code() == pgmig::error_code::connection));
        BOOST_TEST(retries >= 1u);
        BOOST_TEST(std::string(e.what()).find("gave up after " + std::to_string(retries + 1) + " attempts in ") !=
                   std::string::npos);
        BOOST_TEST(std::string(e.what()).find("connect_timeout is 1.0s") != std::string::npos);
    }
}

// Issue 10.9: a read-only database: a clear error, nothing written; status,
// verify-only and dry-run keep working.
BOOST_AUTO_TEST_CASE(read_only_server_is_refused_before_any_write) {
    scratch_database db("read_only");
    db.exec("ALTER DATABASE " + db.name() + " SET default_transaction_read_only = on");
    const pgmig::migration_set set = slow_set(2, "0");
    log_capture log;
    const pgmig::error e = expect_error([&] { pgmig::migrate_on_startup(db.url(), set, opts_with(log)); });
    BOOST_TEST((e.code() == pgmig::error_code::read_only));
    BOOST_TEST(pgmig::exit_code(e.code()) == 14);
    BOOST_TEST(std::string(e.what()).find("the server is read-only (a standby, or default_transaction_read_only is "
                                          "on); migrations must run on the primary") != std::string::npos,
               e.what());
    BOOST_TEST(std::string(e.what()).find("Nothing was written") != std::string::npos);
    BOOST_TEST(!db.table_exists("public", "schema_migrations"));
    BOOST_TEST(db.scalar("SELECT count(*) FROM pg_namespace WHERE nspname = 'public'") == "1");

    pgmig::options verify = opts_with(log);
    verify.mode = pgmig::run_mode::verify_only;
    const pgmig::error pending = expect_error([&] { pgmig::migrate_on_startup(db.url(), set, verify); });
    BOOST_TEST((pending.code() == pgmig::error_code::pending));
    pgmig::options dry = opts_with(log);
    dry.mode = pgmig::run_mode::dry_run;
    BOOST_TEST(pgmig::migrate_on_startup(db.url(), set, dry).pending.size() == 2u);

    const auto status = pgmig_cli_test::db_cmd(set, db.url(), {"status", "--json"});
    BOOST_TEST(status.doc()["pending"].size() == 2u, status.all());
    const auto up = pgmig_cli_test::db_cmd(set, db.url(), {"up", "--yes"});
    BOOST_TEST(up.code == 14, up.all());
    BOOST_TEST(!db.table_exists("public", "schema_migrations"));
}

// Issue 16.1: a PgBouncer with default settings refuses the startup
// `options`; pgmig connects without them and its transactions set them, so a
// role's statement_timeout = 1s does not kill a 2 s migration. Transaction
// and session pooling; lock_mode auto and, through the session pooler, session.
BOOST_AUTO_TEST_CASE(default_pgbouncer_and_a_role_statement_timeout) {
    struct variant {
        std::string mode;
        pgmig::lock_mode lock;
    };
    for (const variant& v : {variant{"transaction", pgmig::lock_mode::automatic},
                             variant{"session", pgmig::lock_mode::automatic},
                             variant{"session", pgmig::lock_mode::session}}) {
        scratch_database db("bouncer_timeout_" + v.mode);
        const std::string url = pgbouncer_url(v.mode, db.name());
        if (url.empty()) {
            BOOST_TEST_MESSAGE("PGMIG_TEST_DB_URL is set: no test PgBouncer, skipped");
            return;
        }
        db.exec("ALTER ROLE postgres IN DATABASE " + db.name() + " SET statement_timeout = '1s'");
        log_capture log;
        pgmig::options o = opts_with(log);
        o.lock_mode = v.lock;
        o.log = [&log](pgmig::log_level l, const std::string& m) { log.logger()(l, m); };
        const auto r = pgmig::migrate_on_startup(url, slow_set(2, "2"), o);
        BOOST_TEST_CONTEXT(v.mode << " / " << pgmig::to_string(v.lock) << ": " << log.all()) {
            BOOST_TEST(r.applied.size() == 2u);
            BOOST_TEST(log.count("refused the startup parameter `options`") >= 1u);
            BOOST_TEST(db.scalar("SELECT count(*) FROM schema_migrations WHERE status = 'success'") == "2");
            no_advisory_lock_left(db);
        }
        db.exec("ALTER ROLE postgres IN DATABASE " + db.name() + " RESET statement_timeout");
    }
}

// Issue 10.3: a no-transaction migration through a transaction pooler is
// refused (nothing changed) with the option for a direct connection, and runs
// when that connection is given.
BOOST_AUTO_TEST_CASE(no_transaction_migration_through_a_transaction_pooler) {
    scratch_database db("bouncer_notx");
    const std::string url = pgbouncer_url("transaction", db.name());
    if (url.empty()) {
        BOOST_TEST_MESSAGE("PGMIG_TEST_DB_URL is set: no test PgBouncer, skipped");
        return;
    }
    const pgmig::migration_set set = make_set({
        {"000001_t.up.sql", "CREATE TABLE t (id int);\n"},
        {"000002_idx.up.sql", "-- pgmig:no-transaction\nCREATE INDEX CONCURRENTLY t_id ON t (id);\n"},
    });
    log_capture log;
    const pgmig::error e = expect_error([&] { pgmig::migrate_on_startup(url, set, opts_with(log)); });
    BOOST_TEST((e.code() == pgmig::error_code::usage));
    BOOST_TEST(std::string(e.what()).find("options.migration_url, CLI --direct-db") != std::string::npos, e.what());
    BOOST_TEST(std::string(e.what()).find("Nothing was changed") != std::string::npos);
    BOOST_TEST(!db.table_exists("public", "t"));

    pgmig::options direct = opts_with(log);
    direct.migration_url = db.url();
    const auto r = pgmig::migrate_on_startup(url, set, direct);
    BOOST_TEST(r.applied.size() == 2u, log.all());
    BOOST_TEST(db.scalar("SELECT count(*) FROM pg_indexes WHERE indexname = 't_id'") == "1");
    no_advisory_lock_left(db);

    // The CLI spells it --direct-db and --lock-mode.
    const auto bad = pgmig_cli_test::db_cmd(set, url, {"status", "--lock-mode", "sometimes"});
    BOOST_TEST(bad.code == 1, bad.all());
    BOOST_TEST(bad.all().find("--lock-mode") != std::string::npos, bad.all());
}

BOOST_AUTO_TEST_SUITE_END()
