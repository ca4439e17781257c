// pgmig — lint: `-- pgmig:allow <rule> <reason>` suppressions of a section.
// Reports the comments that suppress nothing (suppression-without-reason,
// suppression-unknown-rule) and marks the findings each valid one covers.
#pragma once

#include "lint/lint_sql.hpp"
#include "lint/section_context.hpp"

#include <vector>

namespace pgmig::detail::lint {

/// Applies the section's allow comments to ctx.findings. A comment covers the
/// statements on whose lines it is, else the next statement.
void apply_suppressions(section_context& ctx, const std::vector<allow_directive>& directives);

/// Does `d` suppress `r` for a whole migration (the no-down-section case: the
/// rule named with a reason; `all` does not count)?
bool names_with_reason(const allow_directive& d, rule r);

} // namespace pgmig::detail::lint
