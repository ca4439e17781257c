// The admin command dispatcher shared by `myapp db …` (embedded set) and `pgmig …` (directory):
// parse → resolve the connection → run the command from the table → render → exit code.
//
// Output rules: text for people on stdout, or with --json exactly one JSON
// document on stdout; logs, progress and prompts on stderr. Every byte written
// passes through the console, which masks the connection's password.
#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/console.hpp"
#include "cli/database_url.hpp"
#include "cli/environment.hpp"
#include "cli/render_json.hpp"
#include "cli/render_text.hpp"
#include "engine/db.hpp"

#include <pgmig/cli.hpp>
#include <pgmig/conninfo.hpp>

#include <cstdlib>
#include <iostream>

#ifdef _WIN32
#include <io.h>
#define PGMIG_ISATTY _isatty
#else
#include <unistd.h>
#define PGMIG_ISATTY isatty
#endif

namespace pgmig::detail::cli {

namespace {

const char* environment(const char* name) { return std::getenv(name); }

/// Runs the parsed command: loads what it reads (the migrations, the
/// connection string), fills `o` and returns the exit code (errors are thrown).
int dispatch(console& io, const parsed_args& a, const migration_set* embedded, const pgmig::cli::cli_options& base,
             std::optional<migration_set>& from_dir, command_output& o) {
    const command_spec& spec = *find_command(a.command);
    const std::string program = base.program_name.empty() ? "db" : base.program_name;
    command_env env{io, a, embedded, embedded == nullptr, options_from(a, base, io), "", {program, "", "", false}};
    // A directory holds no C++ migrations: the ones a service applied are explained, not unknown.
    env.opts.policy.code_migrations_elsewhere = embedded == nullptr;
    if (spec.input != command_input::none) {
        // Every value is checked before anything is read or connected: usage errors come first.
        spec.validate(a);
    }
    // `lint --pending` reads the migrations like lint and connects to learn which are applied.
    const bool connects = spec.input == command_input::database || a.pending;
    if (connects) {
        // Known before the migrations load, so that every document, a load error's too, names the target.
        const resolved_conninfo found = resolve_conninfo(a.db_given, a.db, environment, ".env");
        env.conninfo = require_conninfo(found);
        io.add_secret_source(env.conninfo);
        env.text.database = mask_password(env.conninfo);
        env.text.history_table = env.opts.history_table.qualified();
        o.database = env.text.database;
        o.history_table = env.text.history_table;
        env.opts.log(log_level::debug, "database " + env.text.database + " (from " + describe(found) +
                                           "), history table " + env.text.history_table);
    }
    if (embedded == nullptr && spec.input == command_input::migrations) {
        // Load what loads; the problems become lint findings (a broken file hides nothing).
        core::directory_files listed = core::read_migration_directory(a.migrations_dir);
        core::parse_result parsed = core::parse_migration_files(std::move(listed.files), std::move(listed.problems));
        env.set = &from_dir.emplace(migration_set::from_precomputed(std::move(parsed.migrations)));
        env.load_problems = std::move(parsed.problems);
    } else if (embedded == nullptr && spec.input == command_input::database) {
        env.set = &from_dir.emplace(migration_set::from_directory(a.migrations_dir));
    }
    if (connects) env.opts.log(log_level::debug, std::to_string(env.set->size()) + " migrations");
    return spec.run(env, o.result);
}

/// Pre-scan argv and the places a connection string comes from, so that even
/// a usage error never echoes a password.
void collect_secrets(console& io, int argc, const char* const* argv) {
    for (int i = 1; i < argc; ++i) {
        if (argv[i] == nullptr) continue;
        const std::string s = argv[i];
        if (s == "--db" && i + 1 < argc && argv[i + 1] != nullptr) io.add_secret_source(argv[i + 1]);
        if (s.rfind("--db=", 0) == 0) io.add_secret_source(s.substr(5));
        if (s == "--direct-db" && i + 1 < argc && argv[i + 1] != nullptr) io.add_secret_source(argv[i + 1]);
        if (s.rfind("--direct-db=", 0) == 0) io.add_secret_source(s.substr(12));
        if (s.find("://") != std::string::npos || s.find("password") != std::string::npos) io.add_secret_source(s);
    }
    for (const std::string& conninfo : connection_strings(environment, ".env")) io.add_secret_source(conninfo);
}

/// pgmig::cli::run_with: parse, run, render; every error becomes an exit code.
int run_command_line(int argc, const char* const* argv, const migration_set* set, const pgmig::cli::cli_options& opts,
                     std::istream& in, std::ostream& out, std::ostream& err, bool stdin_is_terminal,
                     bool stderr_is_terminal, bool stdout_is_terminal) {
    try {
        console io(in, out, err, stdin_is_terminal, stderr_is_terminal);
        collect_secrets(io, argc, argv);
        const std::string program = opts.program_name.empty() ? "db" : opts.program_name;
        const parse_outcome po = parse_arguments(argc, argv, set == nullptr, program);
        io.json = po.json;
        if (po.args.quiet) io.min_level = log_level::warning;
        if (po.args.verbose) io.min_level = log_level::debug;
        if (po.finished && !po.usage) {
            // --help / --version: text even with --json.
            io.write(po.out_text);
            return 0;
        }
        command_output o;
        o.command = po.command;
        std::optional<migration_set> from_dir; // outlives the result, which may point into it
        try {
            if (po.usage) throw *po.usage;
            o.exit_code = dispatch(io, po.args, set, opts, from_dir, o);
        } catch (const error& e) {
            o.failure = e;
        } catch (const engine::db_error& e) {
            o.failure = error(error_code::database, e.what(), error_location{"", 0, std::nullopt, e.sqlstate});
        } catch (const engine::connection_error& e) {
            o.failure = error(error_code::connection, e.what());
        } catch (const std::exception& e) {
            o.failure = error(error_code::database, std::string("unexpected error: ") + e.what());
        }
        if (o.failure) o.exit_code = exit_code(o.failure->code());
        if (io.json) {
            io.write(render_json(o));
        } else {
            const text_context ctx{program, o.database.value_or(""), o.history_table.value_or(""),
                                   use_color(parse_color_mode(po.args.color), stdout_is_terminal,
                                             std::getenv("NO_COLOR"), std::getenv("TERM"))};
            text_output text = render_text(o, ctx);
            io.write(std::move(text.out)); // masked in place: a plan of a seed file is not copied again
            io.note(text.err);
        }
        return o.exit_code;
    } catch (...) {
        try {
            err << "pgmig: error: unexpected internal error\n";
        } catch (...) {
        }
        return exit_code(error_code::database);
    }
}

} // namespace

} // namespace pgmig::detail::cli

namespace pgmig::cli {

int run_with(int argc, const char* const* argv, const migration_set* set, const cli_options& opts, std::istream& in,
             std::ostream& out, std::ostream& err, bool stdin_is_terminal, bool stderr_is_terminal,
             bool stdout_is_terminal) {
    return detail::cli::run_command_line(argc, argv, set, opts, in, out, err, stdin_is_terminal, stderr_is_terminal,
                                         stdout_is_terminal);
}

int run(int argc, const char* const* argv, const migration_set& set, const cli_options& opts) {
    return run_with(argc, argv, &set, opts, std::cin, std::cout, std::cerr, PGMIG_ISATTY(0) != 0, PGMIG_ISATTY(2) != 0,
                    PGMIG_ISATTY(1) != 0);
}

int run_standalone(int argc, const char* const* argv, const cli_options& opts) {
    cli_options o = opts;
    if (o.program_name.empty() || o.program_name == "db") o.program_name = "pgmig";
    return run_with(argc, argv, nullptr, o, std::cin, std::cout, std::cerr, PGMIG_ISATTY(0) != 0, PGMIG_ISATTY(2) != 0,
                    PGMIG_ISATTY(1) != 0);
}

} // namespace pgmig::cli
