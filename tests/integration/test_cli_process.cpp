// The real `pgmig` executable as a subprocess (no terminal: stdin is /dev/null),
// in a temporary working directory: the documented workflows end to end, .env
// and DB_URL, exit codes, JSON on stdout, the password never printed.
#include "support/cli_runner.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>

using namespace pgmig_test;
using namespace pgmig_cli_test;
namespace fs = std::filesystem;

namespace {

void check_masked(const cli_run& r, const std::string& url) {
    const std::string pw = password_of(url);
    BOOST_REQUIRE(!pw.empty());
    BOOST_TEST(r.all().find(pw) == std::string::npos, "password printed:\n" << r.all());
}

std::vector<std::string> migration_files(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(cli_process)

BOOST_AUTO_TEST_CASE(create_up_status_down_with_dotenv) {
    scratch_database db("cli_proc_create");
    temp_dir d;
    d.write(".env", "# test settings\nexport DB_URL=\"" + db.url() + "\"\n");

    auto r = pgmig_process(d.path, {"create", "add", "user", "status"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(r.out.find("_add_user_status.sql") != std::string::npos, r.out);
    auto files = migration_files(d.path / "migrations");
    BOOST_REQUIRE(files.size() == 1u);
    // The template as written has no statement: `up` refuses it, naming the file and
    // saying to fill it in, and applies nothing; lint flags it.
    r = pgmig_process(d.path, {"up"});
    BOOST_TEST(r.code == 8, r.out << r.err);
    BOOST_TEST(r.err.find(files[0] + " (line 2)") != std::string::npos, r.err);
    BOOST_TEST(r.err.find("Fill it in with the migration's SQL") != std::string::npos, r.err);
    BOOST_TEST(!db.table_exists("public", "schema_migrations"));
    r = pgmig_process(d.path, {"plan"});
    BOOST_TEST(r.code == 8, r.out << r.err);
    BOOST_TEST(r.out.find("would refuse (invalid_migration): a pending migration has no statement") != std::string::npos,
               r.out);
    r = pgmig_process(d.path, {"lint", "--json"});
    BOOST_TEST(r.code == 11, r.err);
    BOOST_TEST(r.doc()["migrations"][0]["findings"][0]["rule_id"] == "empty-migration");
    // Give it real SQL.
    d.write("migrations/" + files[0],
            "-- DIRECTION: up\nCREATE TABLE user_status (id int PRIMARY KEY, status text);\n"
            "-- DIRECTION: down\nDROP TABLE user_status;\n");

    r = pgmig_process(d.path, {"up"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(r.out.find("Applied 1 migration") != std::string::npos, r.out);
    check_masked(r, db.url());
    BOOST_TEST(db.table_exists("public", "user_status"));

    r = pgmig_process(d.path, {"status"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(r.out.find("✓") != std::string::npos);
    BOOST_TEST(r.out.find("add_user_status") != std::string::npos);
    check_masked(r, db.url());

    r = pgmig_process(d.path, {"status", "--json"});
    BOOST_TEST(r.code == 0);
    auto doc = r.doc();
    BOOST_TEST(doc["applied"].size() == 1u);
    BOOST_TEST(doc["database"].get<std::string>().find("*****") != std::string::npos);
    check_masked(r, db.url());

    // No terminal: `down` refuses and says --yes is needed, changing nothing.
    r = pgmig_process(d.path, {"down"});
    BOOST_TEST(r.code == 10);
    BOOST_TEST(r.err.find("--yes") != std::string::npos, r.err);
    BOOST_TEST(db.table_exists("public", "user_status"));
    check_masked(r, db.url());
    r = pgmig_process(d.path, {"down", "--yes"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(!db.table_exists("public", "user_status"));

    // A second `new` follows the timestamp convention.
    r = pgmig_process(d.path, {"new", "second", "--json"});
    BOOST_TEST(r.code == 0);
    BOOST_TEST(r.doc()["format"] == "timestamp");
    BOOST_TEST(migration_files(d.path / "migrations").size() == 2u);
}

BOOST_AUTO_TEST_CASE(plan_dry_run_apply_rollback_with_environment) {
    scratch_database db("cli_proc_plan");
    temp_dir d;
    // The environment wins over .env (which points nowhere).
    d.write(".env", "DB_URL=postgresql://nobody:x@127.0.0.1:1/nowhere\n");
    const std::vector<std::pair<std::string, std::string>> env = {{"DB_URL", db.url()}};

    auto r = pgmig_process(d.path, {"new", "create todos", "--format", "paired"});
    BOOST_TEST(r.code == 0, r.err);
    d.write("migrations/000001_create_todos.up.sql", "CREATE TABLE todos (id bigserial PRIMARY KEY, title text);\n");
    d.write("migrations/000001_create_todos.down.sql", "DROP TABLE todos;\n");
    r = pgmig_process(d.path, {"generate", "todo done"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(fs::exists(d.path / "migrations/000002_todo_done.up.sql"));
    d.write("migrations/000002_todo_done.up.sql", "ALTER TABLE todos ADD COLUMN done boolean NOT NULL DEFAULT false;\n");
    d.write("migrations/000002_todo_done.down.sql", "ALTER TABLE todos DROP COLUMN done;\n");

    r = pgmig_process(d.path, {"plan"}, env);
    BOOST_TEST(r.code == 2, r.err);
    BOOST_TEST(r.out.find("ADD COLUMN done") != std::string::npos, r.out);
    check_masked(r, db.url());

    const std::string before = db.catalog_fingerprint();
    r = pgmig_process(d.path, {"apply", "--dry-run"}, env);
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(r.out.find("INSERT INTO \"public\".\"schema_migrations\"") != std::string::npos);
    BOOST_TEST(db.catalog_fingerprint() == before);

    r = pgmig_process(d.path, {"apply", "--json"}, env);
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(r.doc()["applied"].size() == 2u);
    BOOST_TEST(r.doc()["current_version"] == 2);
    check_masked(r, db.url());

    r = pgmig_process(d.path, {"verify"}, env);
    BOOST_TEST(r.code == 0, r.out << r.err);

    r = pgmig_process(d.path, {"rollback", "--yes", "--json"}, env);
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(r.doc()["rolled_back"][0]["migration_version"] == 2);
    BOOST_TEST(db.scalar("SELECT count(*) FROM information_schema.columns WHERE table_name = 'todos' AND "
                         "column_name = 'done'") == "0");
    r = pgmig_process(d.path, {"verify", "--json"}, env);
    BOOST_TEST(r.code == 2);
    BOOST_TEST(r.doc()["result"] == "pending");

    r = pgmig_process(d.path, {"history", "--json"}, env);
    BOOST_TEST(r.code == 0);
    BOOST_TEST(r.doc()["rows"].size() == 3u);
}

BOOST_AUTO_TEST_CASE(database_url_from_the_environment_and_from_dotenv) {
    scratch_database db("cli_proc_database_url");
    temp_dir d;
    d.write("migrations/000001_a.up.sql", "CREATE TABLE a (id int);\n");
    // $DATABASE_URL (dbmate, sqlx, Prisma, Rails, Heroku) when there is no DB_URL.
    auto r = pgmig_process(d.path, {"up", "--json"}, {{"DATABASE_URL", db.url()}});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(r.doc()["applied"].size() == 1u);
    check_masked(r, db.url());
    BOOST_TEST(db.table_exists("public", "a"));
    // DB_URL wins over DATABASE_URL.
    r = pgmig_process(d.path, {"status", "--json", "--connect-timeout", "0.3s"},
                      {{"DB_URL", "postgresql://nobody:x@127.0.0.1:1/nowhere"}, {"DATABASE_URL", db.url()}});
    BOOST_TEST(r.code == 6, r.out << r.err);
    // DATABASE_URL in .env, after the environment's.
    d.write(".env", "DATABASE_URL=" + db.url() + "\n");
    r = pgmig_process(d.path, {"status", "--json"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(r.doc()["applied"].size() == 1u);
    check_masked(r, db.url());
    // In .env too, DB_URL comes first.
    d.write(".env", "DATABASE_URL=" + db.url() + "\nDB_URL=postgresql://nobody:x@127.0.0.1:1/nowhere\n");
    r = pgmig_process(d.path, {"status", "--connect-timeout", "0.3s"});
    BOOST_TEST(r.code == 6, r.out << r.err);
    check_masked(r, db.url());
}

BOOST_AUTO_TEST_CASE(an_empty_db_url_is_no_database) {
    scratch_database db("cli_proc_empty");
    temp_dir d;
    d.write("migrations/000001_a.up.sql", "CREATE TABLE a (id int);\n");
    d.write(".env", "DB_URL=" + db.url() + "\n");
    for (const char* blank : {"", " "}) {
        // Set but empty (e.g. DB_URL=$UNSET_VARIABLE): a usage error, not .env's database, not a connection to nothing.
        auto r = pgmig_process(d.path, {"up", "--json"}, {{"DB_URL", blank}});
        BOOST_TEST(r.code == 1, r.out << r.err);
        BOOST_TEST(r.doc()["error"]["message"] == "no database given: DB_URL is empty; set DB_URL or pass --db URL");
    }
    auto r = pgmig_process(d.path, {"up", "--db", ""});
    BOOST_TEST(r.code == 1, r.err);
    BOOST_TEST(r.err.find("no database given: --db is empty") != std::string::npos, r.err);
    BOOST_TEST(!db.table_exists("public", "a"));
    check_masked(r, db.url());
}

BOOST_AUTO_TEST_CASE(usage_help_and_connection_errors) {
    temp_dir d;
    auto r = pgmig_process(d.path, {"stauts"});
    BOOST_TEST(r.code == 1);
    BOOST_TEST(r.err.find("did you mean 'status'?") != std::string::npos, r.err);
    r = pgmig_process(d.path, {"up", "--help"});
    BOOST_TEST(r.code == 0);
    BOOST_TEST(r.out.find("Example:") != std::string::npos);
    r = pgmig_process(d.path, {"--version"});
    BOOST_TEST(r.code == 0);
    // No database anywhere: a usage error that says where it looks.
    d.write("migrations/000001_a.up.sql", "SELECT 1;\n");
    r = pgmig_process(d.path, {"status", "--json"});
    BOOST_TEST(r.code == 1);
    BOOST_TEST(r.doc()["error"]["message"].get<std::string>().find("DB_URL") != std::string::npos);
    // Missing migrations directory: 8.
    r = pgmig_process(d.path, {"status", "--migrations-dir", "nope", "--db", "postgresql://127.0.0.1:1/x"});
    BOOST_TEST(r.code == 8, r.err);
    // Unreachable server: 6, password masked.
    r = pgmig_process(d.path, {"status", "--connect-timeout", "0.3s", "--json"},
                      {{"DB_URL", "postgresql://app:Sup3rSecret@127.0.0.1:1/x"}});
    BOOST_TEST(r.code == 6);
    BOOST_TEST(r.all().find("Sup3rSecret") == std::string::npos, r.all());
}

BOOST_AUTO_TEST_SUITE_END()
