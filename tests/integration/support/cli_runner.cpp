// Helpers for the CLI integration tests (see cli_runner.hpp).
#include "support/cli_runner.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

#ifndef _WIN32
#include <sys/wait.h>
#endif

namespace fs = std::filesystem;

namespace pgmig_cli_test {

nlohmann::json cli_run::doc() const {
    try {
        return nlohmann::json::parse(out);
    } catch (const std::exception& e) {
        BOOST_FAIL("stdout is not one JSON document (" << e.what() << "):\n" << out << "\nstderr:\n" << err);
    }
    return {};
}

namespace {

cli_run run_in_process(const std::string& program_name, const pgmig::migration_set* set,
                       std::vector<std::string> args, const run_options& o, const std::string& url) {
    if (o.with_db) {
        args.push_back("--db");
        args.push_back(url);
        args.push_back("--connect-timeout");
        args.push_back("5s");
    }
    std::vector<const char*> argv = {set != nullptr ? "db" : "pgmig"};
    for (const std::string& a : args) argv.push_back(a.c_str());
    std::istringstream in(o.input);
    std::ostringstream out, err;
    pgmig::cli::cli_options opts;
    opts.program_name = program_name;
    cli_run r;
    r.code = pgmig::cli::run_with(static_cast<int>(argv.size()), argv.data(), set, opts, in, out, err, o.stdin_tty,
                                  false);
    r.out = out.str();
    r.err = err.str();
    return r;
}

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

std::string slurp(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

} // namespace

cli_run db_cmd(const pgmig::migration_set& set, const std::string& url, std::vector<std::string> args,
               const run_options& o) {
    return run_in_process("myapp db", &set, std::move(args), o, url);
}

cli_run host_cmd(const std::string& program_name, const pgmig::migration_set& set, const std::string& url,
                 std::vector<std::string> args, const run_options& o) {
    return run_in_process(program_name, &set, std::move(args), o, url);
}

cli_run pgmig_cmd(const std::string& dir, const std::string& url, std::vector<std::string> args,
                  const run_options& o) {
    args.push_back("--migrations-dir");
    args.push_back(dir);
    return run_in_process("pgmig", nullptr, std::move(args), o, url);
}

cli_run shell_process(const fs::path& cwd, const std::string& script,
                      const std::vector<std::pair<std::string, std::string>>& env) {
#ifndef PGMIG_CLI_PATH
    BOOST_FAIL("PGMIG_CLI_PATH is not defined (the pgmig executable is not built)");
    return {};
#else
    temp_dir io;
    {
        std::ofstream f(io.path / "script.sh", std::ios::binary);
        f << script << "\n";
    }
    // `pgmig` on the PATH is the one built here.
    const std::string bin_dir = fs::path(PGMIG_CLI_PATH).parent_path().string();
    std::string cmd = "cd " + shell_quote(cwd.string()) + " && env -u DB_URL -u DATABASE_URL PATH=" +
                      shell_quote(bin_dir) + ":\"$PATH\"";
    for (const auto& kv : env) cmd += " " + shell_quote(kv.first + "=" + kv.second);
    cmd += " bash " + shell_quote((io.path / "script.sh").string());
    cmd += " </dev/null >" + shell_quote((io.path / "out").string()) + " 2>" + shell_quote((io.path / "err").string());
    const int status = std::system(cmd.c_str());
    cli_run r;
#ifdef _WIN32
    r.code = status;
#else
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
#endif
    r.out = slurp(io.path / "out");
    r.err = slurp(io.path / "err");
    return r;
#endif
}

cli_run pgmig_process(const fs::path& cwd, const std::vector<std::string>& args,
                      const std::vector<std::pair<std::string, std::string>>& env) {
#ifndef PGMIG_CLI_PATH
    BOOST_FAIL("PGMIG_CLI_PATH is not defined (the pgmig executable is not built)");
    return {};
#else
    std::string cmd = shell_quote(PGMIG_CLI_PATH);
    for (const std::string& a : args) cmd += " " + shell_quote(a);
    return shell_process(cwd, cmd, env);
#endif
}

std::string history_summary(pgmig_test::scratch_database& db) {
    if (!db.table_exists("public", "schema_migrations")) return "";
    const auto r = db.query("SELECT version, direction, status FROM public.schema_migrations ORDER BY id");
    std::string out;
    for (std::size_t i = 0; i < r.size(); ++i) out += r.text(i, 0) + " " + r.text(i, 1) + " " + r.text(i, 2) + "\n";
    return out;
}

} // namespace pgmig_cli_test
