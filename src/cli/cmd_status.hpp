// pgmig — `status`: applied and pending migrations, drift, unknown versions
// and failed runs (reads the history, no lock).
#pragma once

#include <pgmig/error.hpp>
#include <pgmig/reconcile.hpp>

#include <optional>

namespace pgmig::detail::cli {

struct command_env;

struct status_result {
    bool history_table_exists = false;
    reconcile_report report;
    std::optional<error> refusal; ///< why `up` would refuse
};

/// Exit 0 (the state is in the result); with --exit-code, verify's exit codes
/// (2 pending, 3 drift or policy, 4 failed run recorded).
int run_status(command_env& env, std::optional<status_result>& out);

} // namespace pgmig::detail::cli
