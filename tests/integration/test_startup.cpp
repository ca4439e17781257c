// migrate_on_startup against a real PostgreSQL: issue 2's behaviours.
#include "support/server.hpp"

#include "engine/executor.hpp"

#include <pgmig/pgmig.hpp>

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <mutex>
#include <thread>

using namespace pgmig_test;

namespace {

pgmig::options quiet_options(log_capture& log) {
    pgmig::options o;
    o.log = log.logger();
    o.connect_timeout = std::chrono::seconds(5);
    o.lock_timeout = std::chrono::seconds(20);
    return o;
}

const std::vector<std::pair<std::string, std::string>> three = {
    {"000001_users.up.sql", "CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL);\n"},
    {"000001_users.down.sql", "DROP TABLE users;\n"},
    {"000002_todos.up.sql",
     "CREATE TABLE todos (\n  id bigserial PRIMARY KEY,\n  user_id bigint REFERENCES users(id),\n  title text\n);\n"},
    {"000002_todos.down.sql", "DROP TABLE todos;\n"},
    {"000003_todos_idx.up.sql", "CREATE INDEX todos_user_idx ON todos (user_id);\n"},
    {"000003_todos_idx.down.sql", "DROP INDEX todos_user_idx;\n"},
};

std::vector<std::pair<std::string, std::string>> first(std::size_t n_migrations) {
    std::vector<std::pair<std::string, std::string>> out;
    for (auto& f : three)
        if (std::stoi(f.first.substr(0, 6)) <= static_cast<int>(n_migrations)) out.push_back(f);
    return out;
}

int count(scratch_database& db, const std::string& where) {
    return std::stoi(db.scalar("SELECT count(*) FROM public.schema_migrations WHERE " + where));
}


} // namespace

BOOST_AUTO_TEST_SUITE(startup)

BOOST_AUTO_TEST_CASE(apply_from_empty_then_noop) {
    scratch_database db("apply");
    log_capture log;
    auto set = make_set(three);
    auto r = pgmig::migrate_on_startup(db.url(), set, quiet_options(log));
    BOOST_TEST(r.applied.size() == 3u);
    BOOST_TEST(r.took_lock);
    BOOST_TEST(db.table_exists("public", "users"));
    BOOST_TEST(db.table_exists("public", "todos"));
    BOOST_TEST(db.scalar("SELECT count(*) FROM pg_indexes WHERE indexname = 'todos_user_idx'") == "1");
    BOOST_TEST(count(db, "direction = 'up' AND status = 'success'") == 3);
    BOOST_TEST(r.state.up_to_date());
    BOOST_TEST(db.scalar("SELECT checksum FROM schema_migrations WHERE version = 1") == set.find(1)->checksum);
    BOOST_TEST(db.scalar("SELECT down_sql FROM schema_migrations WHERE version = 1") == "DROP TABLE users;\n");
    BOOST_TEST(db.scalar("SELECT applied_by FROM schema_migrations WHERE version = 1").find("pgmig") !=
               std::string::npos);

    // Re-run: nothing to do, no lock, nothing written.
    const std::string before = db.catalog_fingerprint();
    auto again = pgmig::migrate_on_startup(db.url(), set, quiet_options(log));
    BOOST_TEST(again.applied.empty());
    BOOST_TEST(!again.took_lock);
    BOOST_TEST(again.state.applied.size() == 3u);
    BOOST_TEST(count(db, "true") == 3);
    BOOST_TEST(db.catalog_fingerprint() == before);
}

BOOST_AUTO_TEST_CASE(incremental_apply) {
    scratch_database db("incr");
    log_capture log;
    pgmig::migrate_on_startup(db.url(), make_set(first(1)), quiet_options(log));
    auto r = pgmig::migrate_on_startup(db.url(), make_set(three), quiet_options(log));
    BOOST_TEST((r.applied == std::vector<std::int64_t>{2, 3}));
}

