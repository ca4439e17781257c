// pgmig — internals of the admin command dispatcher (src/cli*.cpp), exposed for unit tests.
#pragma once

#include <pgmig/error.hpp>
#include <pgmig/history.hpp>

#include <chrono>
#include <cstdint>
#include <ctime>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgmig::cli::detail {

// ------------------------------------------------------------------ .env and the connection

/// KEY=VALUE lines; `#` comments (whole lines, and after an unquoted value
/// preceded by whitespace); optional single or double quotes; an `export `
/// prefix is tolerated. Later keys win. Lines that are not assignments are skipped.
std::map<std::string, std::string> parse_dotenv(std::string_view text);

/// Where the connection string came from.
enum class conninfo_source { none, flag, environment, dotenv };
const char* to_string(conninfo_source s) noexcept;

struct resolved_conninfo {
    std::string conninfo;
    conninfo_source source = conninfo_source::none;
};

/// --db (when non-empty), else the environment's DB_URL (`env_db_url`, may be
/// null), else DB_URL in the file `dotenv_path` when it exists.
resolved_conninfo resolve_conninfo(const std::string& flag_value, const char* env_db_url,
                                   const std::string& dotenv_path);

// ------------------------------------------------------------------ small parsers

/// core/duration.hpp's parse_duration for option `option`. Throws error(usage).
std::chrono::milliseconds parse_duration(const std::string& option, const std::string& text);
/// "schema.table" or "table" (schema public). Throws error(usage).
history_table_name parse_history_table(const std::string& text);
/// A migration version (digits only; 0 is a version too). Throws error(usage).
std::int64_t parse_version(const std::string& option, const std::string& text);

// ------------------------------------------------------------------ `new`

enum class new_format { timestamp, paired };
const char* to_string(new_format f) noexcept;

struct new_request {
    std::string directory;
    std::string name;                  ///< as given; sanitised by create_migration (names.hpp)
    std::optional<new_format> format;  ///< --format; required to match a non-empty directory
    std::time_t now = 0;               ///< UTC time for timestamp versions
};

struct new_result {
    new_format format = new_format::timestamp;
    std::int64_t version = 0;
    std::string name;                  ///< sanitised
    std::vector<std::string> paths;    ///< created files (up first)
    bool created_directory = false;
};

/// Creates the next migration file(s) following the directory's convention
/// (creating the directory when missing). Never overwrites. Throws error(usage)
/// for a bad name or a --format that contradicts the directory, error(database)
/// never, error(invalid_migration) when the directory cannot be read or written.
new_result create_migration(const new_request& request);

// ------------------------------------------------------------------ confirmation

enum class confirmation { confirmed, assumed_yes, declined, no_terminal };

/// --yes → assumed_yes without reading; no terminal → no_terminal (never
/// reads); otherwise writes `what` and "Type 'yes' to continue: " to `err`
/// and reads one line from `in`: exactly "yes" (trimmed, any case) confirms.
confirmation confirm(std::istream& in, std::ostream& err, bool stdin_is_terminal, bool assume_yes,
                     const std::string& what);

// ------------------------------------------------------------------ arguments

struct parsed_args {
    std::string command;              ///< canonical name ("up" for `apply`); "" when none
    // global
    std::string db;
    std::string history_table;
    std::string migrations_dir = "migrations";
    bool json = false;
    bool yes = false;
    bool verbose = false;
    bool quiet = false;
    std::string lock_timeout, connect_timeout;
    std::string drift, unknown, out_of_order;
    std::string lock_mode;            ///< auto|session|transaction ("" = auto)
    std::string direct_db;            ///< a direct connection for the lock and no-transaction migrations
    // per command
    bool dry_run = false;
    std::string to, steps, version;
    bool accept_checksums = false;
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
/// `standalone` enables `new` and --migrations-dir. `program` is used in help.
parse_outcome parse_arguments(int argc, const char* const* argv, bool standalone, const std::string& program);

/// Every command name and alias (for docs/tests).
std::vector<std::string> command_names(bool standalone);

} // namespace pgmig::cli::detail
