// pgmig — opening pgmig's connections: retry until a deadline, or on another
// thread; and what pgmig learns about a session before it writes.
#pragma once

#include "engine/db.hpp"

#include <pgmig/error.hpp>
#include <pgmig/startup.hpp>

#include <future>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace pgmig::detail::engine {

/// The session settings pgmig's connections run with: statement_timeout=0 and
/// idle_in_transaction_session_timeout=0 (a pool's or role's timeouts must not
/// kill a long migration) and lock_timeout=opts.ddl_lock_timeout (blocked DDL
/// fails fast instead of queueing every query behind it), plus `extra`.
std::vector<session_setting> session_settings(const options& opts, const std::vector<session_setting>& extra = {});

/// Connect, retrying with backoff (100 ms doubling to 2 s) until exactly
/// opts.connect_timeout has passed (each attempt's own libpq connect_timeout
/// is cut to what is left); a permanent failure (authentication, unknown
/// database or role, bad option or connection string, an sslmode the server
/// refuses) fails at once, and so does an empty connection string ("no
/// database given"). The session runs with session_settings(opts, extra).
/// Each failed attempt is logged at debug level, the first and every fifth as
/// a warning. Throws error(connection) (error(usage) for an empty string),
/// masked, stating the attempts and the time they took.
std::unique_ptr<db_connection> connect_with_retry(const std::string& conninfo, const options& opts,
                                                  const logger& log,
                                                  const std::vector<session_setting>& extra = {});

/// A connection opened on another thread (connect_with_retry), so that work on
/// the caller's connection goes on meanwhile (opening one costs ~10 ms: a backend
/// start and SCRAM). What connecting logs is held and passed to the caller's
/// logger by get(), on the caller's thread.
class background_connection {
public:
    background_connection(const std::string& conninfo, const options& opts,
                          const std::vector<session_setting>& extra = {});
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

/// What pgmig checks on a session before it writes (one round trip).
struct session_facts {
    int backend_pid = 0;
    /// The protocol announced another backend pid than pg_backend_pid(): the
    /// session goes through a pooler that shares server connections.
    bool pooled = false;
    bool in_recovery = false; ///< pg_is_in_recovery(): a standby
    bool read_only = false;   ///< transaction_read_only (a standby, or default_transaction_read_only)
    /// Settings of db_connection::settings() whose effective value (pg_settings)
    /// differs from what pgmig asked for, with the effective value: a pooler
    /// refused or dropped the startup options.
    std::vector<session_setting> differing;
};

/// One query: backend pid, recovery and read-only state, the effective
/// settings. `first` (SQL, e.g. "SET idle_session_timeout = 0; ") is sent in
/// the same round trip before it.
session_facts inspect_session(db_connection& c, const std::string& first = {});

/// SET each setting for the session and check the effective values (SHOW, as
/// pg_settings) in the same round trip; throws error(database) naming a
/// setting that did not take effect.
void apply_settings(db_connection& c, const std::vector<session_setting>& settings);

/// "SET LOCAL name = 'value'; " for each: the start of a transaction that must
/// not rely on session state (through a transaction pooler).
std::string set_local_sql(const std::vector<session_setting>& settings);

/// The read-only refusal: nothing was written.
error read_only_error(const session_facts& f, const std::string& conninfo);

} // namespace pgmig::detail::engine
