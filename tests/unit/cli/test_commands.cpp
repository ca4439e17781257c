// Unit tests of the command table: the one list of commands, which argument
// parsing, --help, suggestions, dispatch and docs/cli.md all follow.
#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "core/suggest.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

using namespace pgmig::detail::cli;
using pgmig::detail::core::closest;

namespace {

parse_outcome parse(std::vector<std::string> words, bool standalone = true) {
    std::vector<const char*> argv = {"pgmig"};
    for (const std::string& w : words) argv.push_back(w.c_str());
    return parse_arguments(static_cast<int>(argv.size()), argv.data(), standalone, "pgmig");
}

/// The first word of each row of the table under "## Commands" in docs/cli.md.
std::vector<std::string> documented_commands() {
    std::ifstream f(std::string(PGMIG_SOURCE_DIR) + "/docs/cli.md");
    BOOST_REQUIRE(f.good());
    std::vector<std::string> out;
    bool in_section = false;
    for (std::string line; std::getline(f, line);) {
        if (!line.empty() && line[0] == '#') in_section = line == "## Commands";
        if (!in_section || line.rfind("| `", 0) != 0) continue;
        std::istringstream words(line.substr(3));
        std::string name;
        words >> name;
        if (!name.empty() && name.back() == '`') name.pop_back();
        out.push_back(name);
    }
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(cli_commands)

BOOST_AUTO_TEST_CASE(names_and_aliases_are_unique_and_found) {
    std::set<std::string> seen;
    for (const command_spec& c : commands()) {
        BOOST_TEST(seen.insert(c.name).second, c.name);
        BOOST_TEST(find_command(c.name) == &c);
        for (const char* a : c.aliases) {
            BOOST_TEST(seen.insert(a).second, a);
            BOOST_TEST(find_command(a) == &c, a);
        }
        BOOST_TEST(std::string(c.summary).size() > 20u, c.name);
        // The example runs the command itself.
        BOOST_TEST(std::string(c.example).rfind(std::string("{p} ") + c.name, 0) == 0u, c.name);
    }
    BOOST_TEST(find_command("stauts") == nullptr);
    BOOST_TEST(command_names(true).size() == seen.size());
}

BOOST_AUTO_TEST_CASE(every_command_parses_to_its_entry) {
    // The smallest valid command line of each command chooses exactly that entry.
    const std::map<std::string, std::vector<std::string>> needs = {
        {"baseline", {"--version", "1"}}, {"force", {"0"}}, {"new", {"x"}}, {"import", {"--from", "goose"}}};
    for (const command_spec& c : commands()) {
        std::vector<std::string> words = {c.name};
        const auto extra = needs.find(c.name);
        if (extra != needs.end()) words.insert(words.end(), extra->second.begin(), extra->second.end());
        const parse_outcome p = parse(words);
        BOOST_TEST(!p.finished, c.name << ": " << (p.usage ? p.usage->what() : ""));
        BOOST_TEST(p.args.command == c.name);
    }
}

BOOST_AUTO_TEST_CASE(docs_list_exactly_the_commands_of_the_table) {
    std::vector<std::string> names;
    for (const command_spec& c : commands()) names.emplace_back(c.name);
    BOOST_TEST(documented_commands() == names, boost::test_tools::per_element());
}

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
