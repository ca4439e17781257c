// Other tools' history tables and import's pure logic (no database): which
// tool a table is, the tools' checksums, and the mapping of their rows onto
// the migration files with every refusal.
#include "core/checksum.hpp"
#include "core/foreign_history.hpp"
#include "support/errors.hpp"

#include <pgmig/error.hpp>

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace pgmig;
using namespace pgmig::detail::core;
using pgmig_unit_test::code_of;

namespace {

const std::string users_sql = "CREATE TABLE users (id bigint PRIMARY KEY);\n";

migration_set paired() {
    return migration_set::from_files({
        {"000001_users.up.sql", users_sql},
        {"000001_users.down.sql", "DROP TABLE users;\n"},
        {"000002_todos.up.sql", "CREATE TABLE todos (id bigint);\n"},
        {"000003_idx.up.sql", "CREATE INDEX todos_id ON todos (id);\n"},
    });
}

migration_set single_files() {
    return migration_set::from_files({
        {"20240101_000000_users.sql", "-- DIRECTION: up\n" + users_sql + "-- DIRECTION: down\nDROP TABLE users;\n"},
        {"20240102_000000_todos.sql", "-- DIRECTION: up\nCREATE TABLE todos (id bigint);\n"},
    });
}

const foreign_tool_info& tool(const char* name) {
    const foreign_tool_info* t = find_foreign_tool(name);
    BOOST_REQUIRE(t != nullptr);
    return *t;
}

foreign_row row(std::string key, std::string state = "applied", std::string checksum = "", std::string kind = "") {
    foreign_row r;
    r.key = std::move(key);
    r.state = std::move(state);
    r.checksum = std::move(checksum);
    r.kind = std::move(kind);
    return r;
}

import_plan plan(const char* name, const migration_set& set, const std::vector<foreign_row>& rows,
                 bool accept = false, const db_state& s = {}) {
    import_request req;
    req.tool = &tool(name);
    req.table = req.tool->default_table();
    req.accept_checksums = accept;
    options o;
    o.admin_command = "pgmig";
    return plan_import(s, set, o, req, rows);
}

std::vector<std::int64_t> versions(const import_plan& p) {
    std::vector<std::int64_t> out;
    for (const bookkeeping_change& c : p.book.changes) {
        BOOST_TEST(c.action == "mark_applied");
        out.push_back(c.version);
    }
    return out;
}

std::string message_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const error& e) {
        return e.what();
    }
    BOOST_FAIL("no error thrown");
    return {};
}

} // namespace

BOOST_AUTO_TEST_SUITE(foreign_history)

BOOST_AUTO_TEST_CASE(tools_by_name_and_by_shape) {
    BOOST_TEST((find_foreign_tool("Goose")->tool == foreign_tool::goose));
    BOOST_TEST((find_foreign_tool("migrate")->tool == foreign_tool::golang_migrate));
    BOOST_TEST(find_foreign_tool("liquibase") == nullptr);
    BOOST_TEST(foreign_tool_names() == "golang-migrate, goose, dbmate, sqlx, flyway, sqitch");

    using cols = std::vector<std::pair<std::string, std::string>>;
    const auto which = [](const cols& c) {
        const foreign_tool_info* t = recognise_foreign_table(c);
        return t ? std::string(t->name) : std::string("none");
    };
    BOOST_TEST(which({{"version", "bigint"}, {"dirty", "boolean"}}) == "golang-migrate");
    BOOST_TEST(which({{"id", "integer"}, {"version_id", "bigint"}, {"is_applied", "boolean"},
                      {"tstamp", "timestamp without time zone"}}) == "goose");
    BOOST_TEST(which({{"version", "character varying(128)"}}) == "dbmate");
    BOOST_TEST(which({{"version", "bigint"}, {"description", "text"}, {"installed_on", "timestamp with time zone"},
                      {"success", "boolean"}, {"checksum", "bytea"}, {"execution_time", "bigint"}}) == "sqlx");
    BOOST_TEST(which({{"installed_rank", "integer"}, {"version", "character varying(50)"},
                      {"description", "character varying(200)"}, {"type", "character varying(20)"},
                      {"script", "character varying(1000)"}, {"checksum", "integer"},
                      {"success", "boolean"}}) == "flyway");
    BOOST_TEST(which({{"change_id", "text"}, {"script_hash", "text"}, {"change", "text"}, {"project", "text"}}) ==
               "sqitch");
    BOOST_TEST(which({{"version", "bigint"}}) == "none");
}

