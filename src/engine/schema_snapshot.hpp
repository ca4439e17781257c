// pgmig — a deterministic text snapshot of the user-visible schema, read from
// pg_catalog only (internal; used by `check-rollback`).
#pragma once

#include "engine/db.hpp"

#include <string>
#include <vector>

namespace pgmig::detail::engine {

/// One line per object or property, sorted, without OIDs: schemas, tables and
/// other relations with their kind, columns (type, NOT NULL, default,
/// identity, generated), constraints, indexes, sequences, views and
/// materialized views (definition), functions and procedures (signature,
/// result, digest of the definition), triggers, enum types (labels in order)
/// and domains. Everything outside pg_catalog, information_schema, pg_toast
/// and temporary schemas; objects that belong to an extension are left out.
/// Column order is not part of the snapshot. Equal lines mean an equal schema
/// as far as these objects go.
std::vector<std::string> schema_snapshot(db_connection& c);

/// Lines only in `before` prefixed "- ", lines only in `after` prefixed "+ ",
/// ordered by the line text (so an object's old and new lines sit together).
std::vector<std::string> snapshot_diff(const std::vector<std::string>& before, const std::vector<std::string>& after);

} // namespace pgmig::detail::engine