BOOST_AUTO_TEST_CASE(a_migration_without_statements_is_refused_at_boot) {
    // A template nobody filled in, after one that was applied: the boot refuses before
    // applying anything, naming the file; filled in, it applies.
    scratch_database db("empty_up");
    log_capture log;
    pgmig::migrate_on_startup(db.url(), make_set(first(1)), quiet_options(log));
    auto files = first(2);
    files.push_back({"000003_todo.up.sql", "-- todo: write the change here\n\n"});
    const pgmig::error e = expect_error([&] { pgmig::migrate_on_startup(db.url(), make_set(files), quiet_options(log)); });
    BOOST_TEST(static_cast<int>(e.code()) == static_cast<int>(pgmig::error_code::invalid_migration), e.what());
    BOOST_TEST(std::string(e.what()).find("000003_todo.up.sql (line 1): 3 todo") != std::string::npos, e.what());
    BOOST_TEST(std::string(e.what()).find("Fill it in") != std::string::npos, e.what());
    BOOST_TEST(e.where().file == "000003_todo.up.sql");
    BOOST_TEST(count(db, "true") == 1);
    BOOST_TEST(!db.table_exists("public", "todos"));
    // verify_only refuses the same way.
    pgmig::options verify = quiet_options(log);
    verify.mode = pgmig::run_mode::verify_only;
    BOOST_TEST(static_cast<int>(expect_error([&] { pgmig::migrate_on_startup(db.url(), make_set(files), verify); })
                                    .code()) == static_cast<int>(pgmig::error_code::invalid_migration));
    files.back().second = "-- todo: done\nCREATE TABLE todo_done (id int);\n";
    const auto r = pgmig::migrate_on_startup(db.url(), make_set(files), quiet_options(log));
    BOOST_TEST((r.applied == std::vector<std::int64_t>{2, 3}));
}

BOOST_AUTO_TEST_CASE(failing_migration_leaves_nothing_and_records_failed) {
    scratch_database db("fail");
    log_capture log;
    auto files = first(1);
    files.push_back({"20240102_000000_broken.sql",
                     "-- MIGRATION: broken one\n-- DIRECTION: up\nCREATE TABLE half (id int);\n"
                     "INSERT INTO half VALUES (1);\nSELEC oops;\n-- DIRECTION: down\nDROP TABLE half;\n"});
    auto set = make_set(files);
    auto e = expect_error([&] { pgmig::migrate_on_startup(db.url(), set, quiet_options(log)); });
    BOOST_TEST(static_cast<int>(e.code()) == static_cast<int>(pgmig::error_code::migration_failed));
    BOOST_TEST(pgmig::exit_code(e.code()) == 7);
    const std::string msg = e.what();
    BOOST_TEST_MESSAGE(msg);
    BOOST_TEST(msg.find("20240102_000000_broken.sql") != std::string::npos);
    BOOST_TEST(msg.find("line 5") != std::string::npos);
    BOOST_TEST(msg.find("42601") != std::string::npos);
    BOOST_TEST(msg.find("db repair") != std::string::npos);
    BOOST_TEST(e.where().line == 5);
    BOOST_TEST(e.where().file == "20240102_000000_broken.sql");
    BOOST_TEST(e.where().sqlstate == "42601");
    BOOST_REQUIRE(e.where().version.has_value());
    BOOST_TEST(*e.where().version == 20240102000000LL);

    // Migration 1 is applied; nothing of the broken one exists.
    BOOST_TEST(db.table_exists("public", "users"));
    BOOST_TEST(!db.table_exists("public", "half"));
    BOOST_TEST(count(db, "version = 20240102000000 AND status = 'success'") == 0);
    BOOST_TEST(count(db, "version = 20240102000000 AND status = 'failed'") == 1);
    const std::string recorded =
        db.scalar("SELECT error_message FROM schema_migrations WHERE status = 'failed'");
    BOOST_TEST(recorded.find("SQLSTATE 42601 at line 5 of 20240102_000000_broken.sql") != std::string::npos);

    // The next boot refuses until repaired, and changes nothing.
    const std::string before = db.catalog_fingerprint();
    auto again = expect_error([&] { pgmig::migrate_on_startup(db.url(), set, quiet_options(log)); });
    BOOST_TEST(static_cast<int>(again.code()) == static_cast<int>(pgmig::error_code::failed_recorded));
    BOOST_TEST(pgmig::exit_code(again.code()) == 4);
    BOOST_TEST(std::string(again.what()).find("db repair") != std::string::npos);
    BOOST_TEST(db.catalog_fingerprint() == before);
}

