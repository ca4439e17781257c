// pgmig — what a command runs with: the command line, the migration set, the
// options, the connection string, and the console to ask and show progress on.
#pragma once

#include "cli/args.hpp"
#include "cli/console.hpp"
#include "cli/render_text.hpp"
#include "core/migration_file.hpp"
#include "engine/db.hpp"

#include <pgmig/cli.hpp>
#include <pgmig/migration.hpp>
#include <pgmig/reconcile.hpp>
#include <pgmig/startup.hpp>

#include <memory>
#include <string>
#include <vector>

namespace pgmig::detail {
class migrator;
}

namespace pgmig::cli::detail {

/// pgmig::options for a command line: the front end's defaults with the global
/// options applied (history table, policies, timeouts), logging to the console.
/// Throws error(usage) for a bad value.
pgmig::options options_from(const parsed_args& a, const cli_options& base, console& io);

struct command_env {
    console& io;
    const parsed_args& args;
    const migration_set* set = nullptr; ///< nullptr for a command that reads none (`new`)
    bool standalone = false;            ///< the `pgmig` CLI (migrations from --migrations-dir)
    pgmig::options opts;
    std::string conninfo;               ///< "" for a command that needs no database
    text_context text;                  ///< for prompts and progress (no colour: they go to stderr)
    /// command_input::migrations from a directory: why the files that are not in `set` did not load.
    std::vector<pgmig::detail::migration_problem> load_problems{};

    const migration_set& migrations() const { return *set; }

    /// A connection to the database (retrying until --connect-timeout).
    std::unique_ptr<pgmig::detail::db_connection> connect() const;

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

    /// The progress of `m`'s run on the console while `t` lives.
    void show_progress(pgmig::detail::migrator& m, ticker& t) const;

private:
    bool confirm_prompt(const std::string& prompt);
};

} // namespace pgmig::cli::detail
