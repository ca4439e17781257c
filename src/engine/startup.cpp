// migrate_on_startup: the call a service makes before it serves traffic.
#include "engine/engine.hpp"
#include "core/conninfo.hpp"

#include <algorithm>

namespace pgmig {

namespace {

using clock = std::chrono::steady_clock;

void log_warnings(const reconcile_report& r, const logger& log, startup_report& out) {
    for (const problem& p : r.problems) {
        if (p.level != severity::warning) continue;
        log(log_level::warning, p.message + (p.fix.empty() ? "" : " (" + p.fix + ")"));
        out.warnings.push_back(p);
    }
}

error pending_error(const reconcile_report& r) {
    std::string msg = std::to_string(r.pending.size()) +
                      (r.pending.size() == 1 ? " migration is" : " migrations are") +
                      " pending and the mode is verify-only, so the service refuses to start:";
    std::size_t shown = 0;
    for (const pending_migration& p : r.pending) {
        if (++shown > 20) {
            msg += "\n  … and " + std::to_string(r.pending.size() - 20) + " more";
            break;
        }
        msg += "\n  - " + std::to_string(p.version) + " " + p.name + " (" + p.file + ")";
    }
    msg += "\nApply them with `db up` (see `db plan` first), or start with mode=apply.";
    error_location where;
    if (!r.pending.empty()) {
        where.version = r.pending.front().version;
        where.file = r.pending.front().file;
    }
    return error(error_code::pending, msg, where);
}

startup_report run(const std::string& conninfo, const migration_set& set, const options& opts,
                   const logger& log) {
    const auto t0 = clock::now();
    startup_report out;
    auto finish = [&](startup_report& o) -> startup_report {
        o.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - t0);
        return std::move(o);
    };

    auto conn = detail::connect_with_retry(conninfo, opts, log);
    const detail::history_probe probe = detail::probe_history(*conn, opts.history_table, set);
    if (probe == detail::history_probe::matches) {
        // Exactly the set, applied once each, nothing else recorded: up to date.
        // The report is derived from the set (applied_at etc. are not read).
        std::vector<history_row> rows;
        rows.reserve(set.size());
        for (const migration& m : set) {
            history_row h;
            h.id = static_cast<std::int64_t>(rows.size()) + 1;
            h.version = m.version;
            h.name = m.name;
            h.checksum = m.checksum;
            rows.push_back(std::move(h));
        }
        out.state = reconcile(set, rows, opts.policy);
        log(log_level::debug, "database is up to date (" + std::to_string(set.size()) +
                                  " migrations applied); no lock taken");
        return finish(out);
    }
    // No table yet: nothing is applied, there is nothing more to read.
    auto rows = probe == detail::history_probe::missing ? std::vector<history_row>()
                                                        : detail::read_history(*conn, opts.history_table);
    reconcile_report state = reconcile(set, rows, opts.policy);

    if (state.up_to_date()) {
        log(log_level::debug, "database is up to date (" + std::to_string(state.applied.size()) +
                                  " migrations applied); no lock taken");
        out.state = std::move(state);
        return finish(out);
    }

    if (opts.mode != run_mode::apply) {
        // verify_only and dry_run never write and never lock.
        if (auto refusal = detail::refusal_error(state)) throw *refusal;
        log_warnings(state, log, out);
        if (opts.mode == run_mode::verify_only && !state.pending.empty()) throw pending_error(state);
        for (const pending_migration& p : state.pending) {
            out.pending.push_back(p.version);
            log(log_level::info, "would apply " + std::to_string(p.version) + " " + p.name + " (" + p.file + ")");
        }
        out.state = std::move(state);
        return finish(out);
    }

    // Work to do (or something to report): take the lock, then look again.
    // This connection becomes the lock's (it runs pgmig's own statements only);
    // the migrations run on a second one, opened on another thread meanwhile.
    detail::background_connection opening(conninfo, opts);
    detail::migration_lock lock(std::move(conn), conninfo, opts, log);
    out.took_lock = true;
    detail::db_connection& lock_conn = lock.connection();
    detail::ensure_history_table(lock_conn, opts.history_table, probe == detail::history_probe::missing);
    rows = detail::read_history(lock_conn, opts.history_table);
    state = reconcile(set, rows, opts.policy);
    if (auto refusal = detail::refusal_error(state)) throw *refusal;
    log_warnings(state, log, out);
    if (state.pending.empty()) {
        // Another instance applied them while we waited for the lock.
        lock.release();
        out.state = std::move(state);
        return finish(out);
    }
    const std::unique_ptr<detail::db_connection> conn_for_migrations = opening.get(log);
    detail::db_connection& mconn = *conn_for_migrations;

    log(log_level::info, "applying " + std::to_string(state.pending.size()) +
                             (state.pending.size() == 1 ? " migration" : " migrations") + " to " +
                             mask_password(conninfo));
    detail::exec_context ctx{mconn, opts.history_table, opts, log};
    const std::vector<std::int64_t> rolled_back = detail::rolled_back_versions(rows);
    for (const pending_migration& p : state.pending) {
        const migration* m = set.find(p.version);
        const bool supersede = std::binary_search(rolled_back.begin(), rolled_back.end(), p.version);
        const std::int64_t ms = detail::apply_up(ctx, *m, supersede);
        out.applied.push_back(p.version);
        log(log_level::info, "applied " + std::to_string(m->version) + " " + m->name + " (" + m->file +
                                 ") in " + std::to_string(ms) + " ms");
    }
    ctx.record_times();
    rows = detail::read_history(mconn, opts.history_table);
    state = reconcile(set, rows, opts.policy);
    lock.release();
    out.state = std::move(state);
    return finish(out);
}

} // namespace

startup_report migrate_on_startup(const std::string& conninfo, const migration_set& set,
                                  const options& opts) {
    const logger log = opts.log ? opts.log : stderr_logger();
    // Passwords must never leave pgmig: scrub every message on its way out.
    const logger safe_log = [&log, &conninfo](log_level l, const std::string& m) {
        log(l, detail::scrub(m, conninfo));
    };
    try {
        return run(conninfo, set, opts, safe_log);
    } catch (const error& e) {
        throw error(e.code(), detail::scrub(e.what(), conninfo), e.where());
    } catch (const detail::db_error& e) {
        throw error(error_code::database, detail::scrub(e.what(), conninfo),
                    error_location{"", 0, std::nullopt, e.sqlstate});
    } catch (const detail::connection_error& e) {
        throw error(error_code::connection, detail::scrub(e.what(), conninfo));
    }
}

} // namespace pgmig
