// `status` (see cmd_status.hpp).
#include "cli/cmd_status.hpp"
#include "cli/environment.hpp"
#include "engine/history.hpp"

namespace pgmig::cli::detail {

int run_status(command_env& env, std::optional<status_result>& out) {
    auto conn = env.connect();
    pgmig::detail::admin::db_state s = pgmig::detail::admin::read_state(*conn, env.migrations(), env.opts);
    out = status_result{s.table_exists, std::move(s.report)};
    return 0;
}

} // namespace pgmig::cli::detail