BOOST_AUTO_TEST_CASE(a_body_of_a_mebibyte_or_more_goes_on_its_own_with_the_same_results) {
    // A seed file: its body is sent in a round trip of its own between BEGIN …
    // and the bookkeeping (not copied into one text with them); what it does,
    // reports and records is what a small migration's one round trip does.
    scratch_database db("big_body");
    log_capture log;
    std::string rows;
    int n = 0;
    while (rows.size() < (std::size_t{1} << 20)) {
        ++n;
        rows += (n == 1 ? "(" : ",\n(") + std::to_string(n) + ", 'row')";
    }
    const std::string seed = "CREATE TABLE seed (id int PRIMARY KEY, v text);\nINSERT INTO seed VALUES\n" + rows +
                             ";\n-- a last comment without a newline";
    const int seed_lines = 2 + n;
    auto ok = make_set({{"000001_seed.up.sql", seed}});
    BOOST_REQUIRE(ok.find(1)->up_sql.size() >= (std::size_t{1} << 20));
    BOOST_TEST(pgmig::migrate_on_startup(db.url(), ok, quiet_options(log)).applied == std::vector<std::int64_t>{1});
    BOOST_TEST(db.scalar("SELECT count(*) FROM seed") == std::to_string(n));
    BOOST_TEST(count(db, "version = 1 AND status = 'success'") == 1);

    // A failure at its last line: rolled back, the line named and recorded.
    auto bad = make_set({{"000001_seed.up.sql", seed},
                         {"000002_more.up.sql", "CREATE TABLE more_rows (id int);\nINSERT INTO more_rows VALUES\n" + rows +
                                                    ";\nSELEC oops;\n"}});
    auto e = expect_error([&] { pgmig::migrate_on_startup(db.url(), bad, quiet_options(log)); });
    const std::string msg = e.what();
    BOOST_TEST(static_cast<int>(e.code()) == static_cast<int>(pgmig::error_code::migration_failed), msg);
    BOOST_TEST(e.where().line == seed_lines + 1, msg);
    BOOST_TEST(msg.find("SELEC oops") != std::string::npos, msg);
    BOOST_TEST(!db.table_exists("public", "more_rows"));
    BOOST_TEST(db.scalar("SELECT error_message FROM schema_migrations WHERE status = 'failed'")
                   .find("SQLSTATE 42601 at line " + std::to_string(seed_lines + 1) + " of 000002_more.up.sql") !=
               std::string::npos);

    // Its bookkeeping failing (the history already has it: the unique index
    // rejects the row) is told apart from the body failing: another instance did it.
    auto conn = db.connect();
    auto opts = quiet_options(log);
    pgmig::detail::engine::exec_context ctx{*conn, opts.history_table, opts, opts.log};
    BOOST_CHECK_THROW(pgmig::detail::engine::apply_up(ctx, *make_set({{"000001_seed.up.sql",
                                                                 "CREATE TABLE IF NOT EXISTS seed (id int);\n/* " +
                                                                     rows + " */\n"}})
                                                       .find(1)),
                      pgmig::detail::engine::done_elsewhere);
    BOOST_TEST(count(db, "version = 1") == 1);
}

BOOST_AUTO_TEST_CASE(a_run_that_stops_part_way_throws_what_it_applied) {
    scratch_database db("partial");
    log_capture log;
    auto files = first(2);
    files.push_back({"000003_broken.up.sql", "CREATE TABLE never (id int);\nSELEC 1;\n"});
    const auto set = make_set(files);
    bool caught = false;
    try {
        pgmig::migrate_on_startup(db.url(), set, quiet_options(log));
    } catch (const pgmig::partial_error& e) {
        caught = true;
        // The cause's code, message and location…
        BOOST_TEST(static_cast<int>(e.code()) == static_cast<int>(pgmig::error_code::migration_failed));
        BOOST_TEST(std::string(e.what()).find("000003_broken.up.sql") != std::string::npos);
        BOOST_TEST(e.where().line == 2);
        BOOST_REQUIRE(e.where().version.has_value());
        BOOST_TEST(*e.where().version == 3);
        // …and what was applied before it, in order.
        BOOST_REQUIRE(e.applied().size() == 2u);
        BOOST_TEST(e.applied()[0].version == 1);
        BOOST_TEST(e.applied()[0].name == "users");
        BOOST_TEST(e.applied()[0].file == "000001_users.up.sql");
        BOOST_TEST(e.applied()[1].version == 2);
        BOOST_TEST(e.applied()[1].file == "000002_todos.up.sql");
        BOOST_TEST(e.rolled_back().empty());
    }
    BOOST_TEST(caught);
    BOOST_TEST(count(db, "direction = 'up' AND status = 'success'") == 2);

    // The first migration failing: still partial, with nothing applied.
    scratch_database db2("partial_first");
    caught = false;
    try {
        pgmig::migrate_on_startup(db2.url(), make_set({files.back()}), quiet_options(log));
    } catch (const pgmig::partial_error& e) {
        caught = true;
        BOOST_TEST(e.applied().empty());
        BOOST_TEST(pgmig::exit_code(e.code()) == 7);
    }
    BOOST_TEST(caught);

    // A refusal runs nothing: a plain pgmig::error.
    caught = false;
    try {
        pgmig::migrate_on_startup(db.url(), set, quiet_options(log));
    } catch (const pgmig::partial_error&) {
        BOOST_ERROR("a refusal is not a partial run");
    } catch (const pgmig::error& e) {
        caught = true;
        BOOST_TEST(static_cast<int>(e.code()) == static_cast<int>(pgmig::error_code::failed_recorded));
    }
    BOOST_TEST(caught);
}

