// The agent contract without a database: every command has a JSON Schema
// (docs/schema) and its usage errors validate against it; the schemas'
// references resolve; the tests' validator rejects what it should; `help agent`
// and `help json` print the embedded SKILL.md and schemas; SKILL.md, README and
// --help list each command's exit codes exactly as the command table has them.
// (Every outcome against a real server: tests/integration/test_schemas.cpp.)
#include "cli/commands.hpp"
#include "shared/json_schema.hpp"
#include "shared/temp_dir.hpp"

#include <pgmig/cli.hpp>

#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

using json = nlohmann::json;
namespace cd = pgmig::detail::cli;

namespace {

struct run_result {
    int code = 0;
    std::string out, err;
};

run_result run(std::vector<std::string> words, const std::string& program = "pgmig") {
    std::vector<const char*> argv = {"pgmig"};
    for (const std::string& w : words) argv.push_back(w.c_str());
    std::istringstream in;
    std::ostringstream out, err;
    pgmig::cli::cli_options o;
    o.program_name = program;
    run_result r;
    r.code = pgmig::cli::run_with(static_cast<int>(argv.size()), argv.data(), nullptr, o, in, out, err, false, false,
                                  false);
    r.out = out.str();
    r.err = err.str();
    return r;
}

std::string read(const std::string& relative) {
    std::ifstream in(std::string(PGMIG_SOURCE_DIR) + "/" + relative, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string joined(const std::vector<std::string>& v) {
    std::string out;
    for (const std::string& s : v) out += "\n  " + s;
    return out;
}

/// The exit codes the "| command | its exit codes |" table of `markdown` lists for
/// `command`: "| `plan` | 0 … · 2 … |" gives {0, 2}; nothing when the row is missing.
std::set<int> documented_codes(const std::string& markdown, const std::string& command) {
    const std::size_t table = markdown.find("| command | its exit codes |");
    if (table == std::string::npos) return {};
    const std::string head = "| `" + command + "` | ";
    const std::size_t at = markdown.find(head, table);
    if (at == std::string::npos) return {};
    const std::size_t end = markdown.find('\n', at);
    const std::string cell = markdown.substr(at + head.size(), end - at - head.size());
    std::set<int> out;
    static const std::regex code(R"((^|· |: )(\d+) )");
    for (auto it = std::sregex_iterator(cell.begin(), cell.end(), code); it != std::sregex_iterator(); ++it)
        out.insert(std::stoi((*it)[2]));
    return out;
}

std::set<int> own_codes(const cd::command_spec& c) {
    std::set<int> out;
    for (const cd::exit_meaning& e : c.exit_codes) out.insert(e.code);
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(agent_docs)

BOOST_AUTO_TEST_CASE(every_command_has_a_schema_and_its_references_resolve) {
    pgmig_test::json_schemas& schemas = pgmig_test::repository_schemas();
    std::set<std::string> expected = {"common"};
    for (const cd::command_spec& c : cd::commands()) expected.insert(c.name);
    const std::vector<std::string> names = schemas.names();
    BOOST_TEST((std::set<std::string>(names.begin(), names.end()) == expected), joined(names));
    for (const std::string& n : names) BOOST_TEST(schemas.broken_refs(n).empty(), n << ":" << joined(schemas.broken_refs(n)));
}

BOOST_AUTO_TEST_CASE(usage_errors_of_every_command_validate) {
    for (const cd::command_spec& c : cd::commands()) {
        const run_result r = run({c.name, "--no-such-option", "--json"});
        BOOST_TEST(r.code == 1, c.name);
        const json doc = json::parse(r.out);
        const auto v = pgmig_test::repository_schemas().violations(doc, c.name);
        BOOST_TEST(v.empty(), c.name << ":" << joined(v) << "\n" << r.out);
        BOOST_TEST(doc["command"] == c.name);
        BOOST_TEST(doc["ok"] == false);
        BOOST_TEST(doc["database"].is_null());
        BOOST_TEST(doc["error"]["code"] == "usage");
    }
    // An unknown command: every schema accepts the common document.
    const json doc = json::parse(run({"stauts", "--json"}).out);
    BOOST_TEST(pgmig_test::repository_schemas().violations(doc, "status").empty());
}

BOOST_AUTO_TEST_CASE(the_validator_rejects_what_the_schemas_forbid) {
    pgmig_test::temp_dir d;
    d.write("common.json", R"({"$defs": {"level": {"enum": ["low", "high"]}}})");
    d.write("t.json", R"({"type": "object", "required": ["a", "b"], "additionalProperties": false,
        "properties": {"a": {"type": "integer", "minimum": 0}, "b": {"$ref": "common.json#/$defs/level"},
                       "c": {"type": "array", "items": {"type": ["string", "null"]}, "maxItems": 2},
                       "e": {"oneOf": [{"type": "null"}, {"type": "object", "required": ["code"]}]}},
        "if": {"properties": {"e": {"type": "null"}}}, "then": {"required": ["c"]}})");
    d.write("bad.json", R"({"type": "object", "patternProperties": {}})");
    pgmig_test::json_schemas s(d.path);
    BOOST_TEST(s.violations(json::parse(R"({"a": 1, "b": "low", "c": ["x", null], "e": null})"), "t").empty());
    BOOST_TEST(s.violations(json::parse(R"({"a": 1, "b": "low", "e": {"code": 1}})"), "t").empty());
    const auto count = [&](const char* doc) { return s.violations(json::parse(doc), "t").size(); };
    BOOST_TEST(count(R"({"a": "1", "b": "low", "c": []})") == 1u);        // type
    BOOST_TEST(count(R"({"a": -1, "b": "low", "c": []})") == 1u);         // minimum
    BOOST_TEST(count(R"({"a": 1, "b": "mid", "c": []})") == 1u);          // enum through $ref
    BOOST_TEST(count(R"({"b": "low", "c": []})") == 1u);                  // required
    BOOST_TEST(count(R"({"a": 1, "b": "low", "c": [], "z": 1})") == 1u);  // additionalProperties
    BOOST_TEST(count(R"({"a": 1, "b": "low", "c": [1]})") == 1u);         // items
    BOOST_TEST(count(R"({"a": 1, "b": "low", "c": ["", "", ""]})") == 1u); // maxItems
    BOOST_TEST(count(R"({"a": 1, "b": "low", "e": {}})") == 1u);          // oneOf: neither
    BOOST_TEST(count(R"({"a": 1, "b": "low", "e": null})") == 1u);        // if/then
    BOOST_CHECK_THROW(s.violations(json::object(), "bad"), std::runtime_error); // an unsupported keyword
}

BOOST_AUTO_TEST_CASE(help_agent_and_help_json_print_the_embedded_contract) {
    run_result r = run({"help", "agent"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(r.out == read("SKILL.md"));
    r = run({"help", "agent"}, "myapp db");
    BOOST_TEST(r.out.find("`myapp db <command>`") != std::string::npos, r.out.substr(0, 300));
    BOOST_TEST(r.out.find(read("SKILL.md")) != std::string::npos);

    for (const cd::command_spec& c : cd::commands()) {
        r = run({"help", "json", c.name});
        BOOST_TEST(r.code == 0, c.name << ": " << r.err);
        BOOST_TEST(r.out == read(std::string("docs/schema/") + c.name + ".json"), c.name);
        BOOST_TEST(json::parse(r.out)["title"] == std::string("pgmig ") + c.name + " --json");
    }
    BOOST_TEST(run({"help", "json", "apply"}).out == read("docs/schema/up.json"));
    BOOST_TEST(run({"help", "json", "common"}).out == read("docs/schema/common.json"));
    r = run({"help", "json"});
    BOOST_TEST(r.code == 0);
    BOOST_TEST(r.out.find("check-rollback") != std::string::npos, r.out);
    r = run({"help", "json", "stauts", "--json"});
    BOOST_TEST(r.code == 1);
    BOOST_TEST(json::parse(r.out)["error"]["message"].get<std::string>().find("did you mean 'status'?") !=
               std::string::npos);
    BOOST_TEST(run({"help", "agent", "extra"}).code == 1);
    // The general help points at both.
    BOOST_TEST(run({"--help"}).out.find("pgmig help agent") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(exit_codes_per_command_in_help_skill_and_readme) {
    const std::string skill = read("SKILL.md");
    const std::string readme = read("README.md");
    for (const cd::command_spec& c : cd::commands()) {
        const std::set<int> own = own_codes(c);
        BOOST_TEST((documented_codes(skill, c.name) == own), "SKILL.md, " << c.name);
        BOOST_TEST((documented_codes(readme, c.name) == own), "README.md, " << c.name);
        const run_result r = run({c.name, "--help"});
        BOOST_TEST(r.code == 0);
        const std::size_t at = r.out.find("Exit codes:");
        BOOST_REQUIRE_MESSAGE(at != std::string::npos, c.name << " --help:\n" << r.out);
        for (const cd::exit_meaning& e : c.exit_codes)
            BOOST_TEST(r.out.find("\n  " + std::to_string(e.code) + "  " + e.meaning, at) != std::string::npos,
                       c.name << ": " << e.code);
        // Every code a command can end with is one pgmig has.
        for (int code : cd::exit_code_list(c)) BOOST_TEST((code >= 0 && code <= 14), c.name << ": " << code);
    }
}

BOOST_AUTO_TEST_CASE(lint_and_new_documents_validate) {
    pgmig_test::temp_dir d;
    run_result r = run({"new", "create", "users", "--format", "paired", "--migrations-dir", (d.path / "m").string(), "--json"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(pgmig_test::repository_schemas().violations(json::parse(r.out), "new").empty(), r.out);
    d.write("m/000002_drop.up.sql", "DROP TABLE users;\n");
    d.write("m/000003_broken.up.sql", "-- pgmig:no-such-directive\nSELECT 1;\n");
    r = run({"lint", "--migrations-dir", (d.path / "m").string(), "--json"});
    BOOST_TEST(r.code == 11, r.err);
    const json doc = json::parse(r.out);
    const auto v = pgmig_test::repository_schemas().violations(doc, "lint");
    BOOST_TEST(v.empty(), joined(v) << "\n" << r.out);
    BOOST_TEST(doc["ok"] == true);
    BOOST_TEST(doc["result"] == "findings");
    // Below --fail-on: exit 0, and the result says findings exist.
    r = run({"lint", "--migrations-dir", (d.path / "m").string(), "--fail-on", "none", "--json"});
    BOOST_TEST(r.code == 0);
    BOOST_TEST(json::parse(r.out)["result"] == "below_fail_on");
}

BOOST_AUTO_TEST_SUITE_END()
