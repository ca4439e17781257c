// pgmig — the migration lock: a session advisory lock on a connection of its
// own, or (through a transaction pooler) a transaction-scoped one; and the
// fence that makes each migration commit only while the run holds it.
#pragma once

#include "engine/db.hpp"

#include <pgmig/history.hpp> // advisory_lock_key(), defined in lock.cpp
#include <pgmig/startup.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

namespace pgmig::detail::engine {

/// Session-level advisory lock (key advisory_lock_key(opts.history_table)) on
/// a connection of its own: no migration SQL runs on it, so a migration's
/// transaction (or a DISCARD ALL / pg_advisory_unlock_all() in one) never
/// touches it; pgmig's own bookkeeping (history DDL, reads, bookkeeping
/// transactions) may use connection(). Released in the destructor.
///
/// Transaction-scoped (`transaction_scoped`, for a connection through a
/// transaction pooler): a transaction is opened on the connection and
/// pg_try_advisory_xact_lock polled in it; the lock ends with commit() (or the
/// rollback in the destructor). Each migration then takes the lock again in
/// its own transaction (lock_fence).
///
/// Either way, once the lock is granted it waits for a migration transaction
/// of an earlier holder that is past its fence check to end (LOCK TABLE
/// <history> IN SHARE MODE: that transaction holds its history row), so the
/// history read next includes what it committed.
class migration_lock {
public:
    /// Takes `conn` and polls for up to opts.lock_timeout, logging the holder
    /// every opts.lock_log_interval. Throws error(lock_timeout) naming the holder.
    migration_lock(std::unique_ptr<db_connection> conn, const std::string& conninfo, const options& opts,
                   const logger& log, bool transaction_scoped = false);
    ~migration_lock();
    migration_lock(const migration_lock&) = delete;
    migration_lock& operator=(const migration_lock&) = delete;

    /// Release now and close the connection (also done by the destructor).
    /// Logs a warning if the server says it was not held.
    void release() noexcept;
    /// The session ended (the server is gone or terminated it): close the
    /// connection without trying to unlock or warn.
    void abandon() noexcept;
    /// Transaction-scoped: commit the lock's transaction (what was written
    /// under it becomes visible), which releases the lock.
    void commit();
    /// Transaction-scoped: the caller's own COMMIT or ROLLBACK ended the lock's transaction.
    void ended() noexcept { held_ = false; }
    std::int64_t key() const noexcept { return key_; }
    bool transaction_scoped() const noexcept { return xact_; }
    /// Backend pid of the lock's session (what the fence checks in pg_locks).
    int backend_pid() { return conn_->backend_pid(); }
    db_connection& connection() { return *conn_; }
    /// Session mode: "k1, k2", the run key (two-key advisory lock, random per
    /// run) the lock's session holds beside the lock, which the fence tests.
    const std::string& run_key() const noexcept { return run_key_; }
    /// Is the lock's session still there? No round trip unless the server
    /// sent something (see db_connection::alive()).
    bool alive() noexcept { return conn_ && conn_->alive(); }

private:
    std::unique_ptr<db_connection> conn_;
    std::int64_t key_ = 0;
    logger log_;
    bool held_ = false;
    bool xact_ = false;
    std::string run_key_;
};

/// Who holds the advisory lock `key` now: "pid 123 (application_name 'x', …)", or "" if nobody.
std::string describe_lock_holder(db_connection& c, std::int64_t key);

// ------------------------------------------------------------------ the fence

/// A migration's transaction was stopped by the fence.
struct fence_violation : std::runtime_error {
    enum class kind {
        lock_lost,       ///< session mode: the lock's session no longer holds the lock
        lock_wait,       ///< transaction mode: the lock was not granted within lock_timeout
        history_changed, ///< transaction mode: another instance wrote to the history meanwhile
    };
    fence_violation(kind k, const std::string& message) : std::runtime_error(message), what_kind(k) {}
    kind what_kind;
};

/// What each migration's transaction runs so that it commits only while the
/// run holds the lock, in the migration's own round trip:
///
///   BEGIN; <begin_sql> <the migration's SQL>; <history row, its status status_sql>; COMMIT
///
/// Session mode: the history row's status is status_sql, which raises when the
/// lock's session is gone: that session holds, beside the lock, a run key of
/// its own (a random two-key advisory lock), so
/// pg_try_advisory_xact_lock_shared(run key) succeeds exactly when it ended
/// (one cheap call; pg_locks would read the whole lock table), and then the
/// status is current_setting('pgmig: the migration lock … ended'), which fails
/// with SQLSTATE 42704 (unrecognized configuration parameter "<the message>").
/// The check costs no statement of its own. Transaction mode: begin_sql sets
/// the session settings with SET LOCAL, takes pg_advisory_xact_lock(key)
/// (waiting up to lock_timeout: PGM02) and LOCK TABLE <history> IN SHARE MODE,
/// and raises PGM03 when the history does not have the rows the run expects
/// (another instance wrote meanwhile).
///
/// A transaction past its check holds its history row (RowExclusiveLock); a
/// new holder takes the history table IN SHARE MODE once after the lock, so
/// that such a transaction has committed (or rolled back) before it reads.
struct lock_fence {
    std::string begin_sql;                ///< one line, ends with "; " (or empty)
    std::string status_sql = "'success'"; ///< the status of the step's history row (SQL)
    /// Run before each statement of a no-transaction migration (which no
    /// transaction can fence): throws fence_violation when the lock is gone.
    std::function<void()> between;

    /// Throws fence_violation when `e` is one of the fence's own errors.
    static void check(const db_error& e);
};

/// status_sql of a session-mode fence: the lock `key` and `run_key` held by backend
/// `lock_pid` (a dry run, which holds no lock, passes placeholders for both).
std::string session_fence_status_sql(std::int64_t key, const std::string& run_key, const std::string& lock_pid);
/// begin_sql of a transaction-mode fence: `settings` with SET LOCAL, the lock
/// (waiting up to `lock_timeout_ms`, 0 = no limit), the history
/// `table` holding `rows` rows; the lock_timeout is `ddl_lock_timeout_ms` after it.
std::string transaction_lock_sql(std::int64_t key, const std::string& table, std::size_t rows,
                                 std::int64_t lock_timeout_ms, std::int64_t ddl_lock_timeout_ms,
                                 const std::string& set_local);

} // namespace pgmig::detail::engine
