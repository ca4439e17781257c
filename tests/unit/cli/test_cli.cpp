// Unit tests of run_with() paths that need no database: usage errors (text
// and JSON), help, version, `new`, the connection string, colour.
#include "shared/temp_dir.hpp"

#include <pgmig/cli.hpp>
#include <pgmig/migration.hpp>
#include <pgmig/version.hpp>

#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <optional>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using pgmig_test::temp_dir;

namespace {

struct run_result {
    int code = 0;
    std::string out, err;
    nlohmann::json doc() const { return nlohmann::json::parse(out); }
};

run_result run(std::vector<std::string> words, const pgmig::migration_set* set = nullptr, std::string input = "",
               bool tty = false, bool stdout_tty = false) {
    std::vector<const char*> argv = {set ? "db" : "pgmig"};
    for (const std::string& w : words) argv.push_back(w.c_str());
    std::istringstream in(input);
    std::ostringstream out, err;
    pgmig::cli::cli_options o;
    o.program_name = set ? "myapp db" : "pgmig";
    run_result r;
    r.code = pgmig::cli::run_with(static_cast<int>(argv.size()), argv.data(), set, o, in, out, err, tty, false,
                                  stdout_tty);
    r.out = out.str();
    r.err = err.str();
    return r;
}

void check_usage_json(const run_result& r, const std::string& message_part) {
    BOOST_TEST(r.code == 1);
    const auto doc = r.doc();
    BOOST_TEST(doc["version"] == 2);
    BOOST_TEST(doc["ok"] == false);
    BOOST_TEST(doc["exit_code"] == 1);
    BOOST_TEST(doc["error"]["code"] == "usage");
    BOOST_TEST(doc["error"]["exit_code"] == 1);
    BOOST_TEST(doc["error"]["message"].get<std::string>().find(message_part) != std::string::npos,
               doc["error"]["message"].get<std::string>());
    BOOST_TEST(doc.contains("command"));
}

/// An environment variable set (or unset: nullptr) for one test, restored after.
struct scoped_env {
    std::string name;
    std::optional<std::string> before;
    scoped_env(std::string n, const char* value) : name(std::move(n)) {
        if (const char* old = std::getenv(name.c_str())) before = old;
        if (value != nullptr) ::setenv(name.c_str(), value, 1);
        else ::unsetenv(name.c_str());
    }
    ~scoped_env() {
        if (before) ::setenv(name.c_str(), before->c_str(), 1);
        else ::unsetenv(name.c_str());
    }
    scoped_env(const scoped_env&) = delete;
    scoped_env& operator=(const scoped_env&) = delete;
};

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

} // namespace

BOOST_AUTO_TEST_SUITE(cli_run_without_database)

BOOST_AUTO_TEST_CASE(usage_errors_as_json) {
    check_usage_json(run({"stauts", "--json"}), "did you mean 'status'?");
    check_usage_json(run({"--json", "up", "--dryrun"}), "did you mean '--dry-run'?");
    check_usage_json(run({"rollback", "--json", "--steps", "x", "--db", "postgresql://u:pw@127.0.0.1:1/db"}),
                     "--steps");
    // A bare number of seconds or milliseconds is refused before anything connects.
    check_usage_json(run({"status", "--json", "--lock-timeout", "30", "--db", "postgresql://u:pw@127.0.0.1:1/db"}),
                     "--lock-timeout: '30' has no unit: write 30ms or 30s");
    const auto r = run({"stauts", "--json"});
    BOOST_TEST(r.doc()["command"].is_null());
    BOOST_TEST(run({"up", "--dryrun", "--json"}).doc()["command"] == "up");
}

