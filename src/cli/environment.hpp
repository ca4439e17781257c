// pgmig — what a command runs with: the command line, the migration set, the
// options, the connection string, and the console to ask and show progress on.
#pragma once

#include "cli/args.hpp"
#include "cli/console.hpp"
#include "cli/render_text.hpp"
#include "core/migration_file.hpp"
#include "core/planner.hpp"
#include "engine/db.hpp"

#include <pgmig/cli.hpp>
#include <pgmig/migration.hpp>
#include <pgmig/reconcile.hpp>
#include <pgmig/startup.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace pgmig::detail::engine {
class migrator;
struct run_result;
} // namespace pgmig::detail::engine

namespace pgmig::detail::cli {

/// pgmig::options for a command line: the front end's defaults with the global
/// options applied (history table, policies, timeouts), logging to the console.
/// Throws error(usage) for a bad value.
pgmig::options options_from(const parsed_args& a, const pgmig::cli::cli_options& base, console& io);

struct command_env {
    console& io;
    const parsed_args& args;
    const migration_set* set = nullptr; ///< nullptr for a command that reads none (`new`)
    bool standalone = false;            ///< the `pgmig` CLI (migrations from --migrations-dir)
    pgmig::options opts;
    std::string conninfo;               ///< "" for a command that needs no database
    text_context text;                  ///< for prompts and progress (no colour: they go to stderr)
    /// command_input::migrations from a directory: why the files that are not in `set` did not load.
    std::vector<core::migration_problem> load_problems{};

    const migration_set& migrations() const { return *set; }

    /// A connection to the database (retrying until --connect-timeout).
    std::unique_ptr<engine::db_connection> connect() const;

    /// The history and its reconciliation with the migrations, read on
    /// `conn` without any lock (the read-only commands).
    core::db_state read_state(engine::db_connection& conn) const;

    /// Each warning as a log line.
    void log_warnings(const std::vector<problem>& warnings) const;

    /// Asks a person to confirm what `shown` is about to do (the prompt is
    /// render_text's confirmation_prompt), accepts --yes, or refuses with
    /// error(confirmation_required) when declined or when there is no
    /// terminal to ask on. True when a person confirmed on a terminal: the
    /// migrator then refuses when what would run is not what they saw.
    template <class Result>
    bool confirm(const Result& shown) {
        return confirm_prompt(confirmation_prompt(shown, text));
    }

    /// Runs `verb`, a writing verb of `m`, with its progress on the console
    /// (a terminal only), and returns what it did. When it stops part-way
    /// (partial_error, rethrown), `applied` and `rolled_back` (when given) get
    /// what ran before the failure, for the renderers to show beside the error.
    engine::run_result run_steps(engine::migrator& m,
                                        const std::function<engine::run_result()>& verb,
                                        std::vector<step_result>* applied, std::vector<step_result>* rolled_back);

private:
    bool confirm_prompt(const std::string& prompt);
};

} // namespace pgmig::detail::cli
