// The command table (see commands.hpp).
#include "cli/commands.hpp"
#include "cli/args.hpp"
#include "cli/cmd_baseline.hpp"
#include "cli/cmd_force.hpp"
#include "cli/cmd_repair.hpp"
#include "cli/option_values.hpp"
#include "core/foreign_history.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>


namespace pgmig::detail::cli {

namespace {

/// The handler of a command whose run function fills an optional result: the
/// result goes to the renderers also when the command stops on an error
/// (what it filled before is what they show beside the error).
template <class Result, int (*Run)(command_env&, std::optional<Result>&)>
int run_as(command_env& env, command_result& out) {
    std::optional<Result> r;
    try {
        const int code = Run(env, r);
        if (r) out = std::move(*r);
        return code;
    } catch (...) {
        if (r) out = std::move(*r);
        throw;
    }
}

void no_options(CLI::App&, parsed_args&) {}
std::string no_check(parsed_args&, const std::string&) { return {}; }
void no_values(const parsed_args&) {}

void dry_run_option(CLI::App& sub, parsed_args& a, const char* help) { sub.add_flag("--dry-run", a.dry_run, help); }

// ------------------------------------------------------------------ up

void up_options(CLI::App& sub, parsed_args& a) {
    sub.add_option("--to", a.to, "Apply pending migrations up to and including version V");
    sub.add_option("--steps", a.steps, "Apply only the next N pending migrations");
    sub.add_option("--phase", a.phase,
                   "pre-deploy (default: what a boot applies), post-deploy (the step once every replica runs the new "
                   "release) or all (every pending migration in version order)");
    dry_run_option(sub, a, "Print every statement that would run (with the history bookkeeping); change nothing");
}
std::string up_check(parsed_args& a, const std::string&) {
    if (!a.to.empty() && !a.steps.empty()) return "up: --to and --steps cannot be combined; use one of them";
    return {};
}
void up_values(const parsed_args& a) {
    if (!a.to.empty()) parse_version("--to", a.to);
    if (!a.steps.empty()) parse_steps(a.steps);
    parse_phase(a.phase);
}

// ------------------------------------------------------------------ rollback

void rollback_options(CLI::App& sub, parsed_args& a) {
    sub.add_option("--to", a.to, "Roll back every applied migration newer than V (V stays applied; 0 = all)");
    sub.add_option("--steps", a.steps, "Roll back the latest N applied migrations (default 1)");
    dry_run_option(sub, a, "Print every statement that would run; change nothing");
}
std::string rollback_check(parsed_args& a, const std::string&) {
    if (!a.to.empty() && !a.steps.empty()) return "rollback: --to and --steps cannot be combined; use one of them";
    return {};
}
void rollback_values(const parsed_args& a) {
    if (!a.to.empty()) parse_version("--to", a.to);
    if (!a.steps.empty()) parse_steps(a.steps);
}

// ------------------------------------------------------------------ redo, baseline, repair, force

void redo_options(CLI::App& sub, parsed_args& a) {
    dry_run_option(sub, a, "Print every statement that would run; change nothing");
}

void status_options(CLI::App& sub, parsed_args& a) {
    sub.add_flag("--exit-code", a.exit_code,
                 "Exit like verify: 2 when migrations are pending, 3 on drift or a policy problem, 4 when a failed run "
                 "is recorded (the output is status's)");
}

void baseline_options(CLI::App& sub, parsed_args& a) {
    sub.add_option("--version", a.version, "Record the migrations up to and including V as applied");
    sub.add_flag("--force", a.force,
                 "Record them even when tables, indexes, types or schemas their up SQL creates are missing from the "
                 "database");
    dry_run_option(sub, a, "Print the statements; change nothing");
}
std::string baseline_check(parsed_args& a, const std::string& program) {
    if (a.version.empty())
        return "baseline needs --version V: the newest migration the database already has, e.g. `" + program +
               " baseline --version 20240101120000`";
    return {};
}
void baseline_values(const parsed_args& a) { parse_version("--version", a.version); }

void repair_options(CLI::App& sub, parsed_args& a) {
    sub.add_flag("--accept-checksums", a.accept_checksums,
                 "Also record the current checksums of changed (drifted) migrations");
    dry_run_option(sub, a, "Print the statements; change nothing");
}

void force_options(CLI::App& sub, parsed_args& a) {
    sub.add_option("version", a.version, "The version to record as current (0 = nothing applied)");
    dry_run_option(sub, a, "Print the statements; change nothing");
}
std::string force_check(parsed_args& a, const std::string& program) {
    if (a.version.empty())
        return "force needs the version to record, e.g. `" + program + " force 20240101120000` (0 = nothing applied)";
    return {};
}
void force_values(const parsed_args& a) { parse_version("version", a.version); }

// ------------------------------------------------------------------ import

void import_options(CLI::App& sub, parsed_args& a) {
    sub.add_option("--from", a.from_tool, "The tool that migrated the database: " + core::foreign_tool_names());
    sub.add_option("--from-table", a.from_table,
                   "The tool's history table as schema.table, when not its default (see docs/cli.md)");
    sub.add_flag("--accept-checksums", a.accept_checksums,
                 "Import even when a file's checksum differs from the one the tool recorded (sqlx, Flyway, sqitch)");
    dry_run_option(sub, a, "Print what would be imported and the statements; change nothing");
}
std::string import_check(parsed_args& a, const std::string& program) {
    if (a.from_tool.empty())
        return "import needs --from TOOL (one of " + core::foreign_tool_names() + "), e.g. `" + program +
               " import --from goose --dry-run`";
    if (core::find_foreign_tool(a.from_tool) == nullptr) {
        std::vector<std::string> names;
        for (const core::foreign_tool_info& t : core::foreign_tools()) names.emplace_back(t.name);
        return one_of("--from", a.from_tool, names);
    }
    return {};
}
void import_values(const parsed_args& a) {
    if (!a.from_table.empty()) parse_history_table(a.from_table, "--from-table");
}

// ------------------------------------------------------------------ check-rollback

void check_rollback_options(CLI::App& sub, parsed_args& a) {
    sub.add_option("--to", a.to, "Check pending migrations up to and including version V");
}
void check_rollback_values(const parsed_args& a) {
    if (!a.to.empty()) parse_version("--to", a.to);
}

// ------------------------------------------------------------------ lint

void lint_options(CLI::App& sub, parsed_args& a) {
    sub.add_option("--format", a.format,
                   "Output: text (default), json (same as --json), github (GitHub Actions annotations), sarif (SARIF "
                   "2.1.0, for GitHub code scanning) or gitlab (GitLab Code Quality report)");
    sub.add_option("--fail-on", a.fail_on,
                   "Exit 11 when an unsuppressed finding is at or above this level: critical, high (default), medium, "
                   "low, none (never)");
    sub.add_flag("--lint-down", a.lint_down, "Also lint the down sections");
    sub.add_flag("--pending", a.pending,
                 "Only the migrations the database has not applied (connects with --db; for CI gates: an accepted, "
                 "applied finding no longer fails)");
    sub.add_option("--disable", a.disable, "Rule ids to skip, comma-separated or repeated (see docs/lint-rules.md)")
        ->delimiter(',');
    sub.add_option("--enable", a.enable, "Opt-in rule ids to run too, comma-separated or repeated (e.g. require-table-schema)")
        ->delimiter(',');
}
std::string lint_check(parsed_args& a, const std::string&) {
    for (const std::string& msg : {one_of("--format", a.format, {"text", "json", "github", "sarif", "gitlab"}),
                                   one_of("--fail-on", a.fail_on, {"critical", "high", "medium", "low", "none"})})
        if (!msg.empty()) return msg;
    if (a.json && !a.format.empty() && a.format != "json")
        return "--json and --format " + a.format + " cannot be combined; use one of them";
    if (a.format == "json") a.json = true;
    return {};
}

// ------------------------------------------------------------------ new

void new_options(CLI::App& sub, parsed_args& a) {
    sub.add_option("name", a.name_words, "Name of the migration (words are joined and sanitised)");
    sub.add_option("--format", a.format,
                   "For an empty directory: timestamp (default; one file with up/down sections) or paired "
                   "(NNNNNN_name.up.sql + .down.sql)");
}
std::string new_check(parsed_args& a, const std::string& program) {
    const std::string msg = one_of("--format", a.format, {"timestamp", "paired"});
    if (!msg.empty()) return msg;
    if (a.name_words.empty()) return "new needs a name, e.g. `" + program + " new add_user_status`";
    return {};
}

} // namespace

const std::vector<command_spec>& commands() {
    using in = command_input;
    static const std::vector<command_spec> table = {
        {"status", {}, "Show applied (with time and duration) and pending migrations, drift, unknown versions and failed runs",
         "{p} status\n  {p} status --json\n  {p} status --exit-code", false, in::database, status_options, no_check, no_values,
         run_as<status_result, run_status>,
         {{0, "the state was read (it is in the result)"}, {2, "with --exit-code: pending migrations"}, {3, "with --exit-code: drift or a policy problem"}, {4, "with --exit-code: a failed run is recorded"}}},
        {"plan", {}, "Show what `up` would do: the pending migrations in order with their SQL, non-reversible ones flagged, and any problem that would make it refuse (exit 0 nothing pending, 2 pending, 3/4/8 `up` would refuse)",
         "{p} plan\n  {p} plan --json", false, in::database, no_options, no_check, no_values,
         run_as<plan_result, run_plan>,
         {{0, "nothing pending"}, {2, "pending migrations"}, {3, "`up` would refuse (drift, policy)"}, {4, "a failed run is recorded"}, {8, "`up` would refuse: a pending migration has no statement"}}},
        {"up", {"apply"}, "Apply the pending migrations (all, up to --to V, or the next --steps N) under the migration lock; refuses on drift and policy problems like the startup call",
         "{p} up --dry-run\n  {p} up\n  {p} up --phase post-deploy\n  {p} up --to 20240101120000\n  {p} up --steps 1", false, in::database, up_options,
         up_check, up_values, run_as<up_result, run_up>,
         {{0, "applied, or nothing pending"}, {3, "refused: drift, policy, foreign history table"}, {4, "a failed run is recorded"}, {5, "lock timeout"}, {7, "a migration's SQL failed"}, {8, "a pending migration has no statement (fill it in)"}, {10, "confirmation required: a high or critical lint finding, without --yes"}, {13, "lock lost"}, {14, "read-only server"}}},
        {"rollback", {"down"}, "Roll back the latest applied migration, the latest --steps N, or every one after --to V, in reverse applied order (uses the down SQL stored in the history when the file is gone)",
         "{p} rollback --dry-run\n  {p} rollback\n  {p} rollback --to 20240101120000 --yes", false, in::database,
         rollback_options, rollback_check, rollback_values, run_as<rollback_result, run_rollback>,
         {{0, "rolled back, or nothing applied"}, {3, "refused: not reversible, drift"}, {4, "a failed run is recorded"}, {5, "lock timeout"}, {7, "a down SQL failed"}, {10, "confirmation required (without --yes)"}, {13, "lock lost"}, {14, "read-only server"}}},
        {"redo", {}, "Roll back the latest applied migration and apply it again (for development)",
         "{p} redo", false, in::database, redo_options, no_check, no_values, run_as<redo_result, run_redo>,
         {{0, "rolled back and applied again, or nothing applied"}, {3, "refused: not reversible, not shipped, drift"}, {4, "a failed run is recorded"}, {5, "lock timeout"}, {7, "SQL failed"}, {10, "confirmation required (without --yes)"}, {13, "lock lost"}, {14, "read-only server"}}},
        {"verify", {}, "Check checksums and policies without changing anything (exit 0 clean, 2 pending, 3 drift or policy problem, 4 failed run recorded)",
         "{p} verify", false, in::database, no_options, no_check, no_values, run_as<verify_result, run_verify>,
         {{0, "clean"}, {2, "pending migrations"}, {3, "drift or a policy problem"}, {4, "a failed run is recorded"}}},
        {"history", {}, "List every row of the history table, including rollbacks and failures",
         "{p} history\n  {p} history --json", false, in::database, no_options, no_check, no_values,
         run_as<history_result, run_history>,
         {{0, "the rows were read"}}},
        {"baseline", {}, "Record an existing database as migrated up to --version V without running any SQL (refused when history exists, and when objects those migrations create are missing unless --force; confirmation required)",
         "{p} baseline --version 20240101120000 --dry-run\n  {p} baseline --version 20240101120000 --yes", false, in::database, baseline_options, baseline_check,
         baseline_values, run_as<bookkeeping_result, run_baseline>,
         {{0, "recorded, or nothing to record"}, {3, "refused: history exists, or objects the migrations create are missing (--force)"}, {5, "lock timeout"}, {10, "confirmation required (without --yes)"}, {14, "read-only server"}}},
        {"repair", {}, "Clear failed/interrupted history rows after fixing their cause; with --accept-checksums also record the current checksums of changed migrations",
         "{p} repair\n  {p} repair --accept-checksums --yes", false, in::database, repair_options, no_check, no_values,
         run_as<bookkeeping_result, run_repair>,
         {{0, "repaired, or nothing to repair (remaining drift is in the result)"}, {5, "lock timeout"}, {10, "confirmation required (without --yes)"}, {14, "read-only server"}}},
        {"force", {}, "Set the recorded state to exactly version V (0 = nothing applied) without running SQL",
         "{p} force 20240101120000", false, in::database, force_options, force_check, force_values,
         run_as<bookkeeping_result, run_force>,
         {{0, "recorded, or already the state"}, {5, "lock timeout"}, {10, "confirmation required (without --yes)"}, {14, "read-only server"}}},
        {"import", {}, "Adopt a database another tool migrated (golang-migrate, goose, dbmate, sqlx, flyway, sqitch): check its history against the migration files and record it in pgmig's history, without running SQL or touching the tool's table",
         "{p} import --from goose --dry-run\n  {p} import --from golang-migrate --history-table public.pgmig_migrations --yes",
         false, in::database, import_options, import_check, import_values, run_as<import_result, run_import>,
         {{0, "imported, or nothing to import"}, {1, "the tool's table is missing or of another shape, or it is pgmig's history table"}, {3, "refused: pgmig's history has rows, a version without its file, a rolled-back row, changed files (--accept-checksums)"}, {4, "the tool records a dirty or failed migration"}, {5, "lock timeout"}, {10, "confirmation required (without --yes)"}, {14, "read-only server"}}},
        {"check-rollback", {}, "Check that each pending migration's down undoes its up: apply up and down inside one transaction that is always rolled back, and compare schema snapshots (exit 12 when one differs or fails)",
         "{p} check-rollback\n  {p} check-rollback --to 20240101120000 --json", false, in::database,
         check_rollback_options, no_check, check_rollback_values, run_as<check_rollback_result, run_check_rollback>,
         {{0, "every down undoes its up"}, {12, "a down does not restore the schema, or failed"}}},
        {"lint", {}, "Check the migrations for risky statements (no database needed): data loss, long locks, rewrites, incompatible changes; exit 11 when a finding is at or above --fail-on (default high)",
         "{p} lint\n  {p} lint --fail-on critical --format github\n  {p} lint --format sarif > pgmig.sarif\n"
         "  {p} lint --json --lint-down --disable rename-column --enable require-table-schema\n  {p} lint --pending --json",
         false, in::migrations, lint_options, lint_check, no_values, run_as<lint_result, run_lint>,
         {{0, "nothing at or above --fail-on"}, {6, "with --pending: cannot connect"}, {11, "findings at or above --fail-on"}}},
        {"new", {"generate", "create"}, "Create the next migration file(s) in the migrations directory, following its convention",
         "{p} new add_user_status\n  {p} new \"add user status\" --format paired", true, in::none, new_options,
         new_check, no_values, run_as<new_result, run_new>,
         {{0, "created"}}},
    };
    return table;
}

const command_spec* find_command(std::string_view name) {
    for (const command_spec& c : commands()) {
        if (name == c.name) return &c;
        for (const char* a : c.aliases)
            if (name == a) return &c;
    }
    return nullptr;
}

std::vector<int> exit_code_list(const command_spec& spec) {
    std::vector<int> out;
    for (const exit_meaning& e : spec.exit_codes) out.push_back(e.code);
    out.insert(out.end(), {1, 8}); // a usage error; migration files that do not load (`new`: an unreadable directory)
    if (spec.input == command_input::database) out.insert(out.end(), {6, 9});
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::vector<std::string> command_names(bool standalone) {
    std::vector<std::string> out;
    for (const command_spec& c : commands()) {
        if (c.standalone_only && !standalone) continue;
        out.emplace_back(c.name);
        for (const char* a : c.aliases) out.emplace_back(a);
    }
    return out;
}

} // namespace pgmig::detail::cli
