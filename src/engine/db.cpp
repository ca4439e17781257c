// The only translation unit that includes libpqxx. Keep the API subset small:
// it must build against libpqxx 6.4 (Debian), 7.x and 8.x (vcpkg, Conan).
#include "engine/db.hpp"
#include "core/conninfo.hpp"
#include "core/text.hpp"

#include <pqxx/pqxx>

#include <cstdlib>

namespace pgmig::detail {

namespace {

bool permanent_connection_failure(const std::string& msg) {
    return icontains(msg, "password authentication failed") ||
           icontains(msg, "authentication failed") || icontains(msg, "no password supplied") ||
           icontains(msg, "does not exist") || icontains(msg, "invalid connection option") ||
           icontains(msg, "invalid uri") || icontains(msg, "invalid integer value") ||
           icontains(msg, "missing \"=\"") || icontains(msg, "unterminated quoted string") ||
           icontains(msg, "invalid sslmode") || icontains(msg, "no pg_hba.conf entry") ||
           icontains(msg, "permission denied") || icontains(msg, "invalid percent-encoded") ||
           icontains(msg, "could not translate host name");
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

} // namespace

struct db_connection::impl {
    explicit impl(const std::string& conninfo) : conn(conninfo) {}
    pqxx::connection conn;
};

db_connection::db_connection(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
db_connection::~db_connection() = default;

std::unique_ptr<db_connection> db_connection::open(
    const std::string& conninfo, const std::string& application_name,
    const std::vector<std::pair<std::string, std::string>>& settings) {
    const parsed_conninfo given = parse_conninfo(conninfo);
    std::string effective = conninfo;
    if (!given.has("connect_timeout") && !std::getenv("PGCONNECT_TIMEOUT"))
        effective = add_param(effective, "connect_timeout", "10");
    if (!application_name.empty() && !given.has("application_name") && !std::getenv("PGAPPNAME"))
        effective = add_param(effective, "application_name", application_name);

    // Session settings travel in the startup packet (no extra round trip),
    // unless the caller already passes `options`.
    std::vector<std::pair<std::string, std::string>> all = {{"client_min_messages", "warning"},
                                                             {"standard_conforming_strings", "on"}};
    all.insert(all.end(), settings.begin(), settings.end());
    const bool settings_in_options = !given.has("options");
    if (settings_in_options) {
        std::string opts;
        for (const auto& kv : all) opts += (opts.empty() ? "-c " : " -c ") + kv.first + "=" + kv.second;
        effective = add_param(effective, "options", opts);
    }

    std::unique_ptr<impl> p;
    try {
        p = std::make_unique<impl>(effective);
    } catch (const pqxx::broken_connection& e) {
        std::string msg = trim_message(e.what());
        throw connection_error("cannot connect to " + mask_password(conninfo) + ": " + msg,
                               permanent_connection_failure(msg));
    } catch (const std::exception& e) {
        // Malformed conninfo and the like: libpqxx reports these as other failures.
        std::string msg = trim_message(e.what());
        throw connection_error("cannot connect to " + mask_password(conninfo) + ": " + msg, true);
    }
    std::unique_ptr<db_connection> c(new db_connection(std::move(p)));
    if (!settings_in_options) {
        std::string sql;
        for (const auto& kv : all) sql += "SET " + kv.first + " = " + quote_literal(kv.second) + "; ";
        c->exec(sql);
    }
    return c;
}

std::unique_ptr<db_connection> db_connection::open_plain(const std::string& conninfo) {
    try {
        return std::unique_ptr<db_connection>(new db_connection(std::make_unique<impl>(conninfo)));
    } catch (const pqxx::broken_connection& e) {
        std::string msg = trim_message(e.what());
        throw connection_error("cannot connect to " + mask_password(conninfo) + ": " + msg,
                               permanent_connection_failure(msg));
    }
}

db_result db_connection::query(const std::string& sql) {
    try {
        pqxx::nontransaction tx(impl_->conn);
        pqxx::result r = tx.exec(sql);
        return to_result(r);
    } catch (const pqxx::sql_error& e) {
        std::string msg = trim_message(e.what());
        // sqlstate() is std::string in libpqxx 6/7 and std::string_view in 8.
        throw db_error(msg, std::string(e.sqlstate()), primary_of(msg), error_line_from_message(msg));
    } catch (const pqxx::broken_connection& e) {
        throw connection_error("connection to the database was lost: " + trim_message(e.what()), false);
    } catch (const pqxx::failure& e) {
        // libpqxx 8 reports some connection-breaking errors as other failure types.
        throw connection_error("the database connection failed: " + trim_message(e.what()), false);
    }
}

void db_connection::exec(const std::string& sql) { (void)query(sql); }

int db_connection::backend_pid() {
    if (pid_ == 0) pid_ = std::atoi(query("SELECT pg_backend_pid()").text(0, 0).c_str());
    return pid_;
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

} // namespace pgmig::detail
