// What changed in a drifted migration, against a real PostgreSQL: every
// writer of a success row records the up SQL (history shape 4), and the
// boot's drift error, `status` and `verify` (text and --json) show the diff of
// the recorded text against the file's, or say why they cannot (a row of an
// older pgmig, a body of 1 MiB or more).
#include "support/cli_runner.hpp"

#include <pgmig/pgmig.hpp>

#include <boost/test/unit_test.hpp>

using namespace pgmig_test;
using namespace pgmig_cli_test;

namespace {

using files = std::vector<std::pair<std::string, std::string>>;

const std::string users_v1 = "CREATE TABLE users (\n    id bigint PRIMARY KEY,\n    email text\n);\n";
const std::string users_v2 = "CREATE TABLE users (\n    id bigint PRIMARY KEY,\n    email text NOT NULL\n);\n";

files set_of(const std::string& users) {
    return {{"000001_users.up.sql", users},
            {"000001_users.down.sql", "DROP TABLE users;\n"},
            {"000002_notes.up.sql", "-- pgmig:no-transaction\nCREATE TABLE notes (id int);\n"},
            {"000002_notes.down.sql", "DROP TABLE notes;\n"}};
}

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

/// The diff lines the edit from users_v1 to users_v2 shows.
void shows_the_edit(const std::string& text) {
    BOOST_TEST(has(text, "what changed (- as applied, + now):"), text);
    BOOST_TEST(has(text, "--- 000001_users.up.sql as applied"), text);
    BOOST_TEST(has(text, "+++ 000001_users.up.sql now"), text);
    BOOST_TEST(has(text, "@@ -1,4 +1,4 @@"), text);
    BOOST_TEST(has(text, "-    email text\n"), text);
    BOOST_TEST(has(text, "+    email text NOT NULL\n"), text);
}

} // namespace

BOOST_AUTO_TEST_SUITE(drift_diff)

BOOST_AUTO_TEST_CASE(every_success_row_records_its_up_sql) {
    scratch_database db("drift_rows");
    const auto set = make_set(set_of(users_v1));
    pgmig::migrate_on_startup(db.url(), set, quiet_options());
    // Transactional and no-transaction runs: the text and its size.
    BOOST_TEST(db.scalar("SELECT up_sql FROM schema_migrations WHERE version = 1") == users_v1);
    BOOST_TEST(db.scalar("SELECT up_sql_bytes FROM schema_migrations WHERE version = 1") ==
               std::to_string(users_v1.size()));
    BOOST_TEST(db.scalar("SELECT up_sql FROM schema_migrations WHERE version = 2") == set.find(2)->up_sql);
    // A down row records none.
    BOOST_TEST(db_cmd(set, db.url(), {"rollback", "--steps", "2", "--yes"}).code == 0);
    BOOST_TEST(db.scalar("SELECT count(*) FROM schema_migrations WHERE direction = 'down' AND up_sql IS NULL AND "
                         "up_sql_bytes IS NULL") == "2");
    // Baseline (and force, import: the same bookkeeping) records the file's text with its checksum.
    db.exec("CREATE TABLE users (id bigint PRIMARY KEY, email text); DELETE FROM schema_migrations");
    BOOST_TEST(db_cmd(set, db.url(), {"baseline", "--version", "1", "--yes"}).code == 0);
    BOOST_TEST(db.scalar("SELECT up_sql FROM schema_migrations WHERE version = 1 AND status = 'success'") == users_v1);
}

BOOST_AUTO_TEST_CASE(the_boot_status_and_verify_show_what_changed) {
    scratch_database db("drift_shown");
    pgmig::migrate_on_startup(db.url(), make_set(set_of(users_v1)), quiet_options());
    const auto edited = make_set(set_of(users_v2));

    // The boot refuses, with the diff in its error.
    const pgmig::error e = expect_error([&] { pgmig::migrate_on_startup(db.url(), edited, quiet_options()); });
    BOOST_TEST(static_cast<int>(e.code()) == static_cast<int>(pgmig::error_code::drift));
    shows_the_edit(e.what());
    // The report a library user gets has it too.
    pgmig::options warn = quiet_options();
    warn.policy.drift = pgmig::drift_policy::warn;
    const auto report = pgmig::migrate_on_startup(db.url(), edited, warn);
    BOOST_REQUIRE(report.state.drifted.size() == 1u);
    BOOST_TEST((report.state.drifted[0].text == pgmig::drift_text::diff));

    for (const std::string command : {"status", "verify"}) {
        const cli_run text = db_cmd(edited, db.url(), {command});
        shows_the_edit(text.out);
        BOOST_TEST(has(text.out, "fix: Restore the file"), text.out);
        const auto doc = db_cmd(edited, db.url(), {command, "--json"}).doc();
        BOOST_REQUIRE(doc["drifted"].size() == 1u);
        const auto& d = doc["drifted"][0];
        BOOST_TEST(d["diff_status"] == "diff");
        BOOST_TEST(d["diff_note"].is_null());
        const std::vector<std::string> lines = d["diff"];
        const std::vector<std::string> want = {"--- 000001_users.up.sql as applied",
                                               "+++ 000001_users.up.sql now",
                                               "@@ -1,4 +1,4 @@",
                                               " CREATE TABLE users (",
                                               "     id bigint PRIMARY KEY,",
                                               "-    email text",
                                               "+    email text NOT NULL",
                                               " );"};
        BOOST_TEST(lines == want, boost::test_tools::per_element());
    }
    // Accepting the edit records the new text with the new checksum: the next edit diffs from it.
    BOOST_TEST(db_cmd(edited, db.url(), {"repair", "--accept-checksums", "--yes"}).code == 0);
    BOOST_TEST(db.scalar("SELECT up_sql FROM schema_migrations WHERE version = 1 AND status = 'success'") == users_v2);
    const auto again = make_set(set_of(users_v2 + "CREATE INDEX ON users (email);\n"));
    const auto doc = db_cmd(again, db.url(), {"status", "--json"}).doc();
    const std::vector<std::string> lines = doc["drifted"][0]["diff"];
    BOOST_TEST(lines.back() == "+CREATE INDEX ON users (email);");
    BOOST_TEST(std::count_if(lines.begin(), lines.end(), [](const std::string& l) { return l[0] == '-' && l[1] != '-'; }) == 0);
}

