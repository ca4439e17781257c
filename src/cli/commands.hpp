// pgmig — the command table: the one list of the admin CLI's commands. Each
// entry has the command's name, aliases, help, example, the front ends that
// have it, its options, and its handler (src/cli/cmd_<name>.cpp), which fills
// a typed result that render_text and render_json print. Argument parsing,
// --help, suggestions, dispatch and the docs tests all read this table:
// adding a command is one entry here and one cmd_<name> file.
#pragma once

#include "cli/bookkeeping.hpp"
#include "cli/cmd_check_rollback.hpp"
#include "cli/cmd_history.hpp"
#include "cli/cmd_import.hpp"
#include "cli/cmd_lint.hpp"
#include "cli/cmd_new.hpp"
#include "cli/cmd_plan.hpp"
#include "cli/cmd_redo.hpp"
#include "cli/cmd_rollback.hpp"
#include "cli/cmd_status.hpp"
#include "cli/cmd_up.hpp"
#include "cli/cmd_verify.hpp"

#include <pgmig/error.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace CLI {
class App;
}

namespace pgmig::detail::cli {

struct command_env;
struct parsed_args;

/// What a command produced for the renderers; std::monostate when it stopped
/// (or the command line failed) before it had anything to show.
using command_result = std::variant<std::monostate, status_result, plan_result, up_result, rollback_result,
                                    redo_result, verify_result, history_result, bookkeeping_result,
                                    check_rollback_result, lint_result, new_result, import_result>;

/// One invocation, as both renderers print it: the command's result inside
/// the fields every invocation has.
struct command_output {
    std::string command;                       ///< canonical name; "" when unknown
    std::optional<std::string> database;       ///< the target, password masked, once known
    std::optional<std::string> history_table;  ///< schema.table, once known
    command_result result;
    std::optional<error> failure;              ///< the error the command stopped on
    int exit_code = 0;
};

/// What a command reads before it runs.
enum class command_input {
    none,       ///< nothing (`new`)
    migrations, ///< the migration set as far as it loads, and the problems of what did not (`lint`)
    database,   ///< the set and a connection string
};

/// An exit code and what it means for one command.
struct exit_meaning {
    int code;
    const char* meaning;
};

struct command_spec {
    const char* name;
    std::vector<const char*> aliases;
    const char* summary;
    const char* example;   ///< "{p}" stands for the program, e.g. "myapp db"
    bool standalone_only;  ///< only `pgmig` (it needs a migrations directory), not `myapp db`
    command_input input;
    /// Its options and arguments (CLI11), into `a`.
    void (*add_options)(CLI::App& sub, parsed_args& a);
    /// After parsing: required values and combinations. Returns the usage
    /// message, or "" when fine; may normalise `a` (lint's --format json is --json).
    std::string (*check)(parsed_args& a, const std::string& program);
    /// Its values parsed before anything is read or connected (throws error(usage)).
    void (*validate)(const parsed_args& a);
    /// Runs it and fills `out`; returns the exit code (errors are thrown).
    int (*run)(command_env& env, command_result& out);
    /// Its own exit codes with their meaning (--help lists them; SKILL.md and the
    /// README too, which tests/unit/cli/test_agent_docs.cpp checks), besides the
    /// ones of what it reads (1 usage, 8 invalid migration files; connected: 6, 9).
    std::vector<exit_meaning> exit_codes;
};

/// Every exit code `spec` can end with, ascending: its own and those of what it reads.
std::vector<int> exit_code_list(const command_spec& spec);

/// Every command, in the order --help lists them.
const std::vector<command_spec>& commands();

/// The command named or aliased `name`, or nullptr.
const command_spec* find_command(std::string_view name);

/// Every command name and alias of a front end (for suggestions, docs and tests).
std::vector<std::string> command_names(bool standalone);

} // namespace pgmig::detail::cli
