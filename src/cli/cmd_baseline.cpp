// `baseline` (see cmd_baseline.hpp).
#include "cli/cmd_baseline.hpp"
#include "cli/environment.hpp"
#include "cli/option_values.hpp"
#include "engine/migrator.hpp"

namespace pgmig::detail::cli {

int run_baseline(command_env& env, std::optional<bookkeeping_result>& out) {
    const std::int64_t version = parse_version("--version", env.args.version);
    bookkeeping_result& r = out.emplace();
    r.command = bookkeeping_command::baseline;
    r.version = version;
    r.dry_run = env.args.dry_run;
    engine::migrator session(env.conninfo, env.migrations(), env.opts);
    const auto plan = core::plan_baseline(session.read(), env.migrations(), session.opts(), version);
    return run_bookkeeping(
        env, session, plan, false,
        [version](engine::migrator& m, const core::bookkeeping_plan* confirmed) {
            return m.baseline(version, confirmed);
        },
        r);
}

} // namespace pgmig::detail::cli
