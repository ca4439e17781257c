// What baseline, repair and force share (see bookkeeping.hpp).
#include "cli/bookkeeping.hpp"
#include "cli/environment.hpp"
#include "engine/migrator.hpp"

namespace pgmig::detail::cli {


int run_bookkeeping(command_env& env, engine::migrator& m, const core::bookkeeping_plan& plan,
                    bool needs_confirmation, const bookkeeping_verb& verb, bookkeeping_result& out) {
    out.changes = plan.changes;
    out.applied_changes = false;
    out.current_version = version_of(m.state().report);
    if (plan.changes.empty()) return 0;
    if (out.dry_run) {
        out.statements = engine::bookkeeping_statements(plan, m.state(), m.opts());
        return 0;
    }
    const bool asked = needs_confirmation && env.confirm(out);
    const engine::run_result done = verb(m, asked ? &plan : nullptr);
    out.changes = done.changes;
    out.applied_changes = true;
    out.current_version = version_of(done.after.report);
    return 0;
}

} // namespace pgmig::detail::cli
