// Opening pgmig's connections: with retry until a deadline, or on another
// thread; inspecting a session before pgmig writes.
#include "engine/connect.hpp"
#include "core/conninfo.hpp"
#include "core/duration.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <thread>

namespace pgmig::detail::engine {

namespace {
using clock = std::chrono::steady_clock;

std::chrono::milliseconds since(clock::time_point t0) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - t0);
}
} // namespace

std::vector<session_setting> session_settings(const options& opts, const std::vector<session_setting>& extra) {
    std::vector<session_setting> s = {{"statement_timeout", "0"},
                                      {"idle_in_transaction_session_timeout", "0"},
                                      {"lock_timeout", std::to_string(opts.ddl_lock_timeout.count())}};
    s.insert(s.end(), extra.begin(), extra.end());
    return s;
}

std::unique_ptr<db_connection> connect_with_retry(const std::string& conninfo, const options& opts,
                                                  const logger& log, const std::vector<session_setting>& extra) {
    if (core::trim(conninfo, core::is_space).empty())
        throw error(error_code::usage, "no database given: the connection string is empty (when it comes from the environment, such as DB_URL, that variable is unset or empty)");
    const auto start = clock::now();
    const auto deadline = start + opts.connect_timeout;
    const std::vector<session_setting> settings = session_settings(opts, extra);
    auto delay = std::chrono::milliseconds(100);
    int attempt = 0;
    for (;;) {
        ++attempt;
        // An attempt may take no longer than what is left (libpq counts whole seconds, at least 2).
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
        const int attempt_timeout_s = static_cast<int>(std::min<long long>(10, std::max<long long>(2, (left.count() + 999) / 1000)));
        try {
            // In the startup packet: no round trip, and they outrank role and database defaults.
            std::unique_ptr<db_connection> c =
                db_connection::open(conninfo, opts.application_name, settings, attempt_timeout_s);
            if (!c->startup_note().empty()) log(log_level::debug, core::scrub(c->startup_note(), conninfo));
            return c;
        } catch (const connection_error& e) {
            const std::string msg = core::scrub(e.what(), conninfo);
            const auto now = clock::now();
            if (e.permanent) {
                throw error(error_code::connection,
                            msg + " (not retried: no retry can fix this; attempt " + std::to_string(attempt) + ")");
            }
            if (now >= deadline) {
                throw error(error_code::connection,
                            msg + " (gave up after " + std::to_string(attempt) +
                                (attempt == 1 ? " attempt in " : " attempts in ") + core::format_duration(since(start)) +
                                "; connect_timeout is " + core::format_duration(opts.connect_timeout) + ")");
            }
            const auto pause = std::min(delay, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now));
            log(log_level::debug, "connection attempt " + std::to_string(attempt) + " failed: " + msg +
                                      "; retrying in " + core::format_duration(pause));
            if (attempt == 1 || attempt % 5 == 0)
                log(log_level::warning, msg + "; retrying in " + core::format_duration(pause));
            std::this_thread::sleep_for(pause);
            delay = std::min(delay * 2, std::chrono::milliseconds(2000));
        }
    }
}

struct background_connection::held_logs {
    std::mutex m;
    std::vector<std::pair<log_level, std::string>> lines;
};

background_connection::background_connection(const std::string& conninfo, const options& opts,
                                             const std::vector<session_setting>& extra)
    : logs_(std::make_shared<held_logs>()) {
    // The thread gets copies: it may outlive neither, but owns what it reads.
    result_ = std::async(std::launch::async, [conninfo, opts, extra, logs = logs_] {
        const logger hold = [logs](log_level l, const std::string& m) {
            std::lock_guard<std::mutex> g(logs->m);
            logs->lines.emplace_back(l, m);
        };
        return connect_with_retry(conninfo, opts, hold, extra);
    });
}

background_connection::~background_connection() {
    if (!result_.valid()) return;
    try {
        result_.get(); // wait; an untaken connection closes here
    } catch (...) {
    }
}

