// Uses the embedded set without a database: the package links and the
// embedding function works.
#include "test_package/migrations.hpp"

#include <pgmig/pgmig.hpp>

#include <iostream>

int main() {
    const pgmig::migration_set& set = test_package::migrations();
    for (const pgmig::migration& m : set)
        std::cout << m.version << ' ' << m.name << ' ' << m.checksum << '\n';
    std::cout << "pgmig " << PGMIG_VERSION_STRING << ": " << set.size() << " embedded migration(s)\n";
    return set.size() == 1 ? 0 : 1;
}
