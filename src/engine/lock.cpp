// Connecting with retry, and the advisory lock.
#include "engine/engine.hpp"
#include "core/duration.hpp"
#include "core/conninfo.hpp"

#include <algorithm>
#include <mutex>
#include <random>
#include <thread>

namespace pgmig::detail {

namespace {

using clock = std::chrono::steady_clock;

} // namespace

std::unique_ptr<db_connection> connect_with_retry(const std::string& conninfo, const options& opts,
                                                  const logger& log) {
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

std::string describe_lock_holder(db_connection& c, std::int64_t key) {
    const auto u = static_cast<std::uint64_t>(key);
    const std::uint64_t hi = u >> 32, lo = u & 0xffffffffULL;
    const db_result r = c.query(
        "SELECT l.pid, coalesce(a.application_name, ''), coalesce(a.usename::text, ''), "
        "coalesce(host(a.client_addr), 'local socket'), "
        "coalesce(to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS\"Z\"'), ''), "
        "coalesce(a.state, '') "
        "FROM pg_catalog.pg_locks l LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
        "AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database()) "
        "AND l.classid::text::bigint = " + std::to_string(hi) + " AND l.objid::text::bigint = " +
        std::to_string(lo) + " LIMIT 1");
    if (r.empty()) return {};
    return "pid " + r.text(0, 0) + " (application_name '" + r.text(0, 1) + "', user " +
           r.text(0, 2) + ", client " + r.text(0, 3) + ", connected since " + r.text(0, 4) +
           ", state " + r.text(0, 5) + ")";
}

// ------------------------------------------------------------ background connection

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

// ------------------------------------------------------------ migration_lock

migration_lock::migration_lock(const std::string& conninfo, const options& opts, const logger& log)
    : migration_lock(connect_with_retry(conninfo, opts, log), conninfo, opts, log) {}

migration_lock::migration_lock(std::unique_ptr<db_connection> conn, const std::string& conninfo,
                               const options& opts, const logger& log)
    : conn_(std::move(conn)), key_(advisory_lock_key(opts.history_table)), log_(log) {
    const std::string try_sql = "SELECT pg_try_advisory_lock(" + std::to_string(key_) + ")";
    const auto start = clock::now();
    const auto deadline = start + opts.lock_timeout;
    auto next_log = start + opts.lock_log_interval;
    std::mt19937 rng(static_cast<unsigned>(conn_->backend_pid()));
    std::uniform_int_distribution<int> jitter(0, 50);
    bool announced = false;
    for (;;) {
        try {
            if (conn_->query(try_sql).text(0, 0) == "t") {
                held_ = true;
                if (announced)
                    log_(log_level::info, "took the migration lock after waiting " +
                                              format_duration(std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - start)));
                return;
            }
        } catch (const db_error& e) {
            throw error(error_code::database, std::string("cannot take the migration lock: ") + e.what());
        } catch (const connection_error& e) {
            throw error(error_code::connection, scrub(e.what(), conninfo));
        }
        const auto now = clock::now();
        if (!announced || now >= next_log || now >= deadline) {
            std::string holder;
            try {
                holder = describe_lock_holder(*conn_, key_);
            } catch (const std::exception&) {
            }
            std::string terminate = "SELECT pg_terminate_backend(<pid>)";
            if (holder.rfind("pid ", 0) == 0)
                terminate = "SELECT pg_terminate_backend(" + holder.substr(4, holder.find(' ', 4) - 4) + ")";
            if (holder.empty()) holder = "another session";
            if (now >= deadline) {
                throw error(error_code::lock_timeout,
                            "timed out after " + format_duration(opts.lock_timeout) +
                                " waiting for the migration lock on " + opts.history_table.qualified() +
                                " (advisory lock key " + std::to_string(key_) + "), held by " + holder +
                                ". Another instance is probably migrating; wait for it, or if it is stuck, "
                                "stop it (" + terminate + ") and start again.");
            }
            log_(log_level::info, "waiting for the migration lock on " + opts.history_table.qualified() +
                                      " (key " + std::to_string(key_) + "), held by " + holder);
            announced = true;
            next_log = now + opts.lock_log_interval;
        }
        auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
        auto pause = std::min(std::chrono::milliseconds(100 + jitter(rng)), remaining);
        if (pause.count() > 0) std::this_thread::sleep_for(pause);
    }
}

void migration_lock::release() noexcept {
    if (!held_ || !conn_) return;
    held_ = false;
    try {
        const db_result r = conn_->query("SELECT pg_advisory_unlock(" + std::to_string(key_) + ")");
        if (r.text(0, 0) != "t")
            log_(log_level::warning, "the migration lock (key " + std::to_string(key_) +
                                         ") was not held when releasing it");
    } catch (const std::exception& e) {
        // Closing the session below releases a session-level lock anyway.
        try {
            log_(log_level::warning, std::string("releasing the migration lock failed: ") + e.what() +
                                         "; closing its connection releases it");
        } catch (...) {
        }
    }
    conn_.reset();
}

migration_lock::~migration_lock() { release(); }

} // namespace pgmig::detail
