// pgmig — which of the objects a set of migrations creates the live database
// lacks (`baseline` refuses to record migrations whose objects are missing).
#pragma once

#include "engine/db.hpp"
#include "lint/created_objects.hpp"

#include <vector>

namespace pgmig::detail::engine {

/// The objects of `expected` that the database `c` does not have, in order:
/// tables and indexes through to_regclass, types through to_regtype (names
/// without a schema resolved through the session's search_path, as the
/// migrations resolved them), schemas in pg_namespace. One round trip.
std::vector<lint::created_object>
missing_objects(db_connection& c, const std::vector<lint::created_object>& expected);

} // namespace pgmig::detail::engine
