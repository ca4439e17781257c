// Version 0 is a migration version like any other (diesel's
// 00000000000000_diesel_initial_setup): it applies, rolls back and is forced. "Nothing
// applied" is its own state: `rollback --to 0` keeps version 0 (it rolls back what is
// newer), `--steps` undoes it too, and `force 0` records it as applied.
#include "support/cli_runner.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace pgmig_test;
using namespace pgmig_cli_test;
using json = nlohmann::json;

namespace {

std::string applied(scratch_database& db) {
    if (!db.table_exists("public", "schema_migrations")) return "";
    return db.scalar("SELECT coalesce(string_agg(version::text, ',' ORDER BY version), '') FROM public.schema_migrations "
                     "WHERE direction = 'up' AND status = 'success'");
}

} // namespace

BOOST_AUTO_TEST_SUITE(version_zero)

BOOST_AUTO_TEST_CASE(diesel_initial_setup_is_an_ordinary_migration) {
    scratch_database db("version_zero");
    const auto set = make_set({
        {"00000000000000_diesel_initial_setup.up.sql",
         "CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); "
         "RETURN NEW; END $$;\n"},
        {"00000000000000_diesel_initial_setup.down.sql", "DROP FUNCTION set_updated_at();\n"},
        {"20190101000000_create_users.up.sql", "CREATE TABLE users (id bigint PRIMARY KEY, updated_at timestamptz);\n"},
        {"20190101000000_create_users.down.sql", "DROP TABLE users;\n"},
    });
    BOOST_REQUIRE_EQUAL(set.size(), 2u);

    // up --to 0 applies exactly version 0.
    auto r = db_cmd(set, db.url(), {"up", "--to", "0"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(applied(db) == "0");
    BOOST_TEST(r.out.find("Database is now at version 0.") != std::string::npos, r.out);
    r = db_cmd(set, db.url(), {"up"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(applied(db) == "0,20190101000000");

    // --to 0 rolls back what is newer than version 0; version 0 stays.
    r = db_cmd(set, db.url(), {"rollback", "--to", "0", "--yes"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(applied(db) == "0");
    BOOST_TEST(db.scalar("SELECT count(*) FROM pg_proc WHERE proname = 'set_updated_at'") == "1");
    r = db_cmd(set, db.url(), {"status"});
    BOOST_TEST(r.out.find("(nothing applied)") == std::string::npos, r.out);

    // --steps undoes version 0 too: nothing is applied, and the text says so.
    r = db_cmd(set, db.url(), {"rollback", "--steps", "1", "--yes"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(applied(db) == "");
    BOOST_TEST(r.out.find("Database is now at version 0 (nothing applied).") != std::string::npos, r.out);
    BOOST_TEST(db.scalar("SELECT count(*) FROM pg_proc WHERE proname = 'set_updated_at'") == "0");

    // force 0 records version 0 as applied (versions ≤ 0), without running it.
    r = db_cmd(set, db.url(), {"force", "0", "--yes", "--json"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(applied(db) == "0");
    r = db_cmd(set, db.url(), {"status", "--json"});
    const json status = r.doc();
    BOOST_TEST(status["applied"].size() == 1u);
    BOOST_TEST(status["applied"][0]["migration_version"] == 0);
    BOOST_TEST(status["pending"].size() == 1u);
}

BOOST_AUTO_TEST_CASE(without_a_version_zero_to_0_still_means_everything) {
    scratch_database db("version_zero_none");
    const auto set = make_set({
        {"000001_a.up.sql", "CREATE TABLE a (id bigint);\n"},
        {"000001_a.down.sql", "DROP TABLE a;\n"},
        {"000002_b.up.sql", "CREATE TABLE b (id bigint);\n"},
        {"000002_b.down.sql", "DROP TABLE b;\n"},
    });
    BOOST_TEST(db_cmd(set, db.url(), {"up"}).code == 0);
    auto r = db_cmd(set, db.url(), {"rollback", "--to", "0", "--yes"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(applied(db) == "");
    BOOST_TEST(r.out.find("(nothing applied)") != std::string::npos, r.out);
    BOOST_TEST(db_cmd(set, db.url(), {"up"}).code == 0);
    r = db_cmd(set, db.url(), {"force", "0", "--yes"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(applied(db) == "");
    BOOST_TEST(r.out.find("to version 0 (nothing applied)") != std::string::npos, r.out);
}

BOOST_AUTO_TEST_SUITE_END()
