// pgmig — error type shared by the library and the CLIs.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace pgmig {

/// Every failure pgmig reports has one of these codes. Each code maps to one
/// stable CLI exit code (see exit_code()); the mapping is documented in the
/// README and never changes for an existing code.
enum class error_code {
    usage,                 ///< bad arguments or options                      (exit 1)
    pending,               ///< verify-only mode and migrations are pending   (exit 2)
    drift,                 ///< an applied migration's checksum differs        (exit 3)
    policy,                ///< unknown or out-of-order versions refused       (exit 3)
    foreign_history_table, ///< history table exists with another shape       (exit 3)
    failed_recorded,       ///< a failed/running row is recorded              (exit 4)
    lock_timeout,          ///< could not take the advisory lock in time      (exit 5)
    connection,            ///< cannot connect / authenticate                 (exit 6)
    migration_failed,      ///< a migration's SQL failed                      (exit 7)
    invalid_migration,     ///< malformed migration files or set              (exit 8)
    not_reversible,        ///< rollback of a migration without down SQL      (exit 3)
    confirmation_required, ///< destructive action without a terminal/--yes   (exit 10)
    database,              ///< unexpected database error in bookkeeping      (exit 9)
    lock_lost,             ///< the run lost its migration lock and stopped    (exit 13)
    read_only,             ///< the server is read-only (standby, read-only db) (exit 14)
};

/// Stable CLI exit code for an error code.
int exit_code(error_code code) noexcept;

/// Short stable identifier, e.g. "drift", "lock_timeout" (used in JSON output).
const char* to_string(error_code code) noexcept;

/// Where an error points: the migration file and line, the version, the SQLSTATE.
struct error_location {
    std::string file;                    ///< migration file name, empty when not applicable
    int line = 0;                        ///< 1-based line in `file`, 0 when unknown
    std::optional<std::int64_t> version; ///< migration version, when one is concerned
    std::string sqlstate;                ///< PostgreSQL SQLSTATE, when the server reported one
};

/// The one exception type pgmig throws. what() is a complete message for a
/// person: what is wrong, where, and which command fixes it. It never
/// contains a password.
class error : public std::runtime_error {
public:
    error(error_code code, const std::string& message, error_location where = {});

    error_code code() const noexcept { return code_; }
    const error_location& where() const noexcept { return where_; }

private:
    error_code code_;
    error_location where_;
};

/// One migration a run applied or rolled back.
struct step_result {
    std::int64_t version = 0;
    std::string name;
    std::string file;              ///< file of the SQL that ran (for a rollback from the history: where it is stored)
    std::int64_t execution_ms = 0; ///< as measured by pgmig
};

/// A run that stopped part-way (a migration failed, the connection was lost, …):
/// code(), what() and where() are those of the cause, and it says what the run
/// had done before it stopped, in order. Those steps are committed; the failed
/// one is not in either list. Modelled on goose's PartialError.
class partial_error : public error {
public:
    partial_error(const error& cause, std::vector<step_result> applied, std::vector<step_result> rolled_back);

    /// Migrations applied (up) before the failure.
    const std::vector<step_result>& applied() const noexcept { return applied_; }
    /// Migrations rolled back (down) before the failure.
    const std::vector<step_result>& rolled_back() const noexcept { return rolled_back_; }

private:
    std::vector<step_result> applied_;
    std::vector<step_result> rolled_back_;
};

} // namespace pgmig
