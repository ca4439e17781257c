// The migration lock (a session advisory lock) and its key.
#include "engine/lock.hpp"
#include "core/checksum.hpp"
#include "core/duration.hpp"
#include "core/conninfo.hpp"
#include "engine/history.hpp"

#include <pgmig/error.hpp>

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

namespace pgmig {

// The formula is part of pgmig's compatibility contract (two versions of a
// service must agree on the key while they boot side by side); never change it.
std::int64_t advisory_lock_key(const history_table_name& table) {
    const std::string input = "pgmig:" + table.schema + "." + table.table;
    const detail::core::sha256_digest digest = detail::core::sha256(input);

    std::uint64_t value = 0;
    for (std::size_t i = 0; i < 8; ++i) value = (value << 8) | digest[i]; // big-endian

    // Two's-complement reinterpretation without implementation-defined conversion.
    constexpr std::uint64_t sign_bit = std::uint64_t{1} << 63;
    if ((value & sign_bit) == 0) return static_cast<std::int64_t>(value);
    // value = 2^64 - m with 1 <= m <= 2^63; result = -m = -(~value) - 1.
    return -static_cast<std::int64_t>(~value) - 1;
}

const char* to_string(lock_mode m) noexcept {
    switch (m) {
    case lock_mode::automatic: return "auto";
    case lock_mode::session: return "session";
    case lock_mode::transaction: return "transaction";
    }
    return "auto";
}

} // namespace pgmig

