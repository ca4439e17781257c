// pgmig — the admin CLI's text for people: a command's result as stdout text
// (tables, ✓/✗, colour on a terminal), errors, confirmation prompts, progress
// and log lines. Commands never write text; this is where all of it is made.
#pragma once

#include "cli/commands.hpp"

#include <pgmig/history.hpp>
#include <pgmig/log.hpp>
#include <pgmig/reconcile.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace pgmig::detail::cli {

/// What the text says around a result.
struct text_context {
    std::string program;        ///< how commands are spelled: "pgmig", "myapp db"
    std::string database;       ///< the target, password masked
    std::string history_table;  ///< schema.table
    bool color = false;         ///< ANSI colour for ✓/✗ and risk levels
};

/// What goes to stdout and to stderr.
struct text_output {
    std::string out, err;
};

/// The invocation's text: the result on stdout, or the error on stderr.
text_output render_text(const command_output& o, const text_context& ctx);

/// What a command about to change something asks a person to confirm (no colour).
std::string confirmation_prompt(const up_result& r, const text_context& ctx);
std::string confirmation_prompt(const rollback_result& r, const text_context& ctx);
std::string confirmation_prompt(const redo_result& r, const text_context& ctx);
std::string confirmation_prompt(const bookkeeping_result& r, const text_context& ctx);

/// The progress line of a migration that runs: "applying 3 add_index [2/5] … 12s".
std::string progress_line(direction dir, std::int64_t version, const std::string& name, int index, int total,
                          std::chrono::milliseconds elapsed);

/// A log line on stderr: "pgmig: warning: message\n".
std::string log_line(log_level level, const std::string& message);

/// A problem that does not refuse, as logged: "message (fix)".
std::string warning_text(const problem& p);

} // namespace pgmig::detail::cli
