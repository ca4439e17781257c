// Unit tests of the admin CLI's argument parsing and of run_with() paths that
// need no database: usage errors (text and JSON), help, version, `new`.
#include "cli/cli_internal.hpp"

#include <pgmig/cli.hpp>
#include <pgmig/migration.hpp>
#include <pgmig/version.hpp>

#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace fs = std::filesystem;
using namespace pgmig::cli::detail;

namespace {

parse_outcome parse(std::vector<std::string> words, bool standalone = true) {
    std::vector<const char*> argv = {"pgmig"};
    for (const std::string& w : words) argv.push_back(w.c_str());
    return parse_arguments(static_cast<int>(argv.size()), argv.data(), standalone, "pgmig");
}

struct run_result {
    int code = 0;
    std::string out, err;
    nlohmann::json doc() const { return nlohmann::json::parse(out); }
};

run_result run(std::vector<std::string> words, const pgmig::migration_set* set = nullptr, std::string input = "",
               bool tty = false) {
    std::vector<const char*> argv = {set ? "db" : "pgmig"};
    for (const std::string& w : words) argv.push_back(w.c_str());
    std::istringstream in(input);
    std::ostringstream out, err;
    pgmig::cli::cli_options o;
    o.program_name = set ? "myapp db" : "pgmig";
    run_result r;
    r.code = pgmig::cli::run_with(static_cast<int>(argv.size()), argv.data(), set, o, in, out, err, tty, false);
    r.out = out.str();
    r.err = err.str();
    return r;
}

void check_usage_json(const run_result& r, const std::string& message_part) {
    BOOST_TEST(r.code == 1);
    const auto doc = r.doc();
    BOOST_TEST(doc["version"] == 1);
    BOOST_TEST(doc["ok"] == false);
    BOOST_TEST(doc["exit_code"] == 1);
    BOOST_TEST(doc["error"]["code"] == "usage");
    BOOST_TEST(doc["error"]["exit_code"] == 1);
    BOOST_TEST(doc["error"]["message"].get<std::string>().find(message_part) != std::string::npos,
               doc["error"]["message"].get<std::string>());
    BOOST_TEST(doc.contains("command"));
}

struct temp_dir {
    fs::path path;
    temp_dir() {
        std::random_device rd;
        path = fs::temp_directory_path() / ("pgmig_cli_args_" + std::to_string(rd()));
        fs::create_directories(path);
    }
    ~temp_dir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(cli_args)

BOOST_AUTO_TEST_CASE(global_options_before_and_after_the_command) {
    auto p = parse({"--json", "--db", "postgresql://x/y", "status"});
    BOOST_TEST(!p.finished);
    BOOST_TEST(p.args.command == "status");
    BOOST_TEST(p.args.json);
    BOOST_TEST(p.json);
    BOOST_TEST(p.args.db == "postgresql://x/y");

    p = parse({"up", "--to", "42", "--dry-run", "--history-table", "app.migs", "--yes", "--lock-timeout", "10s",
               "--drift", "warn", "--unknown", "refuse", "--out-of-order", "allow", "--migrations-dir", "db/m"});
    BOOST_TEST(!p.finished);
    BOOST_TEST(p.args.command == "up");
    BOOST_TEST(p.args.to == "42");
    BOOST_TEST(p.args.dry_run);
    BOOST_TEST(p.args.yes);
    BOOST_TEST(p.args.history_table == "app.migs");
    BOOST_TEST(p.args.lock_timeout == "10s");
    BOOST_TEST(p.args.drift == "warn");
    BOOST_TEST(p.args.unknown == "refuse");
    BOOST_TEST(p.args.out_of_order == "allow");
    BOOST_TEST(p.args.migrations_dir == "db/m");
}

BOOST_AUTO_TEST_CASE(aliases_map_to_canonical_commands) {
    BOOST_TEST(parse({"apply"}).args.command == "up");
    BOOST_TEST(parse({"down", "--steps", "2"}).args.command == "rollback");
    BOOST_TEST(parse({"down", "--steps", "2"}).args.steps == "2");
    BOOST_TEST(parse({"create", "x"}).args.command == "new");
    BOOST_TEST(parse({"generate", "x"}).args.command == "new");
}

BOOST_AUTO_TEST_CASE(command_arguments) {
    auto p = parse({"force", "0"});
    BOOST_TEST(p.args.command == "force");
    BOOST_TEST(p.args.version == "0");
    p = parse({"baseline", "--version", "20240101120000"});
    BOOST_TEST(p.args.version == "20240101120000");
    p = parse({"new", "add", "user", "status", "--format", "paired"});
    BOOST_TEST(p.args.name_words.size() == 3u);
    BOOST_TEST(p.args.format == "paired");
    p = parse({"repair", "--accept-checksums"});
    BOOST_TEST(p.args.accept_checksums);
}

BOOST_AUTO_TEST_CASE(usage_errors) {
    const auto err = [](std::vector<std::string> w, bool standalone = true) {
        auto p = parse(std::move(w), standalone);
        BOOST_TEST(p.finished);
        BOOST_TEST(p.exit_code == 1);
        BOOST_REQUIRE(p.usage.has_value());
        BOOST_TEST((p.usage->code() == pgmig::error_code::usage));
        return std::string(p.usage->what());
    };
    BOOST_TEST(err({"stauts"}).find("did you mean 'status'?") != std::string::npos);
    BOOST_TEST(err({"up", "--dryrun"}).find("did you mean '--dry-run'?") != std::string::npos);
    BOOST_TEST(err({"repair", "--accept-checksum"}).find("did you mean '--accept-checksums'?") != std::string::npos);
    BOOST_TEST(err({"status", "--jsn"}).find("did you mean '--json'?") != std::string::npos);
    BOOST_TEST(err({"--drift", "warm", "status"}).find("did you mean 'warn'?") != std::string::npos);
    // Not a typo of anything: no suggestion (two edits from "up" is another word).
    BOOST_TEST(err({"dump"}).find("unknown command 'dump'") != std::string::npos);
    BOOST_TEST(err({"dump"}).find("did you mean") == std::string::npos);
    BOOST_TEST(err({}).find("no command") != std::string::npos);
    BOOST_TEST(err({"rollback", "--to", "1", "--steps", "2"}).find("cannot be combined") != std::string::npos);
    BOOST_TEST(err({"baseline"}).find("--version") != std::string::npos);
    BOOST_TEST(err({"force"}).find("force needs") != std::string::npos);
    BOOST_TEST(err({"new"}).find("new needs a name") != std::string::npos);
    BOOST_TEST(err({"status", "extra"}).find("unexpected argument 'extra'") != std::string::npos);
    BOOST_TEST(err({"up", "--to"}).find("--to") != std::string::npos);
    BOOST_TEST(err({"new", "x"}, false).find("pgmig new") != std::string::npos);
    BOOST_TEST(err({"status", "--migrations-dir", "x"}, false).find("unknown option '--migrations-dir'") !=
               std::string::npos);
    BOOST_TEST(err({"lint", "--fail-on", "hgh"}).find("did you mean 'high'?") != std::string::npos);
    BOOST_TEST(err({"lint", "--format", "githb"}).find("did you mean 'github'?") != std::string::npos);
    BOOST_TEST(err({"lint", "--json", "--format", "github"}).find("cannot be combined") != std::string::npos);
    BOOST_TEST(err({"new", "x", "--format", "text"}).find("timestamp or paired") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(help_for_every_command_has_an_example) {
    for (const std::string& c : command_names(true)) {
        auto p = parse({c, "--help"});
        BOOST_TEST(p.finished);
        BOOST_TEST(p.exit_code == 0);
        BOOST_TEST(p.out_text.find("Example:") != std::string::npos, c);
        BOOST_TEST(p.out_text.find("pgmig") != std::string::npos, c);
    }
    auto top = parse({"--help"});
    BOOST_TEST(top.out_text.find("rollback") != std::string::npos);
    BOOST_TEST(top.out_text.find("Exit codes") != std::string::npos);
    auto help_cmd = parse({"help", "up"});
    BOOST_TEST(help_cmd.out_text.find("--dry-run") != std::string::npos);
    auto version = parse({"--version"});
    BOOST_TEST(version.finished);
    BOOST_TEST(version.out_text == std::string("pgmig ") + PGMIG_VERSION_STRING + "\n"); // not "pgmig (pgmig) …"
}

BOOST_AUTO_TEST_SUITE_END()

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

BOOST_AUTO_TEST_SUITE_END()
