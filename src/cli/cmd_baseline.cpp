// `baseline` (see cmd_baseline.hpp).
#include "cli/cmd_baseline.hpp"
#include "cli/environment.hpp"
#include "cli/option_values.hpp"
#include "engine/catalog_objects.hpp"
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
    if (!plan.changes.empty()) {
        // The database must visibly have what the migrations it records create.
        r.missing_objects = engine::missing_objects(
            session.connection(), lint::objects_created(env.migrations(), version));
        if (!r.missing_objects->empty() && !env.args.force) {
            std::string msg = "baseline refused: the database lacks " +
                              std::to_string(r.missing_objects->size()) +
                              (r.missing_objects->size() == 1 ? " object" : " objects") +
                              " that the migrations up to " + std::to_string(version) + " create:";
            for (const lint::created_object& o : *r.missing_objects)
                msg += "\n  " + o.kind + " " + o.name + " (migration " + std::to_string(o.version) + ")";
            msg += "\nRecording them as applied would make pgmig skip SQL this database never ran. Nothing was "
                   "recorded. Pick the version the database really has, or apply the migrations with `up`; if the "
                   "objects exist under other names, re-run with --force.";
            throw error(error_code::policy, msg);
        }
    }
    return run_bookkeeping(
        env, session, plan, true,
        [version](engine::migrator& m, const core::bookkeeping_plan* confirmed) {
            return m.baseline(version, confirmed);
        },
        r);
}

} // namespace pgmig::detail::cli
