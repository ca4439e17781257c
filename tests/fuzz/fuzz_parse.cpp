// libFuzzer target for the migration file parser (migration_set::from_files).
// The input is cut into up to three files; the first byte of each chunk picks a
// file name of either convention (or a non-migration / bad name). Invariants:
// from_files either throws pgmig::error(invalid_migration) whose message names
// a file, or returns a set sorted by unique version whose checksums are
// checksum(up_sql) and whose SQL is normalised (no CR, no BOM).
#include <pgmig/error.hpp>
#include <pgmig/migration.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

const char* const names[] = {
    "20240101_120000_a.sql", "20240101_120000_b.sql", "000001_a.up.sql", "000001_a.down.sql",
    "000002_b.up.sql",       "000002_b.down.sql",     "000002_c.down.sql", "README.md",
    "create_users.sql",      "0_zero.up.sql",         "20240102_000000_.sql", "3_x.UP.SQL",
};

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "invariant violated: %s\n", what);
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);
    std::vector<pgmig::source_file> files;
    std::size_t pos = 0;
    while (pos < input.size() && files.size() < 3) {
        const std::size_t sep = input.find('\x01', pos + 1);
        const std::string chunk = input.substr(pos, sep == std::string::npos ? std::string::npos : sep - pos);
        const unsigned char pick = chunk.empty() ? 0 : static_cast<unsigned char>(chunk[0]);
        files.push_back({names[pick % (sizeof names / sizeof names[0])], chunk.empty() ? chunk : chunk.substr(1)});
        if (sep == std::string::npos) break;
        pos = sep + 1;
    }
    try {
        const auto set = pgmig::migration_set::from_files(files);
        std::int64_t previous = 0;
        for (const pgmig::migration& m : set) {
            if (m.version <= previous) fail("versions not strictly increasing");
            previous = m.version;
            if (m.checksum != pgmig::checksum(m.up_sql)) fail("checksum differs from checksum(up_sql)");
            if (m.up_sql.find('\r') != std::string::npos || m.down_sql.find('\r') != std::string::npos)
                fail("SQL not normalised");
            if (m.up_line < 1 || m.down_line < 1) fail("line below 1");
            if (m.reversible != !m.down_file.empty()) fail("reversible and down_file disagree");
            if (set.find(m.version) != &m) fail("find() does not return the migration");
        }
    } catch (const pgmig::error& e) {
        if (e.code() != pgmig::error_code::invalid_migration) fail("unexpected error code");
        if (e.where().file.empty()) fail("error without a file");
        if (std::string(e.what()).find(e.where().file) == std::string::npos) fail("message does not name the file");
    }
    return 0;
}
