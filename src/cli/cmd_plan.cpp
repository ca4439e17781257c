// `plan` (see cmd_plan.hpp).
#include "cli/cmd_plan.hpp"
#include "cli/cmd_verify.hpp"
#include "cli/environment.hpp"
#include "core/planner.hpp"
#include "core/refusal.hpp"
#include "engine/executor.hpp"
#include "engine/history.hpp"

#include <algorithm>

namespace pgmig::detail::cli {

int run_plan(command_env& env, std::optional<plan_result>& out) {
    auto conn = env.connect();
    const core::db_state s = env.read_state(*conn);
    const reconcile_report& r = s.report;

    plan_result p;
    p.current_version = version_of(r);
    p.problems = r.problems;
    p.refusal = core::refusal_error(r);
    auto lints = r.pending.empty() ? std::map<std::int64_t, migration_lint>() : lint_by_version(env.migrations(), env.opts.log, *conn);
    // Live size of every table a finding of a pending migration names.
    std::vector<std::int64_t> versions;
    for (const pending_migration& pm : r.pending) versions.push_back(pm.version);
    const size_map sizes = live_sizes(*conn, lints, versions, env.opts.log);
    lint::adjust_to_live_database(lints, sizes, versions);
    // Lint is unavailable when it failed (it lints every migration of the set).
    if (!lints.empty() || r.pending.empty()) p.level = risk::none;
    for (const pending_migration& pm : r.pending) {
        const migration& m = *env.migrations().find(pm.version);
        plan_migration shown;
        shown.pending = pm;
        shown.no_transaction = m.up_no_transaction;
        shown.lock_timeout_ms = engine::effective_lock_timeout_ms(env.opts, m.lock_timeout_ms);
        shown.sql = m.up_sql;
        if (m.reversible) shown.down_sql = m.down_sql;
        const auto lint = lints.find(pm.version);
        if (lint != lints.end()) {
            shown.level = lint->second.level;
            shown.findings = sized_up_findings(lint->second, sizes);
            p.level = std::max(*p.level, lint->second.level);
            for (const lint_finding& f : lint->second.findings)
                if (!f.down && !f.suppressed) ++p.finding_count;
        }
        p.pending.push_back(std::move(shown));
    }
    if (!p.refusal) { // `up` would refuse a migration nobody wrote a statement in
        std::vector<const migration*> planned;
        for (const pending_migration& pm : r.pending) planned.push_back(env.migrations().find(pm.version));
        p.refusal = core::empty_migrations_error(planned);
    }
    const int code = state_exit_code(p.refusal, r);
    out = std::move(p);
    return code;
}

} // namespace pgmig::detail::cli
