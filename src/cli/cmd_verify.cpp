// `verify` (see cmd_verify.hpp).
#include "cli/cmd_verify.hpp"
#include "cli/environment.hpp"
#include "core/refusal.hpp"

#include <algorithm>

namespace pgmig::detail::cli {

int state_exit_code(const std::optional<error>& refusal, const reconcile_report& report) {
    if (refusal) return exit_code(refusal->code());
    // What a boot applies decides: post-deploy migrations waiting for their step are not a failure.
    const bool boot_pending = std::any_of(report.pending.begin(), report.pending.end(), [](const pending_migration& p) {
        return p.phase == deploy_phase::pre_deploy;
    });
    return boot_pending ? exit_code(error_code::pending) : 0;
}

int run_verify(command_env& env, std::optional<verify_result>& out) {
    core::db_state s = env.read_state(*env.connect());
    std::optional<error> refusal = core::refusal_error(s.report);
    const int code = state_exit_code(refusal, s.report);
    out = verify_result{std::move(s.report), std::move(refusal)};
    return code;
}

} // namespace pgmig::detail::cli
