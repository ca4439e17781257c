// pgmig — live sizes of the tables lint findings name (for `plan` and `up`).
#pragma once

#include "engine/db.hpp"
#include "lint/live_risk.hpp"

#include <map>
#include <string>
#include <vector>

namespace pgmig::detail::admin {

/// Size of a table a lint finding names, from pg_class (rows: reltuples; bytes:
/// pg_total_relation_size). Lint's type: lint lowers findings from these sizes.
using table_size = pgmig::lint_detail::table_size;

/// Looks up tables as lint writes them ("schema.table" or "table", the latter
/// resolved through the session's search_path as the migration would). One
/// round trip, catalog only. Keys are the names as given.
std::map<std::string, table_size> table_sizes(db_connection& c, const std::vector<std::string>& relations);

} // namespace pgmig::detail::admin
