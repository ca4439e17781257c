// pgmig — what a prefix of the migrations leaves in the schema, as far as lint's
// knowledge tells: the tables, indexes, types and schemas that the up SQL of the
// migrations up to a version creates and does not drop again. `baseline` checks
// the live database for them before it records those migrations as applied.
#pragma once

#include <pgmig/migration.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace pgmig::detail::lint {

/// An object the migrations create.
struct created_object {
    std::string kind;          ///< "table", "index", "type" or "schema"
    std::string name;          ///< as lint keys it: "schema.name", or "name" for unqualified/public
    std::int64_t version = 0;  ///< the migration that creates it
};

/// The objects that the up sections of the migrations with version <= `up_to`
/// leave behind, in version order (created later and dropped again: not listed).
/// An implicit index whose name PostgreSQL would truncate (over 63 bytes) is
/// left out: its real name is not known.
std::vector<created_object> objects_created(const migration_set& set, std::int64_t up_to);

} // namespace pgmig::detail::lint
