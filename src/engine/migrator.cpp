// The migrator session: lock-free reads and plans, and the one locked sequence
// behind every writing verb.
#include "engine/migrator.hpp"
#include "core/admin_command.hpp"
#include "engine/connect.hpp"
#include "engine/executor.hpp"
#include "engine/history.hpp"
#include "engine/lock.hpp"
#include "engine/statements.hpp"

#include <algorithm>

namespace pgmig::detail {

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
std::vector<problem> warnings_of(const admin::up_plan& p) { return p.warnings; }
std::vector<problem> warnings_of(const admin::rollback_plan& p) { return p.warnings; }
std::vector<problem> warnings_of(const admin::redo_plan& p) { return p.down.warnings; }
std::vector<problem> warnings_of(const admin::bookkeeping_plan&) { return {}; }

std::string count_of(std::size_t n) {
    return std::to_string(n) + (n == 1 ? " migration" : " migrations");
}

} // namespace

migrator::migrator(std::string conninfo, const migration_set& set, options opts)
    : conninfo_(std::move(conninfo)), set_(set), opts_(std::move(opts)) {
    opts_.admin_command = admin_command_or_default(opts_.admin_command);
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
    state_ = admin::db_state{};
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
        state_.rows = read_history(c, opts_);
        break;
    }
    state_.report = reconcile(set_, state_.rows, opts_.policy, opts_.admin_command);
    return state_.report.up_to_date();
}

void migrator::read_state(db_connection& c, bool with_stored_downs) {
    state_ = admin::read_state(c, set_, opts_);
    if (with_stored_downs) admin::read_stored_downs(c, state_, set_, opts_);
}

const admin::db_state& migrator::read() {
    read_state(connection(), true);
    return state_;
}

// ------------------------------------------------------------------ the locked sequence

void migrator::acquire() {
    std::unique_ptr<db_connection> c = conn_ ? std::move(conn_) : connect_with_retry(conninfo_, opts_, log_);
    lock_ = std::make_unique<migration_lock>(std::move(c), conninfo_, opts_, log_);
}

void migrator::release() noexcept {
    migrations_conn_.reset();
    lock_.reset(); // unlocks and closes the lock's connection
}

template <class Plan, class Replan, class Execute>
run_result migrator::locked(const Plan* confirmed, bool runs_migrations, bool with_stored_downs,
                            const Replan& replan, const Execute& execute) {
    // Opened meanwhile, so that taking the lock and reading again hide its cost.
    std::unique_ptr<background_connection> opening;
    if (runs_migrations) opening = std::make_unique<background_connection>(conninfo_, opts_);
    struct releaser {
        migrator& m;
        ~releaser() { m.release(); }
    } release_on_exit{*this}; // before `opening` waits for its attempt to end

    run_result out;
    acquire();
    out.took_lock = true;
    db_connection& lock_conn = lock_->connection();
    read_state(lock_conn, with_stored_downs);
    const Plan now = replan(state_);
    if (confirmed != nullptr && !admin::same(*confirmed, now)) throw changed_while_waiting();
    out.warnings = warnings_of(now);
    if (admin::empty(now)) {
        // Another instance did the work while we waited for the lock.
        out.after = take_state();
        return out;
    }
    execute(now, out, opening.get());
    // The history as the run left it; the table exists and its shape was checked above.
    out.after.schema_exists = out.after.table_exists = true;
    out.after.rows = read_history(lock_conn, opts_);
    out.after.report = reconcile(set_, out.after.rows, opts_.policy, opts_.admin_command);
    state_ = {};
    return out;
}

void migrator::run_steps(const std::vector<step>& steps, background_connection& opening, run_result& out) {
    migrations_conn_ = opening.get(log_);
    const std::size_t downs = static_cast<std::size_t>(
        std::count_if(steps.begin(), steps.end(), [](const step& s) { return s.down != nullptr; }));
    const std::string target = mask_password(conninfo_);
    if (downs == 0)
        log_(log_level::info, "applying " + count_of(steps.size()) + " to " + target);
    else if (downs == steps.size())
        log_(log_level::info, "rolling back " + count_of(steps.size()) + " on " + target);
    else
        log_(log_level::info, "rolling back and applying again " + count_of(downs) + " on " + target);

    exec_context ctx{*migrations_conn_, opts_.history_table, opts_, log_};
    const int total = static_cast<int>(steps.size());
    int index = 0;
    for (const step& st : steps) {
        ++index;
        const bool up = st.up != nullptr;
        const std::int64_t version = up ? st.up->version : st.down->version;
        const std::string& name = up ? st.up->name : st.down->name;
        const std::string file =
            up ? st.up->file : st.down->from_history ? admin::history_down_label(opts_) : st.down->file;
        if (observer_.begin) observer_.begin(up ? direction::up : direction::down, version, name, file, index, total);
        std::int64_t ms = 0;
        try {
            ms = up ? apply_up(ctx, *st.up, st.supersede_down)
                    : apply_down(ctx, version, name, st.down->checksum, st.down->down_sql, file, st.down->down_line,
                                 st.down->no_transaction);
        } catch (...) {
            rethrow_partial(out);
        }
        (up ? out.applied : out.rolled_back).push_back({version, name, file, ms});
        if (observer_.end) observer_.end(version, ms);
        log_(log_level::info, (up ? "applied " : "rolled back ") + std::to_string(version) + " " + name + " (" + file +
                                  ") in " + std::to_string(ms) + " ms [" + std::to_string(index) + "/" +
                                  std::to_string(total) + "]");
    }
    ctx.record_times();
}

