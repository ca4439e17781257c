// Every command's --json document validates against its schema
// (docs/schema/<command>.json) in every outcome: success, a refusal, a load
// error (an invalid migrations directory), a connection error. Usage errors are
// checked without a server (tests/unit/cli/test_agent_docs.cpp); the agent's
// workflows end to end in test_agent_tasks.cpp and test_skill.cpp.
#include "cli/commands.hpp"
#include "shared/json_schema.hpp"
#include "support/cli_runner.hpp"

#include <boost/test/unit_test.hpp>

using namespace pgmig_test;
using namespace pgmig_cli_test;
using json = nlohmann::json;

namespace {

void validates(const cli_run& r, const std::string& command, int expected_exit, const std::string& outcome) {
    BOOST_TEST_CONTEXT(command << " (" << outcome << ")") {
        BOOST_TEST(r.code == expected_exit, r.out << r.err);
        const json doc = r.doc();
        const auto v = repository_schemas().violations(doc, command);
        std::string why;
        for (const std::string& s : v) why += "\n  " + s;
        BOOST_TEST(v.empty(), why << "\n" << r.out);
        for (const char* field : {"version", "command", "ok", "exit_code", "database", "history_table", "error"})
            BOOST_TEST(doc.contains(field), field);
        BOOST_TEST(doc["ok"] == doc["error"].is_null());
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(json_schemas_of_every_outcome)

BOOST_AUTO_TEST_CASE(success_refusal_load_error_and_connection_error) {
    scratch_database db("schemas");
    temp_dir good;
    good.write("000001_users.up.sql", "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n");
    good.write("000001_users.down.sql", "DROP TABLE users;\n");
    good.write("000002_email_idx.up.sql", "-- pgmig:no-transaction\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n");
    good.write("000002_email_idx.down.sql", "-- pgmig:no-transaction\nDROP INDEX CONCURRENTLY users_email_idx;\n");
    const std::string dir = good.path.string();
    const auto cmd = [&](std::vector<std::string> args) { return pgmig_cmd(dir, db.url(), std::move(args)); };

    // Success (and states) in the order of a session.
    validates(cmd({"status", "--json"}), "status", 0, "nothing applied");
    validates(cmd({"plan", "--json"}), "plan", 2, "pending");
    validates(cmd({"verify", "--json"}), "verify", 2, "pending");
    validates(cmd({"check-rollback", "--json"}), "check-rollback", 0, "success");
    validates(cmd({"lint", "--json"}), "lint", 0, "success");
    validates(cmd({"up", "--dry-run", "--json"}), "up", 0, "dry run");
    validates(cmd({"up", "--json"}), "up", 0, "success");
    validates(cmd({"lint", "--pending", "--json"}), "lint", 0, "nothing pending");
    validates(cmd({"history", "--json"}), "history", 0, "success");
    validates(cmd({"rollback", "--dry-run", "--json"}), "rollback", 0, "dry run");
    validates(cmd({"rollback", "--json"}), "rollback", 10, "refused: no --yes");
    validates(cmd({"rollback", "--yes", "--json"}), "rollback", 0, "success");
    validates(cmd({"up", "--json"}), "up", 0, "success");
    validates(cmd({"redo", "--dry-run", "--json"}), "redo", 0, "dry run");
    validates(cmd({"redo", "--json"}), "redo", 10, "refused: no --yes");
    validates(cmd({"redo", "--yes", "--json"}), "redo", 0, "success");
    validates(cmd({"force", "1", "--dry-run", "--json"}), "force", 0, "dry run");
    validates(cmd({"force", "1", "--json"}), "force", 10, "refused: no --yes");
    validates(cmd({"force", "2", "--json"}), "force", 0, "already the state");
    validates(cmd({"repair", "--json"}), "repair", 0, "nothing to repair");
    validates(cmd({"baseline", "--version", "1", "--json"}), "baseline", 3, "refused: history exists");
    validates(cmd({"status", "--exit-code", "--json"}), "status", 0, "clean");

    // Refusals of the state: drift, not reversible.
    good.write("000001_users.up.sql", "CREATE TABLE users (id bigint PRIMARY KEY, email text); -- edited\n");
    validates(cmd({"status", "--exit-code", "--json"}), "status", 3, "drift");
    validates(cmd({"plan", "--json"}), "plan", 3, "drift");
    validates(cmd({"verify", "--json"}), "verify", 3, "drift");
    validates(cmd({"up", "--json"}), "up", 3, "drift");
    validates(cmd({"repair", "--json"}), "repair", 0, "drift remains");
    validates(cmd({"repair", "--accept-checksums", "--yes", "--json"}), "repair", 0, "accepted");
    good.write("000003_backfill.up.sql", "UPDATE users SET email = lower(email) WHERE email IS NOT NULL;\n");
    validates(cmd({"up", "--json"}), "up", 0, "an irreversible migration");
    validates(cmd({"rollback", "--yes", "--json"}), "rollback", 3, "not reversible");

    // A load error: every command that reads the migrations.
    temp_dir broken;
    broken.write("000001_users.up.sql", "-- pgmig:no-such-directive\nSELECT 1;\n");
    for (const pgmig::detail::cli::command_spec& c : pgmig::detail::cli::commands()) {
        if (c.input != pgmig::detail::cli::command_input::database) continue;
        std::vector<std::string> args = {c.name, "--json"};
        if (std::string(c.name) == "baseline") args = {"baseline", "--version", "1", "--json"};
        if (std::string(c.name) == "force") args = {"force", "1", "--json"};
        if (std::string(c.name) == "import") args = {"import", "--from", "goose", "--json"};
        const cli_run r = pgmig_cmd(broken.path.string(), db.url(), args);
        validates(r, c.name, 8, "invalid migration files");
        BOOST_TEST(r.doc()["database"].get<std::string>().find("*****") != std::string::npos, c.name);
    }
    // A connection error: every command that connects.
    const std::string nowhere = "postgresql://nobody:secret@127.0.0.1:1/nowhere";
    for (const pgmig::detail::cli::command_spec& c : pgmig::detail::cli::commands()) {
        if (c.input != pgmig::detail::cli::command_input::database) continue;
        std::vector<std::string> args = {c.name, "--json", "--db", nowhere, "--connect-timeout", "0"};
        if (std::string(c.name) == "baseline") args.insert(args.begin() + 1, {"--version", "1"});
        if (std::string(c.name) == "force") args.insert(args.begin() + 1, "1");
        if (std::string(c.name) == "import") args.insert(args.begin() + 1, {"--from", "goose"});
        run_options o;
        o.with_db = false;
        const cli_run r = pgmig_cmd(dir, "", args, o);
        validates(r, c.name, 6, "connection error");
        BOOST_TEST(r.doc()["database"] == "postgresql://nobody:*****@127.0.0.1:1/nowhere");
    }
}

BOOST_AUTO_TEST_SUITE_END()
