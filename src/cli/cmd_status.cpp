// `status` (see cmd_status.hpp).
#include "cli/cmd_status.hpp"
#include "cli/cmd_verify.hpp"
#include "cli/environment.hpp"
#include "core/refusal.hpp"

namespace pgmig::detail::cli {

int run_status(command_env& env, std::optional<status_result>& out) {
    core::db_state s = env.read_state(*env.connect());
    std::optional<error> refusal = core::refusal_error(s.report);
    const int code = state_exit_code(refusal, s.report);
    out = status_result{s.table_exists, std::move(s.report), std::move(refusal)};
    return env.args.exit_code ? code : 0;
}

} // namespace pgmig::detail::cli
