// pgmig — the ONLY place that knows about libpqxx.
//
// Everything else in pgmig (library, CLI, tests) talks to PostgreSQL through
// this small interface, so that the libpqxx API subset stays tiny and the
// code builds against Debian's libpqxx 6.4 as well as 7.x and 8.x. The subset
// used in db.cpp is: pqxx::connection(std::string), pqxx::nontransaction,
// exec(std::string) -> pqxx::result (size, columns, column_name, field
// is_null/c_str), pqxx::sql_error (what, sqlstate), pqxx::broken_connection.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace pgmig::detail {

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
    connection_error(const std::string& message, bool permanent_)
        : std::runtime_error(message), permanent(permanent_) {}
    /// Retrying cannot help (authentication failed, database does not exist, bad option).
    bool permanent = false;
};

using db_value = std::optional<std::string>;

/// A fully fetched result: small (history rows, catalog lookups).
struct db_result {
    std::vector<std::string> columns;
    std::vector<std::vector<db_value>> rows;

    std::size_t size() const noexcept { return rows.size(); }
    bool empty() const noexcept { return rows.empty(); }
    /// Column index by name; throws std::out_of_range when absent.
    std::size_t column(std::string_view name) const;
    /// Text of a cell, "" for NULL.
    const std::string& text(std::size_t row, std::size_t col) const;
    bool is_null(std::size_t row, std::size_t col) const { return !rows.at(row).at(col).has_value(); }
};

class db_connection {
public:
    /// Connect once (no retry). Sets application_name (unless the conninfo sets
    /// one), client_min_messages=warning and standard_conforming_strings=on
    /// (through the `options` startup parameter, so no extra round trip).
    /// Adds connect_timeout=10 when the conninfo sets none.
    /// Throws connection_error with a masked message.
    /// `settings` (name, value) are added to the session the same way (e.g.
    /// statement_timeout=0); they outrank role and database defaults.
    static std::unique_ptr<db_connection> open(
        const std::string& conninfo, const std::string& application_name,
        const std::vector<std::pair<std::string, std::string>>& settings = {});
    /// Connect with the conninfo exactly as given: no session settings, no
    /// extra round trip. For benchmarks' baselines and tests.
    static std::unique_ptr<db_connection> open_plain(const std::string& conninfo);
    ~db_connection();
    db_connection(const db_connection&) = delete;
    db_connection& operator=(const db_connection&) = delete;

    /// Run one or more statements in one round trip (simple query protocol);
    /// returns the result of the last one. Throws db_error / connection_error.
    db_result query(const std::string& sql);
    /// query() without keeping the result.
    void exec(const std::string& sql);

    /// Backend process id of this session (asked once, then remembered).
    int backend_pid();

private:
    struct impl;
    explicit db_connection(std::unique_ptr<impl> p);
    std::unique_ptr<impl> impl_;
    int pid_ = 0;
};

/// 'text' with quotes doubled (standard_conforming_strings is on for our sessions).
/// Throws std::invalid_argument on a NUL byte.
std::string quote_literal(std::string_view text);
/// "ident" with double quotes doubled.
std::string quote_ident(std::string_view ident);

/// Parse "LINE n:" from a libpq error message; 0 when absent.
int error_line_from_message(std::string_view message) noexcept;

} // namespace pgmig::detail
