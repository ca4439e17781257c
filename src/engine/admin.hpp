// pgmig — database operations behind the admin commands (`myapp db …`, `pgmig …`).
//
// Every writing operation is split in two: plan_*() works out what would
// change from a db_state (read without any lock) and throws pgmig::error when
// the operation must be refused; execute_*() performs a plan on a connection
// while the caller holds the migration lock. The CLI reads the state, plans,
// shows the plan (dry-run, confirmation), then takes the lock, reads the state
// again, plans again and executes that plan. statements_*() list the exact SQL
// execute_*() sends, for --dry-run.
#pragma once

#include "engine/engine.hpp"
#include "lint/live_risk.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pgmig::detail::admin {

/// The database as the commands see it.
struct db_state {
    bool schema_exists = false;        ///< the history table's schema exists
    bool table_exists = false;         ///< the history table exists (and has pgmig's shape)
    std::vector<history_row> rows;     ///< every row, by id
    reconcile_report report;           ///< reconcile(set, rows, policy)
};

/// Reads the history (throws error(foreign_history_table) for a table of another tool).
db_state read_state(db_connection& c, const migration_set& set, const options& opts);

/// One round trip of SQL as pgmig sends it.
struct statement {
    std::int64_t version = 0;  ///< migration concerned, 0 for history-table setup and the final execution-times UPDATE
    std::string purpose;       ///< "create history table", "apply 3 add_index", …
    std::string sql;
};

/// CREATE SCHEMA / CREATE TABLE statements ensure_history_table() would run (empty when it exists).
std::vector<statement> history_setup_statements(const db_state& s, const history_table_name& t);

/// Called around each migration an execute_*() runs (progress, logs).
struct observer {
    std::function<void(const std::string& action, std::int64_t version, const std::string& name,
                       const std::string& file, int index, int total)>
        begin;
    std::function<void(std::int64_t version, std::int64_t ms)> end;
};

// ------------------------------------------------------------------ up

struct up_plan {
    std::vector<const migration*> migrations; ///< to apply, in version order
    std::vector<problem> warnings;            ///< problems that do not refuse
    std::optional<std::int64_t> to;
    /// Planned versions with a `down` success row in effect (rolled back before):
    /// applying them again marks that row reverted. Sorted.
    std::vector<std::int64_t> rolled_back;
};

/// Same refusal semantics as migrate_on_startup (drift, unknown, out of order,
/// failed rows). `to` must be a version of the set (error usage otherwise);
/// only pending versions <= to are planned.
up_plan plan_up(const db_state& s, const migration_set& set, std::optional<std::int64_t> to);
std::vector<statement> up_statements(const up_plan& p, const db_state& s, const options& opts);

struct applied_step {
    std::int64_t version = 0;
    std::string name;
    std::string file;
    std::int64_t execution_ms = 0;
};

/// Applies the plan (caller holds the lock and ran ensure_history_table). Each
/// applied migration is appended to `done` before the next one starts, so
/// `done` is accurate when a migration fails and this throws.
void execute_up(db_connection& c, const up_plan& p, const options& opts, const logger& log,
                const observer& obs, std::vector<applied_step>& done);

// ------------------------------------------------------------------ rollback

struct rollback_step {
    std::int64_t version = 0;
    std::string name;
    std::string checksum;     ///< as recorded
    std::string file;         ///< file holding the down SQL ("" when from the history)
    std::string down_sql;
    int down_line = 1;
    bool from_history = false; ///< the down SQL stored when the up was applied
    bool no_transaction = false;
    std::string applied_at;
};

struct rollback_plan {
    std::vector<rollback_step> steps; ///< in reverse applied order
    std::vector<problem> warnings;
};

struct rollback_target {
    std::optional<std::int64_t> to; ///< roll back every applied version > to
    int steps = 1;                  ///< when `to` is not set: the latest `steps` applied
};

/// Refuses (error) when failed/running rows are recorded, when a migration to
/// roll back has drifted and the drift policy refuses, and when any of them has
/// no down SQL (not_reversible, naming them), so nothing is touched. `to` must
/// be 0, an applied version or a version of the set.
rollback_plan plan_rollback(db_connection& c, const db_state& s, const migration_set& set,
                            const options& opts, const rollback_target& target);
std::vector<statement> rollback_statements(const rollback_plan& p, const options& opts);
/// Each down in its own transaction with its history row.
void execute_rollback(db_connection& c, const rollback_plan& p, const options& opts, const logger& log,
                      const observer& obs, std::vector<applied_step>& done);

