// `verify` (see cmd_verify.hpp).
#include "cli/cmd_verify.hpp"
#include "cli/environment.hpp"
#include "core/refusal.hpp"

namespace pgmig::detail::cli {

int state_exit_code(const std::optional<error>& refusal, const reconcile_report& report) {
    if (refusal) return exit_code(refusal->code());
    return report.pending.empty() ? 0 : exit_code(error_code::pending);
}

int run_verify(command_env& env, std::optional<verify_result>& out) {
    core::db_state s = env.read_state(*env.connect());
    std::optional<error> refusal = core::refusal_error(s.report);
    const int code = state_exit_code(refusal, s.report);
    out = verify_result{std::move(s.report), std::move(refusal)};
    return code;
}

} // namespace pgmig::detail::cli