BOOST_AUTO_TEST_CASE(checksums_in_the_tools_algorithms) {
    // Known values: CRC-32 of "123456789" is 0xCBF43926; SHA-1 of "abc"; SHA-384 of "abc".
    BOOST_TEST(crc32("123456789") == 0xCBF43926U);
    BOOST_TEST(crc32("6789", crc32("12345")) == 0xCBF43926U);
    BOOST_TEST(hex_digest(digest_algorithm::sha1, "abc") == "a9993e364706816aba3e25717850c26c9cd0d89d");
    BOOST_TEST(hex_digest(digest_algorithm::sha384, "abc") ==
               "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7");
    // Flyway's: the lines without their breaks, whatever the breaks and a BOM.
    BOOST_TEST(flyway_crc32("12345\n6789\n") == static_cast<std::int32_t>(0xCBF43926U));
    BOOST_TEST(flyway_crc32("\xEF\xBB\xBF" "12345\r\n6789") == static_cast<std::int32_t>(0xCBF43926U));

    const migration_set set = paired();
    const migration& users = *set.find(1);
    BOOST_TEST(foreign_checksum_of(tool("sqlx"), users) == hex_digest(digest_algorithm::sha384, users_sql));
    BOOST_TEST(foreign_checksum_of(tool("sqitch"), users) == hex_digest(digest_algorithm::sha1, users_sql));
    BOOST_TEST(foreign_checksum_of(tool("flyway"), users) == std::to_string(flyway_crc32(users_sql)));
    BOOST_TEST(foreign_checksum_of(tool("goose"), users).empty());
    // A single file's up section is not the file the tool hashed.
    BOOST_TEST(foreign_checksum_of(tool("sqlx"), *single_files().find(20240101000000)).empty());
}

BOOST_AUTO_TEST_CASE(golang_migrate_records_the_newest_version_only) {
    const import_plan p = plan("golang-migrate", paired(), {row("2")});
    BOOST_TEST((versions(p) == std::vector<std::int64_t>{1, 2}));
    BOOST_TEST(p.report.versions[0].implied);
    BOOST_TEST(!p.report.versions[1].implied);
    BOOST_TEST((p.report.pending == std::vector<std::int64_t>{3}));
    BOOST_TEST(p.book.command == "import");
    BOOST_TEST(p.book.create_history_table);
    BOOST_TEST(p.book.changes[0].down_sql.value_or("") == "DROP TABLE users;\n");
    BOOST_TEST(p.book.changes[1].detail.find("golang-migrate version 2") != std::string::npos);

    BOOST_TEST(versions(plan("golang-migrate", paired(), {})).empty()); // nothing applied
    const std::string dirty = message_of([] { plan("golang-migrate", paired(), {row("2", "dirty")}); });
    BOOST_TEST(dirty.find("version 2 is dirty") != std::string::npos, dirty);
    BOOST_TEST(dirty.find("migrate force V") != std::string::npos, dirty);
    BOOST_TEST((code_of([] { plan("golang-migrate", paired(), {row("2", "dirty")}); }) == error_code::failed_recorded));
    BOOST_TEST((code_of([] { plan("golang-migrate", paired(), {row("7")}); }) == error_code::policy));
    BOOST_TEST((code_of([] { plan("golang-migrate", paired(), {row("1"), row("2")}); }) == error_code::policy));
}

BOOST_AUTO_TEST_CASE(goose_latest_row_per_version) {
    // goose's table: version 0 when created, then a row per apply and (older goose) per rollback.
    std::vector<foreign_row> rows = {row("0"), row("1"), row("2"), row("2", "rolled_back"), row("2")};
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i].order = static_cast<std::int64_t>(i) + 1;
    const import_plan p = plan("goose", paired(), rows);
    BOOST_TEST((versions(p) == std::vector<std::int64_t>{1, 2}));
    BOOST_TEST(p.report.skipped.size() == 1u);
    BOOST_TEST((p.report.versions[0].checksum == checksum_verdict::not_recorded));

    rows.push_back(row("1", "rolled_back"));
    const std::string msg = message_of([&] { plan("goose", paired(), rows); });
    BOOST_TEST(msg.find("version 1: its latest row records a rollback (is_applied = false)") != std::string::npos,
               msg);
    BOOST_TEST(msg.find("Nothing was written") != std::string::npos, msg);
    BOOST_TEST((code_of([&] { plan("goose", paired(), rows); }) == error_code::policy));
}

BOOST_AUTO_TEST_CASE(versions_must_be_the_files) {
    // Leading zeros are the same version; an unknown one and a non-integer are listed together.
    BOOST_TEST((versions(plan("dbmate", paired(), {row("0001"), row("3")})) == std::vector<std::int64_t>{1, 3}));
    const std::string msg = message_of([] { plan("flyway", paired(), {row("1"), row("1.1"), row("9")}); });
    BOOST_TEST(msg.find("version 1.1") != std::string::npos, msg);
    BOOST_TEST(msg.find("not an integer") != std::string::npos, msg);
    BOOST_TEST(msg.find("no migration file has version 9") != std::string::npos, msg);

    // pgmig's history must be empty.
    db_state s;
    s.table_exists = true;
    s.rows.resize(1);
    BOOST_TEST((code_of([&] { plan("dbmate", paired(), {row("1")}, false, s); }) == error_code::policy));
}