BOOST_AUTO_TEST_CASE(execution_times_recorded_also_when_a_later_migration_fails) {
    // Times are measured by pgmig and written after the run (one UPDATE); the
    // migrations before a failing one keep theirs.
    scratch_database db("times");
    log_capture log;
    std::vector<std::pair<std::string, std::string>> files = {
        {"000001_slow.up.sql", "SELECT pg_sleep(0.12);\nCREATE TABLE slow (id int);\n"},
        {"000002_quick.up.sql", "CREATE TABLE quick (id int);\n"},
        {"000003_broken.up.sql", "CREATE TABLE never (id int);\nSELEC 1;\n"},
    };
    auto e = expect_error([&] { pgmig::migrate_on_startup(db.url(), make_set(files), quiet_options(log)); });
    BOOST_TEST(pgmig::exit_code(e.code()) == 7);
    BOOST_TEST(std::stoll(db.scalar("SELECT execution_ms FROM schema_migrations WHERE version = 1")) >= 100);
    BOOST_TEST(std::stoll(db.scalar("SELECT execution_ms FROM schema_migrations WHERE version = 2")) < 100);
    BOOST_TEST(count(db, "version = 3 AND status = 'failed'") == 1);
    // applied_by: session user @ host (application_name), read once per run.
    const std::string by = db.scalar("SELECT applied_by FROM schema_migrations WHERE version = 2");
    BOOST_TEST(by.rfind("postgres@", 0) == 0, by);
    BOOST_TEST(by.find(" (pgmig)") != std::string::npos, by);
    BOOST_TEST(db.scalar("SELECT applied_by FROM schema_migrations WHERE version = 3") == by);

    // A successful run reports them too.
    files.pop_back();
    files.push_back({"000003_fixed.up.sql", "SELECT pg_sleep(0.12);\nCREATE TABLE fixed (id int);\n"});
    db.exec("DELETE FROM schema_migrations WHERE status = 'failed'");
    auto r = pgmig::migrate_on_startup(db.url(), make_set(files), quiet_options(log));
    BOOST_TEST((r.applied == std::vector<std::int64_t>{3}));
    BOOST_REQUIRE(r.state.applied.size() == 3u);
    BOOST_TEST(r.state.applied[2].execution_ms >= 100);
    BOOST_TEST(r.state.applied[0].execution_ms >= 100);
}

BOOST_AUTO_TEST_CASE(runtime_error_without_position_rolls_back_everything) {
    scratch_database db("fail2");
    log_capture log;
    auto set = make_set({{"000001_a.up.sql",
                          "CREATE TABLE a (id int PRIMARY KEY);\nINSERT INTO a VALUES (1);\nINSERT INTO a VALUES (1);\n"}});
    auto e = expect_error([&] { pgmig::migrate_on_startup(db.url(), set, quiet_options(log)); });
    BOOST_TEST(e.where().sqlstate == "23505");
    BOOST_TEST(!db.table_exists("public", "a"));
    BOOST_TEST(count(db, "status = 'failed'") == 1);
}

