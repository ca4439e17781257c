// `up` of a whole, realistic history (hundreds of migrations, the risky statements
// long-lived projects accumulate) on an empty database: nothing exists that any
// finding could harm, so it applies without asking — no --yes, no terminal. The
// same migrations on a database that already has the tables do ask.
#include "support/cli_runner.hpp"
#include "support/forum_history.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace pgmig_test;
using namespace pgmig_cli_test;
using json = nlohmann::json;

BOOST_AUTO_TEST_SUITE(fresh_database)

BOOST_AUTO_TEST_CASE(up_of_a_whole_history_on_an_empty_database_asks_nothing) {
    const auto files = forum_history();
    const pgmig::migration_set set = make_set(files);
    BOOST_TEST_REQUIRE(set.size() >= 300u);

    // Offline, lint cannot know the tables are new: the history is full of high and
    // critical findings (drops, backfills, renames, locks, rewrites).
    auto r = db_cmd(set, "", {"lint", "--json", "--fail-on", "high"}, run_options{"", false, false});
    BOOST_TEST(r.code == 11, r.err);
    const json lint = r.doc();
    const int severe = lint["counts"]["critical"].get<int>() + lint["counts"]["high"].get<int>();
    BOOST_TEST_MESSAGE("offline lint: " << lint["counts"].dump());
    BOOST_TEST(severe >= 200);
    BOOST_TEST(lint["counts"]["critical"].get<int>() >= 3);

    scratch_database db("fresh_history");
    // plan: every finding on a table (or schema, domain) the run creates is low, with the reason.
    r = db_cmd(set, db.url(), {"plan", "--json"});
    BOOST_TEST(r.code == 2, r.err);
    const json plan = r.doc();
    BOOST_TEST(plan["pending"].size() == set.size());
    BOOST_TEST(plan["risk"] == "medium"); // foreign keys created before their index: design advice
    std::size_t lowered = 0;
    for (const json& p : plan["pending"])
        for (const json& f : p["findings"]) {
            BOOST_TEST((f["level"] == "low" || f["level"] == "medium"), f.dump());
            if (f["message"].get<std::string>().find("is not in the database yet") != std::string::npos) ++lowered;
        }
    BOOST_TEST(lowered >= static_cast<std::size_t>(severe));

    // up: no --yes, stdin is not a terminal — and nothing to confirm.
    r = db_cmd(set, db.url(), {"up", "--json"});
    BOOST_TEST(r.code == 0, r.err);
    const json up = r.doc();
    BOOST_TEST(up["risky"].empty());
    BOOST_TEST(up["data_loss"].empty());
    BOOST_TEST(up["applied"].size() == set.size());
    BOOST_TEST(db.scalar("SELECT count(*) FROM schema_migrations WHERE direction = 'up' AND status = 'success'") ==
               std::to_string(set.size()));
    BOOST_TEST(db.table_exists("public", "emoji"));
    BOOST_TEST(!db.table_exists("public", "federation_queue"));
}

BOOST_AUTO_TEST_CASE(the_same_migrations_on_existing_tables_ask) {
    const auto files = forum_history();
    const pgmig::migration_set set = make_set(files);
    scratch_database db("existing_history");
    // The first table's creation and its columns are applied: the rest of its history
    // then changes a table that exists (empty or not, running code may use it).
    const std::int64_t second = set.migrations().at(5).version; // utilities, type, domain, function, create, columns
    auto r = db_cmd(set, db.url(), {"up", "--to", std::to_string(second)});
    BOOST_TEST(r.code == 0, r.err);
    r = db_cmd(set, db.url(), {"up", "--json"});
    BOOST_TEST(r.code == 10, r.err); // confirmation required
    const json doc = r.doc();
    bool on_person = false;
    for (const json& f : doc["risky"])
        if (f["file"].get<std::string>().find("_person_") != std::string::npos) on_person = true;
    BOOST_TEST(on_person, doc["risky"].dump());
    BOOST_TEST(db.scalar("SELECT count(*) FROM schema_migrations") == "6");
}

BOOST_AUTO_TEST_SUITE_END()
