// consumer — prints the embedded sets, or migrates a database with them.
//
//   consumer list      one line per embedded migration: "<set> <version> <name> <checksum>"
//   consumer migrate   migrate_on_startup($DB_URL, consumer::migrations()) twice (the
//                      second boot must find nothing to do), then verify-only mode
//   consumer testing   pgmig::testing on the server $DB_URL: two test databases from
//                      one template, each up to date; dropped when the handles go
#include "consumer/audit/migrations.hpp"
#include "consumer/migrations.hpp"
#include "consumer_lib/migrations.hpp"

#include <pgmig/pgmig.hpp>
#include <pgmig/testing.hpp>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

namespace {

void print(const char* label, const pgmig::migration_set& set) {
    for (const pgmig::migration& m : set)
        std::cout << label << ' ' << m.version << ' ' << m.name << ' ' << m.checksum << '\n';
}

} // namespace

int main(int argc, char** argv) {
    const std::string command = argc > 1 ? argv[1] : "list";
    try {
        if (command == "list") {
            const auto start = std::chrono::steady_clock::now();
            const pgmig::migration_set& main_set = consumer::migrations();
            const auto parse_ms =
                std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
            print("main", main_set);
            print("audit", consumer::audit::migrations());
            print("lib", consumer_lib::migrations());
            std::cerr << "consumer: parsed " << main_set.size() << " embedded migrations in " << parse_ms.count()
                      << " ms\n";
            return 0;
        }
        if (command == "migrate") {
            const char* url = std::getenv("DB_URL");
            if (!url || !*url) {
                std::cerr << "consumer: DB_URL is not set\n";
                return 1;
            }
            pgmig::options options;
            options.application_name = "pgmig_consumer";
            const pgmig::startup_report first = pgmig::migrate_on_startup(url, consumer::migrations(), options);
            std::cout << "applied " << first.applied.size() << '\n';
            const pgmig::startup_report second = pgmig::migrate_on_startup(url, consumer::migrations(), options);
            if (!second.applied.empty() || second.took_lock) {
                std::cerr << "consumer: the second boot applied something or took the lock\n";
                return 1;
            }
            options.mode = pgmig::run_mode::verify_only;
            (void)pgmig::migrate_on_startup(url, consumer::migrations(), options);
            std::cout << "up to date at " << consumer::migrations().newest_version() << '\n';
            return 0;
        }
        if (command == "testing") {
            const char* url = std::getenv("DB_URL");
            if (!url || !*url) {
                std::cerr << "consumer: DB_URL is not set\n";
                return 1;
            }
            pgmig::testing::options options;
            options.keep = pgmig::testing::keep_policy::never;
            pgmig::testing::factory dbs(url, consumer::migrations(), options);
            const pgmig::testing::database a = dbs.create("consumer/a");
            const pgmig::testing::database b = dbs.create("consumer/b");
            pgmig::options verify;
            verify.mode = pgmig::run_mode::verify_only;
            for (const pgmig::testing::database* db : {&a, &b}) {
                const pgmig::startup_report r = pgmig::migrate_on_startup(db->url(), consumer::migrations(), verify);
                std::cout << "testing: " << db->name() << " from " << db->template_name() << ", "
                          << r.state.applied.size() << " applied\n";
            }
            std::cout << "testing: template built by this process: " << (dbs.built_template() ? "yes" : "no") << '\n';
            return 0;
        }
    } catch (const pgmig::error& e) {
        std::cerr << "consumer: " << e.what() << '\n';
        return pgmig::exit_code(e.code());
    }
    std::cerr << "usage: consumer list|migrate|testing\n";
    return 2;
}
