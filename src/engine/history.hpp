// pgmig — the history table: its SQL, its shape check, reading it.
#pragma once

#include "core/planner.hpp" // core::db_state
#include "engine/db.hpp"

#include <pgmig/history.hpp>
#include <pgmig/migration.hpp>
#include <pgmig/startup.hpp>

#include <string>
#include <utility>
#include <vector>

namespace pgmig::detail::engine {

// ------------------------------------------------------------ shapes (pure)
//
// The history table's shape evolves: each shape is the columns one release
// added, and pgmig recognises every shape it has ever created. A table of an
// earlier shape is upgraded in place under the lock, before anything is read
// or written there (ALTER TABLE … ADD COLUMN IF NOT EXISTS: additive,
// idempotent, nullable columns without a default, so no rewrite); a table
// with columns this binary does not know (a newer release's shape) is read
// and written through the columns it knows, and never downgraded. Never edit
// a shape once released: add a new one.

/// One column of the history table.
struct history_column {
    std::string name;
    std::string type;       ///< as format_type() spells it (the shape check compares this)
    std::string definition; ///< the DDL after the name
};

/// The columns one shape added to the previous one (shape 1: the first table).
struct history_shape {
    int number = 0;
    std::string why; ///< what the shape is for (for people and the upgrade log)
    std::vector<history_column> added;
};

/// Every shape pgmig has ever created, oldest first.
const std::vector<history_shape>& history_shapes();
/// The shape this binary creates and upgrades to (the last of history_shapes()).
int current_history_shape();
/// (name, type) of every column of shapes 1..`shape` (default: all of them).
std::vector<std::pair<std::string, std::string>> history_columns(int shape = 0);

/// A description of an existing table's columns ("version bigint, dirty boolean").
struct table_shape {
    bool exists = false;
    bool is_table = true; ///< false for views and other relation kinds
    std::vector<std::pair<std::string, std::string>> columns; ///< name, type
    /// A valid unique index on (version, direction) WHERE status = 'success' exists.
    bool has_unique_index = true;
};
/// The shape number of an existing table: the highest n such that the table
/// has every column of shapes 1..n with its type (extra columns are allowed);
/// 0 when it lacks a column of shape 1 (not pgmig's table) or is no table.
int shape_of(const table_shape& shape);

// ------------------------------------------------------------ SQL text (pure)

/// "schema"."table", quoted.
std::string qualified_table(const history_table_name& t);
/// CREATE TABLE IF NOT EXISTS … with the current shape and its partial unique index (no CREATE SCHEMA).
std::string history_create_sql(const history_table_name& t);
/// CREATE UNIQUE INDEX IF NOT EXISTS on (version, direction) WHERE status = 'success'.
std::string history_index_sql(const history_table_name& t);
/// One ALTER TABLE adding the columns of every shape after `from` ("" when `from` is current or newer).
std::string history_upgrade_sql(const history_table_name& t, int from);
/// "user@host (application_name)" expression for applied_by, as SQL.
std::string applied_by_sql();

/// Empty when compatible; otherwise a full error message (which tool it looks
/// like, what to do, with the commands spelled as `admin_command` spells them).
std::string foreign_table_message(const history_table_name& t, const table_shape& shape,
                                  const std::string& admin_command);

// ------------------------------------------------------------ reading and creating
// The table is opts.history_table; errors name commands as opts.admin_command spells them.

table_shape inspect_table(db_connection& c, const history_table_name& t);
/// Throws error(foreign_history_table) when the table has another shape.
/// Returns false when the table does not exist.
bool check_history_table(db_connection& c, const options& opts);
/// check_history_table, then (call under the lock) bring a table of an
/// earlier shape, or one without its unique index, up to the current shape,
/// saying so in the log. Returns false when the table does not exist.
bool upgrade_history_table(db_connection& c, const options& opts);
/// Rows ordered by id; empty when the table does not exist. down_sql is not fetched (has_down_sql is).
std::vector<history_row> read_history(db_connection& c, const options& opts);
/// Create schema (when missing), table and index. Call under the lock.
/// `known_missing`: the caller just saw no table, so skip the first shape check
/// (the check after CREATE … IF NOT EXISTS still refuses a foreign table).
void ensure_history_table(db_connection& c, const options& opts, bool known_missing = false);

/// What one cheap query (no lock) says about the history against the set.
enum class history_probe {
    matches,  ///< exactly the set, applied once each, nothing else recorded: up to date
    differs,  ///< anything else, or a table of another shape: read the history in full
    missing,  ///< no such table (or schema) yet: nothing applied
};
/// Compares a SHA-256 digest of "version checksum" pairs computed by the server
/// instead of fetching every row.
history_probe probe_history(db_connection& c, const history_table_name& t, const migration_set& set);

/// The whole state: schema and table existence (with the shape check), rows,
/// and their reconcile report.
/// `under_lock`: the caller holds the migration lock, so a table of an earlier
/// shape is upgraded first (upgrade_history_table); without it nothing is written.
core::db_state read_state(db_connection& c, const migration_set& set, const options& opts, bool under_lock = false);
/// Judges the interrupted and repaired no-transaction runs of s.rows
/// (core/resume.hpp) with what the database says (is their backend still
/// active, what did the interrupted statement leave): fills s.resumes and puts
/// the verdicts into s.report. No query when there is no such run. Returns
/// false when a judged row changed after s.rows was read (its backend finished
/// a statement and ended meanwhile): the verdicts are stale, read the rows
/// again (read_rows_and_judge).
bool assess_interrupted_runs(db_connection& c, core::db_state& s, const migration_set& set, const options& opts);
/// For each of report.drifted: what changed (core::describe_drift), from the
/// up SQL its effective up row recorded (history shape 4) and the set's. One
/// query, only when something drifted (a boot that finds nothing to do never
/// reads a text).
void read_drift_texts(db_connection& c, reconcile_report& report, const migration_set& set, const options& opts);
/// s.rows (read_history), s.report (reconcile) and assess_interrupted_runs,
/// read again while a judged row changed meanwhile (at most three reads; then
/// nothing is resumed and the interrupted runs are refusals), then read_drift_texts.
void read_rows_and_judge(db_connection& c, core::db_state& s, const migration_set& set, const options& opts);
/// Fills s.stored_downs: the down SQL recorded with the effective up row of
/// every applied version whose down the set does not ship (one query; none
/// when there is no such version).
void read_stored_downs(db_connection& c, core::db_state& s, const migration_set& set, const options& opts);
} // namespace pgmig::detail::engine
