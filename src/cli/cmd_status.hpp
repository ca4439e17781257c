// pgmig — `status`: applied and pending migrations, drift, unknown versions
// and failed runs (reads the history, no lock).
#pragma once

#include <pgmig/reconcile.hpp>

#include <optional>

namespace pgmig::detail::cli {

struct command_env;

struct status_result {
    bool history_table_exists = false;
    reconcile_report report;
};

/// Exit 0 (the state is in the result; see `verify` for an exit code).
int run_status(command_env& env, std::optional<status_result>& out);

} // namespace pgmig::detail::cli
