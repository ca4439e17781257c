// What a command runs with (see environment.hpp).
#include "cli/environment.hpp"
#include "cli/option_values.hpp"
#include "engine/connect.hpp"
#include "engine/history.hpp"
#include "engine/migrator.hpp"

namespace pgmig::detail::cli {

pgmig::options options_from(const parsed_args& a, const pgmig::cli::cli_options& base, console& io) {
    pgmig::options o = base.defaults;
    if (!a.history_table.empty()) o.history_table = parse_history_table(a.history_table);
    if (!a.drift.empty()) o.policy.drift = a.drift == "warn" ? drift_policy::warn : drift_policy::refuse;
    if (!a.unknown.empty()) o.policy.unknown_newer = a.unknown == "refuse" ? unknown_policy::refuse : unknown_policy::warn;
    if (!a.out_of_order.empty())
        o.policy.out_of_order = a.out_of_order == "allow" ? out_of_order_policy::allow : out_of_order_policy::refuse;
    if (!a.lock_timeout.empty()) o.lock_timeout = parse_duration("--lock-timeout", a.lock_timeout);
    if (!a.connect_timeout.empty()) o.connect_timeout = parse_duration("--connect-timeout", a.connect_timeout);
    if (a.lock_mode == "session") o.lock_mode = pgmig::lock_mode::session;
    if (a.lock_mode == "transaction") o.lock_mode = pgmig::lock_mode::transaction;
    if (!a.direct_db.empty()) {
        o.migration_url = a.direct_db;
        io.add_secret_source(a.direct_db);
    }
    o.mode = run_mode::apply;
    o.log = [&io](log_level level, const std::string& message) { io.log(level, log_line(level, message)); };
    // Fix hints name the commands as this front end spells them.
    o.admin_command = base.program_name.empty() ? "db" : base.program_name;
    return o;
}

std::unique_ptr<engine::db_connection> command_env::connect() const {
    return engine::connect_with_retry(conninfo, opts, opts.log);
}

core::db_state command_env::read_state(engine::db_connection& conn) const {
    return engine::read_state(conn, migrations(), opts);
}

void command_env::log_warnings(const std::vector<problem>& warnings) const {
    for (const problem& p : warnings) opts.log(log_level::warning, warning_text(p));
}

bool command_env::confirm_prompt(const std::string& prompt) {
    switch (io.ask(args.yes, prompt)) {
    case confirmation::confirmed: return true;
    case confirmation::assumed_yes: return false;
    case confirmation::declined: throw error(error_code::confirmation_required, "not confirmed; nothing was changed");
    case confirmation::no_terminal: break;
    }
    throw error(error_code::confirmation_required,
                prompt +
                    "This needs confirmation, and stdin is not a terminal, so pgmig cannot ask: nothing was changed. "
                    "Re-run with --yes to confirm (see the statements first with --dry-run).");
}

engine::run_result command_env::run_steps(engine::migrator& m,
                                                 const std::function<engine::run_result()>& verb,
                                                 std::vector<step_result>* applied,
                                                 std::vector<step_result>* rolled_back) {
    ticker t(io, io.stderr_tty());
    engine::run_observer obs;
    obs.begin = [&t](direction dir, std::int64_t version, const std::string& name, const std::string&, int index,
                     int total) {
        t.begin([=](std::chrono::milliseconds elapsed) { return progress_line(dir, version, name, index, total, elapsed); });
    };
    obs.end = [&t](std::int64_t, std::int64_t) { t.end(); };
    m.observe(std::move(obs));
    try {
        return verb();
    } catch (const partial_error& e) {
        if (applied != nullptr) *applied = e.applied();
        if (rolled_back != nullptr) *rolled_back = e.rolled_back();
        throw;
    }
}

} // namespace pgmig::detail::cli
