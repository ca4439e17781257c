// pgmig — lint rules on a migration as a whole: no-down-section, empty-migration.
#pragma once

#include "lint/lint_sql.hpp"

#include <pgmig/lint.hpp>
#include <pgmig/migration.hpp>

#include <optional>
#include <vector>

namespace pgmig::detail::lint {

/// The no-down-section finding of `m` when it has no down section; suppressed
/// when an allow comment of the up SQL (`up_directives`) names the rule with a reason.
std::optional<lint_finding> no_down_section(const migration& m, const std::vector<allow_directive>& up_directives);

/// The empty-migration finding of `m` when its up SQL holds no statement (only
/// comments and whitespace), at the line the up SQL starts. Not suppressible:
/// `up` refuses such a migration whatever lint says.
std::optional<lint_finding> empty_migration(const migration& m);

} // namespace pgmig::detail::lint
