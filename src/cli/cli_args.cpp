// Argument parsing of the admin CLI (CLI11), with suggestions for typos.
#include "cli/cli_internal.hpp"
#include "core/suggest.hpp"

#include <pgmig/version.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <memory>

namespace pgmig::cli::detail {

namespace {

using pgmig::detail::closest;

struct command_spec {
    const char* name;
    std::vector<const char*> aliases;
    const char* summary;
    const char* example; // "{p}" is replaced by the program name
    bool standalone_only;
};

const std::vector<command_spec>& specs() {
    static const std::vector<command_spec> s = {
        {"status", {}, "Show applied (with time and duration) and pending migrations, drift, unknown versions and failed runs",
         "{p} status\n  {p} status --json", false},
        {"plan", {}, "Show what `up` would do: the pending migrations in order with their SQL, non-reversible ones flagged, and any problem that would make it refuse (exit 0 nothing pending, 2 pending, 3/4 `up` would refuse)",
         "{p} plan\n  {p} plan --json", false},
        {"up", {"apply"}, "Apply the pending migrations (all, or up to --to V) under the migration lock; refuses on drift and policy problems like the startup call",
         "{p} up --dry-run\n  {p} up\n  {p} up --to 20240101120000", false},
        {"rollback", {"down"}, "Roll back the latest applied migration, the latest --steps N, or every one after --to V, in reverse applied order (uses the down SQL stored in the history when the file is gone)",
         "{p} rollback --dry-run\n  {p} rollback\n  {p} rollback --to 20240101120000 --yes", false},
        {"redo", {}, "Roll back the latest applied migration and apply it again (for development)",
         "{p} redo", false},
        {"verify", {}, "Check checksums and policies without changing anything (exit 0 clean, 2 pending, 3 drift or policy problem, 4 failed run recorded)",
         "{p} verify", false},
        {"history", {}, "List every row of the history table, including rollbacks and failures",
         "{p} history\n  {p} history --json", false},
        {"baseline", {}, "Record an existing database as migrated up to --version V without running any SQL (refused when history exists)",
         "{p} baseline --version 20240101120000", false},
        {"repair", {}, "Clear failed/interrupted history rows after fixing their cause; with --accept-checksums also record the current checksums of changed migrations",
         "{p} repair\n  {p} repair --accept-checksums --yes", false},
        {"force", {}, "Set the recorded state to exactly version V (0 = nothing applied) without running SQL",
         "{p} force 20240101120000", false},
        {"check-rollback", {}, "Check that each pending migration's down undoes its up: apply up and down inside one transaction that is always rolled back, and compare schema snapshots (exit 12 when one differs or fails)",
         "{p} check-rollback\n  {p} check-rollback --to 20240101120000 --json", false},
        {"lint", {}, "Check the migrations for risky statements (no database needed): data loss, long locks, rewrites, incompatible changes; exit 11 when a finding is at or above --fail-on (default high)",
         "{p} lint\n  {p} lint --fail-on critical --format github\n  {p} lint --format sarif > pgmig.sarif\n  {p} lint --json --lint-down --disable rename-column --enable require-table-schema", false},
        {"new", {"generate", "create"}, "Create the next migration file(s) in the migrations directory, following its convention",
         "{p} new add_user_status\n  {p} new \"add user status\" --format paired", true},
    };
    return s;
}

std::string replace_program(std::string text, const std::string& program) {
    for (std::size_t pos = text.find("{p}"); pos != std::string::npos; pos = text.find("{p}", pos + program.size()))
        text.replace(pos, 3, program);
    return text;
}

const char* exit_code_footer =
    "Exit codes: 0 ok, 1 usage, 2 pending, 3 drift/policy/not reversible, 4 failed run recorded,\n"
    "5 lock timeout, 6 connection, 7 migration SQL failed, 8 invalid migration files,\n"
    "9 unexpected database error, 10 confirmation required (use --yes without a terminal),\n"
    "11 lint findings at or above the --fail-on threshold, 12 check-rollback found a down that does not undo its up,\n"
    "13 the migration lock was lost during the run, 14 the server is read-only.";

std::vector<std::string> long_names(CLI::App& app) {
    std::vector<std::string> out;
    for (CLI::Option* o : app.get_options())
        for (const std::string& n : o->get_lnames()) out.push_back("--" + n);
    return out;
}

} // namespace

std::vector<std::string> command_names(bool standalone) {
    std::vector<std::string> out;
    for (const command_spec& c : specs()) {
        if (c.standalone_only && !standalone) continue;
        out.emplace_back(c.name);
        for (const char* a : c.aliases) out.emplace_back(a);
    }
    return out;
}

parse_outcome parse_arguments(int argc, const char* const* argv, bool standalone, const std::string& program) {
    parse_outcome result;
    parsed_args& a = result.args;

    std::vector<std::string> args;
    for (int i = 1; i < argc; ++i) args.emplace_back(argv[i] != nullptr ? argv[i] : "");
    for (const std::string& s : args) {
        if (s == "--") break;
        if (s == "--json") result.json = true;
    }
    // `help` and `help CMD` are --help in disguise.
    if (!args.empty() && args[0] == "help") {
        args.erase(args.begin());
        args.emplace_back("--help");
    }

    CLI::App app(std::string("pgmig ") + PGMIG_VERSION_STRING +
                     " — PostgreSQL migrations: status, plan, apply, roll back and repair" +
                     (standalone ? " (migrations from --migrations-dir)." : " (the migrations built into this program)."),
                 program);
    app.fallthrough();
    app.allow_extras();
    app.require_subcommand(0, 1);
    app.footer(exit_code_footer);
    app.get_formatter()->column_width(34);

    bool show_version = false;
    const char* global = "Global options";
    app.add_option("--db", a.db, "Connection URL or conninfo (default: $DB_URL, else DB_URL in ./.env)")->group(global);
    app.add_option("--history-table", a.history_table, "History table as schema.table (default public.schema_migrations)")->group(global);
    if (standalone)
        app.add_option("--migrations-dir", a.migrations_dir, "Directory of migration files (default: migrations)")->group(global);
    app.add_flag("--json", a.json, "Print exactly one JSON document on stdout (logs stay on stderr)")->group(global);
    app.add_flag("-y,--yes", a.yes, "Confirm destructive commands without asking (required without a terminal)")->group(global);
    app.add_option("--lock-timeout", a.lock_timeout, "Longest wait for the migration lock, e.g. 30s, 5m (default 5m)")->group(global);
    app.add_option("--connect-timeout", a.connect_timeout, "Keep retrying the connection this long, e.g. 10s (default 30s)")->group(global);
    app.add_option("--lock-mode", a.lock_mode, "Migration lock: auto (default; transaction-scoped through a connection pooler), session or transaction")->group(global);
    app.add_option("--direct-db", a.direct_db, "Direct connection (not through a pooler) for the lock and no-transaction migrations")->group(global);
    app.add_option("--drift", a.drift, "Checksum drift: refuse (default) or warn")->group(global);
    app.add_option("--unknown", a.unknown, "Applied versions newer than the migrations: warn (default) or refuse")->group(global);
    app.add_option("--out-of-order", a.out_of_order, "Pending versions older than the newest applied: refuse (default) or allow")->group(global);
    app.add_flag("-v,--verbose", a.verbose, "Log debug messages on stderr")->group(global);
    app.add_flag("-q,--quiet", a.quiet, "Log only warnings and errors on stderr")->group(global);
    app.add_flag("--version", show_version, "Print the version and exit")->group(global);

    std::map<std::string, CLI::App*> subs;
    for (const command_spec& c : specs()) {
        if (c.standalone_only && !standalone) continue;
        CLI::App* sub = app.add_subcommand(c.name, c.summary);
        for (const char* alias : c.aliases) sub->alias(alias);
        sub->footer("Example:\n  " + replace_program(c.example, program) +
                    "\n\nGlobal options (--db, --json, --yes, …) are listed by `" + program + " --help`.");
        subs[c.name] = sub;
    }
    subs["up"]->add_option("--to", a.to, "Apply pending migrations up to and including version V");
    subs["up"]->add_flag("--dry-run", a.dry_run, "Print every statement that would run (with the history bookkeeping); change nothing");
    subs["rollback"]->add_option("--to", a.to, "Roll back every applied migration newer than V (V stays applied; 0 = all)");
    subs["rollback"]->add_option("--steps", a.steps, "Roll back the latest N applied migrations (default 1)");
    subs["rollback"]->add_flag("--dry-run", a.dry_run, "Print every statement that would run; change nothing");
    subs["redo"]->add_flag("--dry-run", a.dry_run, "Print every statement that would run; change nothing");
    subs["baseline"]->add_option("--version", a.version, "Record the migrations up to and including V as applied");
    subs["baseline"]->add_flag("--dry-run", a.dry_run, "Print the statements; change nothing");
    subs["repair"]->add_flag("--accept-checksums", a.accept_checksums, "Also record the current checksums of changed (drifted) migrations");
    subs["repair"]->add_flag("--dry-run", a.dry_run, "Print the statements; change nothing");
    subs["force"]->add_option("version", a.version, "The version to record as current (0 = nothing applied)");
    subs["force"]->add_flag("--dry-run", a.dry_run, "Print the statements; change nothing");
    subs["check-rollback"]->add_option("--to", a.to, "Check pending migrations up to and including version V");
    subs["lint"]->add_option("--format", a.format, "Output: text (default), json (same as --json), github (GitHub Actions annotations), sarif (SARIF 2.1.0, for GitHub code scanning) or gitlab (GitLab Code Quality report)");
    subs["lint"]->add_option("--fail-on", a.fail_on, "Exit 11 when an unsuppressed finding is at or above this level: critical, high (default), medium, low, none (never)");
    subs["lint"]->add_flag("--lint-down", a.lint_down, "Also lint the down sections");
    subs["lint"]->add_option("--disable", a.disable, "Rule ids to skip, comma-separated or repeated (see docs/lint-rules.md)")->delimiter(',');
    subs["lint"]->add_option("--enable", a.enable, "Opt-in rule ids to run too, comma-separated or repeated (e.g. require-table-schema)")->delimiter(',');
    if (standalone) {
        subs["new"]->add_option("name", a.name_words, "Name of the migration (words are joined and sanitised)");
        subs["new"]->add_option("--format", a.format, "For an empty directory: timestamp (default; one file with up/down sections) or paired (NNNNNN_name.up.sql + .down.sql)");
    }

    const auto fail = [&](const std::string& msg) {
        result.finished = true;
        result.exit_code = exit_code(error_code::usage);
        result.usage = error(error_code::usage, msg);
        return result;
    };
    const std::string help_hint = " (see `" + program + " --help`)";

    try {
        std::vector<std::string> reversed(args.rbegin(), args.rend());
        app.parse(reversed);
    } catch (const CLI::CallForHelp&) {
        result.finished = true;
        result.exit_code = 0;
        result.out_text = app.help();
        if (!app.get_subcommands().empty()) result.command = app.get_subcommands().front()->get_name();
        return result;
    } catch (const CLI::CallForAllHelp&) {
        result.finished = true;
        result.out_text = app.help("", CLI::AppFormatMode::All);
        return result;
    } catch (const CLI::ParseError& e) {
        if (!app.get_subcommands().empty()) result.command = app.get_subcommands().front()->get_name();
        return fail(std::string(e.what()) + help_hint);
    }

    CLI::App* chosen = app.get_subcommands().empty() ? nullptr : app.get_subcommands().front();
    if (chosen != nullptr) {
        a.command = chosen->get_name();
        result.command = a.command;
    }

    // Leftovers: unknown commands, unknown options, stray arguments.
    for (const std::string& extra : app.remaining(true)) {
        if (extra.size() > 1 && extra[0] == '-') {
            std::vector<std::string> candidates = long_names(app);
            if (chosen != nullptr)
                for (const std::string& n : long_names(*chosen)) candidates.push_back(n);
            const std::string name = extra.substr(0, extra.find('='));
            std::string msg = "unknown option '" + name + "'" + (chosen ? " for `" + chosen->get_name() + "`" : std::string());
            const std::string best = closest(name, candidates);
            if (!best.empty()) msg += "; did you mean '" + best + "'?";
            return fail(msg + help_hint);
        }
        if (chosen == nullptr) {
            if (!standalone && (extra == "new" || extra == "generate" || extra == "create"))
                return fail("`" + extra + "` is not available here: creating migration files needs a migrations "
                            "directory; use the standalone `pgmig new NAME` in your source tree");
            std::string msg = "unknown command '" + extra + "'";
            const std::string best = closest(extra, command_names(standalone));
            if (!best.empty()) msg += "; did you mean '" + best + "'?";
            return fail(msg + help_hint);
        }
        return fail("unexpected argument '" + extra + "' for `" + chosen->get_name() + "`" + help_hint);
    }

    if (show_version && chosen == nullptr) {
        result.finished = true;
        result.out_text = (program == "pgmig" ? program : program + " (pgmig)") + " " + PGMIG_VERSION_STRING + "\n";
        return result;
    }
    if (chosen == nullptr) {
        std::string list;
        for (const command_spec& c : specs())
            if (!c.standalone_only || standalone) list += std::string(list.empty() ? "" : ", ") + c.name;
        return fail("no command given; commands: " + list + help_hint);
    }

    // Values checked here so that every usage error has the same shape.
    const auto one_of = [&](const std::string& option, const std::string& value, std::vector<std::string> allowed) {
        if (value.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return true;
        std::string list;
        for (std::size_t i = 0; i < allowed.size(); ++i) list += (i == 0 ? "" : i + 1 == allowed.size() ? " or " : ", ") + allowed[i];
        std::string msg = option + ": '" + value + "' is not one of " + list;
        const std::string best = closest(value, allowed);
        if (!best.empty()) msg += "; did you mean '" + best + "'?";
        fail(msg);
        return false;
    };
    if (!one_of("--drift", a.drift, {"refuse", "warn"}) || !one_of("--unknown", a.unknown, {"warn", "refuse"}) ||
        !one_of("--out-of-order", a.out_of_order, {"refuse", "allow"}) ||
        !one_of("--lock-mode", a.lock_mode, {"auto", "session", "transaction"}) ||
        (a.command == "lint" ? !one_of("--format", a.format, {"text", "json", "github", "sarif", "gitlab"})
                             : !one_of("--format", a.format, {"timestamp", "paired"})) ||
        !one_of("--fail-on", a.fail_on, {"critical", "high", "medium", "low", "none"}))
        return result;
    if (a.command == "lint") {
        if (a.json && !a.format.empty() && a.format != "json")
            return fail("--json and --format " + a.format + " cannot be combined; use one of them");
        if (a.format == "json") {
            a.json = true;
            result.json = true;
        }
    }
    if (a.command == "rollback" && !a.to.empty() && !a.steps.empty())
        return fail("rollback: --to and --steps cannot be combined; use one of them");
    if (a.command == "baseline" && a.version.empty())
        return fail("baseline needs --version V: the newest migration the database already has, e.g. `" + program +
                    " baseline --version 20240101120000`");
    if (a.command == "force" && a.version.empty())
        return fail("force needs the version to record, e.g. `" + program + " force 20240101120000` (0 = nothing applied)");
    if (a.command == "new" && a.name_words.empty())
        return fail("new needs a name, e.g. `" + program + " new add_user_status`");
    if (a.verbose && a.quiet) return fail("--verbose and --quiet cannot be combined");
    return result;
}

} // namespace pgmig::cli::detail
