// Migrations written in C++ (pgmig::code_migration, docs/code-migrations.md)
// against a real PostgreSQL: applied in their transaction with their history
// row, rolled back with it on failure, no-transaction batches that commit as
// they go and a run that resumes them, rollback with the down function, drift
// of the checksum string, parameters.
#include "support/cli_runner.hpp"
#include "support/server.hpp"
#include "shared/temp_dir.hpp"

#include <pgmig/pgmig.hpp>

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <stdexcept>

using namespace pgmig_test;
using namespace pgmig_cli_test;

namespace {

pgmig::options quiet_options(log_capture& log) {
    pgmig::options o;
    o.log = log.logger();
    o.connect_timeout = std::chrono::seconds(5);
    o.lock_timeout = std::chrono::seconds(20);
    return o;
}

const std::vector<std::pair<std::string, std::string>> base = {
    {"000001_books.up.sql", "CREATE TABLE books (id bigint PRIMARY KEY, title text NOT NULL, title_key text);\n"
                            "INSERT INTO books SELECT g, 'Title ' || g, NULL FROM generate_series(1, 1000) g;\n"},
    {"000001_books.down.sql", "DROP TABLE books;\n"},
    {"000003_authors.up.sql", "CREATE TABLE authors (id bigint PRIMARY KEY);\n"},
    {"000003_authors.down.sql", "DROP TABLE authors;\n"},
};

/// Version 2: a transactional code migration that creates a table and fills it with parameters.
pgmig::code_migration notes(const std::string& checksum = "v1", bool with_down = true) {
    pgmig::code_migration c;
    c.version = 2;
    c.name = "notes";
    c.checksum = checksum;
    c.up = [](pgmig::session& s) {
        BOOST_TEST(s.in_transaction());
        BOOST_TEST(s.version() == 2);
        s.execute("CREATE TABLE notes (id int PRIMARY KEY, body text, n bigint)");
        const std::int64_t big = 9007199254740993LL;
        BOOST_TEST(s.affected_rows("INSERT INTO notes VALUES ($1, $2, $3)", {1, "it's \"quoted\"\n", big}) == 1);
        BOOST_TEST(s.affected_rows("INSERT INTO notes VALUES ($1, $2, $3)", {2, nullptr, std::optional<int>()}) == 1);
        const pgmig::result r = s.execute("SELECT id, body, n FROM notes ORDER BY id");
        BOOST_TEST(r.size() == 2u);
        BOOST_TEST(r.command() == "SELECT 2");
        BOOST_TEST(*r.at(0, "body") == "it's \"quoted\"\n");
        BOOST_TEST(*r.at(0, "n") == std::to_string(big));
        BOOST_TEST(!r.at(1, "body").has_value());
        BOOST_TEST(!r.at(1, 2).has_value());
        // A SELECT's rows are not rows it changed.
        BOOST_CHECK_THROW(r.affected_rows(), pgmig::error);
        BOOST_TEST(*s.value("SELECT count(*) FROM notes WHERE body IS NULL AND $1::int = 7", {7}) == "1");
        BOOST_TEST(!s.value("SELECT body FROM notes WHERE id = $1", {2}).has_value());
        BOOST_TEST(!s.value("SELECT 1 WHERE false").has_value());
    };
    if (with_down) c.down = [](pgmig::session& s) { s.execute("DROP TABLE notes"); };
    return c;
}

} // namespace

BOOST_AUTO_TEST_SUITE(code_migrations)

BOOST_AUTO_TEST_CASE(a_transactional_code_migration_is_applied_with_its_row) {
    scratch_database db("code_tx");
    log_capture log;
    const auto set = make_set(base).with_code({notes()});
    BOOST_TEST(set.size() == 3u);
    BOOST_TEST(set.find(2)->file == "code:notes");
    BOOST_TEST((set.find(2)->kind == pgmig::migration_kind::code));
    BOOST_TEST(set.find(2)->checksum == pgmig::code_checksum("v1"));
    BOOST_TEST(set.find(2)->checksum.rfind("code-sha256:", 0) == 0u);

    const auto r = pgmig::migrate_on_startup(db.url(), set, quiet_options(log));
    BOOST_TEST(r.applied == (std::vector<std::int64_t>{1, 2, 3}));
    BOOST_TEST(db.scalar("SELECT count(*) FROM notes") == "2");
    BOOST_TEST(db.scalar("SELECT name || ' ' || checksum || ' ' || status || ' ' || (down_sql IS NULL)::text || ' ' || "
                         "(up_sql IS NULL)::text FROM schema_migrations WHERE version = 2") ==
               "notes " + pgmig::code_checksum("v1") + " success true true");
    // Nothing to do on the next boot (the probe's digest includes the code checksum).
    const auto again = pgmig::migrate_on_startup(db.url(), set, quiet_options(log));
    BOOST_TEST(again.applied.empty());
    BOOST_TEST(!again.took_lock);
}

