// SKILL.md is executed: every command line of its ```sh blocks runs, in order,
// with the real `pgmig` binary against a fresh database, stdin from /dev/null
// (as an agent has it), in a fresh working directory. Each must exit with the
// code its `# exit N` comment names (none: 0), every `--json` document must
// validate against its command's schema (docs/schema), and no output may hold
// the password. So the skill cannot drift from the tool.
#include "cli/commands.hpp"
#include "shared/json_schema.hpp"
#include "support/cli_runner.hpp"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <regex>
#include <sstream>

using namespace pgmig_test;
using namespace pgmig_cli_test;
using json = nlohmann::json;

namespace {

/// One command of a ```sh block: a line, or a line with a here-document and its body.
struct skill_command {
    std::string text;
    std::string first_line;
    int expected_exit = 0;
};

std::vector<skill_command> skill_commands(const std::string& markdown) {
    std::vector<skill_command> out;
    std::istringstream in(markdown);
    std::string line;
    bool in_block = false;
    static const std::regex exit_comment(R"(#.*\bexit (\d+))");
    static const std::regex heredoc(R"(<<'(\w+)')");
    while (std::getline(in, line)) {
        if (!in_block) {
            in_block = line == "```sh";
            continue;
        }
        if (line == "```") {
            in_block = false;
            continue;
        }
        const std::size_t first = line.find_first_not_of(' ');
        if (first == std::string::npos || line[first] == '#') continue;
        skill_command c;
        c.text = line;
        c.first_line = line;
        std::smatch m;
        if (std::regex_search(line, m, exit_comment)) c.expected_exit = std::stoi(m[1]);
        if (std::regex_search(line, m, heredoc)) {
            const std::string end = m[1];
            std::string body;
            while (std::getline(in, body)) {
                c.text += "\n" + body;
                if (body == end) break;
            }
        }
        out.push_back(std::move(c));
    }
    return out;
}

/// The command a `pgmig …` line runs (canonical), or "" for another line.
std::string pgmig_command(const std::string& line) {
    std::istringstream words(line);
    std::string program, command;
    words >> program >> command;
    if (program != "pgmig") return {};
    const pgmig::detail::cli::command_spec* spec = pgmig::detail::cli::find_command(command);
    return spec != nullptr ? spec->name : command;
}

} // namespace

BOOST_AUTO_TEST_SUITE(skill)

BOOST_AUTO_TEST_CASE(every_command_line_of_skill_md_runs_as_documented) {
    std::ifstream f(std::string(PGMIG_SOURCE_DIR) + "/SKILL.md");
    std::ostringstream text;
    text << f.rdbuf();
    const std::vector<skill_command> commands = skill_commands(text.str());
    BOOST_REQUIRE(commands.size() > 40u);

    scratch_database db("skill");
    temp_dir work;
    const std::string pw = password_of(db.url());
    std::size_t json_documents = 0, pgmig_lines = 0;
    for (const skill_command& c : commands) {
        const cli_run r = shell_process(work.path, c.text, {{"DB_URL", db.url()}});
        BOOST_TEST_CONTEXT(c.first_line) {
            BOOST_TEST(r.code == c.expected_exit, "exit " << r.code << "\nstdout:\n" << r.out << "\nstderr:\n" << r.err);
            BOOST_TEST(r.all().find(pw) == std::string::npos);
            const std::string command = pgmig_command(c.first_line);
            if (command.empty()) continue;
            ++pgmig_lines;
            BOOST_TEST(c.first_line.find("--json") != std::string::npos, "SKILL.md's commands all use --json");
            if (c.first_line.find("--json") == std::string::npos) continue;
            const json doc = r.doc();
            ++json_documents;
            BOOST_TEST(doc["exit_code"] == r.code);
            BOOST_TEST(doc["ok"] == doc["error"].is_null());
            const auto v = repository_schemas().violations(doc, command);
            std::string lines;
            for (const std::string& s : v) lines += "\n  " + s;
            BOOST_TEST(v.empty(), "schema " << command << ":" << lines << "\n" << r.out);
        }
        if (r.code != c.expected_exit) break; // the rest depends on this one
    }
    BOOST_TEST(json_documents == pgmig_lines);
    BOOST_TEST(json_documents > 30u);
}

BOOST_AUTO_TEST_SUITE_END()
