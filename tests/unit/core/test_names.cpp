// Unit tests of the file-name convention (src/core/names.*): reading a name,
// and the names `pgmig new` makes. (The parser's use of it: test_migration_files.cpp.)
#include "core/names.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace pgmig::detail::core;
using pgmig::migration_format;

namespace {
// 2024-03-05 06:07:08 UTC
constexpr std::time_t march_5 = 1709618828;
} // namespace

BOOST_AUTO_TEST_SUITE(core_names)

BOOST_AUTO_TEST_CASE(single_file_names) {
    const name_info n = classify_name("20240101_120000_create_users.sql");
    BOOST_TEST((n.kind == name_kind::single));
    BOOST_TEST(n.version == 20240101120000LL);
    BOOST_TEST(n.description == "create_users");
    BOOST_TEST(n.stem == "20240101_120000_create_users");
    BOOST_TEST(n.timestamp_version);
    BOOST_TEST(n.version_digits == 8u);
    BOOST_TEST(n.is_migration());
    // Any case of .sql; a directory part is ignored.
    BOOST_TEST((classify_name("migrations/20240101_120000_x.SQL").kind == name_kind::single));
    BOOST_TEST((classify_name("dir\\20240101_120000_x.sql").kind == name_kind::single));
}

BOOST_AUTO_TEST_CASE(paired_file_names) {
    name_info n = classify_name("0007_add_index.up.sql");
    BOOST_TEST((n.kind == name_kind::paired_up));
    BOOST_TEST(n.version == 7);
    BOOST_TEST(n.description == "add_index");
    BOOST_TEST(n.stem == "0007_add_index");
    BOOST_TEST(n.version_digits == 4u);
    BOOST_TEST(!n.timestamp_version);
    n = classify_name("0007_add_index.DOWN.sql");
    BOOST_TEST((n.kind == name_kind::paired_down));
    BOOST_TEST(n.version == 7);
    // A YYYYMMDD_HHMMSS_ prefix is one timestamp version, as for single files.
    n = classify_name("20240101_120000_x.up.sql");
    BOOST_TEST(n.version == 20240101120000LL);
    BOOST_TEST(n.description == "x");
    BOOST_TEST(n.timestamp_version);
    // Eight digits alone are a plain sequence number.
    n = classify_name("20240101_x.up.sql");
    BOOST_TEST(n.version == 20240101);
    BOOST_TEST(!n.timestamp_version);
    BOOST_TEST(classify_name("123456789012345678_x.up.sql").version == 123456789012345678LL);
}

BOOST_AUTO_TEST_CASE(names_that_are_not_migrations) {
    for (const char* name : {"README.md", ".gitkeep", "notes.txt", ".20240101_120000_hidden.sql", "x.sql.bak", ""}) {
        BOOST_TEST_INFO(name);
        BOOST_TEST((classify_name(name).kind == name_kind::not_migration));
        BOOST_TEST(!is_candidate_sql(name));
    }
    BOOST_TEST(is_candidate_sql("anything.sql"));
    BOOST_TEST(is_candidate_sql("x.Sql"));
}

