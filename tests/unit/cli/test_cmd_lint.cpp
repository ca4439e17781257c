// Unit tests of `lint` through run_with() in standalone mode on a temporary
// migrations directory (and once with an embedded set): no database needed.
#include "shared/temp_dir.hpp"

#include <pgmig/cli.hpp>
#include <pgmig/error.hpp>
#include <pgmig/lint.hpp>
#include <pgmig/migration.hpp>

#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace {

using lint_dir = pgmig_test::temp_dir;

struct run_result {
    int code = 0;
    std::string out, err;
    nlohmann::json doc() const { return nlohmann::json::parse(out); }
};

run_result run(const lint_dir& dir, std::vector<std::string> words, const pgmig::migration_set* set = nullptr) {
    std::vector<std::string> all = {set ? "db" : "pgmig", "lint"};
    if (set == nullptr) {
        all.push_back("--migrations-dir");
        all.push_back(dir.path.string());
    }
    for (std::string& w : words) all.push_back(std::move(w));
    std::vector<const char*> argv;
    for (const std::string& w : all) argv.push_back(w.c_str());
    std::istringstream in;
    std::ostringstream out, err;
    pgmig::cli::cli_options o;
    o.program_name = set ? "myapp db" : "pgmig";
    run_result r;
    r.code = pgmig::cli::run_with(static_cast<int>(argv.size()), argv.data(), set, o, in, out, err, false, false);
    r.out = out.str();
    r.err = err.str();
    return r;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

constexpr const char* safe_up = "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n";
constexpr const char* safe_down = "DROP TABLE users;\n";

/// 1: safe create; 2: drop table (critical); 3: SET NOT NULL (high), and a
/// suppressed drop-column; 4: create index without CONCURRENTLY.
void write_dangerous(const lint_dir& d) {
    d.write("000001_create_users.up.sql", safe_up);
    d.write("000001_create_users.down.sql", safe_down);
    d.write("000002_create_orders.up.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, note text, gone text);\n");
    d.write("000002_create_orders.down.sql", "DROP TABLE orders;\n");
    d.write("000003_tighten.up.sql",
            "ALTER TABLE orders ALTER COLUMN note SET NOT NULL;\n"
            "-- pgmig:allow drop-column nothing reads it since release 4\n"
            "ALTER TABLE orders DROP COLUMN gone;\n");
    d.write("000003_tighten.down.sql", "ALTER TABLE orders ALTER COLUMN note DROP NOT NULL;\nALTER TABLE orders ADD COLUMN gone text;\n");
    d.write("000004_drop_users.up.sql", "\n\nDROP TABLE users;\n");
    d.write("000004_drop_users.down.sql", safe_up);
}

} // namespace

BOOST_AUTO_TEST_SUITE(cli_lint)

BOOST_AUTO_TEST_CASE(safe_set_exits_0) {
    lint_dir d;
    d.write("000001_create_users.up.sql", safe_up);
    d.write("000001_create_users.down.sql", safe_down);
    const run_result r = run(d, {});
    BOOST_TEST(r.code == 0, r.out + r.err);
    BOOST_TEST(has(r.out, "== 1 create_users"), r.out);
    BOOST_TEST(has(r.out, "risk: none"), r.out);
    BOOST_TEST(has(r.out, "1 migration linted: 0 findings"), r.out);
    const run_result j = run(d, {"--json"});
    BOOST_TEST(j.code == 0);
    const auto doc = j.doc();
    BOOST_TEST(doc["ok"] == true);
    BOOST_TEST(doc["command"] == "lint");
    BOOST_TEST(doc["result"] == "clean");
    BOOST_TEST(doc["migrations"].size() == 1U);
    BOOST_TEST(doc["database"].is_null());
}