BOOST_AUTO_TEST_CASE(usage_errors_as_text) {
    const auto r = run({"stauts"});
    BOOST_TEST(r.code == 1);
    BOOST_TEST(r.out.empty());
    BOOST_TEST(r.err.find("error: unknown command 'stauts'; did you mean 'status'?") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(password_is_masked_in_usage_errors) {
    const std::string url = "postgresql://app:S3cretPw@127.0.0.1:1/db";
    for (bool json : {false, true}) {
        std::vector<std::string> words = {"status", "postgresql://app:S3cretPw@127.0.0.1:1/db"};
        if (json) words.push_back("--json");
        auto r = run(words);
        BOOST_TEST(r.code == 1);
        BOOST_TEST(r.out.find("S3cretPw") == std::string::npos);
        BOOST_TEST(r.err.find("S3cretPw") == std::string::npos);
        BOOST_TEST((r.out + r.err).find("*****") != std::string::npos);
    }
    // A bad option value next to --db.
    auto r = run({"--db", url, "--lock-timeout", "S3cretPw", "status"});
    BOOST_TEST(r.code == 1);
    BOOST_TEST(r.err.find("S3cretPw") == std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(bad_option_values_are_usage_errors) {
    auto r = run({"status", "--lock-timeout", "soon", "--db", "postgresql://127.0.0.1:1/x", "--json"});
    check_usage_json(r, "--lock-timeout");
    r = run({"status", "--history-table", "a.b.c", "--db", "postgresql://127.0.0.1:1/x", "--json"});
    check_usage_json(r, "--history-table");
}

BOOST_AUTO_TEST_CASE(connection_failure_exit_code) {
    // Nothing listens on port 1: connection refused, quickly, exit 6.
    temp_dir d; // an empty migrations directory
    auto r = run({"status", "--db", "postgresql://app:Pw123456@127.0.0.1:1/db", "--connect-timeout", "0.2s", "--json",
                  "--migrations-dir", d.path.string()});
    BOOST_TEST(r.code == 6);
    const auto doc = r.doc();
    BOOST_TEST(doc["error"]["code"] == "connection");
    BOOST_TEST(doc["database"] == "postgresql://app:*****@127.0.0.1:1/db");
    BOOST_TEST(r.out.find("Pw123456") == std::string::npos);
    BOOST_TEST(r.err.find("Pw123456") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(invalid_migrations_directory_exit_code) {
    temp_dir d;
    std::ofstream(d.path / "000001_x.up.sql") << "   \n"; // empty up file
    auto r = run({"status", "--migrations-dir", d.path.string(), "--db", "postgresql://127.0.0.1:1/x", "--json"});
    BOOST_TEST(r.code == 8);
    BOOST_TEST(r.doc()["error"]["code"] == "invalid_migration");
    BOOST_TEST(r.doc()["database"] == "postgresql://127.0.0.1:1/x"); // the target is named in every document
}

BOOST_AUTO_TEST_CASE(help_and_version_exit_zero) {
    auto r = run({"--help"});
    BOOST_TEST(r.code == 0);
    BOOST_TEST(r.out.find("Usage") != std::string::npos);
    r = run({"rollback", "--help"});
    BOOST_TEST(r.code == 0);
    BOOST_TEST(r.out.find("--steps") != std::string::npos);
    pgmig::migration_set empty;
    r = run({"--version"}, &empty);
    BOOST_TEST(r.code == 0);
    BOOST_TEST(r.out == std::string("myapp db (pgmig) ") + PGMIG_VERSION_STRING + "\n");
}

BOOST_AUTO_TEST_CASE(new_in_both_conventions_via_run) {
    temp_dir d;
    const std::string dir = (d.path / "migrations").string();
    auto r = run({"new", "add", "user", "status", "--migrations-dir", dir, "--json"});
    BOOST_TEST(r.code == 0, r.err);
    auto doc = r.doc();
    BOOST_TEST(doc["command"] == "new");
    BOOST_TEST(doc["ok"] == true);
    BOOST_TEST(doc["format"] == "timestamp");
    BOOST_TEST(doc["name"] == "add_user_status");
    BOOST_REQUIRE(doc["files"].size() == 1u);
    BOOST_TEST(fs::exists(doc["files"][0].get<std::string>()));
    // A second one follows the convention, in text mode.
    r = run({"create", "second", "--migrations-dir", dir});
    BOOST_TEST(r.code == 0);
    BOOST_TEST(r.out.find("Created ") != std::string::npos);
    BOOST_TEST(pgmig::migration_set::from_directory(dir).size() == 2u);
    // Contradicting format.
    r = run({"new", "x", "--format", "paired", "--migrations-dir", dir, "--json"});
    check_usage_json(r, "contradicts");

    const std::string paired = (d.path / "paired").string();
    r = run({"generate", "first", "--format", "paired", "--migrations-dir", paired, "--json"});
    BOOST_TEST(r.code == 0);
    BOOST_TEST(r.doc()["format"] == "paired");
    BOOST_TEST(r.doc()["files"].size() == 2u);
    r = run({"new", "second", "--migrations-dir", paired, "--json"});
    BOOST_TEST(r.doc()["migration_version"] == 2);
    BOOST_TEST(fs::exists(fs::path(paired) / "000002_second.up.sql"));
    BOOST_TEST(fs::exists(fs::path(paired) / "000002_second.down.sql"));
}

BOOST_AUTO_TEST_CASE(an_empty_connection_string_is_a_usage_error) {
    temp_dir d;
    const std::string dir = d.path.string();
    scoped_env no_database_url("DATABASE_URL", nullptr);
    {
        // DB_URL= (set, empty): "no database given", exit 1; never a connection attempt to nothing.
        scoped_env empty("DB_URL", "");
        auto r = run({"status", "--json", "--migrations-dir", dir});
        check_usage_json(r, "no database given: DB_URL is empty; set DB_URL or pass --db URL");
        r = run({"status", "--migrations-dir", dir});
        BOOST_TEST(r.code == 1);
        BOOST_TEST(has(r.err, "no database given"), r.err);
    }
    {
        // --db "" is not "no --db": the environment's database is never used instead.
        scoped_env elsewhere("DB_URL", "postgresql://app:Elsewh3re@127.0.0.1:1/db");
        check_usage_json(run({"status", "--json", "--db", "", "--migrations-dir", dir}), "--db is empty");
    }
}

BOOST_AUTO_TEST_CASE(database_url_after_db_url) {
    temp_dir d;
    const std::string dir = d.path.string();
    scoped_env no_db_url("DB_URL", nullptr);
    scoped_env database_url("DATABASE_URL", "postgresql://app:DbUrlPw99@127.0.0.1:1/from_database_url");
    auto r = run({"status", "--json", "--connect-timeout", "0.2s", "--migrations-dir", dir});
    BOOST_TEST(r.code == 6, r.out << r.err); // port 1: refused, but it was the database tried
    BOOST_TEST(r.doc()["database"] == "postgresql://app:*****@127.0.0.1:1/from_database_url");
    BOOST_TEST(!has(r.out + r.err, "DbUrlPw99"));
    scoped_env db_url("DB_URL", "postgresql://app:DbUrlPw11@127.0.0.1:1/from_db_url");
    r = run({"status", "--json", "--connect-timeout", "0.2s", "--migrations-dir", dir});
    BOOST_TEST(r.doc()["database"] == "postgresql://app:*****@127.0.0.1:1/from_db_url");
    BOOST_TEST(!has(r.out + r.err, "DbUrlPw99"));
    BOOST_TEST(!has(r.out + r.err, "DbUrlPw11"));
}

BOOST_AUTO_TEST_CASE(colour_on_a_terminal_unless_no_color) {
    temp_dir d;
    d.write("000001_users.up.sql", "CREATE TABLE users (id bigint PRIMARY KEY);\n");
    d.write("000002_drop.up.sql", "DROP TABLE users;\n");
    const std::vector<std::string> lint = {"lint", "--migrations-dir", d.path.string()};
    const auto with = [&](std::vector<std::string> extra) {
        std::vector<std::string> w = lint;
        w.insert(w.end(), extra.begin(), extra.end());
        return w;
    };
    const std::string red_cross = "\033[31m✗\033[0m", critical = "\033[1;31mcritical\033[0m";
    scoped_env no_color("NO_COLOR", nullptr);

    auto r = run(lint, nullptr, "", false, true); // stdout is a terminal
    BOOST_TEST(r.code == 11);
    BOOST_TEST(has(r.out, red_cross), r.out);
    BOOST_TEST(has(r.out, "[" + critical + "] drop-table"), r.out);
    BOOST_TEST(!has(r.err, "\033["));
    // Not a terminal (a pipe, a file, a test): plain text, as before.
    r = run(lint, nullptr, "", false, false);
    BOOST_TEST(!has(r.out, "\033["), r.out);
    BOOST_TEST(has(r.out, "✗ 1 finding is at or above --fail-on high"), r.out);
    BOOST_TEST(!has(run(with({"--color", "never"}), nullptr, "", false, true).out, "\033["));
    BOOST_TEST(has(run(with({"--color=always"}), nullptr, "", false, false).out, red_cross));
    // JSON is never coloured.
    BOOST_TEST(!has(run(with({"--json", "--color", "always"}), nullptr, "", false, true).out, "\033["));
    {
        scoped_env set("NO_COLOR", "1");
        BOOST_TEST(!has(run(lint, nullptr, "", false, true).out, "\033["));
        BOOST_TEST(has(run(with({"--color", "always"}), nullptr, "", false, true).out, red_cross));
    }
}

BOOST_AUTO_TEST_SUITE_END()
