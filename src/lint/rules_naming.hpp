// pgmig — lint rules on how statements name tables: require-table-schema (opt-in).
#pragma once

#include "lint/section_context.hpp"

#include <string_view>

namespace pgmig::detail::lint {

/// Tables that statement `stmt` (node type `type`) names without a schema in
/// DDL: CREATE TABLE [AS], SELECT INTO, ALTER/DROP/TRUNCATE TABLE, CREATE INDEX
/// … ON, RENAME. Temporary tables are not reported (they live in pg_temp).
void require_table_schema(section_context& ctx, int stmt, std::string_view type, const json& body);

} // namespace pgmig::detail::lint
