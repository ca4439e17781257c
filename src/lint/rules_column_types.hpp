// pgmig — lint rules on the type of a new column (CREATE TABLE or ADD COLUMN):
// prefer-bigint-over-int, prefer-text-field, ban-char-type, prefer-timestamptz.
#pragma once

#include "lint/section_context.hpp"

namespace pgmig::detail::lint {

/// Checks the type of column `c` of `table`; `primary_key`: a table-level
/// PRIMARY KEY names the column.
void column_type_rules(section_context& ctx, int stmt, const relation_name& table, const column_spec& c,
                       bool primary_key);

} // namespace pgmig::detail::lint
