// pgmig_parse_dir <directory> — what pgmig's runtime parser says about a
// migrations directory: "ok" and one line per migration, or the problems
// (exactly pgmig::error::what()) and exit code 8. Used by same_problems.cmake.
#include <pgmig/error.hpp>
#include <pgmig/migration.hpp>

#include <iostream>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: pgmig_parse_dir <directory>\n";
        return 2;
    }
    try {
        const pgmig::migration_set set = pgmig::migration_set::from_directory(argv[1]);
        std::cout << "ok\n";
        for (const pgmig::migration& m : set)
            std::cout << m.version << ' ' << m.name << ' ' << m.checksum << '\n';
        return 0;
    } catch (const pgmig::error& e) {
        std::cout << e.what() << '\n';
        return 8;
    }
}
