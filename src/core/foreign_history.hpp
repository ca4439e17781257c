// pgmig — other tools' history tables (golang-migrate, goose, dbmate, sqlx,
// Flyway, sqitch): the one home of what pgmig knows about them. Their table
// names and shapes (recognising a foreign table where pgmig's history should
// be, engine/history.cpp), the one SELECT that reads each, and `import`'s
// pure logic: the tool's rows checked against the migration files and turned
// into the bookkeeping plan that records them in pgmig's history
// (engine/foreign_history.cpp reads, the migrator records under the lock).
// docs/cli.md ("import") documents every tool.
#pragma once

#include "core/planner.hpp"

#include <pgmig/history.hpp>
#include <pgmig/migration.hpp>
#include <pgmig/startup.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pgmig::detail::core {

enum class foreign_tool { golang_migrate, goose, dbmate, sqlx, flyway, sqitch };

/// How a tool checksums a migration (what import can compare).
enum class foreign_checksum {
    none,        ///< the tool records none (golang-migrate, goose, dbmate)
    sha384,      ///< sqlx: SHA-384 of the migration file's SQL, bytea
    crc32_lines, ///< Flyway: CRC32 of the file's lines without their line breaks, a signed int
    sha1,        ///< sqitch: SHA-1 of the deploy script, hex
};

struct foreign_tool_info {
    foreign_tool tool;
    const char* name;          ///< as --from spells it: "golang-migrate", "goose", …
    const char* schema;        ///< where the tool keeps its history by default
    const char* table;
    const char* looks_like;    ///< "golang-migrate's", "a Rails or dbmate" (+ " history table")
    /// Columns that identify the table: (name, type prefix as format_type() spells it).
    std::vector<std::pair<const char*, const char*>> columns;
    foreign_checksum checksum;
    bool by_name = false;      ///< rows name a change (sqitch), not a version
    bool newest_only = false;  ///< one row: the newest version applied (golang-migrate)

    history_table_name default_table() const { return {schema, table}; }
};

/// Every tool import knows, in the order docs and messages list them.
const std::vector<foreign_tool_info>& foreign_tools();
/// By --from name (case-insensitive; "migrate" is golang-migrate), or nullptr.
const foreign_tool_info* find_foreign_tool(std::string_view name);
/// "golang-migrate, goose, dbmate, sqlx, flyway, sqitch".
std::string foreign_tool_names();

/// The tool whose history table has these columns (name, format_type()), or nullptr.
const foreign_tool_info* recognise_foreign_table(const std::vector<std::pair<std::string, std::string>>& columns);
/// Does a table of these columns have `tool`'s shape?
bool has_shape_of(const foreign_tool_info& tool, const std::vector<std::pair<std::string, std::string>>& columns);

/// The one SELECT of the tool's table (`quoted_table`: "schema"."table"), in
/// the order the tool wrote it. Its columns are foreign_row's, in order:
/// order, key, name, applied_at, state, checksum, kind.
std::string foreign_select_sql(const foreign_tool_info& tool, const std::string& quoted_table);

/// One row of the tool's history, as foreign_select_sql reads it.
struct foreign_row {
    std::int64_t order = 0; ///< id, installed_rank, … (0 when the tool keeps none)
    std::string key;        ///< the version as recorded (text), or the change name (sqitch)
    std::string name;       ///< description (sqlx, Flyway), change id (sqitch)
    std::string applied_at; ///< as recorded ("" when the tool keeps none)
    /// applied, dirty (golang-migrate), rolled_back (goose is_applied = false,
    /// a Flyway undo), failed (sqlx, Flyway success = false)
    std::string state;
    std::string checksum;   ///< as recorded: hex (sqlx, sqitch), a signed decimal (Flyway); "" none
    std::string kind;       ///< Flyway's type, sqitch's project
};

// ------------------------------------------------------------------ checksums in the tools' algorithms

/// The tool's checksum of `m` as it would record it, or "" when it cannot be
/// computed from what pgmig holds: only a paired file's .up.sql is the file
/// the tool hashed (a single file's up section is part of a file).
std::string foreign_checksum_of(const foreign_tool_info& tool, const migration& m);
/// Flyway's checksum: CRC32 (IEEE) of the lines' UTF-8 bytes, line breaks left
/// out, as a signed 32-bit integer.
std::int32_t flyway_crc32(std::string_view text);

// ------------------------------------------------------------------ import

struct import_request {
    const foreign_tool_info* tool = nullptr;
    history_table_name table;     ///< the tool's history table
    bool accept_checksums = false;///< import despite checksum mismatches (records the files' checksums)
};

enum class checksum_verdict {
    matches,        ///< the tool's checksum equals the file's
    differs,        ///< the file changed since the tool applied it (imported only with accept_checksums)
    not_recorded,   ///< the tool records no checksum (for this row)
    not_comparable, ///< the file is not what the tool hashed (a single file's section)
};
const char* to_string(checksum_verdict v) noexcept;

/// A version import records as applied.
struct imported_version {
    std::int64_t version = 0;
    std::string name;
    std::string file;
    std::string recorded;          ///< how the tool spelled it ("00003", "1", a change name)
    std::string applied_at;        ///< as the tool recorded it
    bool implied = false;          ///< not a row of its own: older than the newest the tool records
    checksum_verdict checksum = checksum_verdict::not_recorded;
    std::string recorded_checksum; ///< in the tool's algorithm
    std::string file_checksum;     ///< in the tool's algorithm, of the file
};

/// What import found in the tool's history, beside the plan.
struct import_report {
    std::string tool;                       ///< foreign_tool_info::name
    history_table_name table;               ///< the tool's table
    std::size_t rows = 0;                   ///< rows read from it
    std::vector<imported_version> versions; ///< to record (or recorded) as applied, by version
    std::vector<std::string> skipped;       ///< rows that are no migration, and why
    std::vector<std::int64_t> pending;      ///< versions of the set import leaves to `up`
};

struct import_plan {
    import_report report;
    bookkeeping_plan book; ///< command "import": one mark_applied per imported version
};

/// "pgmig's history cannot share the tool's table" when `req.table` is
/// opts.history_table (golang-migrate and dbmate use public.schema_migrations,
/// pgmig's default), with the option to choose another; "" otherwise.
std::string import_table_conflict(const import_request& req, const options& opts);

/// The tool's rows checked against the set. Refuses, changing nothing and
/// naming every offending row: pgmig's history already has rows (policy); a
/// dirty (golang-migrate) or failed (sqlx, Flyway) row (failed_recorded); a
/// rolled-back row, the latest of its version (goose is_applied = false, a
/// Flyway undo: policy); a version that is no integer or not in the set, a
/// change no migration is named after (policy); a checksum that differs
/// (drift, unless req.accept_checksums).
import_plan plan_import(const db_state& s, const migration_set& set, const options& opts, const import_request& req,
                        const std::vector<foreign_row>& rows);

} // namespace pgmig::detail::core
