// pgmig — `repair`: clear failed/interrupted history rows after their cause was fixed;
// with --accept-checksums also record the current checksums of changed migrations
// (confirmation required).
#pragma once

#include "cli/bookkeeping.hpp"

#include <optional>

namespace pgmig::detail::cli {

int run_repair(command_env& env, std::optional<bookkeeping_result>& out);

} // namespace pgmig::detail::cli