void migrator::record(const admin::bookkeeping_plan& plan, run_result& out) {
    db_connection& c = lock_->connection();
    // The plan creates the table only when the state read under the lock had none.
    if (plan.create_history_table) ensure_history_table(c, opts_, true);
    try {
        c.exec(admin::bookkeeping_sql(plan, opts_));
    } catch (const db_error& e) {
        try {
            c.exec("ROLLBACK");
        } catch (const std::exception&) {
        }
        throw error(error_code::database,
                    "updating " + opts_.history_table.qualified() + " failed: " + e.primary + " (SQLSTATE " +
                        e.sqlstate + "); nothing was changed",
                    error_location{"", 0, std::nullopt, e.sqlstate});
    }
    out.changes = plan.changes;
}

// ------------------------------------------------------------------ the writing verbs

run_result migrator::apply(std::optional<std::int64_t> to, const admin::up_plan* confirmed) {
    return locked(
        confirmed, true, false, [&](const admin::db_state& s) { return admin::plan_up(s, set_, to); },
        [&](const admin::up_plan& p, run_result& out, background_connection* opening) {
            if (!state_.table_exists) ensure_history_table(lock_->connection(), opts_, true);
            std::vector<step> steps;
            for (const migration* m : p.migrations)
                steps.push_back({m, std::binary_search(p.rolled_back.begin(), p.rolled_back.end(), m->version)});
            run_steps(steps, *opening, out);
        });
}

run_result migrator::rollback(const admin::rollback_target& target, const admin::rollback_plan* confirmed) {
    return locked(
        confirmed, true, true,
        [&](const admin::db_state& s) { return admin::plan_rollback(s, set_, opts_, target); },
        [&](const admin::rollback_plan& p, run_result& out, background_connection* opening) {
            std::vector<step> steps;
            for (const admin::rollback_step& st : p.steps) steps.push_back({nullptr, false, &st});
            run_steps(steps, *opening, out);
        });
}

run_result migrator::redo(const admin::redo_plan* confirmed) {
    return locked(
        confirmed, true, true, [&](const admin::db_state& s) { return admin::plan_redo(s, set_, opts_); },
        [&](const admin::redo_plan& p, run_result& out, background_connection* opening) {
            std::vector<step> steps;
            for (const admin::rollback_step& st : p.down.steps) steps.push_back({nullptr, false, &st});
            for (const migration* m : p.up.migrations)
                steps.push_back(
                    {m, std::binary_search(p.up.rolled_back.begin(), p.up.rolled_back.end(), m->version)});
            run_steps(steps, *opening, out);
        });
}

run_result migrator::baseline(std::int64_t version, const admin::bookkeeping_plan* confirmed) {
    return locked(
        confirmed, false, false,
        [&](const admin::db_state& s) { return admin::plan_baseline(s, set_, opts_, version); },
        [&](const admin::bookkeeping_plan& p, run_result& out, background_connection*) { record(p, out); });
}

run_result migrator::repair(bool accept_checksums, const admin::bookkeeping_plan* confirmed) {
    return locked(
        confirmed, false, false,
        [&](const admin::db_state& s) { return admin::plan_repair(s, set_, accept_checksums); },
        [&](const admin::bookkeeping_plan& p, run_result& out, background_connection*) { record(p, out); });
}

run_result migrator::force(std::int64_t version, const admin::bookkeeping_plan* confirmed) {
    return locked(
        confirmed, false, false, [&](const admin::db_state& s) { return admin::plan_force(s, set_, version); },
        [&](const admin::bookkeeping_plan& p, run_result& out, background_connection*) { record(p, out); });
}

} // namespace pgmig::detail