BOOST_AUTO_TEST_CASE(drift_refuses_and_changes_nothing) {
    scratch_database db("drift");
    log_capture log;
    pgmig::migrate_on_startup(db.url(), make_set(first(2)), quiet_options(log));
    auto edited = three;
    edited[0].second = "CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL, name text);\n";
    auto set = make_set(edited);
    const std::string recorded = db.scalar("SELECT checksum FROM schema_migrations WHERE version = 1");
    const std::string before = db.catalog_fingerprint();
    const std::string rows_before = db.scalar("SELECT string_agg(id || status, ',' ORDER BY id) FROM schema_migrations");
    auto e = expect_error([&] { pgmig::migrate_on_startup(db.url(), set, quiet_options(log)); });
    BOOST_TEST(static_cast<int>(e.code()) == static_cast<int>(pgmig::error_code::drift));
    BOOST_TEST(pgmig::exit_code(e.code()) == 3);
    const std::string msg = e.what();
    BOOST_TEST_MESSAGE(msg);
    BOOST_TEST(msg.find("000001_users.up.sql") != std::string::npos);
    BOOST_TEST(msg.find(recorded) != std::string::npos);
    BOOST_TEST(msg.find(set.find(1)->checksum) != std::string::npos);
    BOOST_TEST(msg.find("repair --accept-checksums") != std::string::npos);
    BOOST_TEST(db.catalog_fingerprint() == before); // migration 3 was not applied
    BOOST_TEST(db.scalar("SELECT string_agg(id || status, ',' ORDER BY id) FROM schema_migrations") == rows_before);

    // Editing only the down part is not drift.
    auto down_edit = first(2);
    down_edit[1].second = "DROP TABLE IF EXISTS users;\n";
    BOOST_CHECK_NO_THROW(pgmig::migrate_on_startup(db.url(), make_set(down_edit), quiet_options(log)));

    // With drift policy warn, it starts and warns.
    auto opts = quiet_options(log);
    opts.policy.drift = pgmig::drift_policy::warn;
    auto r = pgmig::migrate_on_startup(db.url(), set, opts);
    BOOST_TEST(r.applied.size() == 1u);
    BOOST_TEST(r.warnings.size() >= 1u);
}

BOOST_AUTO_TEST_CASE(unknown_and_out_of_order_policies) {
    scratch_database db("policy");
    log_capture log;
    pgmig::migrate_on_startup(db.url(), make_set(three), quiet_options(log));

    // Older binary (knows 1..2): unknown newer version 3 → warn by default.
    auto r = pgmig::migrate_on_startup(db.url(), make_set(first(2)), quiet_options(log));
    BOOST_TEST(r.warnings.size() == 1u);
    BOOST_TEST(r.applied.empty());
    auto opts = quiet_options(log);
    opts.policy.unknown_newer = pgmig::unknown_policy::refuse;
    auto e = expect_error([&] { pgmig::migrate_on_startup(db.url(), make_set(first(2)), opts); });
    BOOST_TEST(static_cast<int>(e.code()) == static_cast<int>(pgmig::error_code::policy));

    // A deleted file inside the range: always refused.
    auto deleted = three;
    deleted.erase(deleted.begin() + 2, deleted.begin() + 4); // drop version 2
    auto e2 = expect_error([&] { pgmig::migrate_on_startup(db.url(), make_set(deleted), quiet_options(log)); });
    BOOST_TEST(static_cast<int>(e2.code()) == static_cast<int>(pgmig::error_code::policy));
    BOOST_TEST(std::string(e2.what()).find("2") != std::string::npos);

    // Out of order: 1 and 3 applied, then 2 appears.
    scratch_database db2("ooo");
    pgmig::migrate_on_startup(db2.url(),
                              make_set({three[0], three[1], {"000003_c.up.sql", "CREATE TABLE c (id int);"}}),
                              quiet_options(log));
    auto with_two = make_set({three[0], three[1], {"000002_b.up.sql", "CREATE TABLE b (id int);"},
                              {"000003_c.up.sql", "CREATE TABLE c (id int);"}});
    const std::string before = db2.catalog_fingerprint();
    auto e3 = expect_error([&] { pgmig::migrate_on_startup(db2.url(), with_two, quiet_options(log)); });
    BOOST_TEST(static_cast<int>(e3.code()) == static_cast<int>(pgmig::error_code::policy));
    BOOST_TEST(db2.catalog_fingerprint() == before);
    auto allow = quiet_options(log);
    allow.policy.out_of_order = pgmig::out_of_order_policy::allow;
    auto r3 = pgmig::migrate_on_startup(db2.url(), with_two, allow);
    BOOST_TEST((r3.applied == std::vector<std::int64_t>{2}));
    BOOST_TEST(db2.table_exists("public", "b"));
}

