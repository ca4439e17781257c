// `history` (see cmd_history.hpp).
#include "cli/cmd_history.hpp"
#include "cli/environment.hpp"

namespace pgmig::detail::cli {

int run_history(command_env& env, std::optional<history_result>& out) {
    core::db_state s = env.read_state(*env.connect());
    out = history_result{s.table_exists, std::move(s.rows)};
    return 0;
}

} // namespace pgmig::detail::cli
