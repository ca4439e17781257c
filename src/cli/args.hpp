// pgmig — the admin CLI's arguments: what a command line says (CLI11 does the
// parsing, the command table in commands.hpp says which commands and options
// exist), with suggestions for typos.
#pragma once

#include <pgmig/error.hpp>

#include <optional>
#include <string>
#include <vector>

namespace pgmig::detail::cli {

/// Everything a command line can say, as given (values are parsed later, see
/// option_values.hpp, so that every usage error has the same shape).
struct parsed_args {
    std::string command;              ///< canonical name ("up" for `apply`); "" when none
    // global
    std::string db;
    bool db_given = false;            ///< --db was given (possibly empty: a usage error, never a fallback)
    std::string history_table;
    std::string migrations_dir = "migrations";
    bool json = false;
    bool yes = false;
    bool verbose = false;
    bool quiet = false;
    std::string color;                ///< auto|always|never ("" = auto)
    std::string lock_timeout, connect_timeout;
    std::string drift, unknown, out_of_order;
    std::string lock_mode;            ///< auto|session|transaction ("" = auto)
    std::string direct_db;            ///< a direct connection for the lock and no-transaction migrations
    // per command
    bool dry_run = false;
    std::string to, steps, version;
    std::string phase; ///< up --phase: pre-deploy (default), post-deploy, all
    bool accept_checksums = false;
    bool force = false;               ///< baseline: record even when objects its migrations create are missing
    bool exit_code = false;           ///< status: exit non-zero for pending, drift, policy problems, failed runs
    bool pending = false;             ///< lint: only the migrations the database has not applied (connects)
    std::string from_tool;            ///< import --from
    std::string from_table;           ///< import --from-table schema.table
    std::vector<std::string> name_words;
    std::string format;               ///< `new`: timestamp|paired; `lint`: text|json|github|sarif|gitlab
    // lint
    std::string fail_on;              ///< critical|high|medium|low|none ("" = high)
    bool lint_down = false;
    std::vector<std::string> disable; ///< rule ids (comma-separated or repeated)
    std::vector<std::string> enable;  ///< opt-in rule ids (comma-separated or repeated)
};

struct parse_outcome {
    bool finished = false;     ///< help, version or a usage error: print and exit with exit_code
    int exit_code = 0;
    std::string out_text;      ///< help/version text for stdout
    std::optional<error> usage; ///< the usage error (exit 1)
    bool json = false;         ///< --json was given (even when parsing failed)
    std::string command;       ///< the command when known (for JSON)
    parsed_args args;
};

/// Parses argv (argv[0] is the program or subcommand name) with CLI11.
/// `standalone` enables the standalone-only commands (`new`) and
/// --migrations-dir. `program` is used in help and messages.
parse_outcome parse_arguments(int argc, const char* const* argv, bool standalone, const std::string& program);

} // namespace pgmig::detail::cli