BOOST_AUTO_TEST_CASE(a_failing_code_migration_rolls_back_its_work_and_its_row) {
    scratch_database db("code_fail");
    log_capture log;
    pgmig::code_migration bad;
    bad.version = 2;
    bad.name = "bad";
    bad.checksum = "v1";
    bad.up = [](pgmig::session& s) {
        s.execute("CREATE TABLE half (id int)");
        s.execute("INSERT INTO half VALUES ($1)", {1});
        s.execute("INSERT INTO nowhere VALUES ($1)", {1});
    };
    const auto set = make_set(base).with_code({bad});
    const pgmig::error e = expect_error([&] { pgmig::migrate_on_startup(db.url(), set, quiet_options(log)); });
    BOOST_TEST((e.code() == pgmig::error_code::migration_failed));
    const std::string msg = e.what();
    BOOST_TEST(msg.find("migration 2 (code:bad) failed") != std::string::npos, msg);
    BOOST_TEST(msg.find("42P01") != std::string::npos, msg);
    BOOST_TEST(msg.find("INSERT INTO nowhere") != std::string::npos, msg);
    BOOST_TEST(msg.find("rolled back") != std::string::npos, msg);
    BOOST_TEST(!db.table_exists("public", "half"));
    BOOST_TEST(db.scalar("SELECT string_agg(status, ',' ORDER BY id) FROM schema_migrations WHERE version = 2") ==
               "failed");
    BOOST_TEST(db.table_exists("public", "books")); // version 1 stays applied
    BOOST_TEST(!db.table_exists("public", "authors"));

    // An exception of the function's own (not a statement): the same.
    pgmig::code_migration throws = bad;
    throws.up = [](pgmig::session& s) {
        s.execute("CREATE TABLE half (id int)");
        throw std::runtime_error("the input file is missing");
    };
    BOOST_TEST(db_cmd(make_set(base).with_code({throws}), db.url(), {"repair", "--yes"}).code == 0);
    const pgmig::error t =
        expect_error([&] { pgmig::migrate_on_startup(db.url(), make_set(base).with_code({throws}), quiet_options(log)); });
    BOOST_TEST(std::string(t.what()).find("its C++ function threw: the input file is missing") != std::string::npos,
               t.what());
    BOOST_TEST(!db.table_exists("public", "half"));
}

BOOST_AUTO_TEST_CASE(a_no_transaction_code_migration_commits_each_batch_and_runs_again_after_a_failure) {
    scratch_database db("code_batches");
    log_capture log;
    BOOST_TEST(db_cmd(make_set({base[0], base[1]}), db.url(), {"up"}).code == 0);

    std::atomic<int> fail_after{3}; // batches; -1: never
    std::atomic<std::int64_t> changed{0};
    std::atomic<int> calls{0};
    pgmig::code_migration fill;
    fill.version = 2;
    fill.name = "fill_title_key";
    fill.checksum = "v1";
    fill.no_transaction = true;
    fill.up = [&](pgmig::session& s) {
        BOOST_TEST(!s.in_transaction());
        ++calls;
        int batches = 0;
        for (;;) {
            const std::int64_t n = s.affected_rows(
                "UPDATE books SET title_key = lower(title) WHERE id IN "
                "(SELECT id FROM books WHERE title_key IS NULL ORDER BY id LIMIT $1)",
                {100});
            if (n == 0) break;
            changed += n;
            ++batches;
            if (batches == 2 && fail_after == 3) {
                // Committed: another session sees the first two batches.
                BOOST_TEST(db.scalar("SELECT count(*) FROM books WHERE title_key IS NOT NULL") ==
                           std::to_string(changed.load()));
            }
            if (batches == fail_after) throw std::runtime_error("stopped on purpose");
        }
        s.log("filled " + std::to_string(changed.load()) + " rows");
    };
    const auto set = make_set(base).with_code({fill});
    const pgmig::error e = expect_error([&] { pgmig::migrate_on_startup(db.url(), set, quiet_options(log)); });
    BOOST_TEST((e.code() == pgmig::error_code::migration_failed));
    BOOST_TEST(std::string(e.what()).find("code:fill_title_key, no-transaction") != std::string::npos, e.what());
    BOOST_TEST(std::string(e.what()).find("calls its up function again") != std::string::npos, e.what());
    // The three batches committed stay.
    BOOST_TEST(db.scalar("SELECT count(*) FROM books WHERE title_key IS NOT NULL") == "300");
    BOOST_TEST(db.scalar("SELECT status FROM schema_migrations WHERE version = 2") == "failed");

    // After repair, the next run calls the function again; it does the rows still to do.
    BOOST_TEST(db_cmd(set, db.url(), {"repair", "--yes"}).code == 0);
    fail_after = -1;
    changed = 0;
    const auto r = pgmig::migrate_on_startup(db.url(), set, quiet_options(log));
    BOOST_TEST(r.applied == (std::vector<std::int64_t>{2, 3}));
    BOOST_TEST(changed.load() == 700);
    BOOST_TEST(calls.load() == 2);
    BOOST_TEST(db.scalar("SELECT count(*) FROM books WHERE title_key = lower(title)") == "1000");
    BOOST_TEST(db.scalar("SELECT status || ' ' || statements_done || '/' || statements_total FROM schema_migrations "
                         "WHERE version = 2 AND status = 'success'") == "success 1/1");
}

