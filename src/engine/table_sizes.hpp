// pgmig — what `plan` and `up` tell lint about the live database: the sizes of
// the tables lint findings name, the server's version and the session's TimeZone.
#pragma once

#include "engine/db.hpp"
#include "lint/live_risk.hpp"

#include <map>
#include <string>
#include <vector>

namespace pgmig::detail::engine {

/// Size of a table a lint finding names, from pg_class (rows: reltuples; bytes:
/// pg_total_relation_size). Lint's type: lint lowers findings from these sizes.
using table_size = lint::table_size;

/// Looks up tables as lint writes them ("schema.table" or "table", the latter
/// resolved through the session's search_path as the migration would). One
/// round trip, catalog only. Keys are the names as given.
std::map<std::string, table_size> table_sizes(db_connection& c, const std::vector<std::string>& relations);

/// What lint decides some verdicts with: server_version_num and this session's
/// TimeZone (the migrations of `up` run in it). One round trip.
lint_server lint_server_facts(db_connection& c);

} // namespace pgmig::detail::engine
