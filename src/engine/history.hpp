// pgmig — the history table: its SQL, its shape check, reading it.
#pragma once

#include "core/planner.hpp" // admin::db_state
#include "engine/db.hpp"

#include <pgmig/history.hpp>
#include <pgmig/migration.hpp>
#include <pgmig/startup.hpp>

#include <string>
#include <utility>
#include <vector>

namespace pgmig::detail {

// ------------------------------------------------------------ SQL text (pure)

/// "schema"."table", quoted.
std::string qualified_table(const history_table_name& t);
/// CREATE TABLE IF NOT EXISTS … and its partial unique index (no CREATE SCHEMA).
std::string history_create_sql(const history_table_name& t);
/// Columns of the history table and their format_type() spelling; the shape check compares against this.
const std::vector<std::pair<std::string, std::string>>& history_columns();
/// "user@host (application_name)" expression for applied_by, as SQL.
std::string applied_by_sql();

/// A description of an existing table's columns ("version bigint, dirty boolean").
struct table_shape {
    bool exists = false;
    bool is_table = true; ///< false for views and other relation kinds
    std::vector<std::pair<std::string, std::string>> columns; ///< name, type
};
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

namespace admin {
/// The whole state: schema and table existence (with the shape check), rows,
/// and their reconcile report.
db_state read_state(db_connection& c, const migration_set& set, const options& opts);
/// Fills s.stored_downs: the down SQL recorded with the effective up row of
/// every applied version whose down the set does not ship (one query; none
/// when there is no such version).
void read_stored_downs(db_connection& c, db_state& s, const migration_set& set, const options& opts);
} // namespace admin

} // namespace pgmig::detail
