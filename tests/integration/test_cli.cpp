// The admin commands (`myapp db …` and `pgmig …`, in-process through
// pgmig::cli::run_with) against a real PostgreSQL: every command in text and
// JSON, exit codes, dry-run, confirmation, rollback from stored down SQL,
// password masking.
#include "support/cli_runner.hpp"

#include <pgmig/pgmig.hpp>

#include <boost/test/unit_test.hpp>

#include <thread>

using namespace pgmig_test;
using namespace pgmig_cli_test;
using json = nlohmann::json;

namespace {

using files = std::vector<std::pair<std::string, std::string>>;

const files three = {
    {"000001_users.up.sql", "CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL);\n"},
    {"000001_users.down.sql", "DROP TABLE users;\n"},
    {"000002_todos.up.sql",
     "CREATE TABLE todos (\n  id bigserial PRIMARY KEY,\n  user_id bigint REFERENCES users(id),\n  title text\n);\n"},
    {"000002_todos.down.sql", "DROP TABLE todos;\n"},
    // Allowed for lint, so that `up` of this fixture needs no confirmation (a high finding would).
    {"000003_todos_idx.up.sql", "-- pgmig:allow create-index-without-concurrently todos is small in these tests\n"
                                "CREATE INDEX todos_user_idx ON todos (user_id);\n"},
    {"000003_todos_idx.down.sql", "DROP INDEX todos_user_idx;\n"},
};

files without(files f, const std::string& prefix) {
    files out;
    for (auto& x : f)
        if (x.first.rfind(prefix, 0) != 0) out.push_back(x);
    return out;
}

files with(files f, const std::string& name, const std::string& content) {
    for (auto& x : f)
        if (x.first == name) {
            x.second = content;
            return f;
        }
    f.emplace_back(name, content);
    return f;
}

/// Every output of the run is free of the URL's password.
void check_masked(const cli_run& r, const std::string& url) {
    const std::string pw = password_of(url);
    BOOST_REQUIRE(!pw.empty());
    BOOST_TEST(r.out.find(pw) == std::string::npos, "password in stdout:\n" << r.out);
    BOOST_TEST(r.err.find(pw) == std::string::npos, "password in stderr:\n" << r.err);
}

std::vector<std::int64_t> versions_of(const json& arr) {
    std::vector<std::int64_t> out;
    for (const auto& x : arr) out.push_back(x["migration_version"].get<std::int64_t>());
    return out;
}

std::string applied_versions(scratch_database& db) {
    return db.scalar(
        "SELECT coalesce(string_agg(version::text, ',' ORDER BY version), '') FROM public.schema_migrations s "
        "WHERE direction = 'up' AND status = 'success'");
}

} // namespace

BOOST_AUTO_TEST_SUITE(cli)

