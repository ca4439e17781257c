// pgmig — the history table (schema_migrations) as the library sees it.
#pragma once

#include <cstdint>
#include <string>

namespace pgmig {

/// Where the history lives. Identifiers are always quoted in SQL.
struct history_table_name {
    std::string schema = "public";
    std::string table = "schema_migrations";

    /// "schema.table" exactly as configured (unquoted), used in messages and the lock key.
    std::string qualified() const { return schema + "." + table; }
};

enum class direction { up, down };

/// success/failed/running are the original specification's statuses;
/// reverted marks a success row superseded by a later rollback (or a later
/// re-apply, for a down row); repaired marks a failed/running row that an
/// operator cleared with `repair`.
enum class row_status { success, failed, running, reverted, repaired };

const char* to_string(direction d) noexcept;
const char* to_string(row_status s) noexcept;

/// One row of the history table.
struct history_row {
    std::int64_t id = 0;
    std::int64_t version = 0;
    std::string name;
    std::string checksum;          ///< "sha256:<hex>"
    std::string applied_at;        ///< ISO 8601 with time zone, as the server formats it
    direction dir = direction::up;
    row_status status = row_status::success;
    std::string error_message;     ///< empty unless failed/running
    std::int64_t execution_ms = 0;
    std::string applied_by;        ///< "user@host (application_name)"
    bool has_down_sql = false;
    std::string down_sql;          ///< down SQL as shipped when the up was applied
    int statements_done = 0;       ///< no-transaction progress
    int statements_total = 0;
    /// No-transaction runs (history shape 2): the run that wrote the row, and
    /// the server backend that ran its statements (pid and backend start, so a
    /// reused pid is not mistaken for it). Empty / 0 in rows of earlier shapes.
    std::string run_id;
    int backend_pid = 0;
    std::string backend_start;     ///< ISO 8601, as the server formats it
    /// History shape 3: the phase the migration had when it ran ("pre-deploy",
    /// "post-deploy"; empty in rows of earlier shapes, which are pre-deploy),
    /// and the progress of its batched statements (-- pgmig:batch): batches
    /// committed and rows they affected, so far.
    std::string phase;
    std::int64_t batches_done = 0;
    std::int64_t batch_rows = 0;
};

/// The advisory lock key for a history table (see README, "Lock key"):
/// the first 8 bytes of SHA-256("pgmig:" + schema + "." + table), read as a
/// big-endian two's-complement 64-bit integer. This formula never changes.
std::int64_t advisory_lock_key(const history_table_name& table);

} // namespace pgmig
