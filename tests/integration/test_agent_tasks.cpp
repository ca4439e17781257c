// The eight tasks an agent was given (issue "the agent contract"), done the way
// an agent does them: the real `pgmig` binary, --json, stdin from /dev/null, no
// terminal. Every document validates against its command's schema; the exit
// codes are the documented ones; and whenever confirmation is required and
// --yes is missing, nothing at all is written (the schema and the history are
// byte-for-byte what they were).
#include "shared/json_schema.hpp"
#include "support/cli_runner.hpp"

#include <boost/test/unit_test.hpp>

using namespace pgmig_test;
using namespace pgmig_cli_test;
using json = nlohmann::json;

namespace {

struct agent_session {
    scratch_database& db;
    temp_dir work;

    /// `pgmig <args…> --json`, its document validated against the command's schema.
    json run(std::vector<std::string> args, int expected_exit) {
        const std::string command = args.front();
        args.push_back("--json");
        const cli_run r = pgmig_process(work.path, args, {{"DB_URL", db.url()}});
        std::string line;
        for (const std::string& a : args) line += " " + a;
        BOOST_TEST_CONTEXT("pgmig" << line) {
            BOOST_TEST(r.code == expected_exit, "exit " << r.code << "\n" << r.out << r.err);
            BOOST_TEST(r.all().find(password_of(db.url())) == std::string::npos);
            const json doc = r.doc();
            const auto v = repository_schemas().violations(doc, command == "apply" ? "up" : command);
            std::string why;
            for (const std::string& s : v) why += "\n  " + s;
            BOOST_TEST(v.empty(), "schema:" << why << "\n" << r.out);
            BOOST_TEST(doc["exit_code"] == r.code);
            BOOST_TEST(doc["ok"] == doc["error"].is_null());
            return doc;
        }
        return {};
    }

    /// A command that needs confirmation, without --yes: exit 10 and nothing written.
    json refused(const std::vector<std::string>& args) {
        const std::string schema = db.catalog_fingerprint();
        const std::string history = history_summary(db);
        json doc = run(args, 10);
        BOOST_TEST(doc["error"]["code"] == "confirmation_required");
        BOOST_TEST(doc["error"]["message"].get<std::string>().find("--yes") != std::string::npos);
        BOOST_TEST(db.catalog_fingerprint() == schema, args.front() << " changed the schema");
        BOOST_TEST(history_summary(db) == history, args.front() << " changed the history");
        return doc;
    }

    void write(const std::string& name, const std::string& sql) { work.write("migrations/" + name, sql); }
};

std::vector<std::int64_t> versions(const json& items) {
    std::vector<std::int64_t> out;
    for (const json& i : items) out.push_back(i["migration_version"].get<std::int64_t>());
    return out;
}

const json* finding(const json& items, const std::string& rule) {
    for (const json& f : items)
        if (f["rule_id"] == rule) return &f;
    return nullptr;
}

} // namespace

BOOST_AUTO_TEST_SUITE(agent_tasks)