BOOST_AUTO_TEST_CASE(invalid_names_say_why) {
    const auto problem_of = [](const char* name) {
        const name_info n = classify_name(name);
        BOOST_TEST((n.kind == name_kind::invalid));
        return n.problem;
    };
    BOOST_TEST((problem_of("create_users.sql") == name_problem::no_convention));
    BOOST_TEST((problem_of("1_x.sql") == name_problem::no_convention));
    BOOST_TEST((problem_of("20240101_1200_x.sql") == name_problem::no_convention));
    BOOST_TEST((problem_of("20240101_120000_.sql") == name_problem::no_description));
    BOOST_TEST((problem_of("20240101_120000.sql") == name_problem::no_description));
    BOOST_TEST((problem_of("1_.up.sql") == name_problem::no_description));
    BOOST_TEST((problem_of("1234567890123456789_x.up.sql") == name_problem::version_too_long));

    // Version 0 is a version (diesel's 00000000000000_diesel_initial_setup).
    BOOST_TEST((classify_name("0_x.up.sql").kind == name_kind::paired_up));
    BOOST_TEST(classify_name("00000000000000_diesel_initial_setup.up.sql").version == 0);
    BOOST_TEST((classify_name("00000000_000000_x.sql").kind == name_kind::single));
    BOOST_TEST(name_problem_text(classify_name("1234567890123456789_x.up.sql")).find("more than 18 digits") !=
               std::string::npos);
    // A paired-looking stem gets the paired spelling as an example.
    BOOST_TEST(name_problem_text(classify_name("3_add_users.sql")).find("e.g. '3_add_users.up.sql'") !=
               std::string::npos);
    BOOST_TEST(name_problem_text(classify_name("create_users.sql")).find("e.g.") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(sanitised_descriptions) {
    BOOST_TEST(sanitize_name("add user status") == "add_user_status");
    BOOST_TEST(sanitize_name("  Add-User__Status!! ") == "add_user_status");
    BOOST_TEST(sanitize_name("CreateUsers") == "createusers");
    BOOST_TEST(sanitize_name("v2 index (fast)") == "v2_index_fast");
    BOOST_TEST(sanitize_name("héllo wörld") == "h_llo_w_rld");
    BOOST_TEST(sanitize_name("!!!") == "");
}

BOOST_AUTO_TEST_CASE(versions_and_times) {
    BOOST_TEST(utc_stamp(march_5) == "20240305_060708");
    BOOST_TEST(utc_stamp(0) == "19700101_000000");
    BOOST_TEST(utc_stamp(951782400) == "20000229_000000"); // leap day
    BOOST_TEST(timestamp_version(march_5) == 20240305060708LL);
    BOOST_TEST(timestamp_version(-1) == 19691231235959LL);
    BOOST_TEST((version_time(20240305060708LL) == std::optional<std::time_t>(march_5)));
    BOOST_TEST((version_time(20000229000000LL) == std::optional<std::time_t>(951782400)));
    for (const std::int64_t not_a_time : {std::int64_t{7}, std::int64_t{20241305000000}, std::int64_t{20240132000000},
                                          std::int64_t{20240101250000}, std::int64_t{20240101126000},
                                          std::int64_t{18991231235959}, std::int64_t{100000101000000}}) {
        BOOST_TEST_INFO(not_a_time);
        BOOST_TEST(!version_time(not_a_time).has_value());
    }
    // The round trip over a range of times.
    for (std::time_t t = -86400 * 365; t < std::time_t{4102444800}; t += 86400 * 37 + 3607)
        BOOST_TEST((version_time(timestamp_version(t)) == std::optional<std::time_t>(t)));
}

BOOST_AUTO_TEST_CASE(surveying_a_directory) {
    existing_migrations e = survey({});
    BOOST_TEST(e.newest_file.empty());
    BOOST_TEST(e.newest_version == 0);
    BOOST_TEST(e.version_digits == default_version_digits);

    e = survey({"README.md", "0007_a.up.sql", "0007_a.down.sql", "0012_b.up.sql", "x.sql"});
    BOOST_TEST(e.newest_file == "0012_b.up.sql");
    BOOST_TEST(e.newest_version == 12);
    BOOST_TEST((e.format == migration_format::paired_files));
    BOOST_TEST(!e.timestamp_versions);
    BOOST_TEST(e.version_digits == 4u);

    e = survey({"20240101_120000_a.sql", "20230101_120000_b.sql"});
    BOOST_TEST(e.newest_file == "20240101_120000_a.sql");
    BOOST_TEST((e.format == migration_format::single_file));
    BOOST_TEST(e.timestamp_versions);

    // Same version in both conventions: the paired file decides.
    e = survey({"20240101_120000_a.sql", "20240101_120000_a.up.sql"});
    BOOST_TEST(e.newest_file == "20240101_120000_a.up.sql");
    BOOST_TEST((e.format == migration_format::paired_files));
    BOOST_TEST(e.timestamp_versions);
}

BOOST_AUTO_TEST_CASE(next_versions) {
    BOOST_TEST((next_version(false, 0, march_5) == std::optional<std::int64_t>(1)));
    BOOST_TEST((next_version(false, 41, march_5) == std::optional<std::int64_t>(42)));
    BOOST_TEST((next_version(true, 0, march_5) == std::optional<std::int64_t>(20240305060708LL)));
    // Same second as the newest, or a clock behind it: one second after the newest.
    BOOST_TEST((next_version(true, 20240305060708LL, march_5) == std::optional<std::int64_t>(20240305060709LL)));
    BOOST_TEST((next_version(true, 20240305235959LL, march_5) == std::optional<std::int64_t>(20240306000000LL)));
    // Newer than now but not a timestamp: no timestamp version can follow it.
    BOOST_TEST(!next_version(true, 99999999999999999LL, march_5).has_value());
}

BOOST_AUTO_TEST_CASE(new_names_parse_back) {
    std::vector<std::string> files =
        new_file_names(migration_format::single_file, true, 8, 20240305060708LL, "add_user_status");
    BOOST_TEST(files == (std::vector<std::string>{"20240305_060708_add_user_status.sql"}), boost::test_tools::per_element());
    files = new_file_names(migration_format::paired_files, false, 6, 1, "create_users");
    BOOST_TEST(files == (std::vector<std::string>{"000001_create_users.up.sql", "000001_create_users.down.sql"}),
               boost::test_tools::per_element());
    files = new_file_names(migration_format::paired_files, false, 2, 1234, "x");
    BOOST_TEST(files[0] == "1234_x.up.sql");
    files = new_file_names(migration_format::paired_files, true, 8, 20240305060708LL, "x");
    BOOST_TEST(files[1] == "20240305_060708_x.down.sql");

    // What `new` writes is read back as the same version and description.
    for (const auto& [format, timestamp] : {std::pair{migration_format::single_file, true},
                                            std::pair{migration_format::paired_files, false},
                                            std::pair{migration_format::paired_files, true}}) {
        const std::int64_t version = timestamp ? 20240305060708LL : 17;
        for (const std::string& f : new_file_names(format, timestamp, 4, version, "add_index")) {
            const name_info n = classify_name(f);
            BOOST_TEST_INFO(f);
            BOOST_TEST(n.is_migration());
            BOOST_TEST(n.version == version);
            BOOST_TEST(n.description == "add_index");
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
