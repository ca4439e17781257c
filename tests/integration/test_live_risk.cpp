// `plan` and `up` against a live database: lint findings that name a table carry its
// estimated rows and size from pg_class; tables a pending migration creates are new;
// tiny tables lower full-table UPDATEs; the server's TimeZone decides whether
// timestamp → timestamptz rewrites.
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
    BOOST_TEST(f1["rule_id"] == "set-not-null");
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
    BOOST_TEST(f3["level"] == "low");
    BOOST_TEST(f3["message"].get<std::string>().find("was high; fresh is not in the database yet") != std::string::npos);
    BOOST_TEST(doc["pending"][2]["level"] == "low");
    BOOST_TEST(f1["level"] == "high");
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
    BOOST_TEST(doc["risky"][0]["rule_id"] == "create-index-without-concurrently");
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

BOOST_AUTO_TEST_CASE(update_of_a_one_row_settings_table_is_low) {
    scratch_database db("live_risk_tiny");
    db.exec("CREATE TABLE settings (id bigint PRIMARY KEY, theme text); INSERT INTO settings VALUES (1, 'light');"
            "CREATE TABLE events (id bigint PRIMARY KEY, kind text);"
            "INSERT INTO events SELECT g, 'k' FROM generate_series(1, 20000) g; ANALYZE settings; ANALYZE events;");
    const auto set = make_set({
        {"000001_theme.up.sql", "UPDATE settings SET theme = 'dark';\nUPDATE events SET kind = lower(kind);\n"},
        {"000001_theme.down.sql", "UPDATE settings SET theme = 'light';\n"},
    });
    auto r = db_cmd(set, db.url(), {"plan", "--json"});
    BOOST_TEST(r.code == 2, r.err);
    const json doc = r.doc();
    const json& findings = doc["pending"][0]["findings"];
    BOOST_REQUIRE(findings.size() == 2u);
    BOOST_TEST(findings[0]["relation"] == "settings");
    BOOST_TEST(findings[0]["level"] == "low");
    BOOST_TEST(findings[0]["message"].get<std::string>().find("settings holds an estimated 1 row") != std::string::npos);
    BOOST_TEST(findings[1]["relation"] == "events");
    BOOST_TEST(findings[1]["level"] == "high");
    // The big table still makes `up` ask; without it, nothing does.
    BOOST_TEST(db_cmd(set, db.url(), {"up"}).code == 10);
    const auto settings_only = make_set({
        {"000001_theme.up.sql", "UPDATE settings SET theme = 'dark';\n"},
        {"000001_theme.down.sql", "UPDATE settings SET theme = 'light';\n"},
    });
    r = db_cmd(settings_only, db.url(), {"up"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(db.scalar("SELECT theme FROM settings") == "dark");
}

BOOST_AUTO_TEST_CASE(timestamptz_conversion_follows_the_server_time_zone) {
    scratch_database db("live_risk_tz");
    const auto set = make_set({
        {"000001_visits.up.sql", "-- pgmig:allow prefer-timestamptz converted in migration 2\n"
                                 "CREATE TABLE visits (id bigint PRIMARY KEY, at timestamp);\n"
                                 "INSERT INTO visits SELECT g, now() FROM generate_series(1, 1000) g;\n"},
        {"000001_visits.down.sql", "DROP TABLE visits;\n"},
        {"000002_tz.up.sql", "ALTER TABLE visits ALTER COLUMN at TYPE timestamptz;\n"},
        {"000002_tz.down.sql", "ALTER TABLE visits ALTER COLUMN at TYPE timestamp;\n"},
    });
    BOOST_TEST(db_cmd(set, db.url(), {"up", "--to", "1"}).code == 0);
    const auto change_column_type = [&](const json& doc) -> json {
        for (const json& f : doc["pending"][0]["findings"])
            if (f["rule_id"] == "change-column-type") return f;
        return nullptr;
    };
    // A zone with an offset: a rewrite, high, and the message names the zone.
    db.exec("ALTER DATABASE " + db.name() + " SET TimeZone = 'Europe/Berlin'");
    auto r = db_cmd(set, db.url(), {"plan", "--json"});
    BOOST_TEST(r.code == 2, r.err);
    json f = change_column_type(r.doc());
    BOOST_REQUIRE(!f.is_null());
    BOOST_TEST(f["level"] == "high");
    BOOST_TEST(f["message"].get<std::string>().find("(from timestamp) converts every row") != std::string::npos);
    BOOST_TEST(f["message"].get<std::string>().find("the server's TimeZone is 'Europe/Berlin'") != std::string::npos);
    BOOST_TEST(db_cmd(set, db.url(), {"up"}).code == 10);

    // UTC: no rewrite, no finding, no question; the table keeps its file.
    db.exec("ALTER DATABASE " + db.name() + " SET TimeZone = 'Etc/UTC'");
    r = db_cmd(set, db.url(), {"plan", "--json"});
    BOOST_TEST(change_column_type(r.doc()).is_null(), r.out);
    const std::string file_before = db.scalar("SELECT pg_relation_filenode('visits')");
    r = db_cmd(set, db.url(), {"up"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(db.scalar("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'visits'::regclass "
                         "AND attname = 'at'") == "timestamp with time zone");
    BOOST_TEST(db.scalar("SELECT pg_relation_filenode('visits')") == file_before);
}

BOOST_AUTO_TEST_SUITE_END()