BOOST_AUTO_TEST_CASE(dangerous_set_text) {
    lint_dir d;
    write_dangerous(d);
    const run_result r = run(d, {});
    BOOST_TEST(r.code == 11, r.out + r.err);
    const std::string dir = d.path.string();
    BOOST_TEST(has(r.out, dir + "/000004_drop_users.up.sql:3:12: [critical] drop-table: "), r.out);
    BOOST_TEST(has(r.out, dir + "/000003_tighten.up.sql:1:20: [high] set-not-null: "), r.out);
    BOOST_TEST(has(r.out, "drop-column"), r.out);
    BOOST_TEST(has(r.out, "suppressed: nothing reads it since release 4"), r.out);
    BOOST_TEST(has(r.out, "instead: "), r.out);
    BOOST_TEST(has(r.out, "risk: critical"), r.out);
    BOOST_TEST(has(r.out, "1 suppressed"), r.out);
    BOOST_TEST(has(r.out, "exit 11"), r.out);
}

BOOST_AUTO_TEST_CASE(dangerous_set_json_shape) {
    lint_dir d;
    write_dangerous(d);
    const run_result r = run(d, {"--json"});
    BOOST_TEST(r.code == 11, r.out + r.err);
    const auto doc = r.doc();
    BOOST_TEST(doc["version"] == 2);
    BOOST_TEST(doc["command"] == "lint");
    BOOST_TEST(doc["ok"] == true); // lint did what was asked; exit 11 and `result` report the findings
    BOOST_TEST(doc["exit_code"] == 11);
    BOOST_TEST(doc["fail_on"] == "high");
    BOOST_TEST(doc["risk"] == "critical");
    BOOST_TEST(doc["result"] == "findings");
    BOOST_TEST(doc["error"].is_null());
    BOOST_REQUIRE(doc["migrations"].size() == 4U);
    const auto& m3 = doc["migrations"][2];
    BOOST_TEST(m3["migration_version"] == 3);
    BOOST_TEST(m3["file"] == "000003_tighten.up.sql");
    BOOST_TEST(m3["level"] == "high");
    bool saw_set_not_null = false, saw_suppressed = false;
    for (const auto& f : m3["findings"]) {
        for (const char* key : {"rule_id", "level", "line", "column", "statement_line", "statement", "message",
                                "safe_alternative", "relation", "suppressed", "suppression_reason", "down"})
            BOOST_TEST(f.contains(key), key);
        if (f["rule_id"] == "set-not-null") {
            saw_set_not_null = true;
            BOOST_TEST(f["level"] == "high");
            BOOST_TEST(f["line"] == 1);
            BOOST_TEST(f["column"] == 20); // ALTER COLUMN note SET NOT NULL
            BOOST_TEST(f["statement_line"] == 1);
            BOOST_TEST(f["relation"] == "orders");
            BOOST_TEST(f["suppressed"] == false);
            BOOST_TEST(f["suppression_reason"].is_null());
            BOOST_TEST(f["down"] == false);
        }
        if (f["rule_id"] == "drop-column") {
            saw_suppressed = true;
            BOOST_TEST(f["suppressed"] == true);
            BOOST_TEST(f["suppression_reason"] == "nothing reads it since release 4");
        }
    }
    BOOST_TEST(saw_set_not_null);
    BOOST_TEST(saw_suppressed);
    BOOST_TEST(doc["migrations"][3]["findings"][0]["rule_id"] == "drop-table");
    BOOST_TEST(doc["counts"]["critical"] == 1);
    BOOST_TEST(doc["counts"]["suppressed"] == 1);
    // --format json is the same as --json.
    const run_result f = run(d, {"--format", "json"});
    BOOST_TEST(f.code == 11);
    BOOST_TEST(f.doc()["migrations"] == doc["migrations"]);
}

