// `import` (see cmd_import.hpp).
#include "cli/cmd_import.hpp"
#include "cli/environment.hpp"
#include "cli/option_values.hpp"
#include "engine/foreign_history.hpp"
#include "engine/migrator.hpp"

#include <pgmig/error.hpp>

namespace pgmig::detail::cli {

int run_import(command_env& env, std::optional<import_result>& out) {
    core::import_request req;
    req.tool = core::find_foreign_tool(env.args.from_tool);
    if (req.tool == nullptr) // the command table's check refuses it first
        throw error(error_code::usage, "--from: '" + env.args.from_tool + "' is not one of " +
                                           core::foreign_tool_names());
    req.table = env.args.from_table.empty() ? req.tool->default_table()
                                            : parse_history_table(env.args.from_table, "--from-table");
    req.accept_checksums = env.args.accept_checksums;
    import_result& r = out.emplace();
    r.tool = req.tool->name;
    r.table = req.table.qualified();
    r.book.command = bookkeeping_command::import_history;
    r.book.accept_checksums = req.accept_checksums;
    r.book.dry_run = env.args.dry_run;
    if (const std::string conflict = core::import_table_conflict(req, env.opts); !conflict.empty())
        throw error(error_code::usage, conflict);

    engine::migrator session(env.conninfo, env.migrations(), env.opts);
    const core::db_state& state = session.read();
    core::import_plan plan = core::plan_import(
        state, env.migrations(), session.opts(), req,
        engine::read_foreign_history(session.connection(), *req.tool, req.table));
    r.report = plan.report;
    return run_bookkeeping(
        env, session, plan.book, true,
        [&req](engine::migrator& m, const core::bookkeeping_plan* confirmed) {
            return m.import_history(req, confirmed);
        },
        r.book);
}

} // namespace pgmig::detail::cli
