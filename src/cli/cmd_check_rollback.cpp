// `check-rollback` (see cmd_check_rollback.hpp).
#include "cli/cmd_check_rollback.hpp"
#include "cli/environment.hpp"
#include "cli/option_values.hpp"
#include "engine/history.hpp"

namespace pgmig::detail::cli {


int run_check_rollback(command_env& env, std::optional<check_rollback_result>& out) {
    std::optional<std::int64_t> to;
    if (!env.args.to.empty()) {
        to = parse_version("--to", env.args.to);
        if (env.migrations().find(*to) == nullptr)
            throw error(error_code::usage, "--to " + std::to_string(*to) + " is not a version of the migrations");
    }
    check_rollback_result& r = out.emplace();
    r.to = to;
    auto conn = env.connect();
    const core::db_state s = env.read_state(*conn);
    r.current_version = version_of(s.report);
    std::vector<const migration*> ms;
    for (const pending_migration& p : s.report.pending)
        if (!to || p.version <= *to) ms.push_back(env.migrations().find(p.version));
    r.checks = engine::check_rollbacks(*conn, ms, env.opts);
    for (const engine::rollback_check& c : *r.checks) {
        if (c.status == "ok") ++r.counts.ok;
        else if (c.status == "differs") ++r.counts.differs;
        else if (c.status == "failed") ++r.counts.failed;
        else ++r.counts.skipped;
    }
    r.differs = r.counts.differs + r.counts.failed > 0;
    return r.differs ? check_rollback_exit_code : 0;
}

} // namespace pgmig::detail::cli
