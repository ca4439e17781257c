// pgmig — internal engine shared by migrate_on_startup and the CLIs.
#pragma once

#include "engine/db.hpp"

#include <pgmig/error.hpp>
#include <pgmig/history.hpp>
#include <pgmig/migration.hpp>
#include <pgmig/reconcile.hpp>
#include <pgmig/startup.hpp>

#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace pgmig::detail {

// ------------------------------------------------------------ history table SQL (pure)
/// "schema"."table", quoted.
std::string qualified_table(const history_table_name& t);
/// CREATE TABLE IF NOT EXISTS … and its partial unique index (no CREATE SCHEMA).
std::string history_create_sql(const history_table_name& t);
/// Columns of the history table and their format_type() spelling; the shape check compares against this.
const std::vector<std::pair<std::string, std::string>>& history_columns();

/// A description of an existing table's columns ("version bigint, dirty boolean").
struct table_shape {
    bool exists = false;
    bool is_table = true; ///< false for views and other relation kinds
    std::vector<std::pair<std::string, std::string>> columns; ///< name, type
};
/// Empty when compatible; otherwise a full error message (which tool it looks like, what to do).
std::string foreign_table_message(const history_table_name& t, const table_shape& shape);

// ------------------------------------------------------------ history table I/O
table_shape inspect_table(db_connection& c, const history_table_name& t);
/// Throws error(foreign_history_table) when the table has another shape.
/// Returns false when the table does not exist.
bool check_history_table(db_connection& c, const history_table_name& t);
/// Rows ordered by id; empty when the table does not exist. down_sql is not fetched (has_down_sql is).
std::vector<history_row> read_history(db_connection& c, const history_table_name& t);
/// The down SQL recorded with the effective up row of `version`, if any.
std::optional<std::string> stored_down_sql(db_connection& c, const history_table_name& t,
                                           std::int64_t version);
/// Create schema (when missing), table and index. Call under the lock.
/// `known_missing`: the caller just saw no table, so skip the first shape check
/// (the check after CREATE … IF NOT EXISTS still refuses a foreign table).
void ensure_history_table(db_connection& c, const history_table_name& t, bool known_missing = false);

/// Versions whose `down` success row is in effect (rolled back): applying one of
/// them again marks that row reverted. Sorted, for binary_search.
std::vector<std::int64_t> rolled_back_versions(const std::vector<history_row>& rows);

/// "user@host (application_name)" expression for applied_by, as SQL.
std::string applied_by_sql();

// ------------------------------------------------------------ connection
std::unique_ptr<db_connection> connect_with_retry(const std::string& conninfo, const options& opts,
                                                  const logger& log);

/// A connection opened on another thread (connect_with_retry), so that work on
/// the caller's connection goes on meanwhile (opening one costs ~10 ms: a backend
/// start and SCRAM). What connecting logs is held and passed to the caller's
/// logger by get(), on the caller's thread.
class background_connection {
public:
    background_connection(const std::string& conninfo, const options& opts);
    /// Waits for the attempt to end; a connection never taken is closed.
    ~background_connection();
    background_connection(const background_connection&) = delete;
    background_connection& operator=(const background_connection&) = delete;
    /// The connection, or what connecting threw. Once only.
    std::unique_ptr<db_connection> get(const logger& log);

private:
    struct held_logs;
    std::shared_ptr<held_logs> logs_;
    std::future<std::unique_ptr<db_connection>> result_;
};

// ------------------------------------------------------------ advisory lock
/// Session-level advisory lock on a connection of its own (no migration SQL runs
/// on it); released in the destructor.
class migration_lock {
public:
    /// Wait up to opts.lock_timeout, logging the holder every opts.lock_log_interval.
    /// Throws error(lock_timeout) naming the holder.
    migration_lock(const std::string& conninfo, const options& opts, const logger& log);
    /// The same on `conn`, which is the lock's from now on: pgmig's own bookkeeping
    /// (history DDL, reads) may use connection(), the migrations must not.
    migration_lock(std::unique_ptr<db_connection> conn, const std::string& conninfo, const options& opts,
                   const logger& log);
    ~migration_lock();
    migration_lock(const migration_lock&) = delete;
    migration_lock& operator=(const migration_lock&) = delete;

