// Opening pgmig's connections: with retry until a deadline, or on another thread.
#include "engine/connect.hpp"
#include "core/duration.hpp"
#include "core/conninfo.hpp"

#include <pgmig/error.hpp>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <thread>

namespace pgmig::detail {

std::unique_ptr<db_connection> connect_with_retry(const std::string& conninfo, const options& opts,
                                                  const logger& log) {
    using clock = std::chrono::steady_clock;
    const auto deadline = clock::now() + opts.connect_timeout;
    auto delay = std::chrono::milliseconds(100);
    int attempt = 0;
    for (;;) {
        ++attempt;
        try {
            // A pool's (or role's) statement_timeout must not kill a long migration;
            // lock_timeout makes blocked DDL fail fast instead of queueing every query
            // behind it. In the startup packet: no round trip, and they outrank role
            // and database defaults.
            return db_connection::open(
                conninfo, opts.application_name,
                {{"statement_timeout", "0"},
                 {"idle_in_transaction_session_timeout", "0"},
                 {"lock_timeout", std::to_string(opts.ddl_lock_timeout.count()) + "ms"}});
        } catch (const connection_error& e) {
            const std::string msg = scrub(e.what(), conninfo);
            if (e.permanent || clock::now() + delay >= deadline) {
                std::string text = msg;
                if (!e.permanent && attempt > 1)
                    text += " (gave up after " + std::to_string(attempt) + " attempts in " +
                            format_duration(opts.connect_timeout) + ")";
                throw error(error_code::connection, text);
            }
            if (attempt == 1 || attempt % 5 == 0)
                log(log_level::warning, msg + "; retrying in " + format_duration(delay));
            std::this_thread::sleep_for(delay);
            delay = std::min(delay * 2, std::chrono::milliseconds(2000));
        }
    }
}

struct background_connection::held_logs {
    std::mutex m;
    std::vector<std::pair<log_level, std::string>> lines;
};

background_connection::background_connection(const std::string& conninfo, const options& opts)
    : logs_(std::make_shared<held_logs>()) {
    // The thread gets copies: it may outlive neither, but owns what it reads.
    result_ = std::async(std::launch::async, [conninfo, opts, logs = logs_] {
        const logger hold = [logs](log_level l, const std::string& m) {
            std::lock_guard<std::mutex> g(logs->m);
            logs->lines.emplace_back(l, m);
        };
        return connect_with_retry(conninfo, opts, hold);
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

} // namespace pgmig::detail
