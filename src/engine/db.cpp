// The only translation unit that includes libpqxx. Keep the API subset small:
// it must build against libpqxx 6.4 (Debian), 7.x and 8.x (vcpkg, Conan).
#include "engine/db.hpp"
#include "core/conninfo.hpp"
#include "core/text.hpp"

#include <pqxx/pqxx>
#if PQXX_VERSION_MAJOR < 7
#include <libpq-fe.h>
#endif

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <set>

#ifndef _WIN32
#include <poll.h>
#endif

namespace pgmig::detail::engine {

namespace {

bool permanent_connection_failure(const std::string& msg) {
    return core::icontains(msg, "password authentication failed") ||
           core::icontains(msg, "authentication failed") || core::icontains(msg, "no password supplied") ||
           core::icontains(msg, "does not exist") || core::icontains(msg, "invalid connection option") ||
           core::icontains(msg, "invalid uri") || core::icontains(msg, "invalid integer value") ||
           core::icontains(msg, "missing \"=\"") || core::icontains(msg, "unterminated quoted string") ||
           core::icontains(msg, "invalid sslmode") || core::icontains(msg, "no pg_hba.conf entry") ||
           core::icontains(msg, "permission denied") || core::icontains(msg, "invalid percent-encoded") ||
           core::icontains(msg, "could not translate host name") ||
           // sslmode=require (or verify-*) against a server without SSL, and the reverse.
           core::icontains(msg, "server does not support SSL") || core::icontains(msg, "SSL was required") ||
           core::icontains(msg, "SSL off") || core::icontains(msg, "certificate verify failed") ||
           core::icontains(msg, "invalid value for parameter") ||
           core::icontains(msg, "unrecognized configuration parameter") ||
           // PgBouncer's words for an unknown database or user.
           core::icontains(msg, "no such database") || core::icontains(msg, "no such user");
}

// PgBouncer (without ignore_startup_parameters = options): "unsupported startup parameter: options".
bool refuses_startup_options(const std::string& msg) {
    return core::icontains(msg, "unsupported startup parameter") && core::icontains(msg, "options");
}

// SQLSTATEs with which the server ends the session: connection_exception (08),
// admin/crash shutdown, cannot connect now, database dropped, idle-session
// timeout (57P01..57P05), idle-in-transaction timeout (25P03).
bool ends_session(const std::string& sqlstate) {
    return sqlstate.rfind("08", 0) == 0 || sqlstate.rfind("57P0", 0) == 0 || sqlstate == "25P03";
}

// Connection strings whose server refused the `options` startup parameter: the
// next connection to them goes without it at once (one refusal per process).
std::mutex refused_mutex;
std::set<std::string>& refused_options() {
    static std::set<std::string> s;
    return s;
}
bool options_refused_before(const std::string& conninfo) {
    std::lock_guard<std::mutex> g(refused_mutex);
    return refused_options().count(conninfo) != 0;
}
void remember_options_refused(const std::string& conninfo) {
    std::lock_guard<std::mutex> g(refused_mutex);
    refused_options().insert(conninfo);
}

std::string trim_message(std::string msg) {
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ' || msg.back() == '\t')) msg.pop_back();
    return msg;
}

// "ERROR:  relation \"x\" does not exist\nLINE 1: ..." -> "relation \"x\" does not exist"
std::string primary_of(const std::string& msg) {
    std::string first = msg.substr(0, msg.find('\n'));
    for (const char* prefix : {"ERROR:  ", "FATAL:  ", "PANIC:  ", "ERROR: ", "FATAL: "}) {
        if (first.rfind(prefix, 0) == 0) return first.substr(std::char_traits<char>::length(prefix));
    }
    return first;
}

db_result to_result(const pqxx::result& r) {
    db_result out;
    out.affected_rows = static_cast<std::int64_t>(r.affected_rows());
#if PQXX_VERSION_MAJOR >= 7
    out.command = std::string(r.cmd_status()); // private in libpqxx 6: query_params() reads it from libpq there
#endif
    const auto ncols = static_cast<std::size_t>(r.columns());
    out.columns.reserve(ncols);
    for (std::size_t c = 0; c < ncols; ++c)
        out.columns.emplace_back(r.column_name(static_cast<pqxx::row::size_type>(c)));
    out.rows.reserve(static_cast<std::size_t>(r.size()));
    for (pqxx::result::size_type i = 0; i < r.size(); ++i) {
        const auto row = r[i];
        std::vector<db_value> values;
        values.reserve(ncols);
        for (std::size_t c = 0; c < ncols; ++c) {
            const auto f = row[static_cast<pqxx::row::size_type>(c)];
            if (f.is_null())
                values.emplace_back(std::nullopt);
            else
                values.emplace_back(f.as<std::string>());
        }
        out.rows.push_back(std::move(values));
    }
    return out;
}

#if PQXX_VERSION_MAJOR < 7
// libpqxx 6's own connection policy (connect_direct, what pqxx::connection
// uses) that also knows the libpq handle it made, for exec() to send through
// libpq directly. The handle is forgotten when libpqxx lets go of it.
class handle_keeping_connect : public pqxx::connect_direct {
public:
    explicit handle_keeping_connect(const std::string& opts) : connect_direct(opts) { constructing() = this; }
    handle do_completeconnect(handle h) override { return current = connect_direct::do_completeconnect(h); }
    handle do_dropconnect(handle h) noexcept override {
        current = nullptr;
        return connect_direct::do_dropconnect(h);
    }
    handle do_disconnect(handle h) noexcept override {
        current = nullptr;
        return connect_direct::do_disconnect(h);
    }
    /// The policy the connection being constructed on this thread made.
    static handle_keeping_connect*& constructing() {
        static thread_local handle_keeping_connect* p = nullptr;
        return p;
    }
    handle current = nullptr;
};
using connection_type = pqxx::basic_connection_base<handle_keeping_connect>;
#else
using connection_type = pqxx::connection;
#endif

} // namespace

struct db_connection::impl {
    explicit impl(const std::string& conninfo) : conn(conninfo) {
#if PQXX_VERSION_MAJOR < 7
        policy = handle_keeping_connect::constructing();
        handle_keeping_connect::constructing() = nullptr;
        // libpqxx 6 reconnects a broken connection silently when the next
        // transaction starts: a new session without the lock or the settings.
        // A lost session must stay lost (the migrator reconnects deliberately).
#include <pqxx/internal/ignore-deprecated-pre.hxx>
        conn.inhibit_reactivation(true);
#include <pqxx/internal/ignore-deprecated-post.hxx>
#endif
    }
    connection_type conn;
#if PQXX_VERSION_MAJOR < 7
    handle_keeping_connect* policy = nullptr;
    /// The libpq handle while the session is open, else nullptr.
    PGconn* raw() const noexcept { return policy != nullptr && conn.is_open() ? policy->current : nullptr; }
#endif
};

std::unique_ptr<db_connection::impl> db_connection::connect_once(const std::string& effective,
                                                                 const std::string& conninfo) {
    try {
        return std::make_unique<db_connection::impl>(effective);
    } catch (const pqxx::broken_connection& e) {
        std::string msg = trim_message(e.what());
        throw connection_error("cannot connect to " + mask_password(conninfo) + ": " + msg,
                               permanent_connection_failure(msg));
    } catch (const std::exception& e) {
        // Malformed conninfo and the like: libpqxx reports these as other failures.
        std::string msg = trim_message(e.what());
        throw connection_error("cannot connect to " + mask_password(conninfo) + ": " + msg, true);
    }
}

db_connection::db_connection(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
db_connection::~db_connection() = default;

std::unique_ptr<db_connection> db_connection::open(const std::string& conninfo, const std::string& application_name,
                                                   const std::vector<session_setting>& settings,
                                                   int connect_timeout_s) {
    const core::parsed_conninfo given = core::parse_conninfo(conninfo);
    std::string effective = conninfo;
    if (!given.has("connect_timeout") && !std::getenv("PGCONNECT_TIMEOUT"))
        effective = core::add_param(effective, "connect_timeout", std::to_string(std::max(2, connect_timeout_s)));
    if (!application_name.empty() && !given.has("application_name") && !std::getenv("PGAPPNAME"))
        effective = core::add_param(effective, "application_name", application_name);
    if (!given.has("keepalives") && !given.has("keepalives_idle") && !given.has("keepalives_interval") &&
        !given.has("keepalives_count")) {
        effective = core::add_param(effective, "keepalives", "1");
        effective = core::add_param(effective, "keepalives_idle", "30");
        effective = core::add_param(effective, "keepalives_interval", "10");
        effective = core::add_param(effective, "keepalives_count", "3");
    }

    std::vector<session_setting> all = {{"client_min_messages", "warning"}, {"standard_conforming_strings", "on"}};
    all.insert(all.end(), settings.begin(), settings.end());

    // Session settings travel in the startup packet (no extra round trip),
    // unless the caller already passes `options` or the server refused them before.
    std::unique_ptr<impl> p;
    std::string note;
    bool in_startup = false;
    if (given.has("options")) {
        note = "the connection string sets `options`; pgmig's session settings are applied with SET";
    } else if (options_refused_before(conninfo)) {
        note = "the server (or a pooler in front of it) refused the startup parameter `options` before; "
               "connected without it";
    } else {
        std::string opts;
        for (const auto& kv : all) opts += (opts.empty() ? "-c " : " -c ") + kv.first + "=" + kv.second;
        try {
            p = connect_once(core::add_param(effective, "options", opts), conninfo);
            in_startup = true;
        } catch (const connection_error& e) {
            if (!refuses_startup_options(e.what())) throw;
            // Not transient: connect again at once without it.
            remember_options_refused(conninfo);
            note = std::string("the server (or a pooler in front of it) refused the startup parameter `options` (") +
                   e.what() + "); connected without it";
        }
    }
    if (!p) p = connect_once(effective, conninfo);
    std::unique_ptr<db_connection> c(new db_connection(std::move(p)));
    c->settings_ = std::move(all);
    c->settings_in_startup_ = in_startup;
    c->startup_note_ = note;
    if (given.has("options")) {
        // A direct connection that chose its own options: ours go with SET.
        std::string sql;
        for (const auto& kv : c->settings_) sql += "SET " + kv.first + " = " + quote_literal(kv.second) + "; ";
        c->exec(sql);
    }
    return c;
}

std::unique_ptr<db_connection> db_connection::open_plain(const std::string& conninfo) {
    return std::unique_ptr<db_connection>(new db_connection(connect_once(conninfo, conninfo)));
}

namespace {

// The server rejected a statement: a db_error, or the session's end.
[[noreturn]] void throw_statement_error(const std::string& message, std::string sqlstate, bool still_open) {
    std::string msg = trim_message(message);
    if (ends_session(sqlstate) || !still_open)
        throw connection_error("the connection to the server was lost: " + primary_of(msg), false, true);
    throw db_error(msg, std::move(sqlstate), primary_of(msg), error_line_from_message(msg));
}

#if PQXX_VERSION_MAJOR < 7
// exec() through libpq itself: libpqxx 6.4 keeps two more copies of the text
// (a temporary and the result's query()), which for a seed file of many
// megabytes is twice its size. libpq keeps its own two (the send buffer and
// the text it quotes error positions from). Every result is read and freed;
// the first error is reported, as PQexec would.
void exec_raw(PGconn* c, const std::string& sql) {
    if (PQsendQuery(c, sql.c_str()) == 0) {
        const std::string msg = trim_message(PQerrorMessage(c));
        if (PQstatus(c) != CONNECTION_OK)
            throw connection_error("the connection to the server was lost: " + msg, false, true);
        throw connection_error("the database connection failed: " + msg, false);
    }
    std::optional<std::pair<std::string, std::string>> failure; // message, SQLSTATE
    while (PGresult* r = PQgetResult(c)) {
        const ExecStatusType status = PQresultStatus(r);
        if ((status == PGRES_FATAL_ERROR || status == PGRES_BAD_RESPONSE) && !failure) {
            const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
            failure.emplace(PQresultErrorMessage(r), state != nullptr ? state : "");
        }
        if (status == PGRES_COPY_IN || status == PGRES_COPY_BOTH)
            (void)PQputCopyEnd(c, "pgmig sends no COPY data: use COPY ... FROM a file the server reads");
        if (status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
            char* row = nullptr;
            while (PQgetCopyData(c, &row, 0) > 0) PQfreemem(row);
        }
        PQclear(r);
        if (PQstatus(c) != CONNECTION_OK) break;
    }
    const bool open = PQstatus(c) == CONNECTION_OK;
    if (failure) throw_statement_error(failure->first, std::move(failure->second), open);
    if (!open)
        throw connection_error("the connection to the server was lost: " + trim_message(PQerrorMessage(c)), false,
                               true);
}

// query_params() through libpq itself (libpqxx 6.4 has no dynamic parameter list).
db_result query_params_raw(PGconn* c, const std::string& sql, const std::vector<db_value>& params) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const db_value& v : params) values.push_back(v ? v->c_str() : nullptr);
    // No parameters: the simple protocol (one or more statements; the last one's result).
    std::unique_ptr<PGresult, void (*)(PGresult*)> r(
        params.empty() ? PQexec(c, sql.c_str())
                       : PQexecParams(c, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                                      nullptr, nullptr, 0),
        PQclear);
    const bool open = PQstatus(c) == CONNECTION_OK;
    if (!r) throw connection_error("the database connection failed: " + trim_message(PQerrorMessage(c)), false, !open);
    const ExecStatusType status = PQresultStatus(r.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        const char* state = PQresultErrorField(r.get(), PG_DIAG_SQLSTATE);
        throw_statement_error(PQresultErrorMessage(r.get()), state != nullptr ? state : "", open);
    }
    db_result out;
    out.command = PQcmdStatus(r.get());
    out.affected_rows = std::atoll(PQcmdTuples(r.get()));
    const int ncols = PQnfields(r.get());
    for (int col = 0; col < ncols; ++col) out.columns.emplace_back(PQfname(r.get(), col));
    const int nrows = PQntuples(r.get());
    out.rows.reserve(static_cast<std::size_t>(nrows));
    for (int row = 0; row < nrows; ++row) {
        std::vector<db_value> values_of_row;
        values_of_row.reserve(static_cast<std::size_t>(ncols));
        for (int col = 0; col < ncols; ++col)
            values_of_row.emplace_back(PQgetisnull(r.get(), row, col) != 0
                                           ? db_value()
                                           : db_value(std::string(PQgetvalue(r.get(), row, col),
                                                                  static_cast<std::size_t>(PQgetlength(r.get(), row, col)))));
        out.rows.push_back(std::move(values_of_row));
    }
    return out;
}
#endif

// Run `f` (a libpqxx call on `conn`) with libpqxx's errors turned into pgmig's.
template <class F>
db_result translating_pqxx_errors(const connection_type& conn, F&& f) {
    try {
        return f();
    } catch (const pqxx::sql_error& e) {
        // sqlstate() is std::string in libpqxx 6/7 and std::string_view in 8.
        throw_statement_error(e.what(), std::string(e.sqlstate()), conn.is_open());
    } catch (const pqxx::broken_connection& e) {
        throw connection_error("the connection to the server was lost: " + trim_message(e.what()), false, true);
    } catch (const pqxx::failure& e) {
        // libpqxx 8 reports some connection-breaking errors as other failure types.
        if (!conn.is_open())
            throw connection_error("the connection to the server was lost: " + trim_message(e.what()), false, true);
        throw connection_error("the database connection failed: " + trim_message(e.what()), false);
    }
}

} // namespace