// ------------------------------------------------------------------ redo

struct redo_plan {
    rollback_plan down;
    up_plan up;
};
/// The latest applied migration: rolled back, then applied again from the set.
/// Drift of that migration is expected (editing it is why one redoes) and not refused.
redo_plan plan_redo(db_connection& c, const db_state& s, const migration_set& set, const options& opts);
std::vector<statement> redo_statements(const redo_plan& p, const db_state& s, const options& opts);

// ------------------------------------------------------------------ baseline, repair, force

/// A change of recorded state only (no migration SQL), as one transaction.
struct bookkeeping_change {
    std::string action;       ///< "mark_applied", "mark_rolled_back", "clear_failed", "accept_checksum"
    std::int64_t version = 0;
    std::string name;
    std::string file;
    std::string detail;       ///< for people: what changes exactly
    std::int64_t row_id = 0;  ///< the history row concerned (clear_failed, accept_checksum, mark_rolled_back)
    std::string old_checksum; ///< accept_checksum
    std::string new_checksum; ///< accept_checksum
};

struct bookkeeping_plan {
    std::vector<bookkeeping_change> changes;
    std::vector<statement> setup;     ///< history table creation (baseline on a fresh database)
    std::string sql;                  ///< BEGIN; …; COMMIT (empty when no change)
};

/// Refuses (error policy) when the history table has rows. `version` must be in the set.
bookkeeping_plan plan_baseline(const db_state& s, const migration_set& set, const options& opts,
                               std::int64_t version);
/// failed/running rows → repaired; with accept_checksums, drifted versions get the file's checksum.
bookkeeping_plan plan_repair(const db_state& s, const migration_set& set, const options& opts,
                             bool accept_checksums);
/// Recorded state becomes exactly `version`: set versions <= version marked
/// applied, applied versions > version marked rolled back, failed/running rows
/// cleared. `version` must be 0, in the set or applied.
bookkeeping_plan plan_force(const db_state& s, const migration_set& set, const options& opts,
                            std::int64_t version);
std::vector<statement> bookkeeping_statements(const bookkeeping_plan& p);
/// Runs setup (if any) and the transaction.
void execute_bookkeeping(db_connection& c, const bookkeeping_plan& p, const options& opts);

// ------------------------------------------------------------------ helpers

/// The id of the effective up row of each applied version.
std::int64_t effective_up_row_id(const db_state& s, std::int64_t version);

/// Same versions in the same order.
bool same_versions(const rollback_plan& a, const rollback_plan& b);
bool same_changes(const bookkeeping_plan& a, const bookkeeping_plan& b);

// ------------------------------------------------------------------ live risk

/// Size of a table a lint finding names, from pg_class (rows: reltuples; bytes:
/// pg_total_relation_size). Lint's type: lint lowers findings from these sizes.
using table_size = pgmig::lint_detail::table_size;

/// Looks up tables as lint writes them ("schema.table" or "table", the latter
/// resolved through the session's search_path as the migration would). One
/// round trip, catalog only. Keys are the names as given.
std::map<std::string, table_size> table_sizes(db_connection& c, const std::vector<std::string>& relations);

// ------------------------------------------------------------------ check-rollback

/// Result of checking one migration's down against its up.
struct rollback_check {
    std::int64_t version = 0;
    std::string name, file;
    std::string status;             ///< "ok", "differs", "skipped", "failed"
    std::string reason;             ///< why skipped / what failed ("" for ok, differs)
    std::vector<std::string> diff;  ///< "- line" / "+ line" (differs)
};

/// For each migration (in order), inside ONE transaction that is always rolled
/// back: snapshot the schema, run up, run down, snapshot again and compare;
/// then undo the down so that the next migration starts from the schema after
/// this one's up. Migrations whose up or down cannot run in the transaction
/// (no-transaction, transaction control, not reversible) are skipped; when an
/// up cannot be applied, the later ones are skipped too. Writes nothing that
/// persists (no history rows).
std::vector<rollback_check> check_rollbacks(db_connection& c, const std::vector<const migration*>& migrations,
                                            const options& opts);

/// "~50 k rows", "~12 M rows", "~830 rows".
std::string human_rows(std::int64_t rows);
/// "512 bytes", "3.1 MB", "12 GB" (1024-based).
std::string human_bytes(std::int64_t bytes);

} // namespace pgmig::detail::admin
