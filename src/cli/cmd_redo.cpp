// `redo` (see cmd_redo.hpp; the flow is that of cmd_up.cpp).
#include "cli/cmd_redo.hpp"
#include "cli/environment.hpp"
#include "engine/migrator.hpp"

namespace pgmig::detail::cli {

int run_redo(command_env& env, std::optional<redo_result>& out) {
    redo_result& r = out.emplace();
    r.dry_run = env.args.dry_run;

    engine::migrator session(env.conninfo, env.migrations(), env.opts);
    const core::db_state& s = session.read();
    r.current_version = version_of(s.report);
    const core::redo_plan p = core::plan_redo(s, env.migrations(), session.opts());
    r.planned = p.down;
    r.data_loss = down_data_loss(session.connection(), p.down.steps, env.opts.log);
    if (p.down.steps.empty()) return 0;
    env.log_warnings(p.down.warnings);
    if (r.dry_run) {
        r.statements = engine::redo_statements(p, s, session.opts());
        r.lock_retry = engine::lock_retries(session.opts());
        return 0;
    }
    const bool asked = env.confirm(r);

    engine::run_result done =
        env.run_steps(session, [&] { return session.redo(asked ? &p : nullptr); }, &r.applied, &r.rolled_back);
    r.rolled_back = std::move(done.rolled_back);
    r.applied = std::move(done.applied);
    r.current_version = version_of(done.after.report);
    return 0;
}

} // namespace pgmig::detail::cli