BOOST_AUTO_TEST_CASE(an_interrupted_no_transaction_code_migration_is_resumed_by_running_it_again) {
    scratch_database db("code_resume");
    log_capture log;
    BOOST_TEST(db_cmd(make_set({base[0], base[1]}), db.url(), {"up"}).code == 0);
    pgmig::code_migration fill;
    fill.version = 2;
    fill.name = "fill_title_key";
    fill.checksum = "v1";
    fill.no_transaction = true;
    fill.up = [](pgmig::session& s) {
        while (s.affected_rows("UPDATE books SET title_key = lower(title) WHERE id IN "
                               "(SELECT id FROM books WHERE title_key IS NULL LIMIT 250)") > 0) {
        }
    };
    const auto set = make_set(base).with_code({fill});
    // What a run that died half-way leaves: a `running` row of this protocol
    // whose backend is gone, and some batches committed.
    db.exec("UPDATE books SET title_key = lower(title) WHERE id <= 400");
    db.exec("INSERT INTO schema_migrations (version, name, checksum, direction, status, statements_done, "
            "statements_total, applied_by, run_id, backend_pid, backend_start, phase) VALUES (2, 'fill_title_key', " +
            pgmig::detail::engine::quote_literal(pgmig::code_checksum("v1")) +
            ", 'up', 'running', 0, 1, 'test', 'deadrun', 999999, now() - interval '1 hour', 'pre-deploy')");
    const auto r = pgmig::migrate_on_startup(db.url(), set, quiet_options(log));
    BOOST_TEST(r.applied == (std::vector<std::int64_t>{2, 3}));
    BOOST_TEST(db.scalar("SELECT count(*) FROM books WHERE title_key = lower(title)") == "1000");
    BOOST_TEST(db.scalar("SELECT string_agg(status, ',' ORDER BY id) FROM schema_migrations WHERE version = 2") ==
               "repaired,success");
    bool noted = false;
    for (const auto& l : log.lines)
        if (l.second.find("its C++ up function runs again from its start") != std::string::npos) noted = true;
    BOOST_TEST(noted);
}

