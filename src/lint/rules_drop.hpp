// pgmig — lint rules on statements that delete data: drop-table, drop-column,
// drop-schema, drop-database, truncate.
#pragma once

#include "lint/section_context.hpp"

#include <string>

namespace pgmig::detail::lint {

/// DROP TABLE / SCHEMA / INDEX … (indexes: rules_index).
void drop_objects(section_context& ctx, int stmt, const json& body);

/// DROP DATABASE.
void drop_database(section_context& ctx, int stmt, const json& body);

/// TRUNCATE.
void truncate_tables(section_context& ctx, int stmt, const json& body);

/// ALTER TABLE … DROP COLUMN (the AlterTableCmd); `is_new`: the section created the table.
void drop_column(section_context& ctx, int stmt, const relation_name& table, const json& cmd, bool is_new);

} // namespace pgmig::detail::lint
