// `check-rollback`: up then down of each pending migration inside one
// transaction that is always rolled back, compared with schema snapshots.
#include "support/cli_runner.hpp"

#include <boost/test/unit_test.hpp>

using namespace pgmig_test;
using namespace pgmig_cli_test;
using json = nlohmann::json;

namespace {

using files = std::vector<std::pair<std::string, std::string>>;

const files base = {
    {"000001_users.up.sql", "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n"},
    {"000001_users.down.sql", "DROP TABLE users;\n"},
};

files with_pending() {
    files f = base;
    // Forgets the index in its down section.
    f.push_back({"000002_age.up.sql", "ALTER TABLE users ADD COLUMN age int;\n"
                                      "CREATE INDEX users_email_idx ON users (email);\n"});
    f.push_back({"000002_age.down.sql", "ALTER TABLE users DROP COLUMN age;\n"});
    // Correct, and needs 2's column: the check is cumulative.
    f.push_back({"000003_age_check.up.sql", "ALTER TABLE users ADD CONSTRAINT age_positive CHECK (age > 0);\n"
                                            "CREATE TYPE mood AS ENUM ('ok', 'meh');\n"
                                            "CREATE VIEW adults AS SELECT id FROM users WHERE age >= 18;\n"});
    f.push_back({"000003_age_check.down.sql", "DROP VIEW adults;\nDROP TYPE mood;\n"
                                              "ALTER TABLE users DROP CONSTRAINT age_positive;\n"});
    // Not reversible.
    f.push_back({"000004_seq.up.sql", "CREATE SEQUENCE ticket_seq;\n"});
    return f;
}

std::string history_text(scratch_database& db) {
    return db.scalar("SELECT string_agg(id || ' ' || version || ' ' || direction || ' ' || status, ',' ORDER BY id)"
                     " FROM public.schema_migrations");
}

} // namespace

BOOST_AUTO_TEST_SUITE(cli_check_rollback)

BOOST_AUTO_TEST_CASE(reports_a_forgotten_index_and_changes_nothing) {
    scratch_database db("check_rb");
    BOOST_TEST(db_cmd(make_set(base), db.url(), {"up"}).code == 0);
    const auto set = make_set(with_pending());
    const std::string fingerprint = db.catalog_fingerprint();
    const std::string history = history_text(db);

    auto r = db_cmd(set, db.url(), {"check-rollback"});
    BOOST_TEST(r.code == 12, r.out + r.err);
    BOOST_TEST(r.out.find("000002_age.up.sql): down does NOT restore the schema") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("+ index public.users_email_idx: CREATE INDEX users_email_idx ON public.users USING btree (email)") !=
                   std::string::npos,
               r.out);
    BOOST_TEST(r.out.find("✓ 3 age_check") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("not reversible") != std::string::npos, r.out);
    BOOST_TEST(db.catalog_fingerprint() == fingerprint);
    BOOST_TEST(history_text(db) == history);

    r = db_cmd(set, db.url(), {"check-rollback", "--json"});
    BOOST_TEST(r.code == 12);
    const json doc = r.doc();
    BOOST_TEST(doc["command"] == "check-rollback");
    BOOST_TEST(doc["exit_code"] == 12);
    BOOST_TEST(doc["result"] == "differs");
    BOOST_REQUIRE(doc["migrations"].size() == 3U);
    BOOST_TEST(doc["migrations"][0]["migration_version"] == 2);
    BOOST_TEST(doc["migrations"][0]["status"] == "differs");
    BOOST_REQUIRE(doc["migrations"][0]["diff"].size() == 1U);
    BOOST_TEST(doc["migrations"][0]["diff"][0].get<std::string>().find("users_email_idx") != std::string::npos);
    BOOST_TEST(doc["migrations"][1]["status"] == "ok");
    BOOST_TEST(doc["migrations"][1]["diff"].empty());
    BOOST_TEST(doc["migrations"][2]["status"] == "skipped");
    BOOST_TEST(doc["migrations"][2]["reason"].get<std::string>().find("not reversible") != std::string::npos);
    BOOST_TEST(db.catalog_fingerprint() == fingerprint);
    BOOST_TEST(history_text(db) == history);
}

BOOST_AUTO_TEST_CASE(correct_downs_pass_and_to_limits) {
    scratch_database db("check_rb2");
    BOOST_TEST(db_cmd(make_set(base), db.url(), {"up"}).code == 0);
    files f = with_pending();
    f[3].second = "DROP INDEX users_email_idx;\nALTER TABLE users DROP COLUMN age;\n"; // fixed down of 2
    const auto set = make_set(f);
    const std::string fingerprint = db.catalog_fingerprint();
    auto r = db_cmd(set, db.url(), {"check-rollback", "--to", "3", "--json"});
    BOOST_TEST(r.code == 0, r.out + r.err);
    const json doc = r.doc();
    BOOST_TEST(doc["result"] == "ok");
    BOOST_REQUIRE(doc["migrations"].size() == 2U);
    BOOST_TEST(doc["migrations"][0]["status"] == "ok");
    BOOST_TEST(doc["migrations"][1]["status"] == "ok");
    BOOST_TEST(db.catalog_fingerprint() == fingerprint);

    // An up that fails: reported, and the later migrations are skipped.
    f[2].second = "ALTER TABLE users ADD COLUMN age int;\nINSERT INTO nope VALUES (1);\n";
    r = db_cmd(make_set(f), db.url(), {"check-rollback", "--json"});
    BOOST_TEST(r.code == 12);
    const json d2 = r.doc();
    BOOST_TEST(d2["migrations"][0]["status"] == "failed");
    BOOST_TEST(d2["migrations"][0]["reason"].get<std::string>().find("000002_age.up.sql:2") != std::string::npos,
               d2["migrations"][0]["reason"].get<std::string>());
    BOOST_TEST(d2["migrations"][1]["status"] == "skipped");
    BOOST_TEST(db.catalog_fingerprint() == fingerprint);

    // Nothing pending.
    BOOST_TEST(db_cmd(make_set(base), db.url(), {"check-rollback"}).code == 0);
    BOOST_TEST(db_cmd(set, db.url(), {"check-rollback", "--to", "99"}).code == 1);
}

BOOST_AUTO_TEST_SUITE_END()
