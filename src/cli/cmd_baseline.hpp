// pgmig — `baseline --version V`: record an existing database as migrated up to V
// without running any SQL (refused when history exists).
#pragma once

#include "cli/bookkeeping.hpp"

#include <optional>

namespace pgmig::detail::cli {

int run_baseline(command_env& env, std::optional<bookkeeping_result>& out);

} // namespace pgmig::detail::cli
