// `repair` (see cmd_repair.hpp).
#include "cli/cmd_repair.hpp"
#include "cli/environment.hpp"
#include "engine/migrator.hpp"

namespace pgmig::detail::cli {

int run_repair(command_env& env, std::optional<bookkeeping_result>& out) {
    const bool accept = env.args.accept_checksums;
    bookkeeping_result& r = out.emplace();
    r.command = bookkeeping_command::repair;
    r.accept_checksums = accept;
    r.dry_run = env.args.dry_run;
    engine::migrator session(env.conninfo, env.migrations(), env.opts);
    const core::db_state& s = session.read();
    if (!accept) r.remaining_drift = s.report.drifted;
    const auto plan = core::plan_repair(s, env.migrations(), accept);
    return run_bookkeeping(
        env, session, plan, true,
        [accept](engine::migrator& m, const core::bookkeeping_plan* confirmed) {
            return m.repair(accept, confirmed);
        },
        r);
}

} // namespace pgmig::detail::cli
