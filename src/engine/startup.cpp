// migrate_on_startup: the call a service makes before it serves traffic.
#include "core/admin_command.hpp"
#include "core/conninfo.hpp"
#include "core/directive.hpp"
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

error pending_error(const detail::core::up_plan& plan, const std::string& admin_command) {
    const std::vector<const migration*>& pending = plan.migrations;
    std::string msg = std::to_string(pending.size()) + (pending.size() == 1 ? " migration is" : " migrations are") +
                      " pending and the mode is verify-only, so the service refuses to start:";
    std::size_t shown = 0;
    for (const migration* p : pending) {
        if (++shown > 20) {
            msg += "\n  … and " + std::to_string(pending.size() - 20) + " more";
            break;
        }
        msg += "\n  - " + std::to_string(p->version) + " " + p->name + " (" + p->file + ")";
    }
    if (!plan.waiting.empty())
        msg += "\n(" + std::to_string(plan.waiting.size()) + " more of another phase " +
               (plan.waiting.size() == 1 ? "is" : "are") + " waiting for their step; they do not count.)";
    msg += "\nApply them with " + detail::core::command_hint(admin_command, "up") + " (see " +
           detail::core::command_hint(admin_command, "plan") + " first), or start with mode=apply.";
    error_location where;
    if (!pending.empty()) {
        where.version = pending.front()->version;
        where.file = pending.front()->file;
    }
    return error(error_code::pending, msg, where);
}

/// Pending migrations of phases this run does not apply: logged, reported, never a failure.
void report_waiting(const reconcile_report& r, const options& opts, const logger& log, startup_report& out) {
    std::string list;
    for (const pending_migration& p : r.pending) {
        if (detail::core::selects(opts.phases, p.phase)) continue;
        out.waiting.push_back(p.version);
        list += (list.empty() ? "" : ", ") + std::to_string(p.version) + " (" + p.file + ")";
    }
    if (out.waiting.empty()) return;
    const bool post = opts.phases == phase_selection::pre_deploy;
    log(log_level::info, std::to_string(out.waiting.size()) +
                             (out.waiting.size() == 1 ? " migration is" : " migrations are") + " waiting for the " +
                             (post ? "post-deploy" : "pre-deploy") + " step: " + list + "; it runs with " +
                             detail::core::command_hint(opts.admin_command,
                                                  post ? "up --phase post-deploy" : "up --phase pre-deploy") +
                             (post ? " once every replica runs this release" : ""));
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

    detail::core::up_target target;
    target.phases = opts.phases;
    if (opts.mode != run_mode::apply) {
        // verify_only and dry_run never write and never lock; they refuse as apply would.
        const detail::core::up_plan plan = detail::core::plan_up(m.state(), set, target, m.opts().admin_command);
        log_warnings(plan.warnings, log, out);
        report_waiting(m.state().report, m.opts(), log, out);
        if (opts.mode == run_mode::verify_only && !plan.migrations.empty())
            throw pending_error(plan, m.opts().admin_command);
        for (const migration* p : plan.migrations) {
            out.pending.push_back(p->version);
            log(log_level::info, "would apply " + std::to_string(p->version) + " " + p->name + " (" + p->file + ")");
        }
        out.state = m.take_state().report;
        return finish(out);
    }

    {
        // Only migrations of other phases pending (post-deploy ones waiting for
        // their step) and no problem: nothing to do, no lock taken.
        const detail::core::up_plan plan = detail::core::plan_up(m.state(), set, target, m.opts().admin_command);
        if (plan.migrations.empty() && m.state().report.problems.empty()) {
            report_waiting(m.state().report, m.opts(), log, out);
            out.state = m.take_state().report;
            return finish(out);
        }
    }

    // Work to do (or something to report): the migrator takes the lock, looks again, and applies.
    detail::engine::run_result r = m.apply(target);
    out.took_lock = r.took_lock;
    log_warnings(r.warnings, log, out);
    for (const step_result& s : r.applied) out.applied.push_back(s.version);
    out.state = std::move(r.after.report);
    report_waiting(out.state, m.opts(), log, out);
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
