// pgmig — lint rules on data changes: update-without-where, delete-without-where.
#pragma once

#include "lint/section_context.hpp"

#include <string_view>

namespace pgmig::detail::lint {

/// UPDATE/DELETE without WHERE anywhere in statement `stmt` of node type
/// `type`: at top level or in a data-modifying CTE.
void dml(section_context& ctx, int stmt, std::string_view type, const json& body);

} // namespace pgmig::detail::lint