db_result db_connection::query_params(const std::string& sql, const std::vector<db_value>& params) {
    if (!impl_->conn.is_open())
        throw connection_error("the connection to the server was lost (the session had ended)", false, true);
#if PQXX_VERSION_MAJOR < 7
    PGconn* c = impl_->raw();
    if (c == nullptr)
        throw connection_error("the connection to the server was lost (the session had ended)", false, true);
    return query_params_raw(c, sql, params);
#else
    return translating_pqxx_errors(impl_->conn, [&] {
        pqxx::params p;
        for (const db_value& v : params) {
            if (v)
                p.append(*v);
            else
                p.append();
        }
        pqxx::nontransaction tx(impl_->conn);
        if (params.empty()) return to_result(tx.exec(sql));
#if PQXX_VERSION_MAJOR >= 8
        return to_result(tx.exec(sql, p));
#else
        return to_result(tx.exec_params(sql, p));
#endif
    });
#endif
}

db_result db_connection::query(const std::string& sql) {
    // Never let libpqxx touch a session that ended (it would report "Could not
    // obtain client encoding: not connected.", or reconnect silently).
    if (!impl_->conn.is_open())
        throw connection_error("the connection to the server was lost (the session had ended)", false, true);
    return translating_pqxx_errors(impl_->conn, [&] {
        pqxx::nontransaction tx(impl_->conn);
        return to_result(tx.exec(sql));
    });
}

