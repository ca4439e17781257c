// pgmig — the ONLY place that knows about libpqxx.
//
// Everything else in pgmig (library, CLI, tests) talks to PostgreSQL through
// this small interface, so that the libpqxx API subset stays tiny and the
// code builds against Debian's libpqxx 6.4 as well as 7.x and 8.x. The subset
// used in db.cpp is: pqxx::connection(std::string), pqxx::nontransaction,
// exec(std::string) -> pqxx::result (size, columns, column_name, field
// is_null/c_str, cmd_status), pqxx::sql_error (what, sqlstate),
// pqxx::broken_connection; on libpqxx 6 also its connection policy
// (connect_direct), whose handle exec() uses with libpq itself (PQsendQuery,
// PQgetResult) and query_params() too (PQexecParams); on libpqxx 7 and 8,
// query_params() uses pqxx::params (append) with exec_params / exec.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace pgmig::detail::engine {

/// The server rejected a statement.
struct db_error : std::runtime_error {
    db_error(const std::string& message, std::string sqlstate_, std::string primary_, int line_)
        : std::runtime_error(message), sqlstate(std::move(sqlstate_)),
          primary(std::move(primary_)), line(line_) {}
    std::string sqlstate; ///< e.g. "42P01"; empty when unknown
    std::string primary;  ///< first line of the server's message, without "ERROR:  "
    int line = 0;         ///< 1-based line in the query text the error points at ("LINE n:"), 0 unknown
};

/// The connection could not be made or was lost. The message never holds a password.
struct connection_error : std::runtime_error {
    connection_error(const std::string& message, bool permanent_, bool lost_ = false)
        : std::runtime_error(message), permanent(permanent_), lost(lost_) {}
    /// Retrying cannot help (authentication failed, database does not exist, bad option).
    bool permanent = false;
    /// The session existed and ended (the server restarted or terminated it, the
    /// network dropped): what it was running may or may not have committed.
    bool lost = false;
};

using db_value = std::optional<std::string>;

/// A fully fetched result: small (history rows, catalog lookups).
struct db_result {
    std::vector<std::string> columns;
    std::vector<std::vector<db_value>> rows;
    std::int64_t affected_rows = 0; ///< rows the (last) statement inserted, updated or deleted
    std::string command;            ///< the (last) statement's command tag, e.g. "UPDATE 5" (always from query_params)

    std::size_t size() const noexcept { return rows.size(); }
    bool empty() const noexcept { return rows.empty(); }
    /// Column index by name; throws std::out_of_range when absent.
    std::size_t column(std::string_view name) const;
    /// Text of a cell, "" for NULL.
    const std::string& text(std::size_t row, std::size_t col) const;
    bool is_null(std::size_t row, std::size_t col) const { return !rows.at(row).at(col).has_value(); }
};

/// A session setting pgmig sends: name and value as pg_settings.setting shows
/// it (a time in the GUC's base unit, e.g. "5000" for lock_timeout).
using session_setting = std::pair<std::string, std::string>;

class db_connection {
public:
    /// Connect once (no retry). Sets application_name (unless the conninfo sets
    /// one), client_min_messages=warning and standard_conforming_strings=on
    /// (through the `options` startup parameter, so no extra round trip).
    /// Adds connect_timeout=`connect_timeout_s` (libpq's minimum is 2) when the
    /// conninfo and PGCONNECT_TIMEOUT set none, and TCP keepalives
    /// (keepalives=1, keepalives_idle=30, keepalives_interval=10,
    /// keepalives_count=3) unless it sets any of them: a dead peer is noticed
    /// in about a minute instead of the kernel's two hours.
    /// Throws connection_error with a masked message.
    /// `settings` (name, value) are added to the session the same way (e.g.
    /// statement_timeout=0); they outrank role and database defaults.
    ///
    /// When the server (or a pooler in front of it: PgBouncer answers
    /// "unsupported startup parameter: options") refuses the `options` startup
    /// parameter, connects again at once without it (and without it for every
    /// later connection to the same conninfo in this process); the settings are
    /// then not applied: settings_in_startup() is false, and the caller applies
    /// them (SET, or SET LOCAL through a transaction pooler).
    static std::unique_ptr<db_connection> open(
        const std::string& conninfo, const std::string& application_name,
        const std::vector<session_setting>& settings = {}, int connect_timeout_s = 10);
    /// Connect with the conninfo exactly as given: no session settings, no
    /// extra round trip. For benchmarks' baselines and tests.
    static std::unique_ptr<db_connection> open_plain(const std::string& conninfo);
    ~db_connection();
    db_connection(const db_connection&) = delete;
    db_connection& operator=(const db_connection&) = delete;

    /// Run one or more statements in one round trip (simple query protocol);
    /// returns the result of the last one. Throws db_error / connection_error.
    db_result query(const std::string& sql);
    /// One statement with parameters $1, $2, … (extended query protocol; each
    /// value sent as text, nullopt as NULL); without parameters, query() with
    /// the command tag (one or more statements). Throws db_error / connection_error.
    db_result query_params(const std::string& sql, const std::vector<db_value>& params);
    /// query() without keeping the result, nor a copy of `sql` beyond libpq's
    /// own (on libpqxx 6 it goes through libpq directly: libpqxx's result
    /// keeps two copies of the query, which for a seed file is twice its size).
    void exec(const std::string& sql);

    /// Backend process id of this session (asked once, then remembered).
    int backend_pid();
    /// The backend process id the protocol announced at connect time (no round
    /// trip). Equal to backend_pid() on a direct connection; a pooler announces
    /// an id of its own, because its clients share server connections.
    int protocol_pid() const noexcept;
    /// The server's version as server_version_num (e.g. 150004), from connect time.
    int server_version() const noexcept;
    /// Is the session still usable as far as the client knows (no round trip)?
    bool is_open() const noexcept;
    /// A cheap liveness check, no round trip in the normal case: when nothing
    /// arrived on the idle connection, true; when something did (the server
    /// ends a session with a FATAL message and closing the socket), one round
    /// trip says whether the session still works. The fence inside each
    /// migration's transaction is the real check; this one stops a run early.
    bool alive() noexcept;
    /// Were the session settings sent in the startup packet? False when the
    /// server or a pooler refused the `options` parameter (see open()) or the
    /// conninfo sets `options` itself (then open() applied them with SET).
    bool settings_in_startup() const noexcept { return settings_in_startup_; }
    /// Why settings_in_startup() is false, for a debug log line; "" otherwise.
    const std::string& startup_note() const noexcept { return startup_note_; }
    /// The settings open() was asked for (pgmig's defaults first).
    const std::vector<session_setting>& settings() const noexcept { return settings_; }

private:
    struct impl;
    explicit db_connection(std::unique_ptr<impl> p);
    /// One libpq connect of `effective`; errors name `conninfo`, masked.
    static std::unique_ptr<impl> connect_once(const std::string& effective, const std::string& conninfo);
    std::unique_ptr<impl> impl_;
    int pid_ = 0;
    bool settings_in_startup_ = true;
    std::string startup_note_;
    std::vector<session_setting> settings_;
};

/// 'text' with quotes doubled (standard_conforming_strings is on for our sessions).
/// Throws std::invalid_argument on a NUL byte.
std::string quote_literal(std::string_view text);
/// "ident" with double quotes doubled.
std::string quote_ident(std::string_view ident);

/// Parse "LINE n:" from a libpq error message; 0 when absent.
int error_line_from_message(std::string_view message) noexcept;

} // namespace pgmig::detail::engine
