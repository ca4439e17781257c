// A stand-in service for the multi-process boot test: migrates the database
// at `url` with the migrations in `dir`, prints how many it applied, and exits
// with the CLI exit code of any error.
#include <pgmig/pgmig.hpp>

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s <conninfo> <migrations-dir>\n", argv[0]);
        return 1;
    }
    try {
        const auto set = pgmig::migration_set::from_directory(argv[2]);
        pgmig::options opts;
        opts.application_name = "pgmig_boot_helper";
        opts.lock_timeout = std::chrono::minutes(3);
        opts.log = pgmig::stderr_logger(pgmig::log_level::warning);
        const auto report = pgmig::migrate_on_startup(argv[1], set, opts);
        std::printf("applied %zu took_lock %d\n", report.applied.size(), report.took_lock ? 1 : 0);
        return 0;
    } catch (const pgmig::error& e) {
        std::fprintf(stderr, "boot failed: %s\n", e.what());
        return pgmig::exit_code(e.code());
    }
}
