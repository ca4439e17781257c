// `plan` against a live database: lint findings that name a table carry its
// estimated rows and size from pg_class; tables a pending migration creates are new.
#include "support/cli_runner.hpp"

#include <boost/test/unit_test.hpp>

using namespace pgmig_test;
using namespace pgmig_cli_test;
using json = nlohmann::json;

BOOST_AUTO_TEST_SUITE(cli_live_risk)

BOOST_AUTO_TEST_CASE(plan_shows_table_sizes) {
    scratch_database db("live_risk");
    db.exec("CREATE TABLE orders (id bigint PRIMARY KEY, note text);"
            "INSERT INTO orders SELECT g, 'note ' || g FROM generate_series(1, 50000) g;"
            "ANALYZE orders;");
    const std::string bytes = db.scalar("SELECT pg_total_relation_size('orders')");
    const auto set = make_set({
        {"000001_note_not_null.up.sql", "ALTER TABLE orders ALTER COLUMN note SET NOT NULL;\n"},
        {"000001_note_not_null.down.sql", "ALTER TABLE orders ALTER COLUMN note DROP NOT NULL;\n"},
        {"000002_fresh.up.sql", "CREATE TABLE fresh (id bigint PRIMARY KEY, x text);\n"},
        {"000002_fresh.down.sql", "DROP TABLE fresh;\n"},
        {"000003_fresh_not_null.up.sql", "ALTER TABLE fresh ALTER COLUMN x SET NOT NULL;\n"},
        {"000003_fresh_not_null.down.sql", "ALTER TABLE fresh ALTER COLUMN x DROP NOT NULL;\n"},
    });

    auto r = db_cmd(set, db.url(), {"plan"});
    BOOST_TEST(r.code == 2, r.err);
    BOOST_TEST(r.out.find("set-not-null on orders (~50 k rows, ") != std::string::npos, r.out);
    BOOST_TEST(r.out.find(" MB)") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("set-not-null on fresh (new table") != std::string::npos, r.out);

    r = db_cmd(set, db.url(), {"plan", "--json"});
    BOOST_TEST(r.code == 2, r.err);
    const json doc = r.doc();
    const json& f1 = doc["pending"][0]["findings"][0];
    BOOST_TEST(f1["rule"] == "set-not-null");
    BOOST_TEST(f1["relation"] == "orders");
    BOOST_TEST(f1["table_exists"] == true);
    BOOST_TEST(f1["table_rows_estimate"] == 50000);
    BOOST_TEST(f1["table_bytes"].get<std::int64_t>() == std::stoll(bytes));
    const json& f3 = doc["pending"][2]["findings"][0];
    BOOST_TEST(f3["relation"] == "fresh");
    BOOST_TEST(f3["table_exists"] == false);
    BOOST_TEST(f3["table_rows_estimate"].is_null());
    BOOST_TEST(f3["table_bytes"].is_null());
    // On a table no running code uses yet, the scan blocks no one: low, and said why.
    BOOST_TEST(f3["risk"] == "low");
    BOOST_TEST(f3["message"].get<std::string>().find("was high; fresh is not in the database yet") != std::string::npos);
    BOOST_TEST(doc["pending"][2]["risk"] == "low");
    BOOST_TEST(f1["risk"] == "high");
    BOOST_TEST(doc["risk"] == "high");
}

BOOST_AUTO_TEST_CASE(up_does_not_ask_for_an_index_on_a_table_it_creates) {
    // The everyday pair: one migration creates a table, the next indexes it. No
    // confirmation for that; the same index on an existing table needs one.
    scratch_database db("live_risk_new");
    db.exec("CREATE TABLE accounts (id bigint PRIMARY KEY, email text)");
    const auto set = make_set({
        {"000001_users.up.sql", "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n"},
        {"000001_users.down.sql", "DROP TABLE users;\n"},
        {"000002_users_email.up.sql", "CREATE INDEX users_email_idx ON users (email);\n"},
        {"000002_users_email.down.sql", "DROP INDEX users_email_idx;\n"},
        {"000003_accounts_email.up.sql", "CREATE INDEX accounts_email_idx ON accounts (email);\n"},
        {"000003_accounts_email.down.sql", "DROP INDEX accounts_email_idx;\n"},
    });
    auto r = db_cmd(set, db.url(), {"up", "--to", "2"}); // no terminal, no --yes
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(db.scalar("SELECT count(*) FROM pg_indexes WHERE indexname = 'users_email_idx'") == "1");

    r = db_cmd(set, db.url(), {"up", "--json"});
    BOOST_TEST(r.code == 10, r.err); // confirmation required
    const json doc = r.doc();
    BOOST_REQUIRE(doc["risky"].size() == 1u);
    BOOST_TEST(doc["risky"][0]["rule"] == "create-index-without-concurrently");
    BOOST_TEST(doc["risky"][0]["migration_version"] == 3);
    BOOST_TEST(db.scalar("SELECT count(*) FROM pg_indexes WHERE indexname = 'accounts_email_idx'") == "0");
}

BOOST_AUTO_TEST_CASE(schema_qualified_and_never_analyzed) {
    scratch_database db("live_risk2");
    db.exec("CREATE SCHEMA shop; CREATE TABLE shop.items (id int, name text);");
    const auto set = make_set({
        {"000001_items.up.sql", "ALTER TABLE shop.items ALTER COLUMN name SET NOT NULL;\n"},
        {"000001_items.down.sql", "ALTER TABLE shop.items ALTER COLUMN name DROP NOT NULL;\n"},
    });
    auto r = db_cmd(set, db.url(), {"plan", "--json"});
    BOOST_TEST(r.code == 2, r.err);
    const json doc = r.doc();
    const json& f = doc["pending"][0]["findings"][0];
    BOOST_TEST(f["relation"] == "shop.items");
    BOOST_TEST(f["table_exists"] == true);
    BOOST_TEST(f["table_rows_estimate"].is_null()); // never analyzed (PostgreSQL 14+: reltuples -1)
    BOOST_TEST(f["table_bytes"].is_number());
    r = db_cmd(set, db.url(), {"plan"});
    BOOST_TEST(r.out.find("set-not-null on shop.items (rows unknown") != std::string::npos, r.out);
}

BOOST_AUTO_TEST_SUITE_END()
