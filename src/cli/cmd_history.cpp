// `history` (see cmd_history.hpp).
#include "cli/cmd_history.hpp"
#include "cli/environment.hpp"
#include "engine/history.hpp"

namespace pgmig::cli::detail {

int run_history(command_env& env, std::optional<history_result>& out) {
    auto conn = env.connect();
    pgmig::detail::admin::db_state s = pgmig::detail::admin::read_state(*conn, env.migrations(), env.opts);
    out = history_result{s.table_exists, std::move(s.rows)};
    return 0;
}

} // namespace pgmig::cli::detail
