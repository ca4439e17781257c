// Helpers for the CLI integration tests: run the dispatcher in-process
// (pgmig::cli::run_with) with string streams, or the real `pgmig` binary.
#pragma once

#include "shared/temp_dir.hpp"
#include "support/server.hpp"

#include <pgmig/cli.hpp>
#include <pgmig/migration.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace pgmig_cli_test {

struct cli_run {
    int code = -1;
    std::string out, err;
    /// stdout parsed as JSON (fails the test when it is not exactly one document).
    nlohmann::json doc() const;
    std::string all() const { return out + err; }
};

struct run_options {
    std::string input;          ///< what stdin holds
    bool stdin_tty = false;
    bool with_db = true;        ///< add --db <url> --connect-timeout 5s
};

/// `myapp db <args…>` with an embedded set.
cli_run db_cmd(const pgmig::migration_set& set, const std::string& url, std::vector<std::string> args,
               const run_options& o = {});
/// `<program_name> <args…>` of a host app whose cli_options::program_name is `program_name` (e.g. "todo admin").
cli_run host_cmd(const std::string& program_name, const pgmig::migration_set& set, const std::string& url,
                 std::vector<std::string> args, const run_options& o = {});
/// `pgmig <args…> --migrations-dir <dir>` in-process.
cli_run pgmig_cmd(const std::string& dir, const std::string& url, std::vector<std::string> args,
                  const run_options& o = {});

/// The real `pgmig` binary (PGMIG_CLI_PATH) run by the shell in `cwd`, without
/// the caller's DB_URL and DATABASE_URL, with `env` (NAME=value pairs) added,
/// stdin from /dev/null.
cli_run pgmig_process(const std::filesystem::path& cwd, const std::vector<std::string>& args,
                      const std::vector<std::pair<std::string, std::string>>& env = {});

/// `script` run by bash in `cwd` as pgmig_process runs the binary (no DB_URL or
/// DATABASE_URL from the caller, `env` added, stdin from /dev/null), with the
/// built `pgmig` first on the PATH.
cli_run shell_process(const std::filesystem::path& cwd, const std::string& script,
                      const std::vector<std::pair<std::string, std::string>>& env = {});

/// A fresh temporary directory, removed in the destructor.
using pgmig_test::temp_dir;

/// Rows of public.schema_migrations as "version direction status" lines ("" when the table is missing).
std::string history_summary(pgmig_test::scratch_database& db);

} // namespace pgmig_cli_test