BOOST_AUTO_TEST_CASE(github_annotations) {
    lint_dir d;
    write_dangerous(d);
    d.write("000005_index.up.sql", "CREATE INDEX orders_note_idx ON orders (note);\n");
    d.write("000005_index.down.sql", "DROP INDEX orders_note_idx;\n");
    const run_result r = run(d, {"--format", "github", "--fail-on", "none"});
    BOOST_TEST(r.code == 0, r.out + r.err);
    const std::string dir = d.path.string();
    BOOST_TEST(has(r.out, "::error file=" + dir + "/000004_drop_users.up.sql,line=3,col=12,title=pgmig drop-table::"), r.out);
    BOOST_TEST(has(r.out, "::error file=" + dir + "/000003_tighten.up.sql,line=1,col=20,title=pgmig set-not-null::"), r.out);
    BOOST_TEST(!has(r.out, "title=pgmig drop-column"), r.out); // suppressed: no annotation
    BOOST_TEST(has(r.out, "title=pgmig create-index-without-concurrently::"), r.out);
    for (std::istringstream lines(r.out); !lines.eof();) {
        std::string line;
        std::getline(lines, line);
        if (line.empty()) continue;
        BOOST_TEST((line.rfind("::error ", 0) == 0 || line.rfind("::warning ", 0) == 0 || line.rfind("::notice ", 0) == 0),
                   line);
    }
}

