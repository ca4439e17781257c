// `up` (see cmd_up.hpp).
//
// Like every writing command: plan from the state the migrator read (no lock),
// show the plan (--dry-run, confirmation), then hand it to the migrator, which
// takes the lock, reads and plans again, and runs it (refusing when a
// confirmed plan changed meanwhile).
#include "cli/cmd_up.hpp"
#include "cli/environment.hpp"
#include "cli/option_values.hpp"
#include "cli/pending_risk.hpp"
#include "engine/migrator.hpp"

namespace pgmig::detail::cli {

int run_up(command_env& env, std::optional<up_result>& out) {
    core::up_target target;
    if (!env.args.to.empty()) target.to = parse_version("--to", env.args.to);
    if (!env.args.steps.empty()) target.steps = parse_steps(env.args.steps);
    target.phases = parse_phase(env.args.phase);
    up_result& r = out.emplace();
    r.phase = target.phases;
    r.dry_run = env.args.dry_run;
    r.to = target.to;
    r.steps = target.steps;

    engine::migrator session(env.conninfo, env.migrations(), env.opts);
    const core::db_state& s = session.read();
    r.current_version = version_of(s.report);
    const core::up_plan p = core::plan_up(s, env.migrations(), target, env.opts.admin_command);
    for (const migration* m : p.waiting) r.waiting.push_back({m->version, m->name, m->file, m->reversible});
    env.log_warnings(p.warnings);
    r.warnings = p.warnings;
    r.planned.emplace();
    for (const migration* m : p.migrations) r.planned->push_back({m->version, m->name, m->file, m->reversible});
    if (p.migrations.empty()) return 0;

    // Pending migrations with a high or critical lint finding (data loss
    // included) need a confirmation, like a rollback.
    auto lints = lint_by_version(env.migrations(), env.opts.log, session.connection());
    std::vector<std::int64_t> versions;
    for (const migration* m : p.migrations) versions.push_back(m->version);
    const size_map sizes = live_sizes(session.connection(), lints, versions, env.opts.log);
    lint::adjust_to_live_database(lints, sizes, versions);
    r.data_loss.emplace();
    r.risky.emplace();
    for (const migration* m : p.migrations) {
        const auto l = lints.find(m->version);
        if (l == lints.end()) continue;
        for (lint_finding& f : up_findings(l->second, finding_filter::data_loss)) {
            const table_size* t = lint::size_of(f, sizes);
            r.data_loss->push_back({std::move(f), t != nullptr ? std::optional<table_size>(*t) : std::nullopt});
        }
        std::vector<lint_finding> asking = up_findings(l->second, finding_filter::needs_confirmation);
        if (!asking.empty()) r.risky->push_back({m->version, m->name, m->file, l->second.level, std::move(asking)});
    }
    if (r.dry_run) {
        r.statements = engine::up_statements(p, s, session.opts());
        r.lock_retry = engine::lock_retries(session.opts());
        return 0;
    }
    const bool asked = !r.risky->empty() && env.confirm(r);

    engine::run_result done =
        env.run_steps(session, [&] { return session.apply(target, asked ? &p : nullptr); }, &r.applied, nullptr);
    r.applied = std::move(done.applied);
    r.current_version = version_of(done.after.report);
    return 0;
}

} // namespace pgmig::detail::cli
