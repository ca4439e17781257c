// Unit tests of the admin CLI's pure helpers: .env, durations, suggestions,
// `new` in both conventions (the names themselves: tests/unit/core/test_names.cpp), confirmation.
#include "cli/cli_internal.hpp"
#include "core/suggest.hpp"

#include <pgmig/migration.hpp>

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace fs = std::filesystem;
using namespace pgmig::cli::detail;
using pgmig::detail::closest;

namespace {

struct temp_dir {
    fs::path path;
    temp_dir() {
        static std::atomic<int> n{0};
        std::random_device rd;
        path = fs::temp_directory_path() /
               ("pgmig_cli_unit_" + std::to_string(rd()) + "_" + std::to_string(n++));
        fs::create_directories(path);
    }
    ~temp_dir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    void write(const std::string& name, const std::string& content) const {
        std::ofstream(path / name, std::ios::binary) << content;
    }
    std::vector<std::string> files() const {
        std::vector<std::string> out;
        for (const auto& e : fs::directory_iterator(path)) out.push_back(e.path().filename().string());
        std::sort(out.begin(), out.end());
        return out;
    }
    std::string read(const std::string& name) const {
        std::ifstream f(path / name, std::ios::binary);
        std::ostringstream s;
        s << f.rdbuf();
        return s.str();
    }
};

// 2024-03-05 06:07:08 UTC
constexpr std::time_t march_5 = 1709618828;

pgmig::error_code code_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const pgmig::error& e) {
        return e.code();
    }
    BOOST_FAIL("expected pgmig::error");
    return pgmig::error_code::database;
}

} // namespace

BOOST_AUTO_TEST_SUITE(cli_dotenv)

BOOST_AUTO_TEST_CASE(parses_comments_quotes_and_export) {
    const auto v = parse_dotenv("# comment\n"
                                "\n"
                                "DB_URL=postgresql://u:p@h/db\n"
                                "export OTHER = 'single # not a comment'\n"
                                "QUOTED=\"a \\\"b\\\" c\"\n"
                                "TRAILING=value # comment\n"
                                "HASH=pa#ss\n"
                                "not an assignment\n"
                                "EMPTY=\n"
                                "CRLF=x\r\n");
    BOOST_TEST(v.at("DB_URL") == "postgresql://u:p@h/db");
    BOOST_TEST(v.at("OTHER") == "single # not a comment");
    BOOST_TEST(v.at("QUOTED") == "a \"b\" c");
    BOOST_TEST(v.at("TRAILING") == "value");
    BOOST_TEST(v.at("HASH") == "pa#ss");
    BOOST_TEST(v.at("EMPTY") == "");
    BOOST_TEST(v.at("CRLF") == "x");
    BOOST_TEST(v.count("not an assignment") == 0u);
}

BOOST_AUTO_TEST_CASE(later_keys_win) {
    const auto v = parse_dotenv("DB_URL=a\nDB_URL=b\n");
    BOOST_TEST(v.at("DB_URL") == "b");
}

