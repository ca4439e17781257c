// todo_service — a small service built the way pgmig is meant to be used.
//
//   todo_service [serve]        migrate the database at boot (pgmig::migrate_on_startup),
//                               then do the service's work: make sure a user exists,
//                               add todos, complete one, print a summary; exit 0.
//   todo_service db <command>   pgmig's admin commands on the migrations embedded in
//                               this binary: status, plan, up, rollback, verify, …
//                               (`todo_service db --help`).
//
// The database: $DB_URL (a postgres:// URL or a key=value conninfo). The migrations:
// migrations/ at the repository root, embedded at build time by
// pgmig_embed_migrations(todo_service …) in CMakeLists.txt, which also generated the
// header below. Try it: scripts/example (README, first command).
//
// Exit codes: 0 ok; pgmig's documented codes when the migrator refuses to start
// (e.g. 3 when an applied migration was edited, 6 when the database is unreachable);
// 1 for usage and for failures of the service's own work.
#include "code_migrations.hpp" // todo::all_migrations(): the embedded files and the C++ migrations
#include "store.hpp"

#include <pgmig/cli.hpp>
#include <pgmig/pgmig.hpp>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>

namespace {

constexpr const char* program = "todo_service";

std::string env(const char* name, const char* fallback = "") {
    const char* value = std::getenv(name);
    return (value && *value) ? value : fallback;
}

int usage(std::ostream& out, int code) {
    out << "usage: " << program << " [serve]          migrate the database ($DB_URL), then work\n"
        << "       " << program << " db <command> …   admin commands on the embedded migrations\n"
        << "                                       (" << program << " db --help)\n";
    return code;
}

pgmig::options migrator_options() {
    pgmig::options o;
    o.application_name = program;
    // A service that starts while its database is still coming up waits this long.
    o.connect_timeout = std::chrono::seconds(30);
    return o;
}

// The service's work (store.cpp: plain libpqxx on the tables the migrations created).
void work(const std::string& conninfo) {
    const std::string email = env("TODO_USER", "alice@example.com");
    todo::store db(conninfo);
    const todo::user user = db.ensure_user(email);
    std::int64_t first_todo = 0;
    for (const char* title : {"write the migration", "review the plan", "ship it"}) {
        const std::int64_t id = db.add_todo(user.id, title);
        if (first_todo == 0) first_todo = id;
    }
    db.complete(first_todo);
    const todo::summary s = db.summarize(user.id);
    std::cout << program << ": " << user.display_name << " <" << email << "> has " << s.total << " todos, " << s.done
              << " done (" << s.with_completion_time << " with a completion time)\n";
}

int serve() {
    const std::string db_url = env("DB_URL");
    if (db_url.empty()) {
        std::cerr << program << ": set DB_URL to the database's URL, e.g. run scripts/example, or\n"
                  << "  scripts/pgtest run -- " << program << "\n";
        return 1;
    }

    // Boot: bring the schema to the version this binary was built with, or refuse
    // to start (drift, unknown versions, a failed migration, …).
    try {
        const pgmig::startup_report report =
            pgmig::migrate_on_startup(db_url, todo::all_migrations(), migrator_options());
        std::cout << program << ": schema at version " << todo::all_migrations().newest_version() << " ("
                  << report.applied.size() << " migration(s) applied at this boot, "
                  << todo::all_migrations().size() << " embedded)\n";
        if (!report.waiting.empty())
            std::cout << program << ": " << report.waiting.size()
                      << " post-deploy migration(s) wait for `" << program
                      << " db up --phase post-deploy` (run it once every replica runs this release)\n";
    } catch (const pgmig::error& e) {
        std::cerr << program << ": refusing to start: " << e.what() << "\n";
        return pgmig::exit_code(e.code());
    }

    try {
        work(db_url);
    } catch (const std::exception& e) {
        std::cerr << program << ": " << e.what() << "\n";
        return 1;
    }
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    const std::string command = argc > 1 ? argv[1] : "serve";
    if (command == "serve" || command == "run") {
        if (argc > 2) return usage(std::cerr, 1);
        return serve();
    }
    if (command == "db") {
        // argv[1] ("db") becomes the admin dispatcher's argv[0].
        pgmig::cli::cli_options opts;
        opts.program_name = std::string(program) + " db";
        opts.defaults = migrator_options();
        return pgmig::cli::run(argc - 1, argv + 1, todo::all_migrations(), opts);
    }
    if (command == "-h" || command == "--help" || command == "help") return usage(std::cout, 0);
    std::cerr << program << ": unknown command '" << command << "'\n";
    return usage(std::cerr, 1);
}
