// `rollback` (see cmd_rollback.hpp; the flow is that of cmd_up.cpp).
#include "cli/cmd_rollback.hpp"
#include "cli/environment.hpp"
#include "cli/option_values.hpp"
#include "engine/migrator.hpp"

namespace pgmig::detail::cli {

int run_rollback(command_env& env, std::optional<rollback_result>& out) {
    core::rollback_target target;
    if (!env.args.to.empty()) target.to = parse_version("--to", env.args.to);
    if (!env.args.steps.empty()) target.steps = parse_steps(env.args.steps);
    rollback_result& r = out.emplace();
    r.dry_run = env.args.dry_run;
    r.to = target.to;
    if (!target.to) r.steps = target.steps;

    engine::migrator session(env.conninfo, env.migrations(), env.opts);
    const core::db_state& s = session.read();
    r.current_version = version_of(s.report);
    // What it would roll back and destroy, shown also when the planner refuses.
    r.planned = core::rollback_candidates(s, env.migrations(), target);
    r.data_loss = down_data_loss(session.connection(), *r.planned, env.opts.log);
    const core::rollback_plan p = core::plan_rollback(s, env.migrations(), session.opts(), target);
    env.log_warnings(p.warnings);
    r.warnings = p.warnings;
    r.planned = p.steps;
    if (p.steps.empty()) return 0;
    if (r.dry_run) {
        r.statements = engine::rollback_statements(p, session.opts());
        r.lock_retry = engine::lock_retries(session.opts());
        return 0;
    }
    const bool asked = env.confirm(r);

    engine::run_result done =
        env.run_steps(session, [&] { return session.rollback(target, asked ? &p : nullptr); }, nullptr, &r.rolled_back);
    r.rolled_back = std::move(done.rolled_back);
    r.current_version = version_of(done.after.report);
    return 0;
}

} // namespace pgmig::detail::cli
