// pgmig — lint rules on renames that break the running release: rename-column,
// rename-table (RENAME and SET SCHEMA); and what renames change in the schema knowledge.
#pragma once

#include "lint/section_context.hpp"

namespace pgmig::detail::lint {

/// ALTER TABLE … RENAME [COLUMN], ALTER INDEX … RENAME.
void rename(section_context& ctx, int stmt, const json& body);

/// ALTER TABLE … SET SCHEMA.
void set_schema(section_context& ctx, int stmt, const json& body);

} // namespace pgmig::detail::lint