BOOST_AUTO_TEST_CASE(rollback_runs_the_down_function_and_refuses_without_one) {
    scratch_database db("code_rollback");
    const auto set = make_set(base).with_code({notes()});
    BOOST_TEST(db_cmd(set, db.url(), {"up"}).code == 0);
    auto r = db_cmd(set, db.url(), {"rollback", "--to", "1", "--yes"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(!db.table_exists("public", "notes"));
    BOOST_TEST(!db.table_exists("public", "authors"));
    BOOST_TEST(db.scalar("SELECT string_agg(direction || ':' || status, ',' ORDER BY id) FROM schema_migrations "
                         "WHERE version = 2") == "up:reverted,down:success");
    // Up again, then redo (down + up of the latest) works through the code path too.
    BOOST_TEST(db_cmd(set, db.url(), {"up"}).code == 0);
    BOOST_TEST(db.scalar("SELECT count(*) FROM notes") == "2");

    // Without a down function: refused, naming why, nothing rolled back.
    const auto no_down = make_set(base).with_code({notes("v1", false)});
    r = db_cmd(no_down, db.url(), {"rollback", "--to", "1", "--yes"});
    BOOST_TEST(r.code == pgmig::exit_code(pgmig::error_code::not_reversible), r.out + r.err);
    BOOST_TEST(r.err.find("code:notes") != std::string::npos, r.err);
    BOOST_TEST(r.err.find("C++ migration registered without a down function") != std::string::npos, r.err);
    BOOST_TEST(db.table_exists("public", "notes"));
    BOOST_TEST(db.table_exists("public", "authors"));
}

BOOST_AUTO_TEST_CASE(a_changed_checksum_string_is_drift) {
    scratch_database db("code_drift");
    log_capture log;
    pgmig::migrate_on_startup(db.url(), make_set(base).with_code({notes("v1")}), quiet_options(log));
    const auto changed = make_set(base).with_code({notes("v2")});
    const pgmig::error e = expect_error([&] { pgmig::migrate_on_startup(db.url(), changed, quiet_options(log)); });
    BOOST_TEST((e.code() == pgmig::error_code::drift));
    const std::string msg = e.what();
    BOOST_TEST(msg.find("code:notes") != std::string::npos, msg);
    BOOST_TEST(msg.find("checksum string") != std::string::npos, msg);
    BOOST_TEST(msg.find(pgmig::code_checksum("v1")) != std::string::npos, msg);
    BOOST_TEST(msg.find(pgmig::code_checksum("v2")) != std::string::npos, msg);
    // status says so too; the same string again is no drift.
    const auto r = db_cmd(changed, db.url(), {"status"});
    BOOST_TEST(r.out.find("checksum string") != std::string::npos, r.out);
    BOOST_TEST(pgmig::migrate_on_startup(db.url(), make_set(base).with_code({notes("v1")}), quiet_options(log))
                   .applied.empty());
}

BOOST_AUTO_TEST_CASE(the_commands_show_the_kind_and_the_pgmig_cli_explains_the_services_code_migrations) {
    scratch_database db("code_cli");
    const auto set = make_set(base).with_code({notes()});
    // Pending: plan says it is C++ and cannot show its SQL; --json has kind and sql null.
    auto r = db_cmd(set, db.url(), {"plan"});
    BOOST_TEST(r.out.find("2 notes (code:notes)  [C++ migration]") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("the SQL its up function sends is not known before it runs") != std::string::npos, r.out);
    r = db_cmd(set, db.url(), {"plan", "--json"});
    auto doc = r.doc();
    BOOST_TEST(doc["pending"][1]["kind"] == "code");
    BOOST_TEST(doc["pending"][1]["sql"].is_null());
    BOOST_TEST(doc["pending"][0]["kind"] == "sql");
    r = db_cmd(set, db.url(), {"up", "--dry-run"});
    BOOST_TEST(r.out.find("-- code:notes: the C++ migration's up function runs here") != std::string::npos, r.out);
    // lint skips it with a note.
    r = db_cmd(set, db.url(), {"lint"});
    BOOST_TEST(r.out.find("not linted: a C++ migration") != std::string::npos, r.out);
    r = db_cmd(set, db.url(), {"lint", "--json"});
    BOOST_TEST(r.doc()["migrations"][1]["skipped"].is_string());

    BOOST_TEST(db_cmd(set, db.url(), {"up"}).code == 0);
    r = db_cmd(set, db.url(), {"status", "--json"});
    doc = r.doc();
    BOOST_TEST(doc["applied"][1]["kind"] == "code");
    BOOST_TEST(doc["applied"][1]["file"] == "code:notes");
    r = db_cmd(set, db.url(), {"history", "--json"});
    BOOST_TEST(r.doc()["rows"][1]["kind"] == "code");
    BOOST_TEST(r.doc()["rows"][0]["kind"] == "sql");

    // The pgmig CLI on the directory (no C++ migrations in it): applied and explained, not unknown.
    temp_dir d;
    for (const auto& f : base) d.write("migrations/" + f.first, f.second);
    const std::string dir = (d.path / "migrations").string();
    r = pgmig_cmd(dir, db.url(), {"status"});
    BOOST_TEST(r.code == 0, r.out + r.err);
    BOOST_TEST(r.out.find("not in this directory: a C++ migration of the service") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("Problems") == std::string::npos, r.out);
    BOOST_TEST(r.out.find("Up to date") != std::string::npos, r.out);
    r = pgmig_cmd(dir, db.url(), {"status", "--json"});
    doc = r.doc();
    BOOST_TEST(doc["applied"][1]["kind"] == "code");
    BOOST_TEST(doc["applied"][1]["in_set"] == false);
    BOOST_TEST(doc["unknown"].empty());
    BOOST_TEST(doc["problems"].empty());
    BOOST_TEST(pgmig_cmd(dir, db.url(), {"verify"}).code == 0);
    BOOST_TEST(pgmig_cmd(dir, db.url(), {"up"}).code == 0);
    // Rolling it back needs the service.
    r = pgmig_cmd(dir, db.url(), {"rollback", "--to", "1", "--yes"});
    BOOST_TEST(r.code == pgmig::exit_code(pgmig::error_code::not_reversible), r.out + r.err);
    BOOST_TEST(r.err.find("only the service that registers it can roll it back") != std::string::npos, r.err);
    BOOST_TEST(db.table_exists("public", "notes"));
    // The service's own binary, without the code migration, reports it as unknown (a deleted migration).
    r = db_cmd(make_set(base), db.url(), {"status", "--json"});
    BOOST_TEST(r.doc()["unknown"].size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
