// pgmig — the standalone command: `pgmig new|status|plan|up|rollback|…` on a
// migrations directory. Everything is in the library (pgmig::cli).
#include <pgmig/cli.hpp>

int main(int argc, char** argv) {
    pgmig::cli::cli_options options;
    options.program_name = "pgmig";
    return pgmig::cli::run_standalone(argc, argv, options);
}
