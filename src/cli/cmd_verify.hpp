// pgmig — `verify`: checksums and policies, nothing changed (exit 0 clean,
// 2 pending, 3 drift or policy problem, 4 failed run recorded).
#pragma once

#include <pgmig/error.hpp>
#include <pgmig/reconcile.hpp>

#include <optional>

namespace pgmig::detail::cli {

struct command_env;

struct verify_result {
    reconcile_report report;
    std::optional<error> refusal; ///< why `up` would refuse (the exit code's reason)
};

int run_verify(command_env& env, std::optional<verify_result>& out);

/// The exit code of a state: the refusal's, 2 when migrations are pending, else 0
/// (verify, status --exit-code, plan).
int state_exit_code(const std::optional<error>& refusal, const reconcile_report& report);

} // namespace pgmig::detail::cli