std::unique_ptr<db_connection> background_connection::get(const logger& log) {
    std::unique_ptr<db_connection> c;
    std::exception_ptr failed;
    try {
        c = result_.get();
    } catch (...) {
        failed = std::current_exception();
    }
    std::vector<std::pair<log_level, std::string>> lines;
    {
        std::lock_guard<std::mutex> g(logs_->m);
        lines.swap(logs_->lines);
    }
    for (const auto& l : lines) log(l.first, l.second);
    if (failed) std::rethrow_exception(failed);
    return c;
}

// ------------------------------------------------------------------ inspecting a session

session_facts inspect_session(db_connection& c, const std::string& first) {
    std::string names;
    for (const session_setting& s : c.settings()) names += (names.empty() ? "" : ", ") + quote_literal(s.first);
    const db_result r = c.query(
        first +
        "SELECT pg_catalog.pg_backend_pid(), pg_catalog.pg_is_in_recovery()::int, "
        "pg_catalog.current_setting('transaction_read_only'), "
        "coalesce((SELECT string_agg(name || '=' || setting, E'\\n' ORDER BY name) FROM pg_catalog.pg_settings "
        "WHERE name IN (" + (names.empty() ? std::string("''") : names) + ")), '')");
    session_facts f;
    f.backend_pid = std::atoi(r.text(0, 0).c_str());
    f.pooled = f.backend_pid != c.protocol_pid();
    f.in_recovery = r.text(0, 1) == "1";
    f.read_only = r.text(0, 2) == "on";
    const std::string& effective = r.text(0, 3);
    for (const session_setting& s : c.settings()) {
        std::string value;
        bool found = false;
        std::size_t pos = 0;
        while (pos <= effective.size()) {
            std::size_t end = effective.find('\n', pos);
            if (end == std::string::npos) end = effective.size();
            const std::string line = effective.substr(pos, end - pos);
            if (line.size() > s.first.size() && line.compare(0, s.first.size(), s.first) == 0 &&
                line[s.first.size()] == '=') {
                value = line.substr(s.first.size() + 1);
                found = true;
            }
            pos = end + 1;
        }
        // A setting the server does not know is not ours to check.
        if (found && value != s.second) f.differing.emplace_back(s.first, value);
    }
    return f;
}

void apply_settings(db_connection& c, const std::vector<session_setting>& settings) {
    if (settings.empty()) return;
    std::string sql, names;
    for (const session_setting& s : settings) {
        sql += "SET " + s.first + " = " + quote_literal(s.second) + "; ";
        names += (names.empty() ? "" : ", ") + quote_literal(s.first);
    }
    const db_result r = c.query(sql + "SELECT name, setting FROM pg_catalog.pg_settings WHERE name IN (" + names + ")");
    for (std::size_t i = 0; i < r.size(); ++i)
        for (const session_setting& s : settings)
            if (s.first == r.text(i, 0) && s.second != r.text(i, 1))
                throw error(error_code::database, "SET " + s.first + " = '" + s.second +
                                                      "' did not take effect (SHOW says '" + r.text(i, 1) +
                                                      "'): something between pgmig and the server changes session "
                                                      "settings");
}

std::string set_local_sql(const std::vector<session_setting>& settings) {
    std::string sql;
    for (const session_setting& s : settings) sql += "SET LOCAL " + s.first + " = " + quote_literal(s.second) + "; ";
    return sql;
}

error read_only_error(const session_facts& f, const std::string& conninfo) {
    return error(error_code::read_only,
                 "the server is read-only (a standby, or default_transaction_read_only is on); migrations must run "
                 "on the primary. " +
                     std::string(f.in_recovery
                                     ? "pg_is_in_recovery() is true: " + mask_password(conninfo) + " is a standby."
                                     : "default_transaction_read_only is on for this session (set for the server, "
                                       "the database or the role).") +
                     " Nothing was written. Reading commands (status, verify) work here; point the migrations at "
                     "the primary (e.g. target_session_attrs=read-write in the connection string).");
}

} // namespace pgmig::detail::engine
