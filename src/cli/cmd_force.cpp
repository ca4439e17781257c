// `force` (see cmd_force.hpp).
#include "cli/cmd_force.hpp"
#include "cli/environment.hpp"
#include "cli/option_values.hpp"
#include "engine/migrator.hpp"

namespace pgmig::detail::cli {

int run_force(command_env& env, std::optional<bookkeeping_result>& out) {
    const std::int64_t version = parse_version("version", env.args.version);
    bookkeeping_result& r = out.emplace();
    r.command = bookkeeping_command::force;
    r.version = version;
    if (version != 0 || env.migrations().find(0) != nullptr) r.force_target.newest = version;
    r.dry_run = env.args.dry_run;
    engine::migrator session(env.conninfo, env.migrations(), env.opts);
    const auto plan = core::plan_force(session.read(), env.migrations(), version);
    return run_bookkeeping(
        env, session, plan, true,
        [version](engine::migrator& m, const core::bookkeeping_plan* confirmed) {
            return m.force(version, confirmed);
        },
        r);
}

} // namespace pgmig::detail::cli