BOOST_AUTO_TEST_CASE(the_eight_tasks_with_json_and_no_terminal) {
    scratch_database db("agent_tasks");
    agent_session a{db, {}};

    // 1. Create tables with rollbacks.
    a.run({"new", "create_users", "--format", "paired"}, 0);
    a.write("000001_create_users.up.sql", "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n");
    a.write("000001_create_users.down.sql", "DROP TABLE users;\n");
    a.write("000002_create_orders.up.sql",
            "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL, total numeric NOT NULL);\n");
    a.write("000002_create_orders.down.sql", "DROP TABLE orders;\n");
    BOOST_TEST(a.run({"check-rollback"}, 0)["result"] == "ok");
    json doc = a.run({"plan"}, 2);
    BOOST_TEST(doc["ok"] == true);
    BOOST_TEST(doc["result"] == "pending");
    doc = a.run({"up"}, 0); // no high/critical finding: no --yes needed without a terminal
    BOOST_TEST((versions(doc["applied"]) == std::vector<std::int64_t>{1, 2}));

    // 2. Report status as JSON.
    doc = a.run({"status"}, 0);
    BOOST_TEST(doc["result"] == "clean");
    BOOST_TEST(doc["current_version"] == 2);
    a.run({"status", "--exit-code"}, 0);

    // 3. Handle an edited applied file.
    a.write("000001_create_users.up.sql",
            "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL); -- edited after it was applied\n");
    doc = a.run({"status", "--exit-code"}, 3);
    BOOST_TEST(doc["result"] == "drift");
    BOOST_TEST((versions(doc["drifted"]) == std::vector<std::int64_t>{1}));
    doc = a.run({"repair"}, 0);
    BOOST_TEST(doc["changes"].empty());
    BOOST_TEST(doc["accept_with"] == "--accept-checksums");
    BOOST_TEST((versions(doc["remaining_drift"]) == std::vector<std::int64_t>{1}));
    a.refused({"repair", "--accept-checksums"});
    doc = a.run({"repair", "--accept-checksums", "--yes"}, 0);
    BOOST_TEST(doc["changes"][0]["action"] == "accept_checksum");
    a.run({"verify"}, 0);

    // 4. Add a column and an index to a 300k-row table, safely.
    db.exec("INSERT INTO users SELECT g, 'u' || g || '@example.com' FROM generate_series(1, 1000) g;"
            "INSERT INTO orders SELECT g, 1 + g % 1000, g FROM generate_series(1, 300000) g; ANALYZE users, orders;");
    // The unsafe version first: a plain CREATE INDEX on the big table is high; up asks, and without --yes refuses.
    a.write("000003_orders_status.up.sql", "ALTER TABLE orders ADD COLUMN status text;\n"
                                           "CREATE INDEX orders_user_id_idx ON orders (user_id);\n");
    a.write("000003_orders_status.down.sql", "DROP INDEX orders_user_id_idx;\nALTER TABLE orders DROP COLUMN status;\n");
    doc = a.run({"plan"}, 2);
    const json* risky = finding(doc["pending"][0]["findings"], "create-index-without-concurrently");
    BOOST_REQUIRE(risky != nullptr);
    BOOST_TEST((*risky)["level"] == "high");
    BOOST_TEST((*risky)["table_rows_estimate"].get<std::int64_t>() > 250000);
    doc = a.refused({"up"});
    BOOST_TEST(finding(doc["risky"], "create-index-without-concurrently") != nullptr);
    BOOST_TEST(doc["applied"].empty());
    // The safe version: the column alone, then the index built concurrently.
    a.write("000003_orders_status.up.sql", "ALTER TABLE orders ADD COLUMN status text;\n");
    a.write("000003_orders_status.down.sql", "ALTER TABLE orders DROP COLUMN status;\n");
    a.write("000004_orders_user_id_idx.up.sql",
            "-- pgmig:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_idx ON orders (user_id);\n");
    a.write("000004_orders_user_id_idx.down.sql",
            "-- pgmig:no-transaction\nDROP INDEX CONCURRENTLY IF EXISTS orders_user_id_idx;\n");
    doc = a.run({"lint", "--pending"}, 0);
    BOOST_TEST(doc["pending_only"] == true);
    BOOST_TEST((versions(doc["migrations"]) == std::vector<std::int64_t>{3, 4}));
    doc = a.run({"up", "--dry-run"}, 0);
    BOOST_TEST(doc["statements"][0]["sql"].get<std::string>().find("SET lock_timeout") != std::string::npos);
    BOOST_TEST(doc["lock_retry"]["retries"] == 3);
    doc = a.run({"up"}, 0);
    BOOST_TEST((versions(doc["applied"]) == std::vector<std::int64_t>{3, 4}));
    BOOST_TEST(db.scalar("SELECT indisvalid FROM pg_index WHERE indexrelid = 'orders_user_id_idx'::regclass") == "t");

    // 5. Roll back a bad deploy: what it destroys first, with live row counts.
    doc = a.run({"rollback", "--to", "2", "--dry-run"}, 0);
    BOOST_TEST((versions(doc["planned"]) == std::vector<std::int64_t>{4, 3}));
    const json* column = finding(doc["data_loss"], "drop-column");
    BOOST_REQUIRE(column != nullptr);
    BOOST_TEST((*column)["relation"] == "orders");
    BOOST_TEST((*column)["table_rows_estimate"].get<std::int64_t>() > 250000);
    doc = a.run({"rollback", "--to", "0", "--dry-run"}, 0);
    const json* table = finding(doc["data_loss"], "drop-table");
    BOOST_REQUIRE(table != nullptr);
    BOOST_TEST((*table)["table_rows_estimate"].get<std::int64_t>() > 250000);
    doc = a.refused({"rollback", "--to", "2"});
    BOOST_TEST((versions(doc["planned"]) == std::vector<std::int64_t>{4, 3}));
    BOOST_TEST(finding(doc["data_loss"], "drop-column") != nullptr);
    doc = a.run({"rollback", "--to", "2", "--yes"}, 0);
    BOOST_TEST((versions(doc["rolled_back"]) == std::vector<std::int64_t>{4, 3}));
    a.run({"up"}, 0);

    // 6. Recover from a half-failed migration: statement 1 applied, statement 2 failed.
    a.write("000005_more_indexes.up.sql",
            "-- pgmig:no-transaction\n"
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_total_idx ON orders (total);\n"
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_idx ON orders (statuz);\n");
    a.write("000005_more_indexes.down.sql", "-- pgmig:no-transaction\n"
                                            "DROP INDEX CONCURRENTLY IF EXISTS orders_status_idx;\n"
                                            "DROP INDEX CONCURRENTLY IF EXISTS orders_total_idx;\n");
    doc = a.run({"up"}, 7);
    BOOST_TEST(doc["error"]["code"] == "migration_failed");
    BOOST_TEST(doc["error"]["sqlstate"] == "42703");
    BOOST_TEST(doc["error"]["line"] == 3);
    doc = a.run({"status", "--exit-code"}, 4);
    BOOST_TEST(doc["result"] == "failed_recorded");
    BOOST_TEST(doc["failed"].size() == 1u);
    a.write("000005_more_indexes.up.sql",
            "-- pgmig:no-transaction\n"
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_total_idx ON orders (total);\n"
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_idx ON orders (status);\n");
    a.refused({"repair"});
    doc = a.run({"repair", "--yes"}, 0);
    BOOST_TEST(doc["changes"][0]["action"] == "clear_failed");
    doc = a.run({"up"}, 0);
    BOOST_TEST((versions(doc["applied"]) == std::vector<std::int64_t>{5}));

    // 7. Build an index concurrently (4 and 5 did): valid indexes, nothing left INVALID.
    BOOST_TEST(db.scalar("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                         "WHERE c.relname LIKE 'orders_%_idx' AND i.indisvalid") == "3");

    // 8. Every destructive command without a terminal refuses and changes nothing.
    a.refused({"rollback"});
    a.refused({"redo"});
    a.refused({"force", "3"});
    a.write("000006_drop_total.up.sql", "ALTER TABLE orders DROP COLUMN total;\n");
    doc = a.refused({"up"}); // data loss on a table with rows
    BOOST_TEST(finding(doc["data_loss"], "drop-column") != nullptr);
    BOOST_TEST(doc["data_loss"][0]["table_rows_estimate"].get<std::int64_t>() > 250000);
    doc = a.run({"force", "5", "--yes"}, 0); // already the state
    BOOST_TEST(doc["changes"].empty());
    BOOST_TEST(doc["data_loss"].empty());
    BOOST_TEST(a.run({"baseline", "--version", "5"}, 3)["error"]["code"] == "policy"); // history exists
    // baseline on a database that lacks what the migrations create: refused, with what is missing.
    scratch_database empty("agent_tasks_empty");
    agent_session fresh{empty, {}};
    for (const char* f : {"000001_create_users.up.sql", "000001_create_users.down.sql", "000002_create_orders.up.sql"})
        fresh.write(f, a.work.read(std::string("migrations/") + f));
    doc = fresh.run({"baseline", "--version", "2"}, 3);
    BOOST_TEST((doc["missing_objects"].size() == 4u), doc["missing_objects"].dump()); // users, orders, their keys
    BOOST_TEST(doc["missing_objects"][0]["kind"] == "table");
    BOOST_TEST(doc["missing_objects"][0]["name"] == "users");
    BOOST_TEST(doc["missing_objects"][1]["kind"] == "index");
    BOOST_TEST(doc["missing_objects"][1]["name"] == "users_pkey");
    BOOST_TEST(doc["error"]["message"].get<std::string>().find("table orders (migration 2)") != std::string::npos);
    BOOST_TEST(fresh.run({"baseline", "--version", "2", "--dry-run"}, 3)["missing_objects"].size() == 4u);
    BOOST_TEST(!empty.table_exists("public", "schema_migrations"));
    // Once the objects are there, baseline still needs consent.
    empty.exec(a.work.read("migrations/000001_create_users.up.sql") + a.work.read("migrations/000002_create_orders.up.sql"));
    doc = fresh.refused({"baseline", "--version", "2"});
    BOOST_TEST(doc["missing_objects"].empty());
    BOOST_TEST(doc["changes"].size() == 2u);
    BOOST_TEST(!empty.table_exists("public", "schema_migrations"));
    doc = fresh.run({"baseline", "--version", "2", "--yes"}, 0);
    BOOST_TEST(doc["applied_changes"] == true);
    fresh.run({"status", "--exit-code"}, 0);
}

BOOST_AUTO_TEST_SUITE_END()
