// pgmig — the admin command dispatcher, shared by `myapp db …` and the `pgmig` CLI.
#pragma once

#include <pgmig/migration.hpp>
#include <pgmig/startup.hpp>

#include <iosfwd>
#include <string>

namespace pgmig::cli {

struct cli_options {
    /// How the commands are invoked, for --help and messages: "myapp db", "pgmig".
    std::string program_name = "db";
    /// Defaults for history table, policies, timeouts, application_name. The
    /// connection string comes from --db, else $DB_URL, else $DATABASE_URL,
    /// else DB_URL or DATABASE_URL in ./.env (docs/cli.md).
    pgmig::options defaults;
};

/// Run an admin command against an embedded migration set. `argv[0]` is the
/// subcommand's own name (e.g. "db"); argv[1] is the command ("status", "up", …).
/// Returns the process exit code (documented in the README). Never throws.
int run(int argc, const char* const* argv, const migration_set& set, const cli_options& opts = {});

/// The standalone `pgmig` program: like run(), but the set comes from
/// --migrations-dir (default "migrations"), and `new` is available.
int run_standalone(int argc, const char* const* argv, const cli_options& opts = {});

/// Testing seam: like run()/run_standalone() with explicit streams and terminal
/// detection (confirmations are read from `in` only when stdin_is_terminal;
/// the progress line needs stderr_is_terminal; --color=auto colours the text
/// on stdout only when stdout_is_terminal). `set` == nullptr means standalone mode.
int run_with(int argc, const char* const* argv, const migration_set* set, const cli_options& opts,
             std::istream& in, std::ostream& out, std::ostream& err, bool stdin_is_terminal,
             bool stderr_is_terminal, bool stdout_is_terminal = false);

} // namespace pgmig::cli
