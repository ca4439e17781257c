// pgmig — the lint risk of the migrations `plan` shows and `up` is about to
// run, with the live database in view: lint of the whole set (schema knowledge
// carries from one migration to the next), the live size of the tables the
// findings name, and which findings each command shows.
#pragma once

#include "core/planner.hpp"
#include "engine/db.hpp"
#include "lint/live_risk.hpp"

#include <pgmig/lint.hpp>
#include <pgmig/log.hpp>
#include <pgmig/migration.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace pgmig::detail::cli {

using table_size = lint::table_size;
using size_map = lint::table_size_map;

/// A finding with the live size of the table it names (when known).
struct sized_finding {
    lint_finding finding;
    std::optional<table_size> table;
};

/// Lint of every migration of the set, by version, for the server `conn` talks
/// to (its version and TimeZone); empty (with a warning logged) if lint itself fails.
std::map<std::int64_t, migration_lint> lint_by_version(const migration_set& set, const logger& log,
                                                       engine::db_connection& conn);

/// Live size of every table the up findings of `versions` name (one catalog
/// query). Empty, with a warning logged, when it cannot be read.
size_map live_sizes(engine::db_connection& conn, const std::map<std::int64_t, migration_lint>& lints,
                    const std::vector<std::int64_t>& versions, const logger& log);

/// Which findings of a migration's up section to show.
enum class finding_filter {
    all,                ///< every up finding (plan)
    data_loss,          ///< those that destroy data (lint's destroys_data)
    needs_confirmation, ///< those that make `up` ask (lint's up_needs_confirmation)
};

/// The up findings of `l` that `which` selects, in order.
std::vector<lint_finding> up_findings(const migration_lint& l, finding_filter which);

/// Every up finding of `l`, each with the live size of its table from `sizes`.
std::vector<sized_finding> sized_up_findings(const migration_lint& l, const size_map& sizes);

/// `findings` with the live size of each one's table (one catalog query on `conn`).
std::vector<sized_finding> with_live_sizes(engine::db_connection& conn, std::vector<lint_finding> findings,
                                           const logger& log);

/// What running the down SQL of `steps` destroys: the data-loss findings
/// (drop-table, drop-column, truncate, …) of each step's down SQL, suppressed
/// ones included (a suppression accepts the loss, it does not prevent it),
/// with the live size of each table from `conn`.
std::vector<sized_finding> down_data_loss(engine::db_connection& conn,
                                          const std::vector<core::rollback_step>& steps,
                                          const logger& log);

} // namespace pgmig::detail::cli
