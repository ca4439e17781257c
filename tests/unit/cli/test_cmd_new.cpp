// Unit tests of `new` in both conventions (the names themselves: tests/unit/core/test_names.cpp).
#include "cli/cmd_new.hpp"
#include "support/errors.hpp"
#include "shared/temp_dir.hpp"

#include <pgmig/error.hpp>
#include <pgmig/migration.hpp>

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using namespace pgmig::detail::cli;
using pgmig_unit_test::code_of;
using pgmig_test::temp_dir;

namespace {

// 2024-03-05 06:07:08 UTC
constexpr std::time_t march_5 = 1709618828;

} // namespace

BOOST_AUTO_TEST_SUITE(cli_new)

BOOST_AUTO_TEST_CASE(empty_directory_defaults_to_timestamp) {
    temp_dir d;
    new_request req;
    req.directory = (d.path / "migrations").string();
    req.name = "add user status";
    req.now = march_5;
    const new_result r = create_migration(req);
    BOOST_TEST((r.format == new_format::timestamp));
    BOOST_TEST(r.created_directory);
    BOOST_TEST(r.version == 20240305060708LL);
    BOOST_TEST(r.name == "add_user_status");
    BOOST_REQUIRE(r.paths.size() == 1u);
    BOOST_TEST(fs::path(r.paths[0]).filename().string() == "20240305_060708_add_user_status.sql");
    std::ifstream f(r.paths[0]);
    std::stringstream content;
    content << f.rdbuf();
    // The template parses as a reversible migration.
    const auto set = pgmig::migration_set::from_files({{"20240305_060708_add_user_status.sql", content.str()}});
    BOOST_REQUIRE(set.size() == 1u);
    BOOST_TEST(set.migrations()[0].reversible);
    BOOST_TEST(set.migrations()[0].version == 20240305060708LL);
}

BOOST_AUTO_TEST_CASE(empty_directory_paired_format) {
    temp_dir d;
    new_request req;
    req.directory = d.path.string();
    req.name = "create users";
    req.format = new_format::paired;
    req.now = march_5;
    const new_result r = create_migration(req);
    BOOST_TEST((r.format == new_format::paired));
    BOOST_TEST(r.version == 1);
    BOOST_TEST(!r.created_directory);
    BOOST_TEST(d.files() == (std::vector<std::string>{"000001_create_users.down.sql", "000001_create_users.up.sql"}),
               boost::test_tools::per_element());
    BOOST_REQUIRE(r.paths.size() == 2u);
    BOOST_TEST(fs::path(r.paths[0]).filename().string() == "000001_create_users.up.sql");
    const auto set = pgmig::migration_set::from_files(
        {{"000001_create_users.up.sql", d.read("000001_create_users.up.sql")},
         {"000001_create_users.down.sql", d.read("000001_create_users.down.sql")}});
    BOOST_TEST(set.size() == 1u);
}

BOOST_AUTO_TEST_CASE(follows_paired_convention_and_width) {
    temp_dir d;
    d.write("0007_a.up.sql", "SELECT 1;");
    d.write("0007_a.down.sql", "SELECT 1;");
    d.write("0012_b.up.sql", "SELECT 1;");
    d.write("README.md", "notes");
    new_request req;
    req.directory = d.path.string();
    req.name = "Next One";
    req.now = march_5;
    const new_result r = create_migration(req);
    BOOST_TEST((r.format == new_format::paired));
    BOOST_TEST(r.version == 13);
    BOOST_TEST(fs::exists(d.path / "0013_next_one.up.sql"));
    BOOST_TEST(fs::exists(d.path / "0013_next_one.down.sql"));
}

BOOST_AUTO_TEST_CASE(follows_timestamp_convention_and_never_reuses_a_second) {
    temp_dir d;
    d.write("20240305_060708_first.sql", "-- DIRECTION: up\nSELECT 1;\n");
    new_request req;
    req.directory = d.path.string();
    req.name = "second";
    req.now = march_5; // same second as the newest file
    const new_result r = create_migration(req);
    BOOST_TEST((r.format == new_format::timestamp));
    BOOST_TEST(r.version == 20240305060709LL);
    BOOST_TEST(fs::exists(d.path / "20240305_060709_second.sql"));
    req.name = "third";
    req.now = march_5 - 3600; // clock behind
    BOOST_TEST(create_migration(req).version == 20240305060710LL);
    req.name = "later";
    req.now = march_5 + 86400;
    BOOST_TEST(create_migration(req).version == 20240306060708LL);
}

BOOST_AUTO_TEST_CASE(format_must_match_a_non_empty_directory) {
    temp_dir d;
    d.write("000001_a.up.sql", "SELECT 1;");
    new_request req;
    req.directory = d.path.string();
    req.name = "x";
    req.format = new_format::timestamp;
    req.now = march_5;
    BOOST_TEST((code_of([&] { create_migration(req); }) == pgmig::error_code::usage));
    BOOST_TEST(d.files().size() == 1u);
    req.format = new_format::paired;
    BOOST_TEST(create_migration(req).version == 2);
}

BOOST_AUTO_TEST_CASE(bad_names_are_refused) {
    temp_dir d;
    new_request req;
    req.directory = d.path.string();
    req.name = "???";
    req.now = march_5;
    BOOST_TEST((code_of([&] { create_migration(req); }) == pgmig::error_code::usage));
    BOOST_TEST(d.files().empty());
}

BOOST_AUTO_TEST_SUITE_END()
