// pgmig_embed_tests: a set embedded by pgmig_embed_migrations() equals the
// set pgmig reads from the same directory at run time (same parser): same
// versions, names, files, SQL, flags and checksums. The directories are
// embedded by tests/cmake/CMakeLists.txt.
#define BOOST_TEST_MODULE pgmig_embed_tests
#include <boost/test/unit_test.hpp>

#include "embed_test/empty.hpp"
#include "embed_test/ok_odd_chars.hpp"
#include "embed_test/ok_paired.hpp"
#include "embed_test/ok_single.hpp"
#include "embed_test/repo.hpp"

#include <pgmig/migration.hpp>

#include <string>

namespace {

void check_equal(const pgmig::migration_set& embedded, const std::string& directory) {
    const pgmig::migration_set from_dir = pgmig::migration_set::from_directory(directory);
    BOOST_TEST_INFO("directory " << directory);
    BOOST_REQUIRE_EQUAL(embedded.size(), from_dir.size());
    for (std::size_t i = 0; i < embedded.size(); ++i) {
        const pgmig::migration& a = embedded.migrations()[i];
        const pgmig::migration& b = from_dir.migrations()[i];
        BOOST_TEST_INFO("migration " << b.version << " (" << b.file << ")");
        BOOST_TEST(a.version == b.version);
        BOOST_TEST(a.name == b.name);
        BOOST_TEST(a.checksum == b.checksum);
        BOOST_TEST(a.checksum.rfind("sha256:", 0) == 0);
        BOOST_TEST(a.checksum == pgmig::checksum(b.up_sql));
        BOOST_TEST(a.file == b.file);
        BOOST_TEST(a.down_file == b.down_file);
        BOOST_TEST(a.up_sql == b.up_sql);
        BOOST_TEST(a.down_sql == b.down_sql);
        BOOST_TEST(a.reversible == b.reversible);
        BOOST_TEST(a.up_line == b.up_line);
        BOOST_TEST(a.down_line == b.down_line);
        BOOST_TEST(a.up_no_transaction == b.up_no_transaction);
        BOOST_TEST(a.down_no_transaction == b.down_no_transaction);
        BOOST_TEST(a.lock_timeout_ms == b.lock_timeout_ms);
        BOOST_TEST((a.format == b.format));
    }
}

} // namespace

BOOST_AUTO_TEST_CASE(repository_migrations) {
    BOOST_TEST(embed_test::repo().size() >= 4u);
    check_equal(embed_test::repo(), PGMIG_SOURCE_DIR "/migrations");
}

BOOST_AUTO_TEST_CASE(single_files_and_ignored_files) {
    check_equal(embed_test::ok_single(), PGMIG_CASES_DIR "/ok_single");
    BOOST_TEST(embed_test::ok_single().size() == 2u);
}

BOOST_AUTO_TEST_CASE(paired_files) {
    check_equal(embed_test::ok_paired(), PGMIG_CASES_DIR "/ok_paired");
}

BOOST_AUTO_TEST_CASE(odd_bytes_and_names) {
    // ';', '[', '\\', "${x}" in SQL, CR and CRLF line ends, a BOM, UTF-8 text
    // and a UTF-8 file name with a space.
    check_equal(embed_test::ok_odd_chars(), PGMIG_CASES_DIR "/ok_odd_chars");
    bool found = false;
    for (const pgmig::migration& m : embed_test::ok_odd_chars())
        if (m.file == "20240101_120008_d\xC3\xA9j\xC3\xA0 vu.sql") found = true;
    BOOST_TEST(found);
}

BOOST_AUTO_TEST_CASE(empty_directory) {
    BOOST_TEST(embed_test::empty().empty());
    check_equal(embed_test::empty(), PGMIG_EMPTY_DIR);
}

BOOST_AUTO_TEST_CASE(parsed_once) {
    BOOST_TEST(&embed_test::repo() == &embed_test::repo());
}
