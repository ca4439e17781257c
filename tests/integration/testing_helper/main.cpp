// A test process for test_testing.cpp: makes test databases with
// pgmig::testing from the migrations in a directory.
//
//   pgmig_testing_helper <server-url> <migrations-dir> create <n>
//       n threads each ask the process's shared factory for a database at once;
//       prints "built <0|1>" (did this process build the template) and one line
//       "db <name>" per database, then exits normally (the handles drop them).
//   pgmig_testing_helper <server-url> <migrations-dir> crash
//       makes one database, prints "db <name>" and dies without dropping it
//       (what a test process that crashed leaves).
#include <pgmig/pgmig.hpp>
#include <pgmig/testing.hpp>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s <server-url> <migrations-dir> create <n> | crash\n", argv[0]);
        return 1;
    }
    const std::string url = argv[1];
    const std::string mode = argv[3];
    try {
        const auto set = pgmig::migration_set::from_directory(argv[2]);
        pgmig::testing::options opts;
        opts.keep = pgmig::testing::keep_policy::never;
        opts.migrate.application_name = "pgmig_testing_helper";
        opts.migrate.log = pgmig::stderr_logger(pgmig::log_level::warning);
        if (mode == "crash") {
            pgmig::testing::database db = pgmig::testing::fresh_database(url, set, "crashed_run", opts);
            std::printf("db %s\n", db.name().c_str());
            std::fflush(stdout);
            std::_Exit(3); // no destructor runs: the database stays
        }
        if (mode != "create" || argc != 5) {
            std::fprintf(stderr, "unknown mode %s\n", mode.c_str());
            return 1;
        }
        const int n = std::atoi(argv[4]);
        std::vector<pgmig::testing::database> dbs(static_cast<std::size_t>(n));
        std::vector<std::string> errors;
        std::mutex m;
        std::vector<std::thread> threads;
        for (int i = 0; i < n; ++i)
            threads.emplace_back([&, i] {
                try {
                    dbs[static_cast<std::size_t>(i)] =
                        pgmig::testing::shared_factory(url, set, opts).create("parallel/" + std::to_string(i));
                } catch (const std::exception& e) {
                    std::lock_guard<std::mutex> g(m);
                    errors.push_back(e.what());
                }
            });
        for (auto& t : threads) t.join();
        for (const auto& e : errors) std::fprintf(stderr, "create failed: %s\n", e.c_str());
        std::printf("built %d\n", pgmig::testing::shared_factory(url, set, opts).built_template() ? 1 : 0);
        for (const auto& db : dbs)
            if (db) std::printf("db %s\n", db.name().c_str());
        return errors.empty() ? 0 : 2;
    } catch (const pgmig::error& e) {
        std::fprintf(stderr, "failed: %s\n", e.what());
        return pgmig::exit_code(e.code());
    }
}