namespace pgmig::detail::engine {

namespace {
using clock = std::chrono::steady_clock;

// A 64-bit value as the two signed int4 keys of the two-key advisory lock functions.
std::string as_int4(std::uint32_t v) {
    // Two's-complement reinterpretation without implementation-defined conversion.
    return v < 0x80000000U ? std::to_string(v) : "-" + std::to_string((~v) + 1U);
}

// Wait for a transaction that wrote a history row and has not ended (a
// migration of an earlier holder past its fence check) before reading.
std::string drain_sql(const std::string& table) {
    return "DO $pgmig$BEGIN IF pg_catalog.to_regclass(" + quote_literal(table) + ") IS NOT NULL THEN LOCK TABLE " +
           table + " IN SHARE MODE; END IF; END$pgmig$";
}

// The session fence's status raises "unrecognized configuration parameter
// \"<lost_prefix>…\"" (42704): the setting's name is the message.
const char* const lost_state = "42704";
const char* const lost_prefix = "pgmig: the migration lock ";
const char* const lock_wait_state = "PGM02";
const char* const history_changed_state = "PGM03";
} // namespace

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

// ------------------------------------------------------------ migration_lock

migration_lock::migration_lock(std::unique_ptr<db_connection> conn, const std::string& conninfo,
                               const options& opts, const logger& log, bool transaction_scoped)
    : conn_(std::move(conn)), key_(advisory_lock_key(opts.history_table)), log_(log), xact_(transaction_scoped) {
    const std::string try_sql = std::string(xact_ ? "SELECT pg_try_advisory_xact_lock(" : "SELECT pg_try_advisory_lock(") +
                                std::to_string(key_) + ")";
    // Granted: take the run key (session mode), and wait for a migration
    // transaction of an earlier holder that passed its fence check to end, so
    // the history read next is complete.
    if (!xact_) {
        std::random_device rd;
        run_key_ = as_int4(rd()) + ", " + as_int4(rd());
    }
    const std::string table = qualified_table(opts.history_table);
    const std::string granted_sql = xact_ ? drain_sql(table)
                                          : "SELECT pg_advisory_lock(" + run_key_ + "); BEGIN; " + drain_sql(table) +
                                                "; COMMIT";
    if (xact_) {
        try {
            conn_->exec("BEGIN");
        } catch (const connection_error& e) {
            throw error(error_code::connection, core::scrub(e.what(), conninfo));
        }
    }
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
                conn_->exec(granted_sql);
                if (announced)
                    log_(log_level::info, "took the migration lock after waiting " +
                                              core::format_duration(std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - start)));
                return;
            }
        } catch (const db_error& e) {
            if (held_ && e.sqlstate == "55P03")
                throw error(error_code::lock_timeout,
                            "took the migration lock, but a migration transaction of its previous holder is still "
                            "committing (it holds " + opts.history_table.qualified() + "); start again");
            throw error(error_code::database, std::string("cannot take the migration lock: ") + e.what());
        } catch (const connection_error& e) {
            throw error(error_code::connection, core::scrub(e.what(), conninfo));
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
                            "timed out after " + core::format_duration(opts.lock_timeout) +
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
    if (!conn_) return;
    if (xact_) {
        // Rolling back ends a transaction-scoped lock (commit() is the way to keep what was written).
        try {
            if (held_ && conn_->is_open()) conn_->exec("ROLLBACK");
        } catch (const std::exception&) {
        }
        held_ = false;
        conn_.reset();
        return;
    }
    if (!held_) {
        conn_.reset();
        return;
    }
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

void migration_lock::abandon() noexcept {
    held_ = false;
    conn_.reset();
}

void migration_lock::commit() {
    if (!xact_ || !held_) return;
    held_ = false;
    conn_->exec("COMMIT");
}

migration_lock::~migration_lock() { release(); }

// ------------------------------------------------------------------ the fence

void lock_fence::check(const db_error& e) {
    if (e.sqlstate == lost_state) {
        const std::size_t open = e.primary.find(std::string("\"") + lost_prefix);
        const std::size_t close = e.primary.rfind('"');
        if (open != std::string::npos && close > open)
            throw fence_violation(fence_violation::kind::lock_lost, e.primary.substr(open + 1, close - open - 1));
    }
    if (e.sqlstate == lock_wait_state) throw fence_violation(fence_violation::kind::lock_wait, e.primary);
    if (e.sqlstate == history_changed_state) throw fence_violation(fence_violation::kind::history_changed, e.primary);
}

std::string session_fence_status_sql(std::int64_t key, const std::string& run_key, const std::string& pid) {
    // Only the lock's session ever takes the run key (random per run), and only
    // exclusively: a shared try succeeds exactly when that session is gone.
    return "CASE WHEN pg_catalog.pg_try_advisory_xact_lock_shared(" + run_key +
           ") THEN pg_catalog.current_setting(" +
           quote_literal(std::string(lost_prefix) + "(advisory lock key " + std::to_string(key) +
                         ") is no longer held: its session (pid " + pid + ") ended") +
           ") ELSE 'success' END";
}

std::string transaction_lock_sql(std::int64_t key, const std::string& table, std::size_t rows,
                                 std::int64_t lock_timeout_ms, std::int64_t ddl_lock_timeout_ms,
                                 const std::string& set_local) {
    return set_local + "SET LOCAL lock_timeout = '" + std::to_string(lock_timeout_ms) +
           "ms'; DO $pgmig$BEGIN BEGIN PERFORM pg_catalog.pg_advisory_xact_lock(" + std::to_string(key) +
           "); EXCEPTION WHEN lock_not_available THEN RAISE EXCEPTION USING ERRCODE = '" + lock_wait_state +
           "', MESSAGE = 'pgmig: the migration lock (advisory lock key " + std::to_string(key) +
           ") was not granted within " + std::to_string(lock_timeout_ms) +
           " ms'; END; LOCK TABLE " + table + " IN SHARE MODE; IF (SELECT count(*) FROM " +
           table + ") <> " + std::to_string(rows) + " THEN RAISE EXCEPTION USING ERRCODE = '" +
           history_changed_state +
           "', MESSAGE = 'pgmig: the history changed (another instance wrote to it)'; END IF; END$pgmig$; "
           "SET LOCAL lock_timeout = '" + std::to_string(ddl_lock_timeout_ms) + "ms'; ";
}

} // namespace pgmig::detail::engine
