// `import --from <tool>` against a real PostgreSQL: each tool's history table
// made by hand in the shape the tool creates, with real rows; import, check
// pgmig's history, then `up` applies only the rest. Refusals (dirty, rolled
// back, failed, versions without files, changed files), --dry-run and the
// consent rules write nothing, and the other tool's table is never changed.
#include "shared/json_schema.hpp"
#include "support/cli_runner.hpp"

#include <pgmig/pgmig.hpp>

#include <boost/test/unit_test.hpp>

using namespace pgmig_test;
using namespace pgmig_cli_test;
using json = nlohmann::json;

namespace {

const std::string users_sql = "CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL);\n";
const std::string todos_sql = "CREATE TABLE todos (id bigserial PRIMARY KEY, title text);\n";
// Computed independently (Python's zlib.crc32 of the text without its line breaks, as a signed
// int; hashlib.sha1 of the file): what Flyway and sqitch record for these files.
const char* const users_crc32 = "-1428267903";
const char* const todos_crc32 = "-1976061717";
const char* const users_sha1 = "dc9e39c657cb9636002669f055530d53b211ff3d";
const char* const todos_sha1 = "f6faa22eef674489f555a6b47ead994590bbca18";

pgmig::migration_set files() {
    return make_set({
        {"000001_users.up.sql", users_sql},
        {"000001_users.down.sql", "DROP TABLE users;\n"},
        {"000002_todos.up.sql", todos_sql},
        {"000002_todos.down.sql", "DROP TABLE todos;\n"},
        {"000003_tags.up.sql", "CREATE TABLE tags (id bigserial PRIMARY KEY);\n"},
        {"000003_tags.down.sql", "DROP TABLE tags;\n"},
    });
}

/// A string literal of text without quotes.
std::string lit(const std::string& text) { return "'" + text + "'"; }

/// The schema the other tool made (migrations 1 and 2), without pgmig.
void migrated_by_hand(scratch_database& db) { db.exec(users_sql + todos_sql); }

/// "version direction status" of pgmig's history in `table` ("" when it does not exist).
std::string pgmig_rows(scratch_database& db, const std::string& table = "schema_migrations") {
    if (!db.table_exists("public", table)) return "";
    const auto r = db.query("SELECT version, direction, status, applied_by LIKE '% via import' FROM public." + table +
                            " ORDER BY id");
    std::string out;
    for (std::size_t i = 0; i < r.size(); ++i)
        out += r.text(i, 0) + " " + r.text(i, 1) + " " + r.text(i, 2) + (r.text(i, 3) == "t" ? " import" : "") + "\n";
    return out;
}

/// Every row of a table as text, to check it is unchanged.
std::string fingerprint(scratch_database& db, const std::string& table) {
    return db.scalar("SELECT coalesce(string_agg(t::text, '|' ORDER BY t::text), '') FROM " + table + " t");
}

/// The document validates against docs/schema/import.json.
void valid(const json& doc) {
    std::string why;
    for (const std::string& v : repository_schemas().violations(doc, "import")) why += "\n  " + v;
    BOOST_TEST(why.empty(), why << "\n" << doc.dump(2));
}

std::vector<std::int64_t> versions_of(const json& arr) {
    std::vector<std::int64_t> out;
    for (const auto& x : arr) out.push_back(x["migration_version"].get<std::int64_t>());
    return out;
}

/// import (with `import_args` and the global options `global`), then `up` applies only 3;
/// the tool's table is unchanged.
void imports_then_up_applies_the_rest(scratch_database& db, const std::string& tool, const std::string& tool_table,
                                      const std::vector<std::string>& import_args = {},
                                      const std::vector<std::string>& global = {}) {
    const auto set = files();
    const std::string before = fingerprint(db, tool_table);
    std::vector<std::string> args = {"import", "--from", tool, "--yes", "--json"};
    args.insert(args.end(), import_args.begin(), import_args.end());
    args.insert(args.end(), global.begin(), global.end());
    auto r = db_cmd(set, db.url(), args);
    BOOST_TEST_REQUIRE(r.code == 0, tool << ": " << r.out << r.err);
    const json doc = r.doc();
    valid(doc);
    BOOST_TEST(doc["command"] == "import");
    BOOST_TEST(doc["from"] == tool);
    BOOST_TEST((versions_of(doc["imported"]) == std::vector<std::int64_t>{1, 2}), doc.dump());
    BOOST_TEST((doc["pending"].get<std::vector<std::int64_t>>() == std::vector<std::int64_t>{3}));
    BOOST_TEST(doc["applied_changes"] == true);
    BOOST_TEST(fingerprint(db, tool_table) == before, tool << "'s table changed");

    std::vector<std::string> up = {"up", "--json"};
    up.insert(up.end(), global.begin(), global.end());
    r = db_cmd(set, db.url(), up);
    BOOST_TEST_REQUIRE(r.code == 0, r.out << r.err);
    BOOST_TEST((versions_of(r.doc()["applied"]) == std::vector<std::int64_t>{3}));
    BOOST_TEST(db.table_exists("public", "tags"));
    BOOST_TEST(fingerprint(db, tool_table) == before, tool << "'s table changed");
}

/// `import --from tool --yes` is refused with exit `code` and a message holding `says`; nothing is written.
void refused(scratch_database& db, const std::string& tool, int code, const std::string& says) {
    const auto r = db_cmd(files(), db.url(), {"import", "--from", tool, "--yes"});
    BOOST_TEST(r.code == code, tool << ": " << r.err);
    BOOST_TEST(r.err.find(says) != std::string::npos, r.err);
    if (code != 1) BOOST_TEST(r.err.find("Nothing was written") != std::string::npos, r.err);
    BOOST_TEST(pgmig_rows(db).empty());
}

const char* const golang_table =
    "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);";
const char* const goose_table =
    "CREATE TABLE goose_db_version (id serial NOT NULL PRIMARY KEY, version_id bigint NOT NULL, "
    "is_applied boolean NOT NULL, tstamp timestamp NULL DEFAULT now());";
const char* const sqlx_table =
    "CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL, "
    "installed_on TIMESTAMPTZ NOT NULL DEFAULT now(), success BOOLEAN NOT NULL, checksum BYTEA NOT NULL, "
    "execution_time BIGINT NOT NULL);";
const char* const flyway_table =
    "CREATE TABLE flyway_schema_history (installed_rank integer NOT NULL PRIMARY KEY, version varchar(50), "
    "description varchar(200) NOT NULL, type varchar(20) NOT NULL, script varchar(1000) NOT NULL, checksum integer, "
    "installed_by varchar(100) NOT NULL, installed_on timestamp NOT NULL DEFAULT now(), execution_time integer NOT "
    "NULL, success boolean NOT NULL);";

} // namespace

