// One source of truth for a migration's duration: what `up` and `rollback`
// print (text and JSON) is the execution time recorded in the history, which
// `status` and `history` show, for no-transaction and transactional
// migrations alike (a new user saw `up` print 16 ms and `status` 11 ms).
#include "support/cli_runner.hpp"

#include <boost/test/unit_test.hpp>

#include <map>

using namespace pgmig_test;
using namespace pgmig_cli_test;
using json = nlohmann::json;

BOOST_AUTO_TEST_SUITE(durations)

BOOST_AUTO_TEST_CASE(printed_is_recorded) {
    scratch_database db("durations");
    const auto set = make_set({
        {"000001_tx.up.sql", "CREATE TABLE t (id int);\nSELECT pg_sleep(0.03);\n"},
        {"000001_tx.down.sql", "DROP TABLE t;\n"},
        {"000002_notx.up.sql", "-- pgmig:no-transaction\nSELECT pg_sleep(0.04);\nSELECT pg_sleep(0.02);\n"},
        {"000002_notx.down.sql", "-- pgmig:no-transaction\nSELECT pg_sleep(0.03);\n"},
    });
    auto r = db_cmd(set, db.url(), {"up", "--json"});
    BOOST_TEST_REQUIRE(r.code == 0, r.out << r.err);
    std::map<std::int64_t, std::int64_t> printed;
    json doc = r.doc();
    for (const json& a : doc["applied"]) printed[a["migration_version"].get<std::int64_t>()] = a["execution_ms"];
    BOOST_TEST_REQUIRE(printed.size() == 2u, r.out);
    BOOST_TEST(printed[1] >= 30);
    BOOST_TEST(printed[2] >= 60);

    const auto recorded = [&](std::int64_t version, const char* direction) {
        return std::stoll(db.scalar("SELECT execution_ms FROM schema_migrations WHERE version = " +
                                    std::to_string(version) + " AND direction = '" + direction +
                                    "' AND status = 'success'"));
    };
    for (const auto& [version, ms] : printed) BOOST_TEST(recorded(version, "up") == ms, "version " << version);

    doc = db_cmd(set, db.url(), {"status", "--json"}).doc();
    BOOST_TEST(doc["applied"].size() == 2u);
    for (const json& a : doc["applied"])
        BOOST_TEST(a["execution_ms"].get<std::int64_t>() == printed[a["migration_version"].get<std::int64_t>()],
                   a.dump());
    doc = db_cmd(set, db.url(), {"history", "--json"}).doc();
    BOOST_TEST(doc["rows"].size() == 2u);
    for (const json& row : doc["rows"])
        BOOST_TEST(row["execution_ms"].get<std::int64_t>() == printed[row["migration_version"].get<std::int64_t>()],
                   row.dump());
    // The texts people read say the same number.
    r = db_cmd(set, db.url(), {"status"});
    BOOST_TEST(r.out.find("in " + std::to_string(printed[2]) + " ms") != std::string::npos, r.out);

    // Rolling back the no-transaction migration: printed = recorded for its down row too.
    r = db_cmd(set, db.url(), {"rollback", "--yes", "--json"});
    BOOST_TEST_REQUIRE(r.code == 0, r.out << r.err);
    const std::int64_t down_ms = r.doc()["rolled_back"][0]["execution_ms"];
    BOOST_TEST(down_ms >= 30);
    BOOST_TEST(recorded(2, "down") == down_ms);
    // And applied again, in text: "(N ms)" is the recorded time.
    r = db_cmd(set, db.url(), {"up"});
    BOOST_TEST_REQUIRE(r.code == 0, r.out << r.err);
    const std::string again = std::to_string(recorded(2, "up"));
    BOOST_TEST(r.out.find("2 notx (" + again + " ms)") != std::string::npos, r.out << " recorded " << again);
}

BOOST_AUTO_TEST_SUITE_END()
