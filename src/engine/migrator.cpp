// The migrator session: lock-free reads and plans, and the one locked sequence
// behind every writing verb.
#include "engine/migrator.hpp"
#include "core/admin_command.hpp"
#include "core/identifier.hpp"
#include "engine/connect.hpp"
#include "engine/executor.hpp"
#include "engine/foreign_history.hpp"
#include "engine/history.hpp"
#include "engine/lock.hpp"
#include "engine/statements.hpp"

#include "core/conninfo.hpp"
#include "core/duration.hpp"
#include "core/refusal.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

namespace pgmig::detail::engine {

namespace {

error changed_while_waiting() {
    return error(error_code::confirmation_required,
                 "the database changed while waiting for confirmation (another process migrated it), so what "
                 "was confirmed is no longer what would happen; nothing was changed. Run the command again.");
}

/// Rethrows the exception being handled as partial_error carrying what the run
/// did before it; driver errors become the pgmig::error they stand for.
[[noreturn]] void rethrow_partial(const run_result& done) {
    try {
        throw;
    } catch (const partial_error&) {
        throw;
    } catch (const error& e) {
        throw partial_error(e, done.applied, done.rolled_back);
    } catch (const db_error& e) {
        throw partial_error(error(error_code::database, e.what(), error_location{"", 0, std::nullopt, e.sqlstate}),
                            done.applied, done.rolled_back);
    } catch (const connection_error& e) {
        throw partial_error(error(error_code::connection, e.what()), done.applied, done.rolled_back);
    }
}

/// The problems a plan goes ahead despite (they do not refuse).
std::vector<problem> warnings_of(const core::up_plan& p) { return p.warnings; }
std::vector<problem> warnings_of(const core::rollback_plan& p) { return p.warnings; }
std::vector<problem> warnings_of(const core::redo_plan& p) { return p.down.warnings; }
std::vector<problem> warnings_of(const core::bookkeeping_plan&) { return {}; }

std::string count_of(std::size_t n) {
    return std::to_string(n) + (n == 1 ? " migration" : " migrations");
}

} // namespace

migrator::migrator(std::string conninfo, const migration_set& set, options opts)
    : conninfo_(std::move(conninfo)), set_(set), opts_(std::move(opts)) {
    opts_.admin_command = core::admin_command_or_default(opts_.admin_command);
    if (const std::string bad = core::history_table_problem(opts_.history_table); !bad.empty())
        throw error(error_code::usage, bad);
    if (!opts_.log) opts_.log = stderr_logger();
    log_ = opts_.log;
}

migrator::~migrator() { release(); }

db_connection& migrator::connection() {
    if (!conn_) conn_ = connect_with_retry(conninfo_, opts_, log_);
    return *conn_;
}

// ------------------------------------------------------------------ reading

bool migrator::probe() {
    db_connection& c = connection();
    state_ = core::db_state{};
    switch (probe_history(c, opts_.history_table, set_)) {
    case history_probe::matches:
        // Exactly the set, applied once each, nothing else recorded: up to date.
        // The state is derived from the set (applied_at etc. are not read).
        state_.schema_exists = state_.table_exists = true;
        state_.rows.reserve(set_.size());
        for (const migration& m : set_) {
            history_row h;
            h.id = static_cast<std::int64_t>(state_.rows.size()) + 1;
            h.version = m.version;
            h.name = m.name;
            h.checksum = m.checksum;
            state_.rows.push_back(std::move(h));
        }
        break;
    case history_probe::missing:
        break; // no table yet: nothing is applied, there is nothing more to read
    case history_probe::differs:
        state_.schema_exists = state_.table_exists = true;
        read_rows_and_judge(c, state_, set_, opts_); // judging queries only for an interrupted no-transaction run
        return state_.report.up_to_date();
    }
    // Nothing is running here (the set applied exactly, or no table): nothing to judge.
    state_.report = reconcile(set_, state_.rows, opts_.policy, opts_.admin_command);
    return state_.report.up_to_date();
}

void migrator::read_state(db_connection& c, bool with_stored_downs, bool under_lock) {
    state_ = engine::read_state(c, set_, opts_, under_lock);
    if (with_stored_downs) read_stored_downs(c, state_, set_, opts_);
}

const core::db_state& migrator::read() {
    read_state(connection(), true);
    return state_;
}

// ------------------------------------------------------------------ the locked sequence

namespace {

/// Settings for connections opened once the server's version is known.
std::vector<session_setting> version_settings(int server_version) {
    // PostgreSQL 14 and later close a session idle for idle_session_timeout
    // (server, database or role setting): the lock's session idles for the
    // whole run, and its close would end the lock.
    if (server_version >= 140000) return {{"idle_session_timeout", "0"}};
    return {};
}

std::string version_set_sql(int server_version) {
    std::string sql;
    for (const session_setting& s : version_settings(server_version))
        sql += "SET " + s.first + " = " + quote_literal(s.second) + "; ";
    return sql;
}

// The server side of the lock's session notices a vanished client (a crashed
// pod, a network drop) within about a minute, so the lock does not outlive it.
const char* const server_keepalives =
    "SET tcp_keepalives_idle = 30; SET tcp_keepalives_interval = 10; SET tcp_keepalives_count = 3; ";

std::string settings_text(const std::vector<session_setting>& s) {
    std::string out;
    for (const session_setting& kv : s) out += (out.empty() ? "" : ", ") + kv.first + "=" + kv.second;
    return out;
}

/// "1 users, 2 todos" of the steps a run committed, for messages that say what committed.
std::string committed_text(const run_result& out) {
    std::string list;
    std::size_t n = 0;
    for (const auto* steps : {&out.rolled_back, &out.applied})
        for (const step_result& s : *steps) {
            ++n;
            list += (list.empty() ? "" : ", ") + std::to_string(s.version) + " " + s.name;
        }
    if (n == 0) return "This run committed no migration.";
    return "This run committed " + std::to_string(n) + (n == 1 ? " migration" : " migrations") + " before: " + list +
           ".";
}

} // namespace

void migrator::acquire() {
    std::unique_ptr<db_connection> c = conn_ ? std::move(conn_) : connect_with_retry(conninfo_, opts_, log_);
    session_facts f = inspect_session(*c, version_set_sql(c->server_version()));
    if (f.read_only) throw read_only_error(f, conninfo_);
    const bool pooled = f.pooled;
    xact_lock_ = opts_.lock_mode == lock_mode::transaction ||
                 (opts_.lock_mode == lock_mode::automatic && pooled && opts_.migration_url.empty());
    if (pooled)
        log_(log_level::debug,
             "the connection goes through a connection pooler (the protocol announced backend pid " +
                 std::to_string(c->protocol_pid()) + ", the session's is " + std::to_string(f.backend_pid) + ")" +
                 (xact_lock_ ? "; each migration takes the lock in its own transaction (lock_mode " +
                                   std::string(to_string(opts_.lock_mode)) + ")"
                             : opts_.migration_url.empty() ? "; lock_mode session: the pooler must pool sessions"
                                                           : "; the lock is taken on migration_url"));
    if (!xact_lock_ && !opts_.migration_url.empty()) {
        // The lock (and no-transaction migrations) on the direct connection.
        c = connect_with_retry(opts_.migration_url, opts_, log_, version_settings(c->server_version()));
        f = inspect_session(*c, server_keepalives);
        if (f.read_only) throw read_only_error(f, opts_.migration_url);
        if (f.pooled)
            throw error(error_code::usage,
                        "migration_url (--direct-db) goes through a connection pooler too (the protocol announced "
                        "backend pid " + std::to_string(c->protocol_pid()) + ", the session's is " +
                            std::to_string(f.backend_pid) +
                            "); give it the server's own address, which the lock and no-transaction migrations need");
    } else if (!xact_lock_) {
        c->exec(server_keepalives);
    }
    if (!f.differing.empty()) {
        if (xact_lock_) {
            log_(log_level::debug, "the session settings did not take effect (" + settings_text(f.differing) +
                                       "); each transaction sets them with SET LOCAL");
        } else {
            std::vector<session_setting> fix;
            for (const session_setting& d : f.differing)
                for (const session_setting& want : c->settings())
                    if (want.first == d.first) fix.push_back(want);
            log_(log_level::debug, "the session settings did not take effect (" + settings_text(f.differing) +
                                       "); applied with SET: " + settings_text(fix));
            apply_settings(*c, fix);
        }
    }
    try {
        postmaster_start_ = c->query("SELECT pg_catalog.pg_postmaster_start_time()::text").text(0, 0);
    } catch (const db_error&) {
        postmaster_start_.clear();
    }
    lock_ = std::make_unique<migration_lock>(std::move(c), conninfo_, opts_, log_, xact_lock_);
    fence_ = std::make_unique<lock_fence>();
    if (!xact_lock_) {
        fence_->status_sql =
            session_fence_status_sql(lock_->key(), lock_->run_key(), std::to_string(lock_->backend_pid()));
        fence_->between = [this] {
            if (!lock_->alive())
                throw fence_violation(fence_violation::kind::lock_lost, "the lock's session (pid " +
                                                                            std::to_string(lock_->backend_pid()) +
                                                                            ") ended");
        };
    }
}

bool migrator::server_restarted() noexcept {
    if (!migrations_conn_) return true;
    try {
        const std::string now = migrations_conn_->query("SELECT pg_catalog.pg_postmaster_start_time()::text").text(0, 0);
        return !postmaster_start_.empty() && now != postmaster_start_;
    } catch (const std::exception&) {
        return true; // the migrations' connection is gone too: the server went away
    }
}

void migrator::retake_lock() {
    if (lock_) lock_->abandon();
    lock_.reset();
    conn_.reset();
    acquire();
    read_state(lock_->connection(), with_stored_downs_, true);
    expected_rows_ = state_.rows.size();
    if (xact_lock_) lock_->commit();
}

void migrator::reconnect_after_loss() {
    bool lock_held = false;
    if (!xact_lock_ && lock_->alive()) {
        try {
            lock_->connection().exec("SELECT 1");
            lock_held = true;
        } catch (const std::exception&) {
        }
    }
    if (lock_held) {
        read_state(lock_->connection(), with_stored_downs_, true);
        expected_rows_ = state_.rows.size();
    } else {
        retake_lock();
    }
    migrations_conn_ = connect_with_retry(conninfo_, opts_, log_, version_settings(lock_->connection().server_version()));
    prepare_migrations_connection();
}

void migrator::prepare_migrations_connection() {
    const session_facts f = inspect_session(*migrations_conn_);
    if (f.read_only) throw read_only_error(f, conninfo_);
    set_local_.clear();
    if (xact_lock_ || f.pooled) {
        // Session state is not ours through a pooler: each transaction sets what it needs.
        set_local_ = migrations_conn_->settings();
    } else if (!f.differing.empty()) {
        std::vector<session_setting> fix;
        for (const session_setting& d : f.differing)
            for (const session_setting& want : migrations_conn_->settings())
                if (want.first == d.first) fix.push_back(want);
        log_(log_level::debug, "the migrations' session settings did not take effect (" + settings_text(f.differing) +
                                   "); applied with SET: " + settings_text(fix));
        apply_settings(*migrations_conn_, fix);
    }
}

void migrator::arm_fence() {
    if (xact_lock_) {
        fence_->begin_sql = transaction_lock_sql(lock_->key(), qualified_table(opts_.history_table), expected_rows_,
                                                 static_cast<std::int64_t>(opts_.lock_timeout.count()),
                                                 static_cast<std::int64_t>(opts_.ddl_lock_timeout.count()),
                                                 set_local_sql(set_local_));
    } else {
        fence_->begin_sql = set_local_sql(set_local_);
    }
}

void migrator::release() noexcept {
    migrations_conn_.reset();
    direct_conn_.reset();
    lock_.reset(); // unlocks and closes the lock's connection
}

template <class Plan, class Replan, class Execute>
run_result migrator::locked(const Plan* confirmed, bool runs_migrations, bool with_stored_downs,
                            const Replan& replan, const Execute& execute) {
    // Opened meanwhile, so that taking the lock and reading again hide its cost.
    std::unique_ptr<background_connection> opening;
    if (runs_migrations)
        opening = std::make_unique<background_connection>(
            conninfo_, opts_, version_settings(conn_ ? conn_->server_version() : 0));
    struct releaser {
        migrator& m;
        ~releaser() { m.release(); }
    } release_on_exit{*this}; // before `opening` waits for its attempt to end

    run_result out;
    with_stored_downs_ = with_stored_downs;
    acquire();
    out.took_lock = true;
    read_state(lock_->connection(), with_stored_downs, true); // upgrades a history table of an earlier shape
    const Plan now = replan(state_);
    if (confirmed != nullptr && !core::same(*confirmed, now)) throw changed_while_waiting();
    out.warnings = warnings_of(now);
    if (core::empty(now)) {
        // Another instance did the work while we waited for the lock.
        out.after = take_state();
        return out;
    }
    execute(now, out, opening.get());
    // The history as the run left it (on the lock's connection of the end: a reconnect replaces it).
    out.after.schema_exists = out.after.table_exists = true;
    out.after.rows = read_history(lock_->connection(), opts_);
    out.after.report = reconcile(set_, out.after.rows, opts_.policy, opts_.admin_command);
    read_drift_texts(lock_->connection(), out.after.report, set_, opts_);
    state_ = {};
    return out;
}

void migrator::resync(std::vector<step>& steps, std::size_t& next, const step* in_flight, run_result& out,
                      const std::string& why) {
    const auto applied_now = [&](std::int64_t version) {
        return std::any_of(state_.report.applied.begin(), state_.report.applied.end(),
                           [&](const applied_migration& a) { return a.version == version; });
    };
    const auto in_effect = [&](const step& st) {
        return st.up != nullptr ? applied_now(st.up->version) : !applied_now(st.down->version);
    };
    // A commit the server lost (an immediate shutdown with synchronous_commit off): run it again.
    std::vector<step> again;
    for (auto* list : {&out.applied, &out.rolled_back}) {
        const bool up = list == &out.applied;
        for (auto it = list->begin(); it != list->end();) {
            if (applied_now(it->version) == up) {
                ++it;
                continue;
            }
            log_(log_level::warning, "migration " + std::to_string(it->version) + " " + it->name +
                                         ", committed before, is not in effect after " + why +
                                         " (the server lost the commit); it runs again");
            for (const step& st : steps)
                if ((st.up != nullptr ? st.up->version : st.down->version) == it->version &&
                    (st.up != nullptr) == up)
                    again.push_back(st);
            it = list->erase(it);
        }
    }
    if (in_flight != nullptr) {
        const std::int64_t v = in_flight->up != nullptr ? in_flight->up->version : in_flight->down->version;
        const std::string& name = in_flight->up != nullptr ? in_flight->up->name : in_flight->down->name;
        const bool done = in_effect(*in_flight);
        log_(done ? log_level::info : log_level::warning,
             "migration " + std::to_string(v) + " " + name + ", in flight when " + why + ", " +
                 (done ? "had committed (the history says so); continuing after it"
                       : "had not committed (nothing of it is in effect); it runs again"));
        if (done) {
            const std::string file = in_flight->up != nullptr ? in_flight->up->file : in_flight->down->file;
            (in_flight->up != nullptr ? out.applied : out.rolled_back).push_back({v, name, file, 0});
        }
    }
    std::vector<step> rest = std::move(again);
    for (std::size_t i = next; i < steps.size(); ++i) {
        const step& st = steps[i];
        if (in_flight != nullptr && &st == in_flight) {
            if (!in_effect(st)) rest.push_back(st);
            continue;
        }
        if (in_effect(st)) {
            const std::int64_t v = st.up != nullptr ? st.up->version : st.down->version;
            log_(log_level::info, "migration " + std::to_string(v) + " " + (st.up != nullptr ? st.up->name : st.down->name) +
                                      (st.up != nullptr ? " was applied" : " was rolled back") + " by another instance");
            continue;
        }
        rest.push_back(st);
    }
    // A failed or interrupted row recorded meanwhile stops the run, as it would stop a boot.
    reconcile_report blocking = state_.report;
    blocking.problems.erase(std::remove_if(blocking.problems.begin(), blocking.problems.end(),
                                           [](const problem& p) {
                                               return p.kind != problem_kind::failed &&
                                                      p.kind != problem_kind::interrupted;
                                           }),
                            blocking.problems.end());
    if (auto refusal = core::refusal_error(blocking))
        throw partial_error(error(refusal->code(), std::string(refusal->what()) + "\n" + committed_text(out),
                                  refusal->where()),
                            out.applied, out.rolled_back);
    // Interrupted no-transaction runs (this run's own, when the connection was
    // lost in one) resume where the history now says they stopped.
    for (step& st : rest)
        if (st.up != nullptr) {
            st.resume = nullptr;
            for (const core::resume_point& r : state_.resumes)
                if (r.version == st.up->version) st.resume = &r;
        }
    steps = std::move(rest);
    next = 0;
}
void migrator::run_steps(std::vector<step> steps, background_connection& opening, run_result& out) {
    const auto no_transaction = [](const step& st) {
        return st.up != nullptr ? st.up->up_no_transaction : st.down->no_transaction;
    };
    const auto version_of = [](const step& st) { return st.up != nullptr ? st.up->version : st.down->version; };
    const auto name_of = [](const step& st) -> const std::string& {
        return st.up != nullptr ? st.up->name : st.down->name;
    };
    const auto file_of = [&](const step& st) {
        return st.up != nullptr ? st.up->file
                                : st.down->from_history ? history_down_label(opts_) : st.down->file;
    };
    if (xact_lock_) {
        // No transaction can hold the lock around statements that run outside one.
        for (const step& st : steps)
            if (no_transaction(st))
                throw error(error_code::usage,
                            "migration " + std::to_string(version_of(st)) + " (" + file_of(st) +
                                ") runs outside a transaction (-- pgmig:no-transaction, or a C++ migration's no_transaction), which cannot be made safe "
                                "through a connection pooler in transaction mode: its statements may run on "
                                "different server connections, and no lock covers them. Give pgmig a direct "
                                "connection to the server for the lock and such migrations (options.migration_url, "
                                "CLI --direct-db URL), or, if the pooler pools sessions, set lock_mode = session "
                                "(--lock-mode session). Nothing was changed.",
                            error_location{file_of(st), 0, version_of(st), ""});
    }
    expected_rows_ = state_.rows.size();
    if (xact_lock_) lock_->commit(); // the history DDL under the lock becomes visible; each step locks again
    migrations_conn_ = opening.get(log_);
    prepare_migrations_connection();

    const std::size_t downs = static_cast<std::size_t>(
        std::count_if(steps.begin(), steps.end(), [](const step& s) { return s.down != nullptr; }));
    const std::string target = mask_password(conninfo_);
    if (downs == 0)
        log_(log_level::info, "applying " + count_of(steps.size()) + " to " + target);
    else if (downs == steps.size())
        log_(log_level::info, "rolling back " + count_of(steps.size()) + " on " + target);
    else
        log_(log_level::info, "rolling back and applying again " + count_of(downs) + " on " + target);

    const auto make_context = [&](db_connection& c) {
        auto ctx = std::make_unique<exec_context>(c, opts_.history_table, opts_, log_);
        ctx->fence = fence_.get();
        return ctx;
    };
    std::unique_ptr<exec_context> ctx = make_context(*migrations_conn_);
    std::unique_ptr<exec_context> direct_ctx;
    const int total = static_cast<int>(steps.size());
    int index = 0;
    int reconnects = 0;
    std::size_t i = 0;
    while (i < steps.size()) {
        const step st = steps[i];
        const bool up = st.up != nullptr;
        const std::int64_t version = version_of(st);
        const std::string name = name_of(st);
        const std::string file = file_of(st);
        const std::string which = "migration " + std::to_string(version) + " (" + file + ")";

        enum class fault { none, lost_connection, lock_gone } f = fault::none;
        bool started = false; // the step's SQL was sent: it may have committed
        std::string why;
        std::int64_t ms = 0;
        if (!xact_lock_ && !lock_->alive()) {
            f = fault::lock_gone;
            why = "the lock's session (pid " + std::to_string(lock_->backend_pid()) + ") ended";
        } else {
            exec_context* run_ctx = ctx.get();
            if (no_transaction(st) && !opts_.migration_url.empty()) {
                if (!direct_conn_) {
                    direct_conn_ = connect_with_retry(opts_.migration_url, opts_, log_,
                                                      version_settings(migrations_conn_->server_version()));
                    direct_ctx = make_context(*direct_conn_);
                }
                run_ctx = direct_ctx.get();
            }
            arm_fence();
            if (observer_.begin) observer_.begin(up ? direction::up : direction::down, version, name, file, index + 1, total);
            try {
                started = true;
                ms = up ? apply_up(*run_ctx, *st.up, st.supersede_down, st.resume)
                        : apply_down(*run_ctx, version, name, st.down->checksum, st.down->down_sql, file,
                                     st.down->down_line, st.down->no_transaction, st.down->code);
            } catch (const fence_violation& v) {
                if (v.what_kind == fence_violation::kind::history_changed) {
                    // Through a transaction pooler: another instance wrote meanwhile. Its work counts.
                    read_state(lock_->connection(), with_stored_downs_, true);
                    expected_rows_ = state_.rows.size();
                    resync(steps, i, nullptr, out, "another instance wrote to the history");
                    continue;
                }
                if (v.what_kind == fence_violation::kind::lock_wait)
                    throw partial_error(
                        error(error_code::lock_timeout,
                              "timed out after " + core::format_duration(opts_.lock_timeout) +
                                  " waiting for the migration lock on " + opts_.history_table.qualified() +
                                  " (each migration takes it in its own transaction through the pooler) before " +
                                  which + ", which was not applied. " + committed_text(out) +
                                  " Another instance is probably migrating; start again when it is done.",
                              error_location{file, 0, version, ""}),
                        out.applied, out.rolled_back);
                f = fault::lock_gone;
                why = v.what();
            } catch (const done_elsewhere& e) {
                // Not a failure: another instance applied it meanwhile (the history says so).
                log_(log_level::warning, e.what());
                read_state(lock_->connection(), with_stored_downs_, true);
                expected_rows_ = state_.rows.size();
                resync(steps, i, nullptr, out, "another instance applied " + which);
                continue;
            } catch (const connection_error& e) {
                if (!e.lost) rethrow_partial(out);
                f = fault::lost_connection;
                why = core::scrub(e.what(), conninfo_);
            } catch (...) {
                rethrow_partial(out);
            }
        }
        if (f == fault::lock_gone) {
            if (!server_restarted()) {
                // The server is the one the lock was taken on: someone ended the lock's session.
                const bool notx = no_transaction(st);
                throw partial_error(
                    error(error_code::lock_lost,
                          "the migration lock on " + opts_.history_table.qualified() + " (advisory lock key " +
                              std::to_string(lock_->key()) + ") was lost during the run: " + why + ". " +
                              (!started ? which + " was not started"
                               : notx   ? which + " (no-transaction) stopped between two of its statements; its "
                                                "history row records how far it got"
                                        : which + " was rolled back, not applied") +
                              "; the run stopped so that no two runs migrate at once. " + committed_text(out) +
                              " Another instance may hold the lock now and apply the rest; otherwise start again.",
                          error_location{file, 0, version, ""}),
                    out.applied, out.rolled_back);
            }
            f = fault::lost_connection;
            why = "the server restarted (" + why + ")";
        }
        if (f == fault::lost_connection) {
            const std::string during = (started ? "during " : "before ") + which +
                                       (no_transaction(st) ? " (no-transaction)" : " (in its transaction)");
            if (++reconnects > 5)
                throw partial_error(error(error_code::connection,
                                          "the connection to the server was lost " + during + " for the " +
                                              std::to_string(reconnects) + "th time in this run: " + why +
                                              ". Stopped; `status` shows whether it committed. " +
                                              committed_text(out),
                                          error_location{file, 0, version, ""}),
                                    out.applied, out.rolled_back);
            log_(log_level::warning, "the connection to the server was lost " + during + ": " + why +
                                         "; connecting again (for up to " + core::format_duration(opts_.connect_timeout) +
                                         "), taking the lock again and reading the history under it");
            std::vector<step_time> times = ctx->take_times();
            if (direct_ctx) {
                std::vector<step_time> more = direct_ctx->take_times();
                times.insert(times.end(), more.begin(), more.end());
            }
            ctx.reset();
            direct_ctx.reset();
            migrations_conn_.reset();
            direct_conn_.reset();
            // A server that is still going down (pg_ctl restart -m immediate) may
            // accept a connection and then end it: a session lost again while
            // reconnecting is retried too, within the same connect_timeout.
            const auto reconnect_deadline = std::chrono::steady_clock::now() + opts_.connect_timeout;
            for (int attempt = 1;; ++attempt) {
                try {
                    reconnect_after_loss();
                    break;
                } catch (const partial_error&) {
                    throw;
                } catch (const std::exception& e) {
                    const auto* lost = dynamic_cast<const connection_error*>(&e);
                    if (lost != nullptr && lost->lost && std::chrono::steady_clock::now() < reconnect_deadline) {
                        log_(log_level::debug, "reconnecting (attempt " + std::to_string(attempt) +
                                                   "): the new session was lost too (" +
                                                   core::scrub(e.what(), conninfo_) + "); connecting again");
                        migrations_conn_.reset();
                        std::this_thread::sleep_for(std::chrono::milliseconds(std::min(100 * attempt, 1000)));
                        continue;
                    }
                    const error* pe = dynamic_cast<const error*>(&e);
                    throw partial_error(
                        error(pe != nullptr ? pe->code() : error_code::connection,
                              "the connection to the server was lost " + during + " (" + why +
                                  ") and could not be made again: " + core::scrub(e.what(), conninfo_) +
                                  (started ? "\nWhether " + which + " committed is not known: `status` shows it. "
                                           : std::string("\n")) +
                                  committed_text(out),
                              error_location{file, 0, version, ""}),
                        out.applied, out.rolled_back);
                }
            }
            ctx = make_context(*migrations_conn_);
            for (const step_time& t : times) ctx->measured(t.version, t.dir, t.ms);
            resync(steps, i, started ? &steps[i] : nullptr, out, "the connection was lost");
            continue;
        }
        ++index;
        ++expected_rows_; // each step adds one history row
        (up ? out.applied : out.rolled_back).push_back({version, name, file, ms});
        if (observer_.end) observer_.end(version, ms);
        log_(log_level::info, (up ? "applied " : "rolled back ") + std::to_string(version) + " " + name + " (" + file +
                                  ") in " + std::to_string(ms) + " ms [" + std::to_string(index) + "/" +
                                  std::to_string(total) + "]");
        ++i;
    }
    ctx->record_times();
    if (direct_ctx) direct_ctx->record_times();
}

void migrator::record(const core::bookkeeping_plan& plan, run_result& out) {
    db_connection& c = lock_->connection();
    // The plan creates the table only when the state read under the lock had none.
    if (plan.create_history_table) ensure_history_table(c, opts_, true);
    const std::string sql = bookkeeping_sql(plan, opts_);
    try {
        if (lock_->transaction_scoped()) {
            // Inside the lock's transaction: its BEGIN is redundant (no warning) and its COMMIT ends both.
            if (sql.empty()) {
                lock_->commit();
            } else {
                c.exec("SET LOCAL client_min_messages = error; " + sql);
                lock_->ended();
            }
        } else if (!sql.empty()) {
            c.exec(sql);
        }
    } catch (const db_error& e) {
        try {
            c.exec("ROLLBACK");
        } catch (const std::exception&) {
        }
        if (lock_->transaction_scoped()) lock_->ended();
        throw error(error_code::database,
                    "updating " + opts_.history_table.qualified() + " failed: " + e.primary + " (SQLSTATE " +
                        e.sqlstate + "); nothing was changed",
                    error_location{"", 0, std::nullopt, e.sqlstate});
    }
    out.changes = plan.changes;
}

// ------------------------------------------------------------------ the writing verbs

run_result migrator::apply(const core::up_target& target, const core::up_plan* confirmed) {
    return locked(
        confirmed, true, false, [&](const core::db_state& s) { return core::plan_up(s, set_, target, opts_.admin_command); },
        [&](const core::up_plan& p, run_result& out, background_connection* opening) {
            if (!state_.table_exists) ensure_history_table(lock_->connection(), opts_, true);
            std::vector<step> steps;
            for (const migration* m : p.migrations)
                steps.push_back({m, std::binary_search(p.rolled_back.begin(), p.rolled_back.end(), m->version),
                                 nullptr, p.resume_of(m->version)});
            run_steps(steps, *opening, out);
        });
}

run_result migrator::rollback(const core::rollback_target& target, const core::rollback_plan* confirmed) {
    return locked(
        confirmed, true, true,
        [&](const core::db_state& s) { return core::plan_rollback(s, set_, opts_, target); },
        [&](const core::rollback_plan& p, run_result& out, background_connection* opening) {
            std::vector<step> steps;
            for (const core::rollback_step& st : p.steps) steps.push_back({nullptr, false, &st});
            run_steps(steps, *opening, out);
        });
}

run_result migrator::redo(const core::redo_plan* confirmed) {
    return locked(
        confirmed, true, true, [&](const core::db_state& s) { return core::plan_redo(s, set_, opts_); },
        [&](const core::redo_plan& p, run_result& out, background_connection* opening) {
            std::vector<step> steps;
            for (const core::rollback_step& st : p.down.steps) steps.push_back({nullptr, false, &st});
            for (const migration* m : p.up.migrations)
                steps.push_back(
                    {m, std::binary_search(p.up.rolled_back.begin(), p.up.rolled_back.end(), m->version)});
            run_steps(steps, *opening, out);
        });
}

run_result migrator::baseline(std::int64_t version, const core::bookkeeping_plan* confirmed) {
    return locked(
        confirmed, false, false,
        [&](const core::db_state& s) { return core::plan_baseline(s, set_, opts_, version); },
        [&](const core::bookkeeping_plan& p, run_result& out, background_connection*) { record(p, out); });
}

run_result migrator::repair(bool accept_checksums, const core::bookkeeping_plan* confirmed) {
    return locked(
        confirmed, false, false,
        [&](const core::db_state& s) { return core::plan_repair(s, set_, accept_checksums); },
        [&](const core::bookkeeping_plan& p, run_result& out, background_connection*) { record(p, out); });
}

run_result migrator::force(std::int64_t version, const core::bookkeeping_plan* confirmed) {
    return locked(
        confirmed, false, false, [&](const core::db_state& s) { return core::plan_force(s, set_, version); },
        [&](const core::bookkeeping_plan& p, run_result& out, background_connection*) { record(p, out); });
}

run_result migrator::import_history(const core::import_request& request, const core::bookkeeping_plan* confirmed) {
    return locked(
        confirmed, false, false,
        [&](const core::db_state& s) {
            return core::plan_import(s, set_, opts_, request,
                                     read_foreign_history(lock_->connection(), *request.tool, request.table))
                .book;
        },
        [&](const core::bookkeeping_plan& p, run_result& out, background_connection*) { record(p, out); });
}

} // namespace pgmig::detail::engine
