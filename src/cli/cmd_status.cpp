// `status` (see cmd_status.hpp).
#include "cli/cmd_status.hpp"
#include "cli/environment.hpp"

namespace pgmig::detail::cli {

int run_status(command_env& env, std::optional<status_result>& out) {
    core::db_state s = env.read_state(*env.connect());
    out = status_result{s.table_exists, std::move(s.report)};
    return 0;
}

} // namespace pgmig::detail::cli
