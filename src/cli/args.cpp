// Argument parsing of the admin CLI (CLI11) from the command table, with suggestions for typos.
#include "cli/args.hpp"
#include "cli/agent_docs.hpp"
#include "cli/commands.hpp"
#include "cli/option_values.hpp"
#include "core/suggest.hpp"

#include <pgmig/version.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <map>
#include <memory>

namespace pgmig::detail::cli {

namespace {

using core::closest;

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
    "13 the migration lock was lost during the run, 14 the server is read-only.\n"
    "Each command's own: `{p} <command> --help`. For agents: `{p} help agent` prints the skill\n"
    "(SKILL.md), `{p} help json <command>` the JSON Schema of its --json output.";

/// CLI11's formatter, with at most one blank line in a row (CLI11 2.1 writes
/// two between option groups: one after a group and one before the next).
class formatter : public CLI::Formatter {
public:
    std::string make_help(const CLI::App* app, std::string name, CLI::AppFormatMode mode) const override {
        std::string text = CLI::Formatter::make_help(app, std::move(name), mode);
        for (std::size_t pos = text.find("\n\n\n"); pos != std::string::npos; pos = text.find("\n\n\n", pos))
            text.erase(pos, 1);
        return text;
    }
};

/// "Exit codes: 0 clean, 2 pending, …" of one command, with those of what it reads.
std::string exit_codes_text(const command_spec& c) {
    std::string out = "Exit codes:";
    for (const exit_meaning& e : c.exit_codes) out += "\n  " + std::to_string(e.code) + "  " + e.meaning;
    if (c.input == command_input::database)
        out += "\n  and 1 usage, 6 cannot connect, 8 invalid migration files, 9 unexpected database error";
    else
        out += "\n  and 1 usage, 8 invalid migration files";
    return out;
}

/// `help agent` and `help json [COMMAND]`: the agent contract from the binary.
/// Nothing when `args` is not one of them.
std::optional<parse_outcome> agent_help(const std::vector<std::string>& args, const std::string& program) {
    if (args.size() < 2 || args[0] != "help" || (args[1] != "agent" && args[1] != "json")) return std::nullopt;
    parse_outcome r;
    r.finished = true;
    std::vector<std::string> rest;
    for (std::size_t i = 2; i < args.size(); ++i)
        if (args[i] != "--json") rest.push_back(args[i]);
    const auto fail = [&](const std::string& msg) {
        r.exit_code = exit_code(error_code::usage);
        r.usage = error(error_code::usage, msg);
        return r;
    };
    std::string names;
    for (const std::string& n : json_schema_names()) names += (names.empty() ? "" : ", ") + n;
    if (args[1] == "agent") {
        if (!rest.empty()) return fail("`help agent` takes no argument (got '" + rest.front() + "')");
        r.out_text = skill_text(program);
        return r;
    }
    if (rest.empty()) {
        r.out_text = "JSON Schemas (draft 2020-12) of the --json output: `" + program +
                     " help json <name>` prints one.\nNames: " + names +
                     "\n(`common` holds the definitions the others share: error, finding, statement, ….)\n";
        return r;
    }
    if (rest.size() > 1) return fail("`help json` takes one command name (got " + std::to_string(rest.size()) + ")");
    const command_spec* c = find_command(rest.front());
    const std::string name = c != nullptr ? std::string(c->name) : rest.front();
    const std::optional<std::string_view> schema = json_schema(name);
    if (!schema) {
        std::string msg = "no JSON schema named '" + rest.front() + "'";
        const std::string best = closest(rest.front(), json_schema_names());
        if (!best.empty()) msg += "; did you mean '" + best + "'?";
        return fail(msg + " (names: " + names + ")");
    }
    r.out_text = std::string(*schema);
    if (r.out_text.empty() || r.out_text.back() != '\n') r.out_text += '\n';
    return r;
}

std::vector<std::string> long_names(CLI::App& app) {
    std::vector<std::string> out;
    for (CLI::Option* o : app.get_options())
        for (const std::string& n : o->get_lnames()) out.push_back("--" + n);
    return out;
}

} // namespace

parse_outcome parse_arguments(int argc, const char* const* argv, bool standalone, const std::string& program) {
    parse_outcome result;
    parsed_args& a = result.args;

    std::vector<std::string> args;
    for (int i = 1; i < argc; ++i) args.emplace_back(argv[i] != nullptr ? argv[i] : "");
    for (const std::string& s : args) {
        if (s == "--") break;
        if (s == "--json") result.json = true;
    }
    if (std::optional<parse_outcome> agent = agent_help(args, program)) {
        agent->json = result.json;
        return *agent;
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
    app.footer(replace_program(exit_code_footer, program));
    app.formatter(std::make_shared<formatter>());
    app.get_formatter()->column_width(34);

    bool show_version = false;
    const char* global = "Global options";
    CLI::Option* db = app.add_option("--db", a.db,
                                     "Connection URL or conninfo (default: $DB_URL, else $DATABASE_URL, else DB_URL or "
                                     "DATABASE_URL in ./.env)")
                          ->group(global);
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
    app.add_option("--color", a.color, "Colour on stdout: auto (default: on a terminal, unless NO_COLOR is set), always or never")->group(global);
    app.add_flag("-v,--verbose", a.verbose, "Log debug messages on stderr")->group(global);
    app.add_flag("-q,--quiet", a.quiet, "Log only warnings and errors on stderr")->group(global);
    app.add_flag("--version", show_version, "Print the version and exit")->group(global);

    std::map<std::string, const command_spec*> chosen_spec;
    for (const command_spec& c : commands()) {
        if (c.standalone_only && !standalone) continue;
        CLI::App* sub = app.add_subcommand(c.name, c.summary);
        for (const char* alias : c.aliases) sub->alias(alias);
        sub->footer("Example:\n  " + replace_program(c.example, program) + "\n\n" + exit_codes_text(c) +
                    "\n\nGlobal options (--db, --json, --yes, …) are listed by `" + program + " --help`.");
        c.add_options(*sub, a);
        chosen_spec[c.name] = &c;
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
    a.db_given = db->count() > 0;

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
            const command_spec* other = find_command(extra);
            if (!standalone && other != nullptr && other->standalone_only)
                return fail("`" + extra + "` is not available here: creating migration files needs a migrations "
                            "directory; use the standalone `pgmig " + other->name + " NAME` in your source tree");
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
        for (const command_spec& c : commands())
            if (!c.standalone_only || standalone) list += std::string(list.empty() ? "" : ", ") + c.name;
        return fail("no command given; commands: " + list + help_hint);
    }

    // Values checked here so that every usage error has the same shape.
    for (const std::string& msg : {one_of("--drift", a.drift, {"refuse", "warn"}),
                                   one_of("--unknown", a.unknown, {"warn", "refuse"}),
                                   one_of("--out-of-order", a.out_of_order, {"refuse", "allow"}),
                                   one_of("--lock-mode", a.lock_mode, {"auto", "session", "transaction"}),
                                   one_of("--color", a.color, {"auto", "always", "never"})})
        if (!msg.empty()) return fail(msg);
    const std::string problem = chosen_spec.at(a.command)->check(a, program);
    if (!problem.empty()) return fail(problem);
    if (a.json) result.json = true;
    if (a.verbose && a.quiet) return fail("--verbose and --quiet cannot be combined");
    return result;
}

} // namespace pgmig::detail::cli