BOOST_AUTO_TEST_CASE(a_row_of_an_older_pgmig_says_it_has_no_text) {
    scratch_database db("drift_old");
    pgmig::migrate_on_startup(db.url(), make_set(set_of(users_v1)), quiet_options());
    // The table as a shape-3 pgmig left it (read without the lock: nothing upgrades it).
    db.exec("ALTER TABLE schema_migrations DROP COLUMN up_sql, DROP COLUMN up_sql_bytes");
    const auto edited = make_set(set_of(users_v2));
    const auto doc = db_cmd(edited, db.url(), {"verify", "--json"}).doc();
    BOOST_TEST(doc["drifted"][0]["diff_status"] == "not_recorded");
    BOOST_TEST(doc["drifted"][0]["diff"].empty());
    const cli_run text = db_cmd(edited, db.url(), {"status"});
    BOOST_TEST(has(text.out, "what changed: the history holds no text of the up SQL it was applied with (it was applied "
                             "by an older pgmig"),
               text.out);
    // A shape-4 table with the row of an older pgmig (upgraded: NULL columns) says the same, at boot too.
    const pgmig::error e = expect_error([&] { pgmig::migrate_on_startup(db.url(), edited, quiet_options()); });
    BOOST_TEST(has(e.what(), "applied by an older pgmig"), e.what());
    db.exec("ALTER TABLE schema_migrations ADD COLUMN up_sql text, ADD COLUMN up_sql_bytes bigint");
    const pgmig::error again = expect_error([&] { pgmig::migrate_on_startup(db.url(), edited, quiet_options()); });
    BOOST_TEST(has(again.what(), "applied by an older pgmig"), again.what());
}

BOOST_AUTO_TEST_CASE(a_body_of_a_mebibyte_or_more_records_only_its_size) {
    scratch_database db("drift_big");
    std::string big = "CREATE TABLE big (id int);\n";
    while (big.size() < (std::size_t{1} << 20)) big += "-- padding padding padding padding padding padding padding\n";
    big += "SELECT 1;\n";
    pgmig::migrate_on_startup(db.url(), make_set({{"000001_big.up.sql", big}}), quiet_options());
    BOOST_TEST(db.scalar("SELECT (up_sql IS NULL)::text || ' ' || up_sql_bytes FROM schema_migrations") ==
               "true " + std::to_string(big.size()));
    const auto edited = make_set({{"000001_big.up.sql", big + "SELECT 2;\n"}});
    const auto doc = db_cmd(edited, db.url(), {"status", "--json"}).doc();
    BOOST_TEST(doc["drifted"][0]["diff_status"] == "too_large");
    const std::string note = doc["drifted"][0]["diff_note"];
    BOOST_TEST(has(note, std::to_string(big.size()) + " bytes, too large to be stored"), note);
    const pgmig::error e = expect_error([&] { pgmig::migrate_on_startup(db.url(), edited, quiet_options()); });
    BOOST_TEST(has(e.what(), "too large to be stored"), e.what());
}

BOOST_AUTO_TEST_CASE(the_boot_error_is_bounded_and_dry_run_shows_the_sql_once) {
    scratch_database db("drift_bound");
    std::string before, after;
    for (int i = 0; i < 100; ++i) {
        before += "SELECT " + std::to_string(i) + ";\n";
        after += "SELECT " + std::to_string(i) + " AS changed;\n";
    }
    pgmig::migrate_on_startup(db.url(), make_set({{"000001_many.up.sql", before}}), quiet_options());
    const auto edited = make_set({{"000001_many.up.sql", after}});
    const pgmig::error e = expect_error([&] { pgmig::migrate_on_startup(db.url(), edited, quiet_options()); });
    BOOST_TEST(has(e.what(), "… 163 more lines of the diff"), e.what()); // 203 lines, 40 shown
    const auto doc = db_cmd(edited, db.url(), {"status", "--json"}).doc();
    BOOST_TEST(doc["drifted"][0]["diff"].size() == 203u);

    // up --dry-run prints a pending migration's SQL once (the row's copy is a placeholder).
    scratch_database fresh("drift_dry");
    const cli_run dry = db_cmd(make_set(set_of(users_v1)), fresh.url(), {"up", "--dry-run"});
    BOOST_TEST(dry.code == 0, dry.all());
    std::size_t n = 0;
    for (std::size_t at = dry.out.find("email text"); at != std::string::npos; at = dry.out.find("email text", at + 1)) ++n;
    BOOST_TEST(n == 1u, dry.out);
    BOOST_TEST(has(dry.out, "<the up SQL above, as a literal>"), dry.out);
}

BOOST_AUTO_TEST_SUITE_END()
