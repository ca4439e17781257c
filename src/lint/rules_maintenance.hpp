// pgmig — lint rules on maintenance commands: vacuum-full, cluster,
// refresh-materialized-view-without-concurrently.
#pragma once

#include "lint/section_context.hpp"

namespace pgmig::detail::lint {

void vacuum(section_context& ctx, int stmt, const json& body);
void cluster(section_context& ctx, int stmt, const json& body);
void refresh_materialized_view(section_context& ctx, int stmt, const json& body);

} // namespace pgmig::detail::lint
