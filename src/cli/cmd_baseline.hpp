// pgmig — `baseline --version V`: record an existing database as migrated up to V
// without running any SQL (refused when history exists, and when the database
// lacks tables, indexes, types or schemas those migrations create, unless
// --force; confirmation required).
#pragma once

#include "cli/bookkeeping.hpp"

#include <optional>

namespace pgmig::detail::cli {

int run_baseline(command_env& env, std::optional<bookkeeping_result>& out);

} // namespace pgmig::detail::cli
