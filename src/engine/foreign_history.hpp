// pgmig — reading another tool's history table for `import` (what the tools'
// tables are and what their rows mean: core/foreign_history.hpp).
#pragma once

#include "core/foreign_history.hpp"
#include "engine/db.hpp"

#include <pgmig/history.hpp>

#include <vector>

namespace pgmig::detail::engine {

/// Every row of `tool`'s history table `t`, read only (nothing is locked or
/// written there). Throws error(usage) when there is no such table or it has
/// not the tool's shape (naming its columns and --from-table).
std::vector<core::foreign_row> read_foreign_history(db_connection& c, const core::foreign_tool_info& tool,
                                                    const history_table_name& t);

} // namespace pgmig::detail::engine
