// pgmig — the SQL a plan sends, statement batch by statement batch: what
// --dry-run prints, and the bookkeeping transaction the migrator executes.
// The migrations' own round trips come from the executors' SQL builders
// (executor.hpp, executor_notx.hpp), so a dry run shows exactly what a real
// run would send.
#pragma once

#include "core/planner.hpp"

#include <pgmig/history.hpp>
#include <pgmig/startup.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace pgmig::detail::engine {

/// One round trip of SQL as pgmig sends it.
struct statement {
    std::int64_t version = 0;  ///< migration concerned, 0 for history-table setup and the final execution-times UPDATE
    std::string purpose;       ///< "create history table", "apply 3 add_index", …
    std::string sql;
};

/// The settings of every session pgmig opens, as SET statements (a real run
/// sends them in the startup packet, and exactly these SETs when a pooler
/// refuses startup options): the first statement of every dry run that runs
/// something. version 0.
statement session_statement(const options& opts);

/// CREATE SCHEMA / CREATE TABLE statements ensure_history_table() would run (empty when it exists).
std::vector<statement> history_setup_statements(const core::db_state& s, const history_table_name& t);

std::vector<statement> up_statements(const core::up_plan& p, const core::db_state& s, const options& opts);
std::vector<statement> rollback_statements(const core::rollback_plan& p, const options& opts);
std::vector<statement> redo_statements(const core::redo_plan& p, const core::db_state& s, const options& opts);
/// History setup (when the plan creates the table), then the transaction of bookkeeping_sql().
std::vector<statement> bookkeeping_statements(const core::bookkeeping_plan& p, const core::db_state& s, const options& opts);

/// The one transaction (BEGIN; …; COMMIT) that records a bookkeeping plan's
/// changes; "" when it has none. Rows written have applied_by "… via <command>"
/// and execution_ms 0. `dry_run`: the up SQL rows store shows as a placeholder.
std::string bookkeeping_sql(const core::bookkeeping_plan& p, const options& opts, bool dry_run = false);

/// "down SQL stored in schema.table": where a rollback's down SQL came from when its file is gone.
std::string history_down_label(const options& opts);

} // namespace pgmig::detail::engine