BOOST_AUTO_TEST_CASE(status_plan_up_verify_history_text_and_json) {
    scratch_database db("cli_basic");
    const auto set = make_set(three);

    // Fresh database: status shows 3 pending; plan exits 2 (pending).
    auto r = db_cmd(set, db.url(), {"status"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(r.out.find("… 1") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("not created yet") != std::string::npos);
    r = db_cmd(set, db.url(), {"status", "--json"});
    BOOST_TEST(r.code == 0);
    auto doc = r.doc();
    BOOST_TEST(doc["version"] == 2);
    BOOST_TEST(doc["command"] == "status");
    BOOST_TEST(doc["ok"] == true);
    BOOST_TEST(doc["history_table_exists"] == false);
    BOOST_TEST(doc["pending"].size() == 3u);
    BOOST_TEST(doc["applied"].empty());
    BOOST_TEST(doc["current_version"] == 0);

    r = db_cmd(set, db.url(), {"plan"});
    BOOST_TEST(r.code == 2);
    BOOST_TEST(r.out.find("CREATE INDEX todos_user_idx") != std::string::npos, r.out);
    r = db_cmd(set, db.url(), {"plan", "--json"});
    BOOST_TEST(r.code == 2);
    doc = r.doc();
    BOOST_TEST(doc["result"] == "pending");
    BOOST_TEST(doc["ok"] == true); // it did what was asked; the exit code reports the state
    BOOST_TEST(doc["exit_code"] == 2);
    BOOST_TEST((versions_of(doc["pending"]) == std::vector<std::int64_t>{1, 2, 3}));
    BOOST_TEST(doc["pending"][0]["sql"].get<std::string>().find("CREATE TABLE users") != std::string::npos);
    BOOST_TEST(doc["pending"][0]["reversible"] == true);

    r = db_cmd(set, db.url(), {"verify", "--json"});
    BOOST_TEST(r.code == 2);
    BOOST_TEST(r.doc()["result"] == "pending");

    r = db_cmd(set, db.url(), {"up", "--json"});
    BOOST_TEST(r.code == 0, r.err);
    doc = r.doc();
    BOOST_TEST((versions_of(doc["applied"]) == std::vector<std::int64_t>{1, 2, 3}));
    BOOST_TEST(doc["current_version"] == 3);
    BOOST_TEST(db.table_exists("public", "todos"));

    r = db_cmd(set, db.url(), {"status"});
    BOOST_TEST(r.code == 0);
    BOOST_TEST(r.out.find("✓ 3") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("Up to date") != std::string::npos, r.out);
    r = db_cmd(set, db.url(), {"status", "--json"});
    doc = r.doc();
    BOOST_TEST(doc["applied"].size() == 3u);
    BOOST_TEST(doc["applied"][0]["applied_at"].get<std::string>().size() > 10u);
    BOOST_TEST(doc["applied"][0].contains("execution_ms"));
    BOOST_TEST(doc["up_to_date"] == true);

    r = db_cmd(set, db.url(), {"verify"});
    BOOST_TEST(r.code == 0);
    BOOST_TEST(r.out.find("clean") != std::string::npos);
    r = db_cmd(set, db.url(), {"plan", "--json"});
    BOOST_TEST(r.code == 0);
    BOOST_TEST(r.doc()["result"] == "up_to_date");
    r = db_cmd(set, db.url(), {"up"});
    BOOST_TEST(r.code == 0);
    BOOST_TEST(r.out.find("Nothing to apply") != std::string::npos);

    r = db_cmd(set, db.url(), {"history"});
    BOOST_TEST(r.code == 0);
    BOOST_TEST(r.out.find("todos_idx") != std::string::npos);
    r = db_cmd(set, db.url(), {"history", "--json"});
    BOOST_TEST(r.doc()["rows"].size() == 3u);
    BOOST_TEST(r.doc()["rows"][0]["direction"] == "up");
    BOOST_TEST(r.doc()["rows"][0]["status"] == "success");
}

BOOST_AUTO_TEST_CASE(up_to_and_rollback_steps_and_to) {
    scratch_database db("cli_to");
    const auto set = make_set(three);
    auto r = db_cmd(set, db.url(), {"up", "--to", "2"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(applied_versions(db) == "1,2");
    r = db_cmd(set, db.url(), {"up", "--to", "7", "--json"});
    BOOST_TEST(r.code == 1);
    BOOST_TEST(r.doc()["error"]["code"] == "usage");
    r = db_cmd(set, db.url(), {"apply"});
    BOOST_TEST(r.code == 0);
    BOOST_TEST(applied_versions(db) == "1,2,3");

    r = db_cmd(set, db.url(), {"rollback", "--steps", "2", "--yes", "--json"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST((versions_of(r.doc()["rolled_back"]) == std::vector<std::int64_t>{3, 2}));
    BOOST_TEST(applied_versions(db) == "1");
    BOOST_TEST(!db.table_exists("public", "todos"));

    r = db_cmd(set, db.url(), {"up"});
    BOOST_TEST(r.code == 0);
    r = db_cmd(set, db.url(), {"down", "--to", "1", "--yes"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(applied_versions(db) == "1");
    BOOST_TEST(r.out.find("Rolled back 2 migrations") != std::string::npos, r.out);
    r = db_cmd(set, db.url(), {"rollback", "--to", "0", "--yes"});
    BOOST_TEST(r.code == 0);
    BOOST_TEST(applied_versions(db) == "");
    r = db_cmd(set, db.url(), {"rollback", "--yes"});
    BOOST_TEST(r.code == 0);
    BOOST_TEST(r.out.find("Nothing to roll back") != std::string::npos);
    r = db_cmd(set, db.url(), {"rollback", "--to", "99", "--yes", "--json"});
    BOOST_TEST(r.code == 1);
}

BOOST_AUTO_TEST_CASE(up_steps_applies_only_the_next_n) {
    scratch_database db("cli_steps");
    const auto set = make_set(three);
    auto r = db_cmd(set, db.url(), {"up", "--steps", "1", "--json"});
    BOOST_TEST(r.code == 0, r.err);
    auto doc = r.doc();
    BOOST_TEST((versions_of(doc["applied"]) == std::vector<std::int64_t>{1}));
    BOOST_TEST((versions_of(doc["planned"]) == std::vector<std::int64_t>{1}));
    BOOST_TEST(doc["steps"] == 1);
    BOOST_TEST(doc["to"].is_null());
    BOOST_TEST(applied_versions(db) == "1");

    // The dry run shows the next one only, and names the command as given.
    r = db_cmd(set, db.url(), {"up", "--steps", "1", "--dry-run"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(r.out.find("`myapp db up --steps 1` would send") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("CREATE TABLE todos") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("CREATE INDEX todos_user_idx") == std::string::npos, r.out);
    BOOST_TEST(applied_versions(db) == "1");

    // More steps than pending: the rest.
    r = db_cmd(set, db.url(), {"apply", "--steps", "5"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(r.out.find("Applied 2 migrations") != std::string::npos, r.out);
    BOOST_TEST(applied_versions(db) == "1,2,3");
    r = db_cmd(set, db.url(), {"up", "--steps", "1"});
    BOOST_TEST(r.code == 0);
    BOOST_TEST(r.out.find("Nothing to apply") != std::string::npos, r.out);

    // After a rollback of two, one step re-applies the older of them.
    BOOST_TEST(db_cmd(set, db.url(), {"rollback", "--steps", "2", "--yes"}).code == 0);
    BOOST_TEST(db_cmd(set, db.url(), {"up", "--steps", "1"}).code == 0);
    BOOST_TEST(applied_versions(db) == "1,2");

    // Usage errors, before anything connects.
    for (auto args : std::vector<std::vector<std::string>>{{"up", "--steps", "0"}, {"up", "--steps", "two"},
                                                            {"up", "--steps", "1", "--to", "3"}}) {
        args.push_back("--json");
        r = db_cmd(set, db.url(), args);
        BOOST_TEST(r.code == 1, args[2]);
        BOOST_TEST(r.doc()["error"]["code"] == "usage");
    }
    BOOST_TEST(applied_versions(db) == "1,2");
}

BOOST_AUTO_TEST_CASE(status_names_the_next_step_when_something_is_pending) {
    scratch_database db("cli_status_next");
    const auto set = make_set(three);
    auto r = db_cmd(set, db.url(), {"status"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(r.out.find("Next: `myapp db plan` shows what would run, `myapp db up` applies.") != std::string::npos,
               r.out);
    BOOST_TEST(db_cmd(set, db.url(), {"up", "--to", "2"}).code == 0);
    BOOST_TEST(db_cmd(set, db.url(), {"status"}).out.find("Next: `myapp db plan`") != std::string::npos);
    // Up to date: nothing to do next.
    BOOST_TEST(db_cmd(set, db.url(), {"up"}).code == 0);
    r = db_cmd(set, db.url(), {"status"});
    BOOST_TEST(r.out.find("Next:") == std::string::npos, r.out);
    BOOST_TEST(r.out.find("Up to date") != std::string::npos, r.out);
    // Pending, but `up` would refuse (drift): the problems' fixes come first, not `up`.
    BOOST_TEST(db_cmd(set, db.url(), {"rollback", "--yes"}).code == 0);
    const auto edited = make_set(with(three, "000001_users.up.sql",
                                      "CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL); -- edited\n"));
    r = db_cmd(edited, db.url(), {"status"});
    BOOST_TEST(r.out.find("… 3") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("Next:") == std::string::npos, r.out);
    BOOST_TEST(r.out.find("repair --accept-checksums") != std::string::npos, r.out);
    // The standalone CLI spells its own commands.
    temp_dir d;
    for (const auto& f : three) d.write("migrations/" + f.first, f.second);
    r = pgmig_cmd((d.path / "migrations").string(), db.url(), {"status"});
    BOOST_TEST(r.out.find("Next: `pgmig plan` shows what would run, `pgmig up` applies.") != std::string::npos, r.out);
}

BOOST_AUTO_TEST_CASE(rollback_uses_stored_down_sql_when_the_file_is_gone) {
    scratch_database db("cli_stored_down");
    auto r = db_cmd(make_set(three), db.url(), {"up"});
    BOOST_TEST(r.code == 0, r.err);

    // A binary without migration 3 (an app rollback): 3 is unknown-newer (a warning).
    const auto older = make_set(without(three, "000003"));
    r = db_cmd(older, db.url(), {"rollback", "--dry-run", "--json"});
    BOOST_TEST(r.code == 0, r.err);
    auto doc = r.doc();
    BOOST_TEST(doc["planned"][0]["migration_version"] == 3);
    BOOST_TEST(doc["planned"][0]["down_source"] == "history");
    BOOST_TEST(doc["statements"][0]["sql"].get<std::string>().find("SET lock_timeout") != std::string::npos);
    BOOST_TEST(doc["statements"][1]["sql"].get<std::string>().find("DROP INDEX todos_user_idx") != std::string::npos);

    r = db_cmd(older, db.url(), {"rollback", "--yes", "--json"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(r.doc()["rolled_back"][0]["migration_version"] == 3);
    BOOST_TEST(db.scalar("SELECT count(*) FROM pg_indexes WHERE indexname = 'todos_user_idx'") == "0");
    BOOST_TEST(applied_versions(db) == "1,2");
    r = db_cmd(older, db.url(), {"verify"});
    BOOST_TEST(r.code == 0, r.out << r.err);

    // A deleted file inside the range: status reports it, rollback still uses the stored SQL.
    const auto gap = make_set(without(three, "000002"));
    r = db_cmd(gap, db.url(), {"status", "--json"});
    BOOST_TEST(r.code == 0);
    BOOST_TEST(r.doc()["unknown"][0]["migration_version"] == 2);
    BOOST_TEST(r.doc()["unknown"][0]["where"] == "inside");
    r = db_cmd(gap, db.url(), {"rollback", "--to", "1", "--yes"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(!db.table_exists("public", "todos"));
    BOOST_TEST(applied_versions(db) == "1");
}

BOOST_AUTO_TEST_CASE(a_run_that_stops_part_way_reports_what_it_did) {
    // The JSON lists the steps that ran before the failure (from the migrator's
    // partial_error); the failed step is in neither list.
    scratch_database db("cli_partial");
    BOOST_TEST(db_cmd(make_set(three), db.url(), {"up"}).code == 0);
    const auto broken_down = make_set(with(three, "000002_todos.down.sql", "DROP TABLE todos;\nSELEC 1;\n"));
    auto r = db_cmd(broken_down, db.url(), {"rollback", "--to", "0", "--yes", "--json"});
    BOOST_TEST(r.code == 7, r.err);
    auto doc = r.doc();
    BOOST_TEST(doc["error"]["code"] == "migration_failed");
    BOOST_TEST(doc["error"]["migration_version"] == 2);
    BOOST_TEST((versions_of(doc["rolled_back"]) == std::vector<std::int64_t>{3}));
    BOOST_TEST(doc["rolled_back"][0]["file"] == "000003_todos_idx.down.sql");
    BOOST_TEST(!doc.contains("applied"));
    BOOST_TEST(applied_versions(db) == "1,2");

    // redo: the down ran, the up failed.
    BOOST_TEST(db_cmd(make_set(three), db.url(), {"repair", "--yes"}).code == 0);
    BOOST_TEST(db_cmd(make_set(three), db.url(), {"up"}).code == 0);
    const auto broken_up = make_set(with(three, "000003_todos_idx.up.sql", "CREATE INDEX todos_user_idx ON todos (nope);\n"));
    r = db_cmd(broken_up, db.url(), {"redo", "--yes", "--json"});
    BOOST_TEST(r.code == 7, r.err);
    doc = r.doc();
    BOOST_TEST((versions_of(doc["rolled_back"]) == std::vector<std::int64_t>{3}));
    BOOST_TEST(doc["applied"].empty());
    BOOST_TEST(applied_versions(db) == "1,2");

    // A refusal before anything ran lists nothing.
    r = db_cmd(broken_up, db.url(), {"up", "--json"});
    BOOST_TEST(r.code == 4);
    BOOST_TEST(r.doc()["applied"].empty());
}

BOOST_AUTO_TEST_CASE(rollback_refused_for_non_reversible_migration_nothing_changed) {
    scratch_database db("cli_irreversible");
    const auto set = make_set(without(three, "000002_todos.down"));
    BOOST_TEST(db_cmd(set, db.url(), {"up"}).code == 0);
    const std::string before = db.catalog_fingerprint();
    const std::string rows = history_summary(db);

    auto r = db_cmd(set, db.url(), {"rollback", "--to", "0", "--yes", "--json"});
    BOOST_TEST(r.code == 3);
    auto doc = r.doc();
    BOOST_TEST(doc["error"]["code"] == "not_reversible");
    BOOST_TEST(doc["error"]["migration_version"] == 2);
    BOOST_TEST(doc["rolled_back"].empty());
    // The refusal still shows what it would have rolled back, and what is not reversible.
    BOOST_TEST((versions_of(doc["planned"]) == std::vector<std::int64_t>{3, 2, 1}));
    BOOST_TEST(doc["planned"][1]["reversible"] == false);
    BOOST_TEST(doc["planned"][1]["down_source"].is_null());
    BOOST_TEST(doc["planned"][0]["reversible"] == true);
    // The downs that would run drop users and the index (data loss: the table).
    BOOST_TEST(doc["data_loss"].size() == 1u, doc["data_loss"].dump());
    BOOST_TEST(doc["data_loss"][0]["rule_id"] == "drop-table");
    BOOST_TEST(doc["data_loss"][0]["relation"] == "users");
    BOOST_TEST(doc["data_loss"][0]["table_exists"] == true);
    BOOST_TEST(db.catalog_fingerprint() == before);
    BOOST_TEST(history_summary(db) == rows);

    r = db_cmd(set, db.url(), {"rollback", "--to", "0", "--yes"});
    BOOST_TEST(r.code == 3);
    BOOST_TEST(r.err.find("not reversible") != std::string::npos, r.err);
    // The latest (3) alone is reversible.
    r = db_cmd(set, db.url(), {"rollback", "--yes"});
    BOOST_TEST(r.code == 0, r.err);
    // plan flags the non-reversible migration.
    BOOST_TEST(db_cmd(set, db.url(), {"rollback", "--to", "1", "--yes"}).code == 3);
    BOOST_TEST(db_cmd(set, db.url(), {"force", "1", "--yes"}).code == 0);
    r = db_cmd(set, db.url(), {"plan", "--json"});
    BOOST_TEST(r.doc()["pending"][0]["migration_version"] == 2);
    BOOST_TEST(r.doc()["pending"][0]["reversible"] == false);
    BOOST_TEST(db_cmd(set, db.url(), {"plan"}).out.find("NOT REVERSIBLE") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(dry_runs_change_nothing) {
    scratch_database db("cli_dry");
    const auto set = make_set(three);
    std::string before = db.catalog_fingerprint();
    auto r = db_cmd(set, db.url(), {"up", "--dry-run"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(r.out.find("CREATE TABLE IF NOT EXISTS \"public\".\"schema_migrations\"") != std::string::npos);
    BOOST_TEST(r.out.find("INSERT INTO \"public\".\"schema_migrations\"") != std::string::npos);
    BOOST_TEST(r.out.find("CREATE TABLE users") != std::string::npos);
    r = db_cmd(set, db.url(), {"up", "--dry-run", "--json"});
    auto doc = r.doc();
    BOOST_TEST(doc["dry_run"] == true);
    // The session settings, the history table, 3 migrations, their execution times.
    BOOST_TEST(doc["statements"].size() == 6u);
    BOOST_TEST(doc["statements"][0]["sql"].get<std::string>() ==
               "SET application_name = 'pgmig'; SET statement_timeout = '0'; "
               "SET idle_in_transaction_session_timeout = '0'; SET lock_timeout = '5000'");
    BOOST_TEST(doc["statements"][2]["sql"].get<std::string>().find("'reverted'") == std::string::npos);
    // Each migration's history row carries the lock fence a real run sends (placeholders for the run's key and pid).
    BOOST_TEST(doc["statements"][2]["sql"].get<std::string>().find(
                   "pg_catalog.pg_try_advisory_xact_lock_shared(0 /* the run's random key */)") != std::string::npos);
    BOOST_TEST(doc["statements"][5]["sql"].get<std::string>().find("SET execution_ms = m.ms FROM (VALUES (1, 'up', ") !=
               std::string::npos);
    BOOST_TEST(doc["applied"].empty());
    // The retry policy on lock timeouts (what the executors do).
    BOOST_TEST(doc["lock_retry"]["retries"] == 3);
    BOOST_TEST((doc["lock_retry"]["pauses_ms"] == json::array({500, 1000, 2000})));
    BOOST_TEST(db.catalog_fingerprint() == before);
    BOOST_TEST(!db.table_exists("public", "schema_migrations"));
    // The database has none of the tables: baseline refuses, also in a dry run, unless forced.
    BOOST_TEST(db_cmd(set, db.url(), {"baseline", "--version", "2", "--dry-run"}).code == 3);
    BOOST_TEST(db_cmd(set, db.url(), {"baseline", "--version", "2", "--force", "--dry-run"}).code == 0);
    BOOST_TEST(db_cmd(set, db.url(), {"force", "3", "--dry-run"}).code == 0);
    BOOST_TEST(db.catalog_fingerprint() == before);

    // What the dry run printed is what runs: the statement texts match the real run's bookkeeping.
    BOOST_TEST(db_cmd(set, db.url(), {"up"}).code == 0);
    before = db.catalog_fingerprint();
    const std::string rows = history_summary(db);
    for (auto args : std::vector<std::vector<std::string>>{{"rollback", "--dry-run"},
                                                            {"rollback", "--to", "0", "--dry-run"},
                                                            {"redo", "--dry-run"},
                                                            {"force", "1", "--dry-run"},
                                                            {"repair", "--dry-run"},
                                                            {"up", "--dry-run"}}) {
        r = db_cmd(set, db.url(), args);
        BOOST_TEST(r.code == 0, args[0] << ": " << r.err);
    }
    r = db_cmd(set, db.url(), {"redo", "--dry-run", "--json"});
    doc = r.doc();
    BOOST_TEST(doc["statements"].size() == 5u); // the session settings once, down, its time, up, its time
    BOOST_TEST(doc["statements"][0]["purpose"].get<std::string>().find("session settings") == 0);
    BOOST_TEST(doc["statements"][1]["sql"].get<std::string>().find("DROP INDEX todos_user_idx") != std::string::npos);
    BOOST_TEST(doc["statements"][2]["sql"].get<std::string>().find("(3, 'down', ") != std::string::npos);
    BOOST_TEST(doc["statements"][3]["sql"].get<std::string>().find("CREATE INDEX todos_user_idx") != std::string::npos);
    BOOST_TEST(doc["statements"][4]["sql"].get<std::string>().find("(3, 'up', ") != std::string::npos);
    BOOST_TEST(db.catalog_fingerprint() == before);
    BOOST_TEST(history_summary(db) == rows);
}

BOOST_AUTO_TEST_CASE(confirmation_refused_without_terminal) {
    scratch_database db("cli_confirm");
    const auto set = make_set(three);
    BOOST_TEST(db_cmd(set, db.url(), {"up"}).code == 0);
    const std::string rows = history_summary(db);
    const std::string before = db.catalog_fingerprint();

    for (auto args : std::vector<std::vector<std::string>>{
             {"rollback"}, {"down", "--to", "0"}, {"redo"}, {"force", "1"}}) {
        auto r = db_cmd(set, db.url(), args, {"yes\n", false, true});
        BOOST_TEST(r.code == 10, args[0]);
        BOOST_TEST(r.err.find("--yes") != std::string::npos, r.err);
        BOOST_TEST(r.err.find("not a terminal") != std::string::npos, r.err);
        args.push_back("--json");
        r = db_cmd(set, db.url(), args, {"yes\n", false, true});
        BOOST_TEST(r.code == 10);
        BOOST_TEST(r.doc()["error"]["code"] == "confirmation_required");
        BOOST_TEST(r.doc()["error"]["exit_code"] == 10);
    }
    BOOST_TEST(history_summary(db) == rows);
    BOOST_TEST(db.catalog_fingerprint() == before);

    // On a terminal: anything but "yes" declines, "yes" confirms; the prompt shows what changes.
    auto r = db_cmd(set, db.url(), {"rollback"}, {"no\n", true, true});
    BOOST_TEST(r.code == 10);
    BOOST_TEST(r.err.find("Type 'yes'") != std::string::npos);
    BOOST_TEST(r.err.find("3 todos_idx") != std::string::npos, r.err);
    BOOST_TEST(history_summary(db) == rows);
    r = db_cmd(set, db.url(), {"rollback"}, {"yes\n", true, true});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(applied_versions(db) == "1,2");
}

BOOST_AUTO_TEST_CASE(redo_then_up_rollback_up_again) {
    scratch_database db("cli_redo");
    auto set = make_set(three);
    BOOST_TEST(db_cmd(set, db.url(), {"up"}).code == 0);
    auto r = db_cmd(set, db.url(), {"redo", "--yes", "--json"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(r.doc()["migration_version"] == 3);
    BOOST_TEST(r.doc()["rolled_back"].size() == 1u);
    BOOST_TEST(r.doc()["applied"].size() == 1u);
    // Editing the latest migration and redoing it is the development loop: no drift refusal.
    set = make_set(with(three, "000003_todos_idx.up.sql", "-- pgmig:allow create-index-without-concurrently small test table\n" "CREATE INDEX todos_user_idx ON todos (user_id, id);\n"));
    BOOST_TEST(db_cmd(set, db.url(), {"verify"}).code == 3);
    r = db_cmd(set, db.url(), {"redo", "--yes"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(db_cmd(set, db.url(), {"verify"}).code == 0);
    BOOST_TEST(db_cmd(set, db.url(), {"rollback", "--yes"}).code == 0);
    // Re-applying a rolled-back version marks its down row reverted; nothing else does.
    r = db_cmd(set, db.url(), {"up", "--dry-run", "--json"});
    BOOST_TEST(r.doc()["statements"][1]["sql"].get<std::string>().find(
                   "SET status = 'reverted' WHERE version = 3 AND direction = 'down'") != std::string::npos);
    BOOST_TEST(db_cmd(set, db.url(), {"up"}).code == 0);
    BOOST_TEST(applied_versions(db) == "1,2,3");
    r = db_cmd(set, db.url(), {"history", "--json"});
    BOOST_TEST(r.doc()["rows"].size() == 9u); // 3 ups, (down, up) x 3
}

BOOST_AUTO_TEST_CASE(baseline_adopts_an_existing_database) {
    scratch_database db("cli_baseline");
    db.exec(three[0].second + three[2].second); // the schema of 1 and 2, made without pgmig
    const auto set = make_set(three);
    // Consent: baseline always asks; without a terminal and --yes it records nothing.
    auto r = db_cmd(set, db.url(), {"baseline", "--version", "2", "--json"});
    BOOST_TEST(r.code == 10, r.err);
    BOOST_TEST(r.doc()["changes"].size() == 2u);
    BOOST_TEST(r.doc()["applied_changes"] == false);
    BOOST_TEST(!db.table_exists("public", "schema_migrations"));
    // The index migration 3 creates is missing: baselining up to 3 refuses and names it.
    r = db_cmd(set, db.url(), {"baseline", "--version", "3", "--yes", "--json"});
    BOOST_TEST(r.code == 3, r.err);
    BOOST_TEST(r.doc()["error"]["code"] == "policy");
    BOOST_REQUIRE(r.doc()["missing_objects"].size() == 1u);
    BOOST_TEST(r.doc()["missing_objects"][0]["kind"] == "index");
    BOOST_TEST(r.doc()["missing_objects"][0]["name"] == "todos_user_idx");
    BOOST_TEST(r.doc()["missing_objects"][0]["migration_version"] == 3);
    BOOST_TEST(r.doc()["error"]["message"].get<std::string>().find("index todos_user_idx (migration 3)") != std::string::npos);
    BOOST_TEST(!db.table_exists("public", "schema_migrations"));
    r = db_cmd(set, db.url(), {"baseline", "--version", "2", "--yes", "--json"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(r.doc()["missing_objects"].empty());
    BOOST_TEST(r.doc()["baseline_version"] == 2);
    BOOST_TEST(r.doc()["changes"].size() == 2u);
    BOOST_TEST(applied_versions(db) == "1,2");
    BOOST_TEST(db.scalar("SELECT applied_by FROM public.schema_migrations LIMIT 1").find("via baseline") !=
               std::string::npos);
    r = db_cmd(set, db.url(), {"baseline", "--version", "2", "--json"});
    BOOST_TEST(r.code == 3);
    BOOST_TEST(r.doc()["error"]["code"] == "policy");
    r = db_cmd(set, db.url(), {"up", "--json"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST((versions_of(r.doc()["applied"]) == std::vector<std::int64_t>{3}));
    // Baselined migrations can be rolled back with their recorded down SQL.
    BOOST_TEST(db_cmd(set, db.url(), {"rollback", "--to", "0", "--yes"}).code == 0);
    BOOST_TEST(!db.table_exists("public", "users"));
}

BOOST_AUTO_TEST_CASE(failed_migration_repair_and_exit_codes) {
    scratch_database db("cli_failed");
    const auto broken = make_set(with(three, "000003_todos_idx.up.sql", "-- pgmig:allow create-index-without-concurrently small test table\n" "CREATE INDEX todos_user_idx ON todos (nope);\n"));
    auto r = db_cmd(broken, db.url(), {"up", "--json"});
    BOOST_TEST(r.code == 7);
    auto doc = r.doc();
    BOOST_TEST(doc["error"]["code"] == "migration_failed");
    BOOST_TEST(doc["error"]["migration_version"] == 3);
    BOOST_TEST(doc["error"]["sqlstate"] == "42703");
    BOOST_TEST((versions_of(doc["applied"]) == std::vector<std::int64_t>{1, 2}));

    // The failed row is recorded: verify/plan/up say so with exit 4.
    BOOST_TEST(db_cmd(broken, db.url(), {"verify"}).code == 4);
    BOOST_TEST(db_cmd(broken, db.url(), {"plan"}).code == 4);
    r = db_cmd(broken, db.url(), {"status", "--json"});
    BOOST_TEST(r.code == 0);
    BOOST_TEST(r.doc()["failed"].size() == 1u);
    r = db_cmd(broken, db.url(), {"history"});
    BOOST_TEST(r.out.find("failed") != std::string::npos);
    const auto fixed = make_set(three);
    BOOST_TEST(db_cmd(fixed, db.url(), {"up"}).code == 4);
    BOOST_TEST(db_cmd(fixed, db.url(), {"rollback", "--yes"}).code == 4);

    // repair: shows the change, needs confirmation, then clears the row.
    r = db_cmd(fixed, db.url(), {"repair"});
    BOOST_TEST(r.code == 10);
    BOOST_TEST(r.err.find("as repaired") != std::string::npos, r.err);
    r = db_cmd(fixed, db.url(), {"repair", "--yes", "--json"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(r.doc()["changes"][0]["action"] == "clear_failed");
    BOOST_TEST(db.scalar("SELECT count(*) FROM public.schema_migrations WHERE status = 'repaired'") == "1");
    r = db_cmd(fixed, db.url(), {"repair", "--yes"});
    BOOST_TEST(r.code == 0);
    BOOST_TEST(r.out.find("Nothing to repair") != std::string::npos);
    BOOST_TEST(db_cmd(fixed, db.url(), {"up"}).code == 0);
    BOOST_TEST(db_cmd(fixed, db.url(), {"verify"}).code == 0);
}

BOOST_AUTO_TEST_CASE(drift_refusal_and_accept_checksums) {
    scratch_database db("cli_drift");
    BOOST_TEST(db_cmd(make_set(three), db.url(), {"up", "--to", "2"}).code == 0);
    const auto edited = make_set(with(three, "000001_users.up.sql",
                                      "CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL); -- edited\n"));
    auto r = db_cmd(edited, db.url(), {"verify", "--json"});
    BOOST_TEST(r.code == 3);
    BOOST_TEST(r.doc()["result"] == "drift");
    r = db_cmd(edited, db.url(), {"up", "--json"});
    BOOST_TEST(r.code == 3);
    BOOST_TEST(r.doc()["error"]["code"] == "drift");
    BOOST_TEST(applied_versions(db) == "1,2");
    r = db_cmd(edited, db.url(), {"plan", "--json"});
    BOOST_TEST(r.code == 3);
    BOOST_TEST(r.doc()["refusal"]["code"] == "drift");
    // --drift warn lets up proceed.
    r = db_cmd(edited, db.url(), {"up", "--to", "2", "--drift", "warn"});
    BOOST_TEST(r.code == 0);
    BOOST_TEST(r.err.find("changed after it was applied") != std::string::npos, r.err);

    // repair without --accept-checksums does not touch drift; with it, it records the new checksum.
    r = db_cmd(edited, db.url(), {"repair", "--yes"});
    BOOST_TEST(r.code == 0);
    BOOST_TEST(r.out.find("--accept-checksums") != std::string::npos, r.out);
    r = db_cmd(edited, db.url(), {"repair", "--json"});
    BOOST_TEST(r.code == 0);
    BOOST_TEST(r.doc()["changes"].empty());
    BOOST_TEST(r.doc()["accept_with"] == "--accept-checksums");
    BOOST_REQUIRE(r.doc()["remaining_drift"].size() == 1u);
    BOOST_TEST(r.doc()["remaining_drift"][0]["migration_version"] == 1);
    BOOST_TEST(r.doc()["remaining_drift"][0]["current_checksum"] == edited.find(1)->checksum);
    r = db_cmd(edited, db.url(), {"repair", "--accept-checksums", "--yes", "--json"});
    BOOST_TEST(r.code == 0, r.err);
    auto doc = r.doc();
    BOOST_TEST(doc["changes"][0]["action"] == "accept_checksum");
    BOOST_TEST(doc["changes"][0]["migration_version"] == 1);
    BOOST_TEST(doc["changes"][0]["new_checksum"] == edited.find(1)->checksum);
    BOOST_TEST(db_cmd(edited, db.url(), {"verify"}).code == 2);
    BOOST_TEST(db_cmd(edited, db.url(), {"up"}).code == 0);
    BOOST_TEST(db_cmd(edited, db.url(), {"verify"}).code == 0);
}

BOOST_AUTO_TEST_CASE(force_sets_the_recorded_state) {
    scratch_database db("cli_force");
    const auto set = make_set(three);
    BOOST_TEST(db_cmd(set, db.url(), {"up"}).code == 0);
    const std::string before = db.catalog_fingerprint();
    auto r = db_cmd(set, db.url(), {"force", "1", "--yes", "--json"});
    BOOST_TEST(r.code == 0, r.err);
    auto doc = r.doc();
    BOOST_TEST(doc["force_version"] == 1);
    BOOST_TEST(doc["current_version"] == 1);
    BOOST_TEST(doc["changes"].size() == 2u);
    BOOST_TEST(doc["changes"][0]["action"] == "mark_rolled_back");
    BOOST_TEST(db.catalog_fingerprint() == before); // no SQL ran
    BOOST_TEST(applied_versions(db) == "1");
    r = db_cmd(set, db.url(), {"status", "--json"});
    BOOST_TEST(r.doc()["pending"].size() == 2u);
    r = db_cmd(set, db.url(), {"force", "3", "--yes"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(db_cmd(set, db.url(), {"verify"}).code == 0);
    r = db_cmd(set, db.url(), {"force", "3", "--yes"});
    BOOST_TEST(r.out.find("Nothing to change") != std::string::npos);
    BOOST_TEST(db_cmd(set, db.url(), {"force", "0", "--yes"}).code == 0);
    BOOST_TEST(applied_versions(db) == "");
    BOOST_TEST(db_cmd(set, db.url(), {"force", "17", "--yes"}).code == 1);
}

BOOST_AUTO_TEST_CASE(lock_timeout_and_policy_exit_codes) {
    scratch_database db("cli_lock");
    const auto set = make_set(three);
    {
        auto holder = db.connect("lock_holder");
        const auto key = pgmig::advisory_lock_key(pgmig::history_table_name{});
        holder->exec("SELECT pg_advisory_lock(" + std::to_string(key) + ")");
        auto r = db_cmd(set, db.url(), {"up", "--lock-timeout", "1s", "--json"});
        BOOST_TEST(r.code == 5);
        BOOST_TEST(r.doc()["error"]["code"] == "lock_timeout");
        BOOST_TEST(r.doc()["error"]["message"].get<std::string>().find("lock_holder") != std::string::npos);
        // Read-only commands take no lock.
        BOOST_TEST(db_cmd(set, db.url(), {"status"}).code == 0);
        BOOST_TEST(db_cmd(set, db.url(), {"plan"}).code == 2);
    }
    // A pending migration older than the newest applied one: out of order, refused (3) unless allowed.
    const files independent = {{"000001_a.up.sql", "CREATE TABLE a (id int);\n"},
                               {"000002_b.up.sql", "CREATE TABLE b (id int);\n"},
                               {"000003_c.up.sql", "CREATE TABLE c (id int);\n"}};
    BOOST_TEST(db_cmd(make_set(without(independent, "000002")), db.url(), {"up"}).code == 0);
    auto r = db_cmd(make_set(independent), db.url(), {"up", "--json"});
    BOOST_TEST(r.code == 3);
    BOOST_TEST(r.doc()["error"]["code"] == "policy");
    BOOST_TEST(!db.table_exists("public", "b"));
    BOOST_TEST(db_cmd(make_set(independent), db.url(), {"up", "--out-of-order", "allow"}).code == 0);
    BOOST_TEST(db.table_exists("public", "b"));
    // A foreign history table: 3, never written.
    scratch_database other("cli_foreign");
    other.exec("CREATE TABLE public.schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)");
    r = db_cmd(set, other.url(), {"up", "--json"});
    BOOST_TEST(r.code == 3);
    BOOST_TEST(r.doc()["error"]["code"] == "foreign_history_table");
    BOOST_TEST(db_cmd(set, other.url(), {"up", "--history-table", "pgmig.migrations"}).code == 0);
    BOOST_TEST(other.table_exists("pgmig", "migrations"));
}

BOOST_AUTO_TEST_CASE(unexpected_database_error_exit_9) {
    scratch_database db("cli_dberror");
    const auto set = make_set(three);
    BOOST_TEST(db_cmd(set, db.url(), {"up", "--to", "1"}).code == 0);
    // Something outside pgmig makes the history bookkeeping fail.
    db.exec("CREATE FUNCTION refuse_rows() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION "
            "'history is read-only today'; END $$;"
            "CREATE TRIGGER refuse BEFORE INSERT ON public.schema_migrations FOR EACH ROW EXECUTE FUNCTION refuse_rows()");
    const std::string rows = history_summary(db);
    auto r = db_cmd(set, db.url(), {"force", "3", "--yes", "--json"});
    BOOST_TEST(r.code == 9, r.out << r.err);
    BOOST_TEST(r.doc()["error"]["code"] == "database");
    BOOST_TEST(r.doc()["error"]["message"].get<std::string>().find("history is read-only today") != std::string::npos);
    BOOST_TEST(history_summary(db) == rows);
}

BOOST_AUTO_TEST_CASE(connection_failures_exit_6_and_mask_the_password) {
    scratch_database db("cli_conn");
    const auto set = make_set(three);
    const std::string wrong = url_with_password(db.url(), "WrongPassw0rd-xyz");
    auto r = db_cmd(set, wrong, {"status", "--json"}, {"", false, true});
    BOOST_TEST(r.code == 6);
    BOOST_TEST(r.doc()["error"]["code"] == "connection");
    BOOST_TEST(r.all().find("WrongPassw0rd-xyz") == std::string::npos, r.all());
    r = db_cmd(set, wrong, {"up"});
    BOOST_TEST(r.code == 6);
    BOOST_TEST(r.all().find("WrongPassw0rd-xyz") == std::string::npos, r.all());
}

BOOST_AUTO_TEST_CASE(password_masked_in_every_output) {
    scratch_database db("cli_mask");
    const auto set = make_set(three);
    const std::vector<std::vector<std::string>> commands = {
        {"status"}, {"plan"}, {"up", "--dry-run"}, {"up"}, {"verify"}, {"history"}, {"rollback", "--dry-run"},
        {"rollback"}, {"rollback", "--yes"}, {"redo", "--yes"}, {"force", "1", "--yes"}, {"repair", "--yes"},
        {"baseline", "--version", "1"}, {"up", "--to", "99"}, {"stauts"}, {"up", "-v"}};
    for (bool as_json : {false, true})
        for (auto args : commands) {
            if (as_json) args.push_back("--json");
            const auto r = db_cmd(set, db.url(), args);
            check_masked(r, db.url());
            if (as_json) {
                const json doc = r.doc(); // exactly one document, even on errors
                if (args[0] != "stauts") BOOST_TEST(doc["database"].get<std::string>().find("*****") != std::string::npos);
            }
        }
}

namespace {
run_options on_terminal(const std::string& input) {
    run_options o;
    o.input = input;
    o.stdin_tty = true;
    return o;
}
} // namespace

BOOST_AUTO_TEST_CASE(plan_risk_and_up_confirmation_for_data_loss) {
    scratch_database db("cli_risk");
    const files base = {{"000001_users.up.sql", "CREATE TABLE users (id bigint PRIMARY KEY, email text, legacy text);\n"},
                        {"000001_users.down.sql", "DROP TABLE users;\n"}};
    BOOST_TEST(db_cmd(make_set(base), db.url(), {"up"}).code == 0);
    const files dropping = with(base, "000002_drop_legacy.up.sql", "ALTER TABLE users DROP COLUMN legacy;\n");
    const auto set = make_set(dropping);

    auto r = db_cmd(set, db.url(), {"plan", "--json"});
    BOOST_TEST(r.code == 2, r.err);
    auto doc = r.doc();
    BOOST_TEST(doc["risk"] == "high");
    BOOST_TEST(doc["pending"][0]["level"] == "high");
    // Findings in file order: the migration-wide no-down-section (line 1, column 1) first.
    BOOST_REQUIRE(doc["pending"][0]["findings"].size() == 2u);
    BOOST_TEST(doc["pending"][0]["findings"][0]["rule_id"] == "no-down-section");
    BOOST_TEST(doc["pending"][0]["findings"][1]["rule_id"] == "drop-column");
    BOOST_TEST(doc["pending"][0]["reversible"] == false);
    r = db_cmd(set, db.url(), {"plan"});
    BOOST_TEST(r.out.find("drop-column") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("Risk: high") != std::string::npos, r.out);

    // up of a data-dropping migration needs confirmation; nothing runs without it.
    r = db_cmd(set, db.url(), {"up", "--json"});
    BOOST_TEST(r.code == 10);
    doc = r.doc();
    BOOST_TEST(doc["error"]["code"] == "confirmation_required");
    BOOST_TEST(doc["data_loss"][0]["rule_id"] == "drop-column");
    BOOST_TEST(db.scalar("SELECT count(*) FROM information_schema.columns WHERE column_name = 'legacy'") == "1");
    BOOST_TEST(db_cmd(set, db.url(), {"up", "--dry-run"}).code == 0);
    r = db_cmd(set, db.url(), {"up", "--yes"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(db.scalar("SELECT count(*) FROM information_schema.columns WHERE column_name = 'legacy'") == "0");

    // An intended drop, marked for lint, needs no confirmation.
    const auto allowed = make_set(with(dropping, "000003_drop_email.up.sql",
                                       "-- pgmig:allow drop-column the email moved to accounts\n"
                                       "ALTER TABLE users DROP COLUMN email;\n"));
    r = db_cmd(allowed, db.url(), {"up"});
    BOOST_TEST(r.code == 0, r.err);

    // A high-risk migration that loses no data (a long lock) needs confirmation too.
    const auto locking = make_set(with(with(dropping, "000003_drop_email.up.sql",
                                            "-- pgmig:allow drop-column the email moved to accounts\n"
                                            "ALTER TABLE users DROP COLUMN email;\n"),
                                       "000004_id_not_null.up.sql", "ALTER TABLE users ADD COLUMN tag text;\n"
                                                                    "ALTER TABLE users ALTER COLUMN tag SET NOT NULL;\n"));
    r = db_cmd(locking, db.url(), {"up", "--json"});
    BOOST_TEST(r.code == 10, r.out);
    doc = r.doc();
    BOOST_TEST(doc["data_loss"].empty());
    BOOST_REQUIRE(doc["risky"].size() == 1U);
    BOOST_TEST(doc["risky"][0]["rule_id"] == "set-not-null");
    BOOST_TEST(db.scalar("SELECT count(*) FROM information_schema.columns WHERE column_name = 'tag'") == "0");
    r = db_cmd(locking, db.url(), {"up"});
    BOOST_TEST(r.code == 10);
    BOOST_TEST(r.err.find("set-not-null") != std::string::npos, r.err);
    BOOST_TEST(r.err.find("000004") != std::string::npos, r.err);
    r = db_cmd(locking, db.url(), {"up"}, on_terminal("no\n")); // declined on a terminal
    BOOST_TEST(r.code == 10, r.err);
    r = db_cmd(locking, db.url(), {"up"}, on_terminal("yes\n")); // confirmed on a terminal
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(db.scalar("SELECT count(*) FROM information_schema.columns WHERE column_name = 'tag'") == "1");
}

BOOST_AUTO_TEST_CASE(standalone_workflow_plan_dry_run_apply_rollback) {
    scratch_database db("cli_workflow1");
    temp_dir d;
    for (const auto& f : three) d.write("migrations/" + f.first, f.second);
    const std::string dir = (d.path / "migrations").string();

    auto r = pgmig_cmd(dir, db.url(), {"plan"});
    BOOST_TEST(r.code == 2);
    const std::string before = db.catalog_fingerprint();
    r = pgmig_cmd(dir, db.url(), {"apply", "--dry-run"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(db.catalog_fingerprint() == before);
    r = pgmig_cmd(dir, db.url(), {"apply"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(applied_versions(db) == "1,2,3");
    r = pgmig_cmd(dir, db.url(), {"rollback", "--yes"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(applied_versions(db) == "1,2");
}

BOOST_AUTO_TEST_SUITE_END()