BOOST_AUTO_TEST_SUITE(import_history)

BOOST_AUTO_TEST_CASE(golang_migrate_dry_run_consent_and_import) {
    scratch_database db("import_golang");
    migrated_by_hand(db);
    db.exec(std::string(golang_table) + "INSERT INTO schema_migrations VALUES (2, false);");
    const auto set = files();

    // Its table is pgmig's default: pgmig's history needs a table of its own.
    auto r = db_cmd(set, db.url(), {"import", "--from", "golang-migrate", "--yes"});
    BOOST_TEST(r.code == 1, r.err);
    BOOST_TEST(r.err.find("--history-table public.pgmig_migrations") != std::string::npos, r.err);

    const std::vector<std::string> own = {"--history-table", "public.pgmig_migrations"};
    // --dry-run shows what would be imported and the statements; nothing is written.
    r = db_cmd(set, db.url(), {"import", "--from", "golang-migrate", "--dry-run", "--history-table",
                               "public.pgmig_migrations"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(r.out.find("Read 1 row of golang-migrate's history (public.schema_migrations)") != std::string::npos,
               r.out);
    BOOST_TEST(r.out.find("record 1 users as applied (older than golang-migrate's version 2)") != std::string::npos,
               r.out);
    BOOST_TEST(r.out.find("record 2 todos as applied (golang-migrate version 2)") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("INSERT INTO") != std::string::npos, r.out);
    BOOST_TEST(!db.table_exists("public", "pgmig_migrations"));

    // It writes: without a terminal and without --yes it asks nobody and writes nothing (exit 10).
    r = db_cmd(set, db.url(), {"import", "--from", "golang-migrate", "--history-table", "public.pgmig_migrations"});
    BOOST_TEST(r.code == 10, r.err);
    BOOST_TEST(!db.table_exists("public", "pgmig_migrations"));
    // Declined on a terminal: nothing written either.
    run_options tty;
    tty.stdin_tty = true;
    tty.input = "no\n";
    r = db_cmd(set, db.url(), {"import", "--from", "golang-migrate", "--history-table", "public.pgmig_migrations"},
               tty);
    BOOST_TEST(r.code == 10, r.err);
    BOOST_TEST(r.err.find("This records in the history of") != std::string::npos, r.err);
    BOOST_TEST(!db.table_exists("public", "pgmig_migrations"));

    imports_then_up_applies_the_rest(db, "golang-migrate", "public.schema_migrations", {}, own);
    BOOST_TEST(pgmig_rows(db, "pgmig_migrations") == "1 up success import\n2 up success import\n3 up success\n");
    // A second import is refused: pgmig's history is no longer empty.
    r = db_cmd(set, db.url(), {"import", "--from", "golang-migrate", "--yes", "--history-table",
                               "public.pgmig_migrations"});
    BOOST_TEST(r.code == 3, r.err);
    // The imported migrations roll back with their recorded down SQL.
    r = db_cmd(set, db.url(), {"rollback", "--to", "0", "--yes", "--history-table", "public.pgmig_migrations"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(!db.table_exists("public", "users"));
}

BOOST_AUTO_TEST_CASE(golang_migrate_dirty_is_refused) {
    scratch_database db("import_golang_dirty");
    migrated_by_hand(db);
    db.exec(std::string(golang_table) + "INSERT INTO schema_migrations VALUES (2, true);");
    auto r = db_cmd(files(), db.url(), {"import", "--from", "golang-migrate", "--yes", "--json", "--history-table",
                                        "public.pgmig_migrations"});
    BOOST_TEST(r.code == 4, r.out);
    valid(r.doc());
    const std::string msg = r.doc()["error"]["message"].get<std::string>();
    BOOST_TEST(msg.find("version 2 is dirty") != std::string::npos, msg);
    BOOST_TEST(msg.find("migrate force V") != std::string::npos, msg);
    BOOST_TEST(!db.table_exists("public", "pgmig_migrations"));
    BOOST_TEST(db.scalar("SELECT dirty FROM schema_migrations") == "t");
}

BOOST_AUTO_TEST_CASE(goose) {
    scratch_database db("import_goose");
    migrated_by_hand(db);
    // As goose writes it: version 0 when it creates the table, a row per up, and (goose before
    // v3.16) a row with is_applied = false per down; 2 was rolled back and applied again.
    db.exec(std::string(goose_table) +
            "INSERT INTO goose_db_version (version_id, is_applied, tstamp) VALUES (0, true, '2024-01-01 10:00'), "
            "(1, true, '2024-01-02 10:00'), (2, true, '2024-01-03 10:00'), (2, false, '2024-01-04 10:00'), "
            "(2, true, '2024-01-05 10:00');");
    auto r = db_cmd(files(), db.url(), {"import", "--from", "goose", "--dry-run"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(r.out.find("skipped: version_id 0") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("goose version 2, applied 2024-01-05 10:00:00") != std::string::npos, r.out);
    imports_then_up_applies_the_rest(db, "goose", "public.goose_db_version");
    BOOST_TEST(pgmig_rows(db) == "1 up success import\n2 up success import\n3 up success\n");
}

BOOST_AUTO_TEST_CASE(goose_rolled_back_and_unknown_versions_are_refused) {
    scratch_database db("import_goose_refused");
    db.exec(std::string(goose_table) +
            "INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true), (1, true), (2, true), "
            "(2, false);");
    refused(db, "goose", 3, "its latest row records a rollback (is_applied = false)");

    // A version goose applied that no file has.
    db.exec("DELETE FROM goose_db_version WHERE NOT is_applied; INSERT INTO goose_db_version (version_id, is_applied) "
            "VALUES (7, true)");
    refused(db, "goose", 3, "no migration file has version 7");

    // No goose table at all.
    db.exec("DROP TABLE goose_db_version");
    refused(db, "goose", 1, "there is no table public.goose_db_version");
}

BOOST_AUTO_TEST_CASE(dbmate_in_its_own_schema) {
    scratch_database db("import_dbmate");
    migrated_by_hand(db);
    // dbmate's table, in a schema of its own this time (--migrations-table ops.schema_migrations).
    db.exec("CREATE SCHEMA ops; CREATE TABLE ops.schema_migrations (version varchar(128) NOT NULL PRIMARY KEY);"
            "INSERT INTO ops.schema_migrations VALUES ('000001'), ('000002');");
    // The wrong tool for the table is named as such.
    auto r = db_cmd(files(), db.url(), {"import", "--from", "goose", "--from-table", "ops.schema_migrations"});
    BOOST_TEST(r.code == 1, r.err);
    BOOST_TEST(r.err.find("it looks like a Rails or dbmate history table (--from dbmate)") != std::string::npos,
               r.err);
    imports_then_up_applies_the_rest(db, "dbmate", "ops.schema_migrations", {"--from-table", "ops.schema_migrations"});
    BOOST_TEST(pgmig_rows(db) == "1 up success import\n2 up success import\n3 up success\n");
}

BOOST_AUTO_TEST_CASE(sqlx_checksums) {
    scratch_database db("import_sqlx");
    migrated_by_hand(db);
    // sqlx's checksum is SHA-384 of the file's SQL; the server computes it here.
    db.exec(std::string(sqlx_table) + "INSERT INTO _sqlx_migrations VALUES "
            "(1, 'users', now(), true, sha384(convert_to(" + lit(users_sql) + ", 'UTF8')), 1200), "
            "(2, 'todos', now(), true, sha384(convert_to(" + lit(todos_sql) + ", 'UTF8')), 900);");
    auto r = db_cmd(files(), db.url(), {"import", "--from", "sqlx", "--dry-run", "--json"});
    BOOST_TEST_REQUIRE(r.code == 0, r.err);
    valid(r.doc());
    const json doc = r.doc(); // a range-for over r.doc()[...] would iterate a destroyed temporary
    for (const auto& v : doc["imported"]) BOOST_TEST(v["checksum"] == "matches", v.dump());
    imports_then_up_applies_the_rest(db, "sqlx", "public._sqlx_migrations");
}

BOOST_AUTO_TEST_CASE(sqlx_changed_file_and_failed_row) {
    scratch_database db("import_sqlx_refused");
    migrated_by_hand(db);
    db.exec(std::string(sqlx_table) + "INSERT INTO _sqlx_migrations VALUES "
            "(1, 'users', now(), true, sha384(convert_to(" + lit(users_sql) + ", 'UTF8')), 1200), "
            "(2, 'todos', now(), true, sha384('CREATE TABLE todos (id bigint);'::bytea), 900);");
    auto r = db_cmd(files(), db.url(), {"import", "--from", "sqlx", "--yes", "--json"});
    BOOST_TEST(r.code == 3, r.out);
    valid(r.doc());
    BOOST_TEST(r.doc()["error"]["code"] == "drift");
    BOOST_TEST(r.doc()["error"]["message"].get<std::string>().find("2 todos (000002_todos.up.sql): sqlx recorded") !=
               std::string::npos);
    BOOST_TEST(pgmig_rows(db).empty());
    // Accepted deliberately: pgmig records the files' checksums.
    r = db_cmd(files(), db.url(), {"import", "--from", "sqlx", "--yes", "--accept-checksums", "--json"});
    BOOST_TEST(r.code == 0, r.out);
    BOOST_TEST(r.doc()["imported"][1]["checksum"] == "differs");
    BOOST_TEST(db_cmd(files(), db.url(), {"verify"}).code == 2); // applied 1 and 2 match; 3 pending

    scratch_database failed("import_sqlx_failed");
    failed.exec(std::string(sqlx_table) +
                "INSERT INTO _sqlx_migrations VALUES (1, 'users', now(), false, '\\x00'::bytea, 10);");
    refused(failed, "sqlx", 4, "version 1 users (");
    refused(failed, "sqlx", 4, "failed (success = false)");
}

BOOST_AUTO_TEST_CASE(flyway) {
    scratch_database db("import_flyway");
    migrated_by_hand(db);
    db.exec(std::string(flyway_table) + "INSERT INTO flyway_schema_history VALUES "
            "(1, '1', 'users', 'SQL', 'V1__users.sql', " + users_crc32 + ", 'app', '2024-01-01 10:00', 12, true), "
            "(2, '2', 'todos', 'SQL', 'V2__todos.sql', " + todos_crc32 + ", 'app', '2024-01-02 10:00', 8, true), "
            "(3, NULL, 'views', 'SQL', 'R__views.sql', 1234, 'app', '2024-01-02 10:00', 3, true);");
    auto r = db_cmd(files(), db.url(), {"import", "--from", "flyway", "--dry-run", "--json"});
    BOOST_TEST_REQUIRE(r.code == 0, r.err);
    valid(r.doc());
    const json doc = r.doc(); // a range-for over r.doc()[...] would iterate a destroyed temporary
    for (const auto& v : doc["imported"]) BOOST_TEST(v["checksum"] == "matches", v.dump());
    BOOST_TEST(r.doc()["skipped"].size() == 1u); // the repeatable migration
    imports_then_up_applies_the_rest(db, "flyway", "public.flyway_schema_history");

    scratch_database changed("import_flyway_changed");
    changed.exec(std::string(flyway_table) + "INSERT INTO flyway_schema_history VALUES "
                 "(1, '1', 'users', 'SQL', 'V1__users.sql', 99, 'app', now(), 12, true)");
    refused(changed, "flyway", 3, "flyway recorded 99, the file's is " + std::string(users_crc32));
}

BOOST_AUTO_TEST_CASE(sqitch) {
    scratch_database db("import_sqitch");
    migrated_by_hand(db);
    // The registry's projects and changes tables as sqitch creates them on PostgreSQL.
    db.exec("CREATE SCHEMA sqitch;"
            "CREATE TABLE sqitch.projects (project TEXT PRIMARY KEY, uri TEXT NULL UNIQUE, "
            "created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(), creator_name TEXT NOT NULL, "
            "creator_email TEXT NOT NULL);"
            "CREATE TABLE sqitch.changes (change_id TEXT PRIMARY KEY, script_hash TEXT NULL, change TEXT NOT NULL, "
            "project TEXT NOT NULL REFERENCES sqitch.projects(project) ON UPDATE CASCADE, note TEXT NOT NULL DEFAULT '', "
            "committed_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(), committer_name TEXT NOT NULL, "
            "committer_email TEXT NOT NULL, planned_at TIMESTAMPTZ NOT NULL, planner_name TEXT NOT NULL, "
            "planner_email TEXT NOT NULL, UNIQUE(project, script_hash));"
            "INSERT INTO sqitch.projects VALUES ('app', NULL, now(), 'Ann', 'ann@example.com');"
            "INSERT INTO sqitch.changes VALUES "
            "('a1', '" + std::string(users_sha1) + "', 'users', 'app', '', '2024-01-01 10:00+00', 'Ann', 'a@x', now(), 'Ann', 'a@x'),"
            "('b2', '" + todos_sha1 + "', 'todos', 'app', '', '2024-01-02 10:00+00', 'Ann', 'a@x', now(), 'Ann', 'a@x');");
    auto r = db_cmd(files(), db.url(), {"import", "--from", "sqitch", "--dry-run", "--json"});
    BOOST_TEST_REQUIRE(r.code == 0, r.err);
    const json doc = r.doc(); // a range-for over r.doc()[...] would iterate a destroyed temporary
    for (const auto& v : doc["imported"]) BOOST_TEST(v["checksum"] == "matches", v.dump());
    imports_then_up_applies_the_rest(db, "sqitch", "sqitch.changes");

    // A change no migration is named after.
    scratch_database other("import_sqitch_unknown");
    other.exec("CREATE SCHEMA sqitch; CREATE TABLE sqitch.changes (change_id TEXT PRIMARY KEY, script_hash TEXT, "
               "change TEXT NOT NULL, project TEXT NOT NULL, committed_at TIMESTAMPTZ NOT NULL DEFAULT now());"
               "INSERT INTO sqitch.changes VALUES ('c3', NULL, 'widgets', 'app', now())");
    refused(other, "sqitch", 3, "change widgets");
}

BOOST_AUTO_TEST_CASE(standalone_pgmig_import) {
    scratch_database db("import_standalone");
    migrated_by_hand(db);
    db.exec(std::string(goose_table) +
            "INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true), (1, true), (2, true);");
    temp_dir dir;
    for (const pgmig::migration& m : files()) {
        dir.write(m.file, m.up_sql);
        if (m.reversible) dir.write(m.down_file, m.down_sql);
    }
    auto r = pgmig_cmd(dir.path.string(), db.url(), {"import", "--from", "goose", "--yes"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(r.out.find("Imported into") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("Pending, for `pgmig up`: 3.") != std::string::npos, r.out);
    BOOST_TEST(pgmig_rows(db) == "1 up success import\n2 up success import\n");
}

BOOST_AUTO_TEST_SUITE_END()