void db_connection::exec(const std::string& sql) {
#if PQXX_VERSION_MAJOR < 7
    if (PGconn* c = impl_->raw()) return exec_raw(c, sql);
#endif
    (void)query(sql);
}

int db_connection::backend_pid() {
    if (pid_ == 0) pid_ = std::atoi(query("SELECT pg_backend_pid()").text(0, 0).c_str());
    return pid_;
}

int db_connection::protocol_pid() const noexcept { return impl_->conn.backendpid(); }

int db_connection::server_version() const noexcept { return impl_->conn.server_version(); }

bool db_connection::is_open() const noexcept { return impl_->conn.is_open(); }

bool db_connection::alive() noexcept {
    if (!is_open()) return false;
#ifndef _WIN32
    pollfd p{};
    p.fd = impl_->conn.sock();
    p.events = POLLIN;
    if (p.fd < 0) return false;
    if (::poll(&p, 1, 0) == 0) return true; // nothing arrived on the idle session
#endif
    try {
        exec("SELECT 1");
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

std::size_t db_result::column(std::string_view name) const {
    for (std::size_t i = 0; i < columns.size(); ++i)
        if (columns[i] == name) return i;
    throw std::out_of_range("no column " + std::string(name) + " in result");
}

const std::string& db_result::text(std::size_t row, std::size_t col) const {
    static const std::string empty;
    const db_value& v = rows.at(row).at(col);
    return v ? *v : empty;
}

std::string quote_literal(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    out += '\'';
    for (char c : text) {
        if (c == '\0') throw std::invalid_argument("NUL byte in SQL literal");
        if (c == '\'') out += '\'';
        out += c;
    }
    out += '\'';
    return out;
}

std::string quote_ident(std::string_view ident) {
    std::string out;
    out.reserve(ident.size() + 2);
    out += '"';
    for (char c : ident) {
        if (c == '\0') throw std::invalid_argument("NUL byte in SQL identifier");
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

int error_line_from_message(std::string_view message) noexcept {
    // libpq appends "LINE n: <text>" and a caret line when the server reports a position.
    std::size_t pos = 0;
    while ((pos = message.find("LINE ", pos)) != std::string_view::npos) {
        if (pos == 0 || message[pos - 1] == '\n') {
            std::size_t i = pos + 5;
            int n = 0;
            bool digits = false;
            while (i < message.size() && message[i] >= '0' && message[i] <= '9') {
                n = n * 10 + (message[i] - '0');
                digits = true;
                ++i;
                if (n > 100000000) return 0;
            }
            if (digits && i < message.size() && message[i] == ':') return n;
        }
        pos += 5;
    }
    return 0;
}

} // namespace pgmig::detail::engine