    /// Release now (also done by the destructor). Logs a warning if the server says it was not held.
    void release() noexcept;
    std::int64_t key() const noexcept { return key_; }
    db_connection& connection() { return *conn_; }

private:
    std::unique_ptr<db_connection> conn_;
    std::int64_t key_ = 0;
    logger log_;
    bool held_ = false;
};

/// Who holds the advisory lock `key` now: "pid 123 (application_name 'x', …)", or "" if nobody.
std::string describe_lock_holder(db_connection& c, std::int64_t key);

// ------------------------------------------------------------ executor
/// A transactional step's time as measured by pgmig, to be written to its history row.
struct step_time {
    std::int64_t version = 0;
    direction dir = direction::up;
    std::int64_t ms = 0;
};

/// One run of migrations on one connection (under the migration lock).
///
/// Per-migration bookkeeping is kept to constants: applied_by is read once per
/// session, and each transactional step's execution time is measured here and
/// written for all steps by ONE statement at the end of the run (server-side
/// clock arithmetic in every history INSERT cost ~5% of applying small
/// migrations; the UPDATE touches only the steps that took 1 ms or more). The
/// destructor writes what was not written yet, so times are kept when a later
/// migration fails; only a crash leaves them at 0.
class exec_context {
public:
    exec_context(db_connection& c, const history_table_name& t, const options& o, const logger& l)
        : conn(c), table(t), opts(o), log(l) {}
    ~exec_context() { record_times(); }
    exec_context(const exec_context&) = delete;
    exec_context& operator=(const exec_context&) = delete;

    db_connection& conn;
    const history_table_name& table;
    const options& opts;
    const logger& log;

    /// "user@host (application_name)" of this session as a SQL literal (one query, on first use).
    const std::string& applied_by();
    /// A step's measured time; rows are written with 0, so only steps of 1 ms or more need writing.
    void measured(std::int64_t version, direction dir, std::int64_t ms) {
        if (ms > 0) times_.push_back({version, dir, ms});
    }
    /// Write the measured times not written yet (one UPDATE). Never throws: a failure is logged.
    void record_times() noexcept;

private:
    std::string applied_by_;
    std::vector<step_time> times_;
};

/// Apply one up in one transaction together with its history row. On failure
/// the transaction is rolled back, a `failed` row is recorded in a separate
/// transaction, and error(migration_failed) is thrown naming file, line, SQLSTATE.
/// Returns the execution time in ms.
/// `supersede_down`: the history may hold a `down` success row of this version
/// (it was rolled back before) that must be marked reverted; false skips that UPDATE.
std::int64_t apply_up(exec_context& ctx, const migration& m, bool supersede_down = true);

/// Roll back one applied version with `down_sql` in one transaction with its `down` row.
std::int64_t apply_down(exec_context& ctx, std::int64_t version, const std::string& name,
                        const std::string& checksum, const std::string& down_sql,
                        const std::string& file, int down_line, bool no_transaction);

/// Turn the refusal problems of a report into the error to throw (or nothing).
std::optional<error> refusal_error(const reconcile_report& r);

// ------------------------------------------------------------ executor SQL text (shared with --dry-run)
// apply_up/apply_down send exactly up_transaction_sql/down_transaction_sql, so
// the CLI's --dry-run shows the statements a real run would send.

/// The migration's own lock timeout directive, else opts.ddl_lock_timeout (ms).
std::int64_t effective_lock_timeout_ms(const options& opts, std::int64_t per_file);
/// SQL expression for execution_ms measured by the server within the transaction
/// (no-transaction runs; transactional steps are timed by exec_context).
std::string execution_ms_sql();
/// History bookkeeping of an applied up: marks an earlier down row reverted, inserts the up row.
/// `execution_ms` and `applied_by` are SQL (literals or expressions).
std::string up_bookkeeping_sql(const history_table_name& t, std::int64_t version, const std::string& name,
                               const std::string& checksum, const std::optional<std::string>& down_sql,
                               const std::string& execution_ms, const std::string& applied_by,
                               bool supersede_down = true);
