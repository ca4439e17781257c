// pgmig_embed_tests: a set embedded by pgmig_embed_migrations() (parsed and
// hashed at build time by pgmig-embed, rebuilt by from_precomputed()) equals
// the set pgmig reads from the same directory at run time (same parser): same
// versions, names, files, SQL, flags and checksums. The directories are
// embedded by tests/cmake/CMakeLists.txt. Also: what from_precomputed()
// checks, and that it takes the fields as given.
#define BOOST_TEST_MODULE pgmig_embed_tests
#include <boost/test/unit_test.hpp>

#include "embed_test/empty.hpp"
#include "embed_test/ok_odd_chars.hpp"
#include "embed_test/ok_paired.hpp"
#include "embed_test/ok_single.hpp"
#include "embed_test/repo.hpp"

#include <pgmig/error.hpp>
#include <pgmig/migration.hpp>

#include <string>
#include <vector>

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
        BOOST_TEST((a.phase == b.phase));
        BOOST_TEST((a.format == b.format));
    }
}

} // namespace

BOOST_AUTO_TEST_CASE(repository_migrations) {
    BOOST_TEST(embed_test::repo().size() >= 4u);
    // The example service's post-deploy migrations keep their phase through the generated code.
    const pgmig::migration* post = embed_test::repo().find(20240301090100);
    BOOST_REQUIRE(post != nullptr);
    BOOST_TEST((post->phase == pgmig::deploy_phase::post_deploy));
    BOOST_TEST((embed_test::repo().find(20240301090000)->phase == pgmig::deploy_phase::pre_deploy));
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

namespace {

pgmig::migration precomputed(std::int64_t version, const std::string& file) {
    pgmig::migration m;
    m.version = version;
    m.name = "m" + std::to_string(version);
    m.file = file;
    m.up_sql = "SELECT " + std::to_string(version) + ";";
    m.checksum = "sha256:not-recomputed";
    return m;
}

std::string precomputed_error(std::vector<pgmig::migration> list) {
    try {
        (void)pgmig::migration_set::from_precomputed(std::move(list));
    } catch (const pgmig::error& e) {
        BOOST_TEST((e.code() == pgmig::error_code::invalid_migration));
        return e.what();
    }
    return "";
}

} // namespace

BOOST_AUTO_TEST_CASE(from_precomputed_takes_the_fields_as_given) {
    const auto set = pgmig::migration_set::from_precomputed({precomputed(1, "1_a.up.sql"), precomputed(5, "5_b.up.sql")});
    BOOST_TEST(set.size() == 2u);
    BOOST_TEST(set.newest_version() == 5);
    BOOST_TEST(set.find(1)->checksum == "sha256:not-recomputed"); // nothing parsed or hashed
    BOOST_TEST(set.find(5)->up_sql == "SELECT 5;");
    BOOST_TEST(pgmig::migration_set::from_precomputed({}).empty());
}

BOOST_AUTO_TEST_CASE(from_precomputed_checks_order_and_uniqueness) {
    BOOST_TEST(precomputed_error({precomputed(2, "2_b.up.sql"), precomputed(1, "1_a.up.sql")}) ==
               "1_a.up.sql: version 1 comes after 2 (2_b.up.sql); precomputed migrations must be in ascending order "
               "of version, each version once");
    BOOST_TEST(precomputed_error({precomputed(1, "1_a.up.sql"), precomputed(1, "1_b.up.sql")}) ==
               "1_b.up.sql: duplicate version 1: also used by 1_a.up.sql; precomputed migrations must be in "
               "ascending order of version, each version once");
}
