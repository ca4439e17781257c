// `verify` (see cmd_verify.hpp).
#include "cli/cmd_verify.hpp"
#include "cli/environment.hpp"
#include "core/refusal.hpp"

namespace pgmig::detail::cli {

int run_verify(command_env& env, std::optional<verify_result>& out) {
    core::db_state s = env.read_state(*env.connect());
    std::optional<error> refusal = core::refusal_error(s.report);
    const int code = refusal ? exit_code(refusal->code())
                     : !s.report.pending.empty() ? exit_code(error_code::pending)
                                                 : 0;
    out = verify_result{std::move(s.report), std::move(refusal)};
    return code;
}

} // namespace pgmig::detail::cli
