// pgmig — the internal API of lint/lint.cpp (its public API is <pgmig/lint.hpp>):
// lint of a set as the parser loaded it: what loaded is linted, and every
// problem that kept a file from loading is a finding. `pgmig lint` uses it, so a
// broken file never hides the findings of the others.
#pragma once

#include "core/migration_file.hpp"

#include <pgmig/lint.hpp>
#include <pgmig/migration.hpp>

#include <vector>

namespace pgmig::detail::lint {

/// Lints `loaded` (the migrations core::parse_migration_files() loaded) as
/// lint_set() does, and turns every problem of `problems` into an
/// invalid-migration finding (critical) at its file and line: in the result of
/// the loaded migration of its version, else in a result of its own (loaded =
/// false), after the loaded ones, one per file, in file order. A statement
/// problem of a loaded migration (in_loaded_migration: a statement that cannot
/// run in a transaction) is not repeated: non-transactional-in-transaction
/// reports it at the statement.
std::vector<migration_lint> lint_loaded(const migration_set& loaded, const std::vector<core::migration_problem>& problems,
                                        const lint_options& options = {});

} // namespace pgmig::detail::lint
