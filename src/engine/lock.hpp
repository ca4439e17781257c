// pgmig — the migration lock: a session advisory lock on a connection of its own.
#pragma once

#include "engine/db.hpp"

#include <pgmig/history.hpp> // advisory_lock_key(), defined in lock.cpp
#include <pgmig/startup.hpp>

#include <cstdint>
#include <memory>
#include <string>

namespace pgmig::detail {

/// Session-level advisory lock (key advisory_lock_key(opts.history_table)) on
/// a connection of its own: no migration SQL runs on it, so a migration's
/// transaction (or a DISCARD ALL / pg_advisory_unlock_all() in one) never
/// touches it; pgmig's own bookkeeping (history DDL, reads, bookkeeping
/// transactions) may use connection(). Released in the destructor.
class migration_lock {
public:
    /// Takes `conn` and polls pg_try_advisory_lock on it for up to
    /// opts.lock_timeout, logging the holder every opts.lock_log_interval.
    /// Throws error(lock_timeout) naming the holder.
    migration_lock(std::unique_ptr<db_connection> conn, const std::string& conninfo, const options& opts,
                   const logger& log);
    ~migration_lock();
    migration_lock(const migration_lock&) = delete;
    migration_lock& operator=(const migration_lock&) = delete;

    /// Release now and close the connection (also done by the destructor).
    /// Logs a warning if the server says it was not held.
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

} // namespace pgmig::detail
