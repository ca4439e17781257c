// -- pgmig:no-transaction migrations against a real PostgreSQL: statement by
// statement outside a transaction, a `running` row with progress, and precise
// reports after a failure or a crash.
#include "support/pausing_proxy.hpp"
#include "support/server.hpp"

#include "engine/executor.hpp"
#include "engine/executor_notx.hpp"
#include "engine/history.hpp"
#include "engine/migrator.hpp"

#include <pgmig/pgmig.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <optional>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

using namespace pgmig_test;
namespace fs = std::filesystem;

namespace {

const std::pair<std::string, std::string> orders = {
    "000001_orders.up.sql",
    "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, code text);\n"
    "INSERT INTO orders SELECT g, g % 10, 'c' || (g % 3) FROM generate_series(1, 1000) g;\n"};

/// A migrations directory of its own, removed at the end.
struct migration_dir {
    fs::path dir;
    explicit migration_dir(const std::string& hint)
        : dir(fs::temp_directory_path() / ("pgmig_notx_" + hint + "_" + std::to_string(::getpid()))) {
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    ~migration_dir() { fs::remove_all(dir); }
    void write(const std::string& name, const std::string& text) const { std::ofstream(dir / name) << text; }
    std::string path() const { return dir.string(); }
};

/// Start the stand-in service on `dir` (it migrates and exits).
pid_t spawn_boot(scratch_database& db, const migration_dir& dir) {
    std::string helper = PGMIG_BOOT_HELPER_PATH, url = db.url(), d = dir.path();
    char* args[] = {helper.data(), url.data(), d.data(), nullptr};
    pid_t pid = 0;
    if (posix_spawn(&pid, helper.c_str(), nullptr, nullptr, args, environ) != 0)
        throw std::runtime_error("cannot start " + helper);
    return pid;
}

void kill_hard(pid_t pid) {
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
}

/// The pid of the backend of this database running a query LIKE `pattern`
/// (and waiting on `wait_type`, when given); "" after 30 s.
std::string wait_for_backend(scratch_database& db, const std::string& pattern, const std::string& wait_type = "") {
    for (int i = 0; i < 300; ++i) {
        const std::string pid = db.scalar(
            "SELECT pid FROM pg_stat_activity WHERE query LIKE " + pgmig::detail::engine::quote_literal(pattern) +
            " AND datname = current_database() AND pid <> pg_backend_pid()" +
            (wait_type.empty() ? std::string() : " AND wait_event_type = " + pgmig::detail::engine::quote_literal(wait_type)));
        if (!pid.empty()) return pid;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return {};
}

void wait_until_gone(scratch_database& db, const std::string& pid) {
    for (int i = 0; i < 300 && db.scalar("SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid) != "0"; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

bool contains_line(const std::vector<std::string>& log, const std::string& text) {
    for (const std::string& l : log)
        if (l.find(text) != std::string::npos) return true;
    return false;
}

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
    auto r = pgmig::migrate_on_startup(db.url(), set, quiet_options());
    BOOST_TEST(r.applied.size() == 2u);
    BOOST_TEST(db.scalar("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                         "WHERE c.relname IN ('orders_user_idx', 'orders_code_idx') AND i.indisvalid") == "2");
    BOOST_TEST(db.scalar("SELECT status || ' ' || statements_done || '/' || statements_total FROM schema_migrations "
                         "WHERE version = 20240102000000") == "success 2/2");
    BOOST_TEST(db.scalar("SELECT down_sql IS NOT NULL FROM schema_migrations WHERE version = 20240102000000") == "t");
    BOOST_TEST(!pgmig::migrate_on_startup(db.url(), set, quiet_options()).took_lock); // no-op afterwards

    // Roll it back outside a transaction, then apply it again.
    auto conn = db.connect();
    auto opts = quiet_options();
    pgmig::detail::engine::exec_context ctx{*conn, opts.history_table, opts, opts.log};
    const pgmig::migration& m = *set.find(20240102000000);
    BOOST_TEST(m.down_no_transaction);
    pgmig::detail::engine::apply_down(ctx, m.version, m.name, m.checksum, m.down_sql, m.down_file, m.down_line,
                              m.down_no_transaction);
    BOOST_TEST(db.scalar("SELECT count(*) FROM pg_class WHERE relname IN ('orders_user_idx', 'orders_code_idx')") == "0");
    BOOST_TEST(db.scalar("SELECT status FROM schema_migrations WHERE version = 20240102000000 AND direction = 'down'") ==
               "success");
    BOOST_TEST(pgmig::migrate_on_startup(db.url(), set, quiet_options()).applied.size() == 1u);
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
    auto e = expect_error([&] { pgmig::migrate_on_startup(db.url(), set, quiet_options()); });
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
    auto again = expect_error([&] { pgmig::migrate_on_startup(db.url(), set, quiet_options()); });
    BOOST_TEST(static_cast<int>(again.code()) == static_cast<int>(pgmig::error_code::failed_recorded));
}

BOOST_AUTO_TEST_CASE(an_orphan_backend_is_named_then_the_run_resumes_where_it_stopped) {
    scratch_database db("notx_orphan");
    migration_dir dir("orphan");
    dir.write("000001_orders.up.sql", orders.second + "CREATE TABLE sleep_for AS SELECT 60 AS s;\n");
    dir.write("000002_slow.up.sql", "-- pgmig:no-transaction\n"
                                    "CREATE INDEX CONCURRENTLY orders_user_idx ON orders (user_id);\n"
                                    "SELECT pg_sleep(s) FROM sleep_for;\n"
                                    "CREATE INDEX CONCURRENTLY orders_code_idx ON orders (code);\n");
    const pid_t pid = spawn_boot(db, dir);
    // Wait until the sleep runs, then kill the "service" hard: its backend goes on sleeping.
    const std::string sleeper = wait_for_backend(db, "SELECT pg_sleep(s) FROM sleep_for%");
    BOOST_REQUIRE_MESSAGE(!sleeper.empty(), "the migration never reached its pg_sleep statement");
    kill_hard(pid);
    BOOST_TEST(db.scalar("SELECT status || ' ' || statements_done || '/' || statements_total || ' ' || backend_pid "
                         "FROM schema_migrations WHERE version = 2") == "running 1/3 " + sleeper);

    // The next boot (and status) name the backend, what it runs, and how to stop it; nothing is run.
    const auto set = pgmig::migration_set::from_directory(dir.path());
    auto e = expect_error([&] { pgmig::migrate_on_startup(db.url(), set, quiet_options()); });
    const std::string msg = e.what();
    BOOST_TEST_MESSAGE(msg);
    BOOST_TEST(static_cast<int>(e.code()) == static_cast<int>(pgmig::error_code::failed_recorded));
    BOOST_TEST(msg.find("statement 2 of 3 (000002_slow.up.sql:3): SELECT pg_sleep(s) FROM sleep_for") != std::string::npos);
    BOOST_TEST(msg.find("Its backend is still running: pid " + sleeper + " (active since ") != std::string::npos, msg);
    BOOST_TEST(msg.find("SELECT pg_sleep(s) FROM sleep_for") != std::string::npos);
    BOOST_TEST(msg.find("SELECT pg_cancel_backend(" + sleeper + ")") != std::string::npos);
    BOOST_TEST(msg.find("SELECT pg_terminate_backend(" + sleeper + ")") != std::string::npos);
    BOOST_TEST(db.scalar("SELECT count(*) FROM schema_migrations") == "2");
    {
        pgmig::detail::engine::migrator m(db.url(), set, quiet_options());
        const auto& st = m.read();
        BOOST_TEST(st.resumes.empty());
        BOOST_TEST(st.report.refuses());
    }

    // Once the backend is gone, it resumes at statement 2: statement 1 is not run again.
    db.exec("UPDATE sleep_for SET s = 0");
    db.exec("SELECT pg_terminate_backend(" + sleeper + ")");
    wait_until_gone(db, sleeper);
    {
        pgmig::detail::engine::migrator m(db.url(), set, quiet_options());
        const auto& st = m.read();
        BOOST_REQUIRE(st.resumes.size() == 1u);
        BOOST_TEST(st.resumes[0].first == 1u);
        BOOST_TEST(!st.report.refuses()); // a warning says it will resume
        BOOST_TEST(st.report.problems.at(0).message.find("resumes it at statement 2 of 3") != std::string::npos,
                   st.report.problems.at(0).message);
    }
    std::vector<std::string> log;
    const auto r = pgmig::migrate_on_startup(db.url(), set, quiet_options(&log));
    BOOST_TEST(r.applied == std::vector<std::int64_t>{2});
    BOOST_TEST(contains_line(log, "resuming migration 2 (000002_slow.up.sql) at statement 2 of 3"));
    BOOST_TEST(db.scalar("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                         "WHERE c.relname IN ('orders_user_idx', 'orders_code_idx') AND i.indisvalid") == "2");
    BOOST_TEST(db.scalar("SELECT string_agg(status || ' ' || statements_done || '/' || statements_total, ', ' ORDER BY id)"
                         " FROM schema_migrations WHERE version = 2") == "repaired 1/3, success 3/3");
    BOOST_TEST(db.scalar("SELECT count(DISTINCT run_id) FROM schema_migrations WHERE version = 2") == "2");
    BOOST_TEST(!pgmig::migrate_on_startup(db.url(), set, quiet_options()).took_lock);
}

BOOST_AUTO_TEST_CASE(an_interrupted_concurrent_index_build_is_dropped_and_built_again) {
    scratch_database db("notx_cic");
    migration_dir dir("cic");
    dir.write("000001_orders.up.sql", orders.second);
    pgmig::migrate_on_startup(db.url(), pgmig::migration_set::from_directory(dir.path()), quiet_options());
    dir.write("000002_indexes.up.sql", "-- pgmig:no-transaction\n"
                                       "CREATE INDEX CONCURRENTLY orders_user_idx ON orders (user_id);\n"
                                       "CREATE INDEX CONCURRENTLY orders_code_idx ON orders (code);\n");
    // A writer holds the table: the build registers its INVALID index, then waits for it.
    auto writer = db.connect("writer");
    writer->exec("BEGIN; LOCK TABLE orders IN ROW EXCLUSIVE MODE");
    const pid_t pid = spawn_boot(db, dir);
    const std::string builder = wait_for_backend(db, "CREATE INDEX CONCURRENTLY orders_user_idx%", "Lock");
    BOOST_REQUIRE_MESSAGE(!builder.empty(), "the index build never waited for the writer");
    kill_hard(pid);
    db.exec("SELECT pg_terminate_backend(" + builder + ")");
    wait_until_gone(db, builder);
    writer->exec("COMMIT");
    BOOST_REQUIRE(db.scalar("SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                            "WHERE c.relname = 'orders_user_idx'") == "f");

    // status reports the INVALID index and that the next run drops it.
    const auto set = pgmig::migration_set::from_directory(dir.path());
    {
        pgmig::detail::engine::migrator m(db.url(), set, quiet_options());
        const auto& st = m.read();
        BOOST_REQUIRE(st.resumes.size() == 1u);
        BOOST_TEST(st.resumes[0].drop_index == "public.orders_user_idx");
        const std::string text = st.report.problems.at(0).message;
        BOOST_TEST(text.find("left the INVALID index public.orders_user_idx") != std::string::npos, text);
        BOOST_TEST(text.find("DROP INDEX CONCURRENTLY IF EXISTS public.orders_user_idx") != std::string::npos, text);
    }
    std::vector<std::string> log;
    BOOST_TEST(pgmig::migrate_on_startup(db.url(), set, quiet_options(&log)).applied.size() == 1u);
    BOOST_TEST(contains_line(log, "dropping the INVALID index public.orders_user_idx"));
    BOOST_TEST(db.scalar("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                         "WHERE c.relname IN ('orders_user_idx', 'orders_code_idx') AND i.indisvalid") == "2");
    BOOST_TEST(db.scalar("SELECT count(*) FROM pg_index WHERE NOT indisvalid") == "0");
}

BOOST_AUTO_TEST_CASE(kill_9_at_spread_points_then_resume_never_applies_twice) {
    // Three statements, each with a visible effect that a second run would
    // double or fail on: a table (fails if created twice), a concurrent index,
    // an INSERT (counted).
    const std::string three = "-- pgmig:no-transaction\n"
                              "CREATE TABLE big AS SELECT g AS id, g % 100 AS v FROM generate_series(1, 300000) g;\n"
                              "CREATE INDEX CONCURRENTLY big_v_idx ON big (v);\n"
                              "INSERT INTO effects VALUES ('statement 3');\n";
    migration_dir dir("kill9");
    dir.write("000001_effects.up.sql", "CREATE TABLE effects (what text);\n");
    dir.write("000002_three.up.sql", three);
    const auto set = pgmig::migration_set::from_directory(dir.path());

    // How long an uninterrupted run takes: the kills are spread over it.
    std::int64_t run_ms = 0;
    {
        scratch_database db("kill9_cal");
        const auto t0 = std::chrono::steady_clock::now();
        const pid_t pid = spawn_boot(db, dir);
        int status = 0;
        ::waitpid(pid, &status, 0);
        run_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
        BOOST_REQUIRE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    const int trials = 12;
    // failures: a trial whose next boots never got the migration applied
    // exactly once (or left an INVALID index, or a running/failed row);
    // double applies: a trial where a statement took effect twice.
    int resumes = 0, refusals = 0, failures = 0, double_applies = 0, from_scratch = 0, killed_after = 0;
    for (int trial = 0; trial < trials; ++trial) {
        scratch_database db("kill9_" + std::to_string(trial));
        const pid_t pid = spawn_boot(db, dir);
        std::this_thread::sleep_for(std::chrono::milliseconds(run_ms * (trial + 1) / (trials + 6)));
        kill_hard(pid);
        std::string row = "no history table";
        if (db.table_exists("public", "schema_migrations"))
            row = db.scalar("SELECT coalesce((SELECT status || ' ' || statements_done FROM public.schema_migrations "
                            "WHERE version = 2 ORDER BY id DESC LIMIT 1), 'no row')");
        BOOST_TEST_CONTEXT("trial " << trial << " (killed at row: " << row << ")") {
            // The next boot: refuses while the killed run's backend still runs, then resumes.
            bool done = false;
            std::string last_error;
            for (int attempt = 0; attempt < 200 && !done; ++attempt) {
                std::vector<std::string> log;
                try {
                    const auto r = pgmig::migrate_on_startup(db.url(), set, quiet_options(&log));
                    done = true;
                    if (contains_line(log, "resuming migration 2")) ++resumes;
                    else if (!r.applied.empty()) ++from_scratch;
                    else ++killed_after;
                } catch (const pgmig::error& e) {
                    last_error = e.what();
                    if (last_error.find("Its backend is still running") == std::string::npos) break;
                    ++refusals;
                    std::this_thread::sleep_for(std::chrono::milliseconds(50));
                }
            }
            BOOST_TEST(done, last_error);
            const int effects = std::stoi(db.scalar("SELECT count(*) FROM effects"));
            const bool ok = done && effects == 1 && db.scalar("SELECT count(*) FROM big") == "300000" &&
                            db.scalar("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                                      "WHERE c.relname = 'big_v_idx' AND i.indisvalid") == "1" &&
                            db.scalar("SELECT count(*) FROM pg_index WHERE NOT indisvalid") == "0" &&
                            db.scalar("SELECT count(*) FROM schema_migrations WHERE version = 2 AND status = 'success'") ==
                                "1" &&
                            db.scalar("SELECT count(*) FROM schema_migrations WHERE status IN ('running', 'failed')") ==
                                "0";
            if (effects > 1) ++double_applies;
            if (!ok) ++failures;
            BOOST_TEST(ok);
        }
    }
    BOOST_TEST_MESSAGE("kill -9 during a three-statement no-transaction migration (a run takes ~"
                       << run_ms << " ms): " << trials << " trials, " << failures << " failures, " << double_applies
                       << " double applies; " << resumes << " resumed, " << from_scratch
                       << " killed before its first row (ran from the start), " << killed_after
                       << " killed after it finished; " << refusals
                       << " boots refused while the killed run's backend still ran");
    BOOST_TEST(failures == 0);
    BOOST_TEST(double_applies == 0);
    BOOST_TEST(resumes + from_scratch + killed_after == trials);
}

BOOST_AUTO_TEST_CASE(a_statement_committed_while_its_row_is_judged_is_not_run_again) {
    // The race behind a resume that ran statement 1 again ("relation big already
    // exists" with 0 statements done): the next run reads the history (running,
    // 0 done), the killed run's backend then commits statement 1 with its
    // progress and ends, and only then does the next run look for that backend.
    // Made deterministic by holding that lookup back (pausing_proxy) until
    // the backend has committed and gone.
    const std::string three = "-- pgmig:no-transaction\n"
                              "CREATE TABLE big AS SELECT g AS id FROM generate_series(1, 1000) g;\n"
                              "CREATE INDEX CONCURRENTLY big_id_idx ON big (id);\n"
                              "INSERT INTO effects VALUES ('statement 3');\n";
    scratch_database db("notx_judge_race");
    const auto first = make_set({{"000001_effects.up.sql", "CREATE TABLE effects (what text);\n"}});
    pgmig::migrate_on_startup(db.url(), first, quiet_options());
    const auto set = make_set({{"000001_effects.up.sql", "CREATE TABLE effects (what text);\n"},
                               {"000002_three.up.sql", three}});
    const pgmig::migration& m = *set.find(2);
    const auto opts = quiet_options();

    // The killed run: its running row, then statement 1 with its progress, not committed yet.
    auto killed = db.connect("killed run");
    killed->exec(pgmig::detail::engine::notx_start_sql(opts.history_table, 2, m.name, m.checksum, pgmig::direction::up, 3,
                                               std::nullopt, pgmig::detail::engine::up_sql_values(m.up_sql), 5000,
                                               "'killed-run'"));
    const std::string killed_pid = std::to_string(killed->backend_pid());
    const std::string first_statement = "CREATE TABLE big AS SELECT g AS id FROM generate_series(1, 1000) g;";
    killed->exec("BEGIN; " + pgmig::detail::engine::notx_statement_sql(
                                 first_statement, pgmig::detail::engine::notx_progress_sql(opts.history_table, 2,
                                                                                   pgmig::direction::up, 1)));

    // The next run goes through a proxy that holds back its lookup of the
    // killed run's backend until that backend has committed and gone.
    pausing_proxy gate(db.url(), "FROM pg_catalog.pg_stat_activity WHERE pid = " + killed_pid);
    std::optional<std::size_t> resumed_at;
    std::string read_error;
    std::thread next_run([&] {
        try {
            pgmig::detail::engine::migrator next(gate.url_via(db.url()), set, quiet_options());
            const auto& st = next.read();
            if (st.resumes.size() == 1u) resumed_at = st.resumes[0].first;
        } catch (const std::exception& e) {
            read_error = e.what();
        }
    });
    const bool held = gate.wait_until_held(60); // it has read the history: running, 0 of 3 done
    // Meanwhile the killed run's statement commits and its backend ends.
    killed->exec("COMMIT");
    killed.reset();
    wait_until_gone(db, killed_pid);
    gate.release();
    next_run.join();
    BOOST_REQUIRE_MESSAGE(held, "the next run never looked up the killed run's backend");
    BOOST_TEST(read_error.empty(), read_error);
    BOOST_REQUIRE_MESSAGE(resumed_at.has_value(), "the next run did not plan to resume the migration");
    BOOST_TEST(*resumed_at == 1u); // statement 2: statement 1 had committed

    std::vector<std::string> log;
    BOOST_TEST(pgmig::migrate_on_startup(db.url(), set, quiet_options(&log)).applied == std::vector<std::int64_t>{2});
    BOOST_TEST(contains_line(log, "resuming migration 2 (000002_three.up.sql) at statement 2 of 3"));
    BOOST_TEST(db.scalar("SELECT count(*) FROM big") == "1000");
    BOOST_TEST(db.scalar("SELECT count(*) FROM effects") == "1");
    BOOST_TEST(db.scalar("SELECT string_agg(status || ' ' || statements_done || '/' || statements_total, ', ' ORDER BY id)"
                         " FROM schema_migrations WHERE version = 2") == "repaired 1/3, success 3/3");
}

BOOST_AUTO_TEST_CASE(after_a_failure_and_repair_the_run_resumes_at_the_failed_statement) {
    scratch_database db("notx_repair");
    db.exec("CREATE TABLE dup (x int); INSERT INTO dup VALUES (1), (1), (2)");
    auto set = make_set({{"000001_u.up.sql", "-- pgmig:no-transaction\n"
                                             "CREATE TABLE made_once (id int);\n"
                                             "CREATE UNIQUE INDEX CONCURRENTLY dup_x_key ON dup (x);\n"
                                             "INSERT INTO made_once VALUES (1);\n"}});
    auto e = expect_error([&] { pgmig::migrate_on_startup(db.url(), set, quiet_options()); });
    const std::string msg = e.what();
    BOOST_TEST(msg.find("statement 1 took effect and was not rolled back") != std::string::npos, msg);
    BOOST_TEST(msg.find("the next run resumes it at statement 2 (statement 1 is not run again)") != std::string::npos, msg);
    BOOST_TEST(msg.find("DROP INDEX CONCURRENTLY IF EXISTS public.dup_x_key") != std::string::npos, msg);
    auto refused = expect_error([&] { pgmig::migrate_on_startup(db.url(), set, quiet_options()); });
    BOOST_TEST(std::string(refused.what()).find("the next run then resumes it at statement 2 of 3") != std::string::npos,
               refused.what());

    db.exec("DELETE FROM dup WHERE ctid = (SELECT max(ctid) FROM dup WHERE x = 1)");
    pgmig::detail::engine::migrator(db.url(), set, quiet_options()).repair(false);
    std::vector<std::string> log;
    BOOST_TEST(pgmig::migrate_on_startup(db.url(), set, quiet_options(&log)).applied.size() == 1u); // CREATE TABLE not rerun
    BOOST_TEST(contains_line(log, "dropping the INVALID index public.dup_x_key"));
    BOOST_TEST(db.scalar("SELECT count(*) FROM made_once") == "1");
    BOOST_TEST(db.scalar("SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                         "WHERE c.relname = 'dup_x_key'") == "t");
}

BOOST_AUTO_TEST_CASE(failure_messages_say_what_took_effect_and_what_was_recorded) {
    scratch_database db("notx_msgs");
    // Statement 1 fails: none of its statements had taken effect.
    auto set = make_set({{"000001_x.up.sql", "-- pgmig:no-transaction\nSELECT 1/0;\nSELECT 2;\n"}});
    auto e = expect_error([&] { pgmig::migrate_on_startup(db.url(), set, quiet_options()); });
    const std::string msg = e.what();
    BOOST_TEST(msg.find("None of its statements had taken effect") != std::string::npos, msg);
    BOOST_TEST(msg.find("1..0") == std::string::npos, msg);
    BOOST_TEST(msg.find("a 'failed' row records how far it got") != std::string::npos, msg);

    // The time printed is the time recorded (one measurement).
    scratch_database db2("notx_time");
    auto conn = db2.connect();
    auto opts = quiet_options();
    pgmig::detail::engine::ensure_history_table(*conn, opts, true);
    pgmig::detail::engine::exec_context ctx{*conn, opts.history_table, opts, opts.log};
    auto slow = make_set({{"000001_s.up.sql", "-- pgmig:no-transaction\nSELECT pg_sleep(0.05);\nSELECT 1;\n"}});
    const std::int64_t ms = pgmig::detail::engine::apply_up(ctx, *slow.find(1));
    BOOST_TEST(ms >= 50);
    BOOST_TEST(db2.scalar("SELECT execution_ms FROM schema_migrations WHERE version = 1") == std::to_string(ms));

    // On a read-only session, a failed transactional migration says no failed row could be recorded.
    conn->exec("SET default_transaction_read_only = on");
    auto tx = make_set({{"000002_t.up.sql", "CREATE TABLE t (id int);\n"}});
    auto ro = expect_error([&] { pgmig::detail::engine::apply_up(ctx, *tx.find(2)); });
    const std::string ro_msg = ro.what();
    BOOST_TEST(ro_msg.find("No 'failed' row could be recorded in public.schema_migrations") != std::string::npos, ro_msg);
    BOOST_TEST(ro_msg.find("a 'failed' row was recorded") == std::string::npos, ro_msg);
    BOOST_TEST(db2.scalar("SELECT count(*) FROM schema_migrations WHERE status = 'failed'") == "0");

    // A fresh read-only database: the history table cannot be created, said plainly.
    scratch_database fresh("notx_ro");
    auto ro_conn = fresh.connect();
    ro_conn->exec("SET default_transaction_read_only = on");
    auto create = expect_error([&] { pgmig::detail::engine::ensure_history_table(*ro_conn, opts, true); });
    const std::string create_msg = create.what();
    BOOST_TEST(create_msg.find("could not create the history table public.schema_migrations") != std::string::npos,
               create_msg);
    BOOST_TEST(create_msg.find("the server is read-only") != std::string::npos, create_msg);
    BOOST_TEST(create_msg.find("Nothing was changed") != std::string::npos, create_msg);
}

BOOST_AUTO_TEST_CASE(a_migration_applied_by_another_instance_meanwhile_records_no_failed_row) {
    scratch_database db("another");
    auto set = make_set({{"000001_a.up.sql", "CREATE TABLE IF NOT EXISTS a (id int);\n"},
                         {"000002_b.up.sql", "CREATE TABLE b (id int);\n"},
                         {"000003_c.up.sql", "-- pgmig:no-transaction\nCREATE TABLE c (id int);\nSELECT 1;\n"}});
    pgmig::migrate_on_startup(db.url(), set, quiet_options());
    // This run planned them as pending, but another instance has applied them:
    // 1's SQL succeeds and the unique index rejects the history row (23505);
    // 2's and 3's SQL fail on what the other instance created.
    auto conn = db.connect();
    auto opts = quiet_options();
    pgmig::detail::engine::exec_context ctx{*conn, opts.history_table, opts, opts.log};
    for (std::int64_t v : {1, 2, 3}) {
        BOOST_TEST_INFO("version " << v);
        try {
            pgmig::detail::engine::apply_up(ctx, *set.find(v));
            BOOST_FAIL("expected done_elsewhere");
        } catch (const pgmig::detail::engine::done_elsewhere& e) {
            const std::string msg = e.what();
            BOOST_TEST(msg.find("was applied by another instance while this run was applying it") != std::string::npos,
                       msg);
            BOOST_TEST(msg.find("no 'failed' row was recorded") != std::string::npos, msg);
        }
    }
    BOOST_TEST(db.scalar("SELECT count(*) FROM schema_migrations WHERE status = 'failed'") == "0");
    BOOST_TEST(db.scalar("SELECT count(*) FROM schema_migrations WHERE status = 'running'") == "0");
    BOOST_TEST(db.scalar("SELECT count(*) FROM schema_migrations WHERE status = 'success'") == "3");
    BOOST_TEST(!pgmig::migrate_on_startup(db.url(), set, quiet_options()).took_lock); // nothing to refuse afterwards
}

BOOST_AUTO_TEST_SUITE_END()
