// pgmig — opening pgmig's connections: retry until a deadline, or on another thread.
#pragma once

#include "engine/db.hpp"

#include <pgmig/startup.hpp>

#include <future>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace pgmig::detail {

/// Connect, retrying with backoff (100 ms doubling to 2 s) until
/// opts.connect_timeout; a permanent failure (authentication, unknown
/// database, bad option) fails at once. The session runs with
/// statement_timeout=0, idle_in_transaction_session_timeout=0 and
/// lock_timeout=opts.ddl_lock_timeout. Throws error(connection), masked.
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

} // namespace pgmig::detail