BOOST_AUTO_TEST_CASE(resolution_order_flag_environment_dotenv) {
    temp_dir d;
    d.write(".env", "export DB_URL=\"postgresql://from-dotenv/db\"\n");
    const std::string env_file = (d.path / ".env").string();
    auto r = resolve_conninfo("postgresql://flag/db", "postgresql://env/db", env_file);
    BOOST_TEST(r.conninfo == "postgresql://flag/db");
    BOOST_TEST((r.source == conninfo_source::flag));
    r = resolve_conninfo("", "postgresql://env/db", env_file);
    BOOST_TEST(r.conninfo == "postgresql://env/db");
    BOOST_TEST((r.source == conninfo_source::environment));
    r = resolve_conninfo("", nullptr, env_file);
    BOOST_TEST(r.conninfo == "postgresql://from-dotenv/db");
    BOOST_TEST((r.source == conninfo_source::dotenv));
    r = resolve_conninfo("", "", (d.path / "missing.env").string());
    BOOST_TEST((r.source == conninfo_source::none));
    BOOST_TEST(r.conninfo.empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(cli_parsers)

BOOST_AUTO_TEST_CASE(durations) {
    BOOST_TEST(parse_duration("--x", "500ms").count() == 500);
    BOOST_TEST(parse_duration("--x", "30s").count() == 30000);
    BOOST_TEST(parse_duration("--x", "1.5s").count() == 1500);
    BOOST_TEST(parse_duration("--x", "5m").count() == 300000);
    BOOST_TEST(parse_duration("--x", "5min").count() == 300000);
    BOOST_TEST(parse_duration("--x", "1h").count() == 3600000);
    BOOST_TEST(parse_duration("--x", "1d").count() == 86400000);
    BOOST_TEST(parse_duration("--x", "0").count() == 0);
    BOOST_TEST((code_of([] { parse_duration("--x", "soon"); }) == pgmig::error_code::usage));
    BOOST_TEST((code_of([] { parse_duration("--x", "5 days"); }) == pgmig::error_code::usage));
    // A bare number means the same as in -- pgmig:lock-timeout: nothing, it needs a unit.
    try {
        parse_duration("--lock-timeout", "30");
        BOOST_FAIL("a bare number was accepted");
    } catch (const pgmig::error& e) {
        BOOST_TEST((e.code() == pgmig::error_code::usage));
        BOOST_TEST(std::string(e.what()) == "--lock-timeout: '30' has no unit: write 30ms or 30s");
    }
}

BOOST_AUTO_TEST_CASE(history_table_names) {
    auto t = parse_history_table("app.migs");
    BOOST_TEST(t.schema == "app");
    BOOST_TEST(t.table == "migs");
    t = parse_history_table("migs");
    BOOST_TEST(t.schema == "public");
    BOOST_TEST(t.table == "migs");
    BOOST_TEST((code_of([] { parse_history_table("a.b.c"); }) == pgmig::error_code::usage));
    BOOST_TEST((code_of([] { parse_history_table(".x"); }) == pgmig::error_code::usage));
}

BOOST_AUTO_TEST_CASE(versions) {
    BOOST_TEST(parse_version("--to", "20240101120000") == 20240101120000LL);
    BOOST_TEST(parse_version("V", "0") == 0); // a version like any other (diesel's initial setup)
    BOOST_TEST((code_of([] { parse_version("V", "12a"); }) == pgmig::error_code::usage));
    BOOST_TEST((code_of([] { parse_version("V", "-3"); }) == pgmig::error_code::usage));
    BOOST_TEST((code_of([] { parse_version("V", "1234567890123456789"); }) == pgmig::error_code::usage));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(cli_suggestions)

BOOST_AUTO_TEST_CASE(closest_candidates) {
    const std::vector<std::string> cmds = command_names(true);
    BOOST_TEST(closest("stauts", cmds) == "status");
    BOOST_TEST(closest("rolback", cmds) == "rollback");
    BOOST_TEST(closest("histroy", cmds) == "history");
    BOOST_TEST(closest("verfy", cmds) == "verify");
    BOOST_TEST(closest("basline", cmds) == "baseline");
    BOOST_TEST(closest("STATUS", cmds) == "status");
    BOOST_TEST(closest("migrate-everything-now", cmds) == "");
    BOOST_TEST(closest("--dryrun", {"--dry-run", "--to", "--json"}) == "--dry-run");
    BOOST_TEST(closest("--acept-checksums", {"--accept-checksums", "--dry-run"}) == "--accept-checksums");
    BOOST_TEST(closest("hist", cmds) == "history"); // unique prefix
    // Two edits from "up" is another word, not a typo of it.
    BOOST_TEST(closest("dump", cmds) == "");
    BOOST_TEST(closest("pu", cmds) == "up");
}

BOOST_AUTO_TEST_CASE(embedded_set_has_no_new) {
    const auto embedded = command_names(false);
    BOOST_TEST((std::find(embedded.begin(), embedded.end(), "new") == embedded.end()));
    BOOST_TEST((std::find(embedded.begin(), embedded.end(), "apply") != embedded.end()));
    BOOST_TEST((std::find(embedded.begin(), embedded.end(), "down") != embedded.end()));
    const auto standalone = command_names(true);
    for (const char* c : {"new", "generate", "create"})
        BOOST_TEST((std::find(standalone.begin(), standalone.end(), c) != standalone.end()));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(cli_new)

BOOST_AUTO_TEST_CASE(empty_directory_defaults_to_timestamp) {
    temp_dir d;
    new_request req;
    req.directory = (d.path / "migrations").string();
    req.name = "add user status";
    req.now = march_5;
    const new_result r = create_migration(req);
    BOOST_TEST((r.format == new_format::timestamp));
    BOOST_TEST(r.created_directory);
    BOOST_TEST(r.version == 20240305060708LL);
    BOOST_TEST(r.name == "add_user_status");
    BOOST_REQUIRE(r.paths.size() == 1u);
    BOOST_TEST(fs::path(r.paths[0]).filename().string() == "20240305_060708_add_user_status.sql");
    std::ifstream f(r.paths[0]);
    std::stringstream content;
    content << f.rdbuf();
    // The template parses as a reversible migration.
    const auto set = pgmig::migration_set::from_files({{"20240305_060708_add_user_status.sql", content.str()}});
    BOOST_REQUIRE(set.size() == 1u);
    BOOST_TEST(set.migrations()[0].reversible);
    BOOST_TEST(set.migrations()[0].version == 20240305060708LL);
}

BOOST_AUTO_TEST_CASE(empty_directory_paired_format) {
    temp_dir d;
    new_request req;
    req.directory = d.path.string();
    req.name = "create users";
    req.format = new_format::paired;
    req.now = march_5;
    const new_result r = create_migration(req);
    BOOST_TEST((r.format == new_format::paired));
    BOOST_TEST(r.version == 1);
    BOOST_TEST(!r.created_directory);
    BOOST_TEST(d.files() == (std::vector<std::string>{"000001_create_users.down.sql", "000001_create_users.up.sql"}),
               boost::test_tools::per_element());
    BOOST_REQUIRE(r.paths.size() == 2u);
    BOOST_TEST(fs::path(r.paths[0]).filename().string() == "000001_create_users.up.sql");
    const auto set = pgmig::migration_set::from_files(
        {{"000001_create_users.up.sql", d.read("000001_create_users.up.sql")},
         {"000001_create_users.down.sql", d.read("000001_create_users.down.sql")}});
    BOOST_TEST(set.size() == 1u);
}

BOOST_AUTO_TEST_CASE(follows_paired_convention_and_width) {
    temp_dir d;
    d.write("0007_a.up.sql", "SELECT 1;");
    d.write("0007_a.down.sql", "SELECT 1;");
    d.write("0012_b.up.sql", "SELECT 1;");
    d.write("README.md", "notes");
    new_request req;
    req.directory = d.path.string();
    req.name = "Next One";
    req.now = march_5;
    const new_result r = create_migration(req);
    BOOST_TEST((r.format == new_format::paired));
    BOOST_TEST(r.version == 13);
    BOOST_TEST(fs::exists(d.path / "0013_next_one.up.sql"));
    BOOST_TEST(fs::exists(d.path / "0013_next_one.down.sql"));
}

BOOST_AUTO_TEST_CASE(follows_timestamp_convention_and_never_reuses_a_second) {
    temp_dir d;
    d.write("20240305_060708_first.sql", "-- DIRECTION: up\nSELECT 1;\n");
    new_request req;
    req.directory = d.path.string();
    req.name = "second";
    req.now = march_5; // same second as the newest file
    const new_result r = create_migration(req);
    BOOST_TEST((r.format == new_format::timestamp));
    BOOST_TEST(r.version == 20240305060709LL);
    BOOST_TEST(fs::exists(d.path / "20240305_060709_second.sql"));
    req.name = "third";
    req.now = march_5 - 3600; // clock behind
    BOOST_TEST(create_migration(req).version == 20240305060710LL);
    req.name = "later";
    req.now = march_5 + 86400;
    BOOST_TEST(create_migration(req).version == 20240306060708LL);
}

BOOST_AUTO_TEST_CASE(format_must_match_a_non_empty_directory) {
    temp_dir d;
    d.write("000001_a.up.sql", "SELECT 1;");
    new_request req;
    req.directory = d.path.string();
    req.name = "x";
    req.format = new_format::timestamp;
    req.now = march_5;
    BOOST_TEST((code_of([&] { create_migration(req); }) == pgmig::error_code::usage));
    BOOST_TEST(d.files().size() == 1u);
    req.format = new_format::paired;
    BOOST_TEST(create_migration(req).version == 2);
}

BOOST_AUTO_TEST_CASE(bad_names_are_refused) {
    temp_dir d;
    new_request req;
    req.directory = d.path.string();
    req.name = "???";
    req.now = march_5;
    BOOST_TEST((code_of([&] { create_migration(req); }) == pgmig::error_code::usage));
    BOOST_TEST(d.files().empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(cli_confirmation)

BOOST_AUTO_TEST_CASE(yes_flag_never_reads) {
    std::istringstream in("no\n");
    std::ostringstream err;
    BOOST_TEST((confirm(in, err, false, true, "x") == confirmation::assumed_yes));
    BOOST_TEST((confirm(in, err, true, true, "x") == confirmation::assumed_yes));
    BOOST_TEST(err.str().empty());
    BOOST_TEST(in.tellg() == 0);
}

BOOST_AUTO_TEST_CASE(no_terminal_refuses_without_reading) {
    std::istringstream in("yes\n");
    std::ostringstream err;
    BOOST_TEST((confirm(in, err, false, false, "drop everything") == confirmation::no_terminal));
    BOOST_TEST(err.str().empty());
    BOOST_TEST(in.tellg() == 0);
}

BOOST_AUTO_TEST_CASE(terminal_asks_and_needs_yes) {
    {
        std::istringstream in(" YES \n");
        std::ostringstream err;
        BOOST_TEST((confirm(in, err, true, false, "This rolls back 1 migration:") == confirmation::confirmed));
        BOOST_TEST(err.str().find("This rolls back 1 migration:") != std::string::npos);
        BOOST_TEST(err.str().find("Type 'yes' to continue") != std::string::npos);
    }
    for (const char* answer : {"y\n", "no\n", "\n", ""}) {
        std::istringstream in(answer);
        std::ostringstream err;
        BOOST_TEST((confirm(in, err, true, false, "x") == confirmation::declined), "answer '" << answer << "'");
    }
}

BOOST_AUTO_TEST_SUITE_END()