BOOST_AUTO_TEST_CASE(foreign_history_tables_are_refused_untouched) {
    log_capture log;
    struct foreign {
        const char* ddl;
        const char* hint;
    } cases[] = {
        {"CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);"
         "INSERT INTO schema_migrations VALUES (3, false);",
         "golang-migrate"},
        {"CREATE TABLE schema_migrations (version character varying NOT NULL PRIMARY KEY);"
         "INSERT INTO schema_migrations VALUES ('20240101000000');",
         "Rails or dbmate"},
        {"CREATE TABLE schema_migrations (version character varying(128) NOT NULL PRIMARY KEY);", "dbmate"},
        {"CREATE VIEW schema_migrations AS SELECT 1 AS version;", "not a table"},
    };
    for (const auto& c : cases) {
        scratch_database db("foreign");
        db.exec(c.ddl);
        const std::string before = db.catalog_fingerprint();
        auto e = expect_error([&] { pgmig::migrate_on_startup(db.url(), make_set(three), quiet_options(log)); });
        BOOST_TEST(static_cast<int>(e.code()) == static_cast<int>(pgmig::error_code::foreign_history_table));
        const std::string msg = e.what();
        BOOST_TEST_MESSAGE(msg);
        BOOST_TEST(msg.find(c.hint) != std::string::npos);
        BOOST_TEST(msg.find("history_table") != std::string::npos);
        BOOST_TEST(db.catalog_fingerprint() == before);
        BOOST_TEST(!db.table_exists("public", "users"));
    }
    // The way out: another history table name works next to the foreign one.
    scratch_database db("foreign_ok");
    db.exec(cases[0].ddl);
    auto opts = quiet_options(log);
    opts.history_table = {"public", "pgmig_migrations"};
    auto r = pgmig::migrate_on_startup(db.url(), make_set(three), opts);
    BOOST_TEST(r.applied.size() == 3u);
    BOOST_TEST(db.scalar("SELECT count(*) FROM schema_migrations") == "1");
}

BOOST_AUTO_TEST_CASE(custom_schema_and_quoted_names) {
    scratch_database db("quoted");
    log_capture log;
    auto opts = quiet_options(log);
    opts.history_table = {"Ops Schema", "Mig\"rations"};
    auto r = pgmig::migrate_on_startup(db.url(), make_set(three), opts);
    BOOST_TEST(r.applied.size() == 3u);
    BOOST_TEST(db.scalar("SELECT count(*) FROM \"Ops Schema\".\"Mig\"\"rations\"") == "3");
    BOOST_TEST(!db.table_exists("public", "schema_migrations"));
    auto again = pgmig::migrate_on_startup(db.url(), make_set(three), opts);
    BOOST_TEST(!again.took_lock);
}

BOOST_AUTO_TEST_CASE(lock_is_released_after_an_exception) {
    scratch_database db("lockrel");
    log_capture log;
    auto set = make_set({{"000001_bad.up.sql", "CREATE TABLE x (id int);\nSELECT 1/0;\n"}});
    expect_error([&] { pgmig::migrate_on_startup(db.url(), set, quiet_options(log)); });
    const std::int64_t key = pgmig::advisory_lock_key({});
    BOOST_TEST(db.scalar("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = "
                         "(SELECT oid FROM pg_database WHERE datname = current_database())") == "0");
    auto other = db.connect("other");
    BOOST_TEST(other->query("SELECT pg_try_advisory_lock(" + std::to_string(key) + ")").text(0, 0) == "t");
}