/// History bookkeeping of a rollback: marks the version's success rows reverted, inserts the down row.
std::string down_bookkeeping_sql(const history_table_name& t, std::int64_t version, const std::string& name,
                                 const std::string& checksum, const std::string& execution_ms,
                                 const std::string& applied_by);
/// The one round trip apply_up sends: BEGIN; SET LOCAL …; <up SQL>; <bookkeeping>; COMMIT.
/// `applied_by` is SQL: exec_context::applied_by() when running, applied_by_sql() for --dry-run.
std::string up_transaction_sql(const history_table_name& t, const options& opts, const migration& m,
                               const std::string& applied_by, bool supersede_down = true);
/// The one round trip apply_down sends.
std::string down_transaction_sql(const history_table_name& t, const options& opts, std::int64_t version,
                                 const std::string& name, const std::string& checksum,
                                 const std::string& down_sql, const std::string& applied_by);
/// The statement that writes measured times into the rows of the steps (their
/// `success` row of that version and direction); "" when `times` is empty.
/// A negative ms renders as a placeholder (for --dry-run, which lists every
/// step; a real run writes only the steps that took 1 ms or more).
std::string execution_times_sql(const history_table_name& t, const std::vector<step_time>& times);

// ------------------------------------------------------------ no-transaction executor
/// Run `body` statement by statement outside a transaction (-- pgmig:no-transaction).
/// Writes a `running` row first (with statements_total), updates statements_done
/// after each statement, turns it into `success` at the end or `failed` (with the
/// statement number and line) on error, then throws error(migration_failed).
std::int64_t run_no_transaction(exec_context& ctx, std::int64_t version, const std::string& name,
                                const std::string& checksum, direction dir, const std::string& body,
                                const std::optional<std::string>& down_sql, const std::string& file,
                                int section_line, std::int64_t lock_timeout_ms);

/// The statements run_no_transaction sends, in order (for --dry-run): start
/// (running row + settings), then each statement followed by its progress
/// update, then the finish (success + superseding earlier rows).
std::vector<std::string> no_transaction_sql(const history_table_name& t, std::int64_t version, const std::string& name,
                                            const std::string& checksum, direction dir, const std::string& body,
                                            const std::optional<std::string>& down_sql, std::int64_t lock_timeout_ms);
std::string notx_start_sql(const history_table_name& t, std::int64_t version, const std::string& name,
                           const std::string& checksum, direction dir, std::size_t statements,
                           const std::optional<std::string>& down_sql, std::int64_t lock_timeout_ms);
std::string notx_progress_sql(const history_table_name& t, std::int64_t version, direction dir, std::size_t done);
std::string notx_finish_sql(const history_table_name& t, std::int64_t version, direction dir);

/// Down SQL stored in the history (its file is gone): must it run outside a
/// transaction? True when it holds a statement that cannot run in one, or a
/// -- pgmig:no-transaction line.
bool needs_no_transaction(const std::string& sql);

/// What one cheap query (no lock) says about the history against the set.
enum class history_probe {
    matches,  ///< exactly the set, applied once each, nothing else recorded: up to date
    differs,  ///< anything else, or a table of another shape: read the history in full
    missing,  ///< no such table (or schema) yet: nothing applied
};
/// Compares a SHA-256 digest of "version checksum" pairs computed by the server
/// instead of fetching every row.
history_probe probe_history(db_connection& c, const history_table_name& t, const migration_set& set);

// ------------------------------------------------------------ who blocks a migration's lock
/// After a statement of `sql` failed with lock_not_available (55P03) and its
/// transaction was rolled back: the other sessions that hold granted locks on
/// the relations `sql` names (found with libpg_query; when it names none, the
/// sessions holding strong locks — SHARE and above — on any relation of this
/// database). One entry per session: "pid 123 (application_name 'x', state
/// 'idle in transaction', query started 2026-01-01 10:00:00 UTC, holds
/// AccessExclusiveLock on t): LOCK TABLE t IN ACCESS EXCLUSIVE MODE" (query cut
/// at 80 characters). "" when none is found or the lookup itself fails.
std::string describe_lock_blockers(db_connection& c, const std::string& sql);

} // namespace pgmig::detail
