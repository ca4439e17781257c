// pgmig — lint rules on indexes: create-index-without-concurrently,
// drop-index-without-concurrently, reindex-without-concurrently; and the
// indexes the section creates and drops.
#pragma once

#include "lint/section_context.hpp"

#include <string>
#include <vector>

namespace pgmig::detail::lint {

/// CREATE [UNIQUE] INDEX [CONCURRENTLY].
void create_index(section_context& ctx, int stmt, const json& body);

/// DROP INDEX [CONCURRENTLY] of the index `names` (["schema", "name"] or ["name"]).
void drop_index(section_context& ctx, int stmt, const std::vector<std::string>& names, bool concurrent);

/// REINDEX.
void reindex(section_context& ctx, int stmt, const json& body);

} // namespace pgmig::detail::lint
