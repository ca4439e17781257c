// pgmig — `force V`: set the recorded state to exactly version V (0 = nothing applied)
// without running SQL (confirmation required).
#pragma once

#include "cli/bookkeeping.hpp"

#include <optional>

namespace pgmig::detail::cli {

int run_force(command_env& env, std::optional<bookkeeping_result>& out);

} // namespace pgmig::detail::cli