BOOST_AUTO_TEST_CASE(sarif_log_for_code_scanning) {
    lint_dir d;
    write_dangerous(d);
    const run_result r = run(d, {"--format", "sarif"});
    BOOST_TEST(r.code == 11, r.err); // the gate is the same whatever the format
    BOOST_TEST(has(r.err, "lint findings"), r.err);
    const auto log = r.doc();
    BOOST_TEST(log["version"] == "2.1.0");
    BOOST_TEST(log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json");
    BOOST_REQUIRE(log["runs"].size() == 1u);
    const auto& run0 = log["runs"][0];
    BOOST_TEST(run0["tool"]["driver"]["name"] == "pgmig");
    BOOST_TEST(run0["columnKind"] == "unicodeCodePoints");
    const auto& rules = run0["tool"]["driver"]["rules"];
    BOOST_TEST(rules.size() == pgmig::lint_rules().size());
    const std::string dir = d.path.string();
    bool saw_drop_table = false, saw_suppressed = false;
    for (const auto& result : run0["results"]) {
        const std::size_t index = result["ruleIndex"].get<std::size_t>();
        BOOST_TEST(rules[index]["id"] == result["ruleId"]);
        const auto& location = result["locations"][0]["physicalLocation"];
        BOOST_TEST(location["region"]["startLine"].get<int>() >= 1);
        BOOST_TEST(location["region"]["startColumn"].get<int>() >= 1);
        if (result["ruleId"] == "drop-table") {
            saw_drop_table = true;
            BOOST_TEST(result["level"] == "error");
            BOOST_TEST(location["artifactLocation"]["uri"] == dir + "/000004_drop_users.up.sql");
            BOOST_TEST(location["region"]["startLine"] == 3);
            BOOST_TEST(location["region"]["startColumn"] == 12);
            BOOST_TEST(result["message"]["text"].get<std::string>().find("\nInstead: ") != std::string::npos);
            BOOST_TEST(!result.contains("suppressions"));
        }
        if (result["ruleId"] == "drop-column") {
            saw_suppressed = true;
            BOOST_TEST(result["suppressions"][0]["kind"] == "inSource");
            BOOST_TEST(result["suppressions"][0]["justification"] == "nothing reads it since release 4");
        }
    }
    BOOST_TEST(saw_drop_table);
    BOOST_TEST(saw_suppressed);
    for (const auto& rule : rules) {
        BOOST_TEST(!rule["shortDescription"]["text"].get<std::string>().empty());
        BOOST_TEST(rule["help"]["text"].get<std::string>().rfind("Instead: ", 0) == 0u);
    }
}

BOOST_AUTO_TEST_CASE(gitlab_code_quality_report) {
    lint_dir d;
    write_dangerous(d);
    const run_result r = run(d, {"--format", "gitlab", "--fail-on", "none"});
    BOOST_TEST(r.code == 0, r.err);
    const auto issues = r.doc();
    BOOST_REQUIRE(issues.is_array());
    std::set<std::string> fingerprints;
    bool saw_drop_table = false;
    for (const auto& issue : issues) {
        BOOST_TEST(issue["check_name"].get<std::string>().rfind("pgmig/", 0) == 0u);
        BOOST_TEST(fingerprints.insert(issue["fingerprint"].get<std::string>()).second);
        BOOST_TEST(issue["fingerprint"].get<std::string>().size() == 64u);
        BOOST_TEST(issue["location"]["lines"]["begin"].get<int>() >= 1);
        BOOST_TEST(issue["check_name"] != "pgmig/drop-column"); // suppressed: not an issue
        if (issue["check_name"] == "pgmig/drop-table") {
            saw_drop_table = true;
            BOOST_TEST(issue["severity"] == "blocker");
            BOOST_TEST(issue["location"]["path"] == d.path.string() + "/000004_drop_users.up.sql");
            BOOST_TEST(issue["location"]["lines"]["begin"] == 3);
            BOOST_TEST(issue["categories"][0] == "Bug Risk");
        }
        if (issue["check_name"] == "pgmig/set-not-null") BOOST_TEST(issue["severity"] == "critical");
    }
    BOOST_TEST(saw_drop_table);
    // Fingerprints depend on the finding, not on its line: a blank line above keeps them.
    d.write("000004_drop_users.up.sql", "\n" + d.read("000004_drop_users.up.sql"));
    const auto moved = run(d, {"--format", "gitlab", "--fail-on", "none"}).doc();
    std::set<std::string> moved_fingerprints;
    for (const auto& issue : moved) moved_fingerprints.insert(issue["fingerprint"].get<std::string>());
    BOOST_TEST(moved_fingerprints == fingerprints, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(opt_in_rules_are_enabled_by_flag) {
    lint_dir d;
    d.write("000001_create_orders.up.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, note text);\n");
    d.write("000001_create_orders.down.sql", "DROP TABLE public.orders;\n");
    const run_result off = run(d, {"--json"});
    BOOST_TEST(off.code == 0, off.out);
    BOOST_TEST(off.doc()["migrations"][0]["findings"].empty());
    const run_result on = run(d, {"--json", "--enable", "require-table-schema", "--fail-on", "low"});
    BOOST_TEST(on.code == 11, on.out);
    const auto doc = on.doc();
    BOOST_TEST(doc["enabled_rules"] == nlohmann::json::array({"require-table-schema"}));
    BOOST_TEST(doc["migrations"][0]["findings"][0]["rule_id"] == "require-table-schema");
    BOOST_TEST(run(d, {"--enable", "require-table-schemas", "--json"}).doc()["error"]["code"] == "usage");
}

BOOST_AUTO_TEST_CASE(github_paths_relative_to_the_directory_as_given) {
    lint_dir d;
    d.write("migrations/000001_drop.up.sql", "DROP TABLE legacy;\n");
    d.write("migrations/000001_drop.down.sql", "CREATE TABLE legacy (id int);\n");
    const fs::path cwd = fs::current_path();
    fs::current_path(d.path);
    std::vector<const char*> argv = {"pgmig", "lint", "--format", "github"};
    std::istringstream in;
    std::ostringstream out, err;
    pgmig::cli::cli_options o;
    o.program_name = "pgmig";
    const int code = pgmig::cli::run_with(static_cast<int>(argv.size()), argv.data(), nullptr, o, in, out, err, false, false);
    fs::current_path(cwd);
    BOOST_TEST(code == 11);
    BOOST_TEST(has(out.str(), "::error file=migrations/000001_drop.up.sql,line=1,col=12,title=pgmig drop-table::"), out.str());
}

BOOST_AUTO_TEST_CASE(fail_on_threshold) {
    lint_dir d;
    d.write("000001_create_orders.up.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, note text);\n");
    d.write("000001_create_orders.down.sql", "DROP TABLE orders;\n");
    d.write("000002_tighten.up.sql", "ALTER TABLE orders ALTER COLUMN note SET NOT NULL;\n");
    d.write("000002_tighten.down.sql", "ALTER TABLE orders ALTER COLUMN note DROP NOT NULL;\n");
    BOOST_TEST(run(d, {}).code == 11);                           // high ≥ high (default)
    BOOST_TEST(run(d, {"--fail-on", "high"}).code == 11);
    BOOST_TEST(run(d, {"--fail-on", "critical"}).code == 0);     // high < critical
    BOOST_TEST(run(d, {"--fail-on", "none"}).code == 0);
    BOOST_TEST(run(d, {"--disable", "set-not-null"}).code == 0); // rule switched off
    const run_result bad = run(d, {"--disable", "set-not-nul", "--json"});
    BOOST_TEST(bad.code == 1);
    BOOST_TEST(bad.doc()["error"]["code"] == "usage");

    d.write("000003_drop.up.sql", "DROP TABLE orders;\n");
    d.write("000003_drop.down.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, note text);\n");
    BOOST_TEST(run(d, {"--fail-on", "critical"}).code == 11);
}

BOOST_AUTO_TEST_CASE(suppression_lets_the_gate_pass) {
    lint_dir d;
    d.write("000001_create_orders.up.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, note text);\n");
    d.write("000001_create_orders.down.sql", "DROP TABLE orders;\n");
    d.write("000002_drop.up.sql", "-- pgmig:allow drop-table replaced by orders_v2 in release 9\nDROP TABLE orders;\n");
    d.write("000002_drop.down.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, note text);\n");
    const run_result r = run(d, {"--fail-on", "low"});
    BOOST_TEST(r.code == 0, r.out + r.err);
    BOOST_TEST(has(r.out, "[critical] drop-table"), r.out);
    BOOST_TEST(has(r.out, "suppressed: replaced by orders_v2 in release 9"), r.out);
    // Without a reason the comment suppresses nothing.
    d.write("000002_drop.up.sql", "-- pgmig:allow drop-table\nDROP TABLE orders;\n");
    const run_result no_reason = run(d, {});
    BOOST_TEST(no_reason.code == 11);
    BOOST_TEST(has(no_reason.out, "suppression-without-reason"), no_reason.out);
}

BOOST_AUTO_TEST_CASE(lint_down_sections) {
    lint_dir d;
    d.write("000001_create_orders.up.sql", "CREATE TABLE orders (id bigint PRIMARY KEY);\n");
    d.write("000001_create_orders.down.sql", "DROP TABLE orders;\n");
    BOOST_TEST(run(d, {}).code == 0);
    const run_result r = run(d, {"--lint-down", "--json"});
    BOOST_TEST(r.code == 11, r.out);
    const auto doc = r.doc();
    const auto& f = doc["migrations"][0]["findings"][0];
    BOOST_TEST(f["rule_id"] == "drop-table");
    BOOST_TEST(f["down"] == true);
    BOOST_TEST(f["file"] == "000001_create_orders.down.sql");
}

BOOST_AUTO_TEST_CASE(embedded_set_and_invalid_directory) {
    lint_dir d;
    const pgmig::migration_set set = pgmig::migration_set::from_files(
        {{"20240101_120000_drop.sql", "-- DIRECTION: up\nDROP TABLE legacy;\n-- DIRECTION: down\nCREATE TABLE legacy (id int);\n"}});
    const run_result r = run(d, {}, &set);
    BOOST_TEST(r.code == 11, r.out + r.err);
    BOOST_TEST(has(r.out, "20240101_120000_drop.sql:2:12: [critical] drop-table"), r.out);
    BOOST_TEST(!has(r.err, "not available"));
}

BOOST_AUTO_TEST_CASE(a_broken_directory_is_linted_with_its_problems_as_findings) {
    lint_dir d;
    d.write("000001_x.up.sql", "SELECT 1;\n");
    d.write("000001_x.down.sql", "SELECT 1;\n");
    d.write("000001_y.up.sql", "SELECT 1;\n"); // duplicate version
    d.write("000002_index.up.sql", "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n");
    d.write("000002_index.down.sql", "DROP INDEX users_email_idx;\n");
    d.write("000003_drop.up.sql", "DROP TABLE users;\n");
    d.write("000003_drop.down.sql", "CREATE TABLE users (id bigint);\n");
    d.write("create_things.sql", "CREATE TABLE things (id bigint);\n");
    const run_result r = run(d, {"--json"});
    BOOST_TEST(r.code == 11, r.out + r.err); // findings, not "invalid migration": the set was linted
    const auto doc = r.doc();
    std::set<std::string> rules;
    for (const auto& m : doc["migrations"])
        for (const auto& f : m["findings"]) rules.insert(f["rule_id"].get<std::string>() + "@" + f["file"].get<std::string>());
    BOOST_TEST(rules == (std::set<std::string>{"invalid-migration@000001_y.up.sql",
                                               "non-transactional-in-transaction@000002_index.up.sql",
                                               "drop-table@000003_drop.up.sql", "invalid-migration@create_things.sql"}),
               boost::test_tools::per_element());
    const auto& last = doc["migrations"].back();
    BOOST_TEST(last["loaded"] == false);
    BOOST_TEST(last["migration_version"].is_null());
    // Every format reports them, e.g. GitHub annotations for the broken file and the drop.
    const run_result gh = run(d, {"--format", "github"});
    BOOST_TEST(gh.code == 11);
    BOOST_TEST(has(gh.out, "file=" + d.path.string() + "/create_things.sql,line=1,col=1,title=pgmig invalid-migration::"),
               gh.out);
    BOOST_TEST(has(gh.out, "title=pgmig drop-table::"), gh.out);
    // SARIF and GitLab too: the same four findings, each at its file.
    const std::string dir = d.path.string() + "/";
    const auto expected = [&](const std::string& rule_prefix) {
        std::set<std::string> out;
        for (const char* f : {"invalid-migration@000001_y.up.sql", "non-transactional-in-transaction@000002_index.up.sql",
                              "drop-table@000003_drop.up.sql", "invalid-migration@create_things.sql"}) {
            const std::string s = f;
            const std::size_t at = s.find('@');
            out.insert(rule_prefix + s.substr(0, at) + "@" + dir + s.substr(at + 1));
        }
        return out;
    };
    const run_result sarif = run(d, {"--format", "sarif"});
    BOOST_TEST(sarif.code == 11, sarif.err);
    const nlohmann::json sarif_log = sarif.doc();
    std::set<std::string> sarif_found;
    for (const auto& result : sarif_log["runs"][0]["results"])
        sarif_found.insert(result["ruleId"].get<std::string>() + "@" +
                           result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].get<std::string>());
    BOOST_TEST(sarif_found == expected(""), boost::test_tools::per_element());
    const run_result gitlab = run(d, {"--format", "gitlab"});
    BOOST_TEST(gitlab.code == 11, gitlab.err);
    const nlohmann::json issues = gitlab.doc();
    std::set<std::string> gitlab_found;
    for (const auto& issue : issues)
        gitlab_found.insert(issue["check_name"].get<std::string>() + "@" + issue["location"]["path"].get<std::string>());
    BOOST_TEST(gitlab_found == expected("pgmig/"), boost::test_tools::per_element());
    const run_result text = run(d, {});
    BOOST_TEST(has(text.out, "create_things.sql (did not load)  risk: critical"), text.out);
}

BOOST_AUTO_TEST_SUITE_END()