BOOST_AUTO_TEST_CASE(sqlx_checksums_and_failures) {
    const std::string good = hex_digest(digest_algorithm::sha384, users_sql);
    const std::string other = hex_digest(digest_algorithm::sha384, "something else");
    import_plan p = plan("sqlx", paired(), {row("1", "applied", good)});
    BOOST_TEST((p.report.versions[0].checksum == checksum_verdict::matches));
    BOOST_TEST(p.book.changes[0].detail.find("checksum matches") != std::string::npos);

    const std::string msg = message_of([&] { plan("sqlx", paired(), {row("1", "applied", other)}); });
    BOOST_TEST(msg.find("sqlx recorded " + other + ", the file's is " + good) != std::string::npos, msg);
    BOOST_TEST(msg.find("--accept-checksums") != std::string::npos, msg);
    BOOST_TEST((code_of([&] { plan("sqlx", paired(), {row("1", "applied", other)}); }) == error_code::drift));
    p = plan("sqlx", paired(), {row("1", "applied", other)}, true);
    BOOST_TEST((p.report.versions[0].checksum == checksum_verdict::differs));
    BOOST_TEST(p.book.changes[0].checksum == paired().find(1)->checksum); // pgmig records the file's own

    BOOST_TEST((code_of([&] { plan("sqlx", paired(), {row("1", "failed", good)}); }) == error_code::failed_recorded));
    // A single file's section: not compared, imported.
    p = plan("sqlx", single_files(), {row("20240101000000", "applied", other)});
    BOOST_TEST((p.report.versions[0].checksum == checksum_verdict::not_comparable));
}

BOOST_AUTO_TEST_CASE(flyway_markers_baselines_and_repeatables) {
    const std::string crc = std::to_string(flyway_crc32("CREATE TABLE todos (id bigint);\n"));
    const std::vector<foreign_row> rows = {row("", "applied", "", "SCHEMA"), row("1", "applied", "", "BASELINE"),
                                           row("2", "applied", crc, "SQL"), row("", "applied", "42", "SQL")};
    const import_plan p = plan("flyway", paired(), rows);
    BOOST_TEST((versions(p) == std::vector<std::int64_t>{1, 2}));
    BOOST_TEST(p.report.versions[0].implied); // below the baseline
    BOOST_TEST((p.report.versions[1].checksum == checksum_verdict::matches));
    BOOST_TEST(p.report.skipped.size() == 2u);
    BOOST_TEST((code_of([] { plan("flyway", paired(), {row("1", "failed", "", "SQL")}); }) ==
               error_code::failed_recorded));
    BOOST_TEST((code_of([] { plan("flyway", paired(), {row("1"), row("1", "rolled_back", "", "UNDO_SQL")}); }) ==
               error_code::policy));
    // A version Flyway's repair marked deleted is not applied.
    BOOST_TEST((versions(plan("flyway", paired(), {row("1"), row("2"), row("2", "deleted", "", "DELETE")})) ==
                std::vector<std::int64_t>{1}));
}

BOOST_AUTO_TEST_CASE(sqitch_changes_map_by_name) {
    const std::string sha = hex_digest(digest_algorithm::sha1, users_sql);
    import_plan p = plan("sqitch", paired(), {row("users", "applied", sha, "app"), row("todos", "applied", "", "app")});
    BOOST_TEST((versions(p) == std::vector<std::int64_t>{1, 2}));
    BOOST_TEST((p.report.versions[0].checksum == checksum_verdict::matches));
    BOOST_TEST((p.report.versions[1].checksum == checksum_verdict::not_recorded));
    const std::string msg = message_of([] { plan("sqitch", paired(), {row("widgets", "applied", "", "app")}); });
    BOOST_TEST(msg.find("no migration is named widgets") != std::string::npos, msg);
    BOOST_TEST((code_of([] { plan("sqitch", paired(), {row("users", "applied", "", "a"), row("todos", "applied", "", "b")}); }) ==
               error_code::policy));
}

BOOST_AUTO_TEST_CASE(pgmig_never_shares_the_tools_table) {
    import_request req;
    req.tool = &tool("golang-migrate");
    req.table = req.tool->default_table();
    options o; // public.schema_migrations, as golang-migrate's
    const std::string msg = import_table_conflict(req, o);
    BOOST_TEST(msg.find("--history-table public.pgmig_migrations") != std::string::npos, msg);
    o.history_table.table = "pgmig_migrations";
    BOOST_TEST(import_table_conflict(req, o).empty());
}

BOOST_AUTO_TEST_SUITE_END()