BOOST_AUTO_TEST_CASE(lock_timeout_names_the_holder) {
    scratch_database db("locktimeout");
    log_capture log;
    auto holder = db.connect("the_other_deployer");
    const std::int64_t key = pgmig::advisory_lock_key({});
    holder->exec("SELECT pg_advisory_lock(" + std::to_string(key) + ")");
    auto opts = quiet_options(log);
    opts.lock_timeout = std::chrono::milliseconds(1500);
    opts.lock_log_interval = std::chrono::milliseconds(500);
    const auto t0 = std::chrono::steady_clock::now();
    auto e = expect_error([&] { pgmig::migrate_on_startup(db.url(), make_set(three), opts); });
    const auto waited = std::chrono::steady_clock::now() - t0;
    BOOST_TEST(static_cast<int>(e.code()) == static_cast<int>(pgmig::error_code::lock_timeout));
    BOOST_TEST(pgmig::exit_code(e.code()) == 5);
    const std::string msg = e.what();
    BOOST_TEST_MESSAGE(msg);
    BOOST_TEST(msg.find("pid " + std::to_string(holder->backend_pid())) != std::string::npos);
    BOOST_TEST(msg.find("the_other_deployer") != std::string::npos);
    BOOST_TEST(log.all().find("the_other_deployer") != std::string::npos); // logged while waiting
    BOOST_TEST((waited >= std::chrono::milliseconds(1400)));
    BOOST_TEST(!db.table_exists("public", "users"));

    // Once released, the same boot goes through.
    holder->exec("SELECT pg_advisory_unlock(" + std::to_string(key) + ")");
    BOOST_TEST(pgmig::migrate_on_startup(db.url(), make_set(three), opts).applied.size() == 3u);
}

BOOST_AUTO_TEST_CASE(waits_for_a_lock_released_in_time) {
    scratch_database db("lockwait");
    log_capture log;
    auto holder = db.connect("holder");
    const std::int64_t key = pgmig::advisory_lock_key({});
    holder->exec("SELECT pg_advisory_lock(" + std::to_string(key) + ")");
    std::thread releaser([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(700));
        holder->exec("SELECT pg_advisory_unlock(" + std::to_string(key) + ")");
    });
    auto r = pgmig::migrate_on_startup(db.url(), make_set(three), quiet_options(log));
    releaser.join();
    BOOST_TEST(r.applied.size() == 3u);
}

BOOST_AUTO_TEST_CASE(modes_verify_only_and_dry_run_never_write) {
    scratch_database db("modes");
    log_capture log;
    const std::string before = db.catalog_fingerprint();
    auto opts = quiet_options(log);
    opts.mode = pgmig::run_mode::dry_run;
    auto r = pgmig::migrate_on_startup(db.url(), make_set(three), opts);
    BOOST_TEST((r.pending == std::vector<std::int64_t>{1, 2, 3}));
    BOOST_TEST(r.applied.empty());
    BOOST_TEST(!r.took_lock);
    BOOST_TEST(db.catalog_fingerprint() == before);

    opts.mode = pgmig::run_mode::verify_only;
    auto e = expect_error([&] { pgmig::migrate_on_startup(db.url(), make_set(three), opts); });
    BOOST_TEST(static_cast<int>(e.code()) == static_cast<int>(pgmig::error_code::pending));
    BOOST_TEST(pgmig::exit_code(e.code()) == 2);
    BOOST_TEST(std::string(e.what()).find("000002_todos.up.sql") != std::string::npos);
    BOOST_TEST(db.catalog_fingerprint() == before);

    opts.mode = pgmig::run_mode::apply;
    pgmig::migrate_on_startup(db.url(), make_set(three), opts);
    opts.mode = pgmig::run_mode::verify_only;
    BOOST_CHECK_NO_THROW(pgmig::migrate_on_startup(db.url(), make_set(three), opts));
}

BOOST_AUTO_TEST_CASE(rollback_and_reapply_with_unique_index) {
    // up → down → up again: the partial unique index must allow it (superseded rows are 'reverted').
    scratch_database db("redo");
    log_capture log;
    auto set = make_set(three);
    auto opts = quiet_options(log);
    pgmig::migrate_on_startup(db.url(), set, opts);
    auto conn = db.connect();
    pgmig::detail::engine::exec_context ctx{*conn, opts.history_table, opts, opts.log};
    for (int round = 0; round < 2; ++round) {
        const pgmig::migration& m = *set.find(3);
        pgmig::detail::engine::apply_down(ctx, m.version, m.name, m.checksum, m.down_sql, m.down_file, m.down_line, false);
        BOOST_TEST(db.scalar("SELECT count(*) FROM pg_indexes WHERE indexname = 'todos_user_idx'") == "0");
        auto r = pgmig::migrate_on_startup(db.url(), set, opts);
        BOOST_TEST((r.applied == std::vector<std::int64_t>{3}));
        BOOST_TEST(db.scalar("SELECT count(*) FROM pg_indexes WHERE indexname = 'todos_user_idx'") == "1");
    }
    BOOST_TEST(count(db, "version = 3 AND direction = 'up'") == 3);
    BOOST_TEST(count(db, "version = 3 AND direction = 'down'") == 2);
    BOOST_TEST(count(db, "version = 3 AND status = 'success'") == 1);
}

