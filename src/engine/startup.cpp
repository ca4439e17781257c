// migrate_on_startup: the call a service makes before it serves traffic.
#include "core/admin_command.hpp"
#include "core/conninfo.hpp"
#include "engine/migrator.hpp"

#include <pgmig/startup.hpp>

#include <chrono>

namespace pgmig {

namespace {

using clock = std::chrono::steady_clock;

void log_warnings(const std::vector<problem>& warnings, const logger& log, startup_report& out) {
    for (const problem& p : warnings) {
        log(log_level::warning, p.message + (p.fix.empty() ? "" : " (" + p.fix + ")"));
        out.warnings.push_back(p);
    }
}

error pending_error(const reconcile_report& r, const std::string& admin_command) {
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
    msg += "\nApply them with " + detail::core::command_hint(admin_command, "up") + " (see " +
           detail::core::command_hint(admin_command, "plan") + " first), or start with mode=apply.";
    error_location where;
    if (!r.pending.empty()) {
        where.version = r.pending.front().version;
        where.file = r.pending.front().file;
    }
    return error(error_code::pending, msg, where);
}

startup_report run(const std::string& conninfo, const migration_set& set, const options& opts) {
    const auto t0 = clock::now();
    startup_report out;
    auto finish = [&](startup_report& o) -> startup_report {
        o.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - t0);
        return std::move(o);
    };

    detail::engine::migrator m(conninfo, set, opts);
    const logger& log = m.opts().log;
    if (m.probe()) {
        out.state = m.take_state().report;
        log(log_level::debug, "database is up to date (" + std::to_string(out.state.applied.size()) +
                                  " migrations applied); no lock taken");
        return finish(out);
    }

    if (opts.mode != run_mode::apply) {
        // verify_only and dry_run never write and never lock; they refuse as apply would.
        const detail::core::up_plan plan = detail::core::plan_up(m.state(), set);
        log_warnings(plan.warnings, log, out);
        if (opts.mode == run_mode::verify_only && !plan.migrations.empty())
            throw pending_error(m.state().report, m.opts().admin_command);
        for (const migration* p : plan.migrations) {
            out.pending.push_back(p->version);
            log(log_level::info, "would apply " + std::to_string(p->version) + " " + p->name + " (" + p->file + ")");
        }
        out.state = m.take_state().report;
        return finish(out);
    }

    // Work to do (or something to report): the migrator takes the lock, looks again, and applies.
    detail::engine::run_result r = m.apply({});
    out.took_lock = r.took_lock;
    log_warnings(r.warnings, log, out);
    for (const step_result& s : r.applied) out.applied.push_back(s.version);
    out.state = std::move(r.after.report);
    return finish(out);
}

} // namespace

startup_report migrate_on_startup(const std::string& conninfo, const migration_set& set,
                                  const options& opts) {
    const logger log = opts.log ? opts.log : stderr_logger();
    // Passwords must never leave pgmig: scrub every message on its way out.
    // The direct connection (migration_url) may carry another password.
    const std::string direct = opts.migration_url;
    const auto scrub_all = [conninfo, direct](std::string m) {
        m = detail::core::scrub(std::move(m), conninfo);
        return direct.empty() ? m : detail::core::scrub(std::move(m), direct);
    };
    options safe = opts;
    safe.log = [log, scrub_all](log_level l, const std::string& m) { log(l, scrub_all(m)); };
    const auto scrubbed = [&scrub_all](const error& e) { return error(e.code(), scrub_all(e.what()), e.where()); };
    try {
        return run(conninfo, set, safe);
    } catch (const partial_error& e) {
        throw partial_error(scrubbed(e), e.applied(), e.rolled_back());
    } catch (const error& e) {
        throw scrubbed(e);
    } catch (const detail::engine::db_error& e) {
        throw error(error_code::database, scrub_all(e.what()), error_location{"", 0, std::nullopt, e.sqlstate});
    } catch (const detail::engine::connection_error& e) {
        throw error(error_code::connection, scrub_all(e.what()));
    }
}

startup_report migrate_on_startup(const char* conninfo, const migration_set& set, const options& opts) {
    return migrate_on_startup(std::string(conninfo ? conninfo : ""), set, opts);
}

} // namespace pgmig