BOOST_AUTO_TEST_CASE(connection_failures_are_clear_and_masked) {
    log_capture log;
    const std::string base = server_url();
    const std::string secret = "s3cr3t-W0rd-xyz";
    // Wrong password: permanent, no retry, password never shown.
    const std::string wrong = url_with_password(base, secret);
    auto opts = quiet_options(log);
    opts.connect_timeout = std::chrono::seconds(10);
    const auto t0 = std::chrono::steady_clock::now();
    auto e = expect_error([&] { pgmig::migrate_on_startup(wrong, make_set(three), opts); });
    BOOST_TEST((std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5)));
    BOOST_TEST(static_cast<int>(e.code()) == static_cast<int>(pgmig::error_code::connection));
    BOOST_TEST(pgmig::exit_code(e.code()) == 6);
    BOOST_TEST_MESSAGE(e.what());
    BOOST_TEST(std::string(e.what()).find(secret) == std::string::npos);
    BOOST_TEST(std::string(e.what()).find("*****") != std::string::npos);
    BOOST_TEST(std::string(e.what()).find("password authentication failed") != std::string::npos);
    BOOST_TEST(log.all().find(secret) == std::string::npos);

    // Unreachable port: retried until the deadline, then a masked error.
    const std::string closed = url_with_password("postgresql://postgres@127.0.0.1:1/postgres", secret);
    opts.connect_timeout = std::chrono::milliseconds(1200);
    auto e2 = expect_error([&] { pgmig::migrate_on_startup(closed, make_set(three), opts); });
    BOOST_TEST(static_cast<int>(e2.code()) == static_cast<int>(pgmig::error_code::connection));
    BOOST_TEST_MESSAGE(e2.what());
    BOOST_TEST(std::string(e2.what()).find(secret) == std::string::npos);
    BOOST_TEST(std::string(e2.what()).find("attempts") != std::string::npos);
    BOOST_TEST(log.all().find("retrying") != std::string::npos);
    BOOST_TEST(log.all().find(secret) == std::string::npos);
}

BOOST_AUTO_TEST_CASE(password_never_appears_in_messages) {
    scratch_database db("mask");
    log_capture log;
    const std::string pw = password_of(db.url());
    BOOST_REQUIRE(!pw.empty());
    auto files = first(2);
    files.push_back({"000003_bad.up.sql", "SELECT '" + pw + "'::int;\n"}); // even SQL echoing it
    auto opts = quiet_options(log);
    opts.log = log.logger();
    auto e = expect_error([&] { pgmig::migrate_on_startup(db.url(), make_set(files), opts); });
    BOOST_TEST(std::string(e.what()).find(pw) == std::string::npos);
    BOOST_TEST(log.all().find(pw) == std::string::npos);
    BOOST_TEST(log.all().find("applied") != std::string::npos);
    BOOST_TEST(pgmig::mask_password(db.url()).find(pw) == std::string::npos);
}

BOOST_AUTO_TEST_CASE(concurrent_threads_apply_each_migration_once) {
    // Threads with their own connections (the multi-process test is in test_multiprocess.cpp).
    scratch_database db("threads");
    std::vector<std::pair<std::string, std::string>> files;
    for (int i = 1; i <= 20; ++i) {
        char name[64];
        std::snprintf(name, sizeof name, "%06d_t%d.up.sql", i, i);
        files.push_back({name, "CREATE TABLE t" + std::to_string(i) + " (id int);"});
    }
    auto set = make_set(files);
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 6; ++i)
        threads.emplace_back([&] {
            log_capture log;
            try {
                pgmig::migrate_on_startup(db.url(), set, quiet_options(log));
                ++ok;
            } catch (const std::exception& e) {
                BOOST_TEST_MESSAGE(e.what());
            }
        });
    for (auto& t : threads) t.join();
    BOOST_TEST(ok.load() == 6);
    BOOST_TEST(count(db, "direction = 'up'") == 20);
}

BOOST_AUTO_TEST_SUITE_END()
