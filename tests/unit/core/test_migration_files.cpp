// Unit tests: migration file names, sections, directives, the migration set.
#include <pgmig/error.hpp>
#include <pgmig/migration.hpp>

#include "core/migration_file.hpp"

#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace {

using pgmig::migration_set;
using pgmig::source_file;

// Runs `load`, expects invalid_migration, returns the error.
template <typename F> pgmig::error load_error(F&& load) {
    try {
        load();
    } catch (const pgmig::error& e) {
        BOOST_TEST((e.code() == pgmig::error_code::invalid_migration));
        return e;
    }
    BOOST_FAIL("expected pgmig::error(invalid_migration)");
    throw; // unreachable
}

pgmig::error parse_error(std::vector<source_file> files) {
    return load_error([&] { migration_set::from_files(std::move(files)); });
}

pgmig::error directory_error(const std::string& directory) {
    return load_error([&] { migration_set::from_directory(directory); });
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// One-problem check: the message names file (and line) and where() points there.
void expect_problem(std::vector<source_file> files, const std::string& file, int line, const std::string& text) {
    const pgmig::error e = parse_error(std::move(files));
    const std::string msg = e.what();
    const std::string prefix = line > 0 ? file + ":" + std::to_string(line) + ": " : file + ": ";
    BOOST_TEST_INFO("message: " << msg);
    BOOST_TEST(contains(msg, prefix + text));
    BOOST_TEST(e.where().file == file);
    BOOST_TEST(e.where().line == line);
}

const std::string up_marker = "-- DIRECTION: up\n";
const std::string down_marker = "-- DIRECTION: down\n";

} // namespace

BOOST_AUTO_TEST_SUITE(migration_files_suite)

// ------------------------------------------------------------------ names

BOOST_AUTO_TEST_CASE(looks_like_migration_file_names) {
    using pgmig::looks_like_migration_file;
    BOOST_TEST(looks_like_migration_file("20240101_120000_create_users.sql"));
    BOOST_TEST(looks_like_migration_file("20240101_120000_create_users.SQL"));
    BOOST_TEST(looks_like_migration_file("000001_create_users.up.sql"));
    BOOST_TEST(looks_like_migration_file("000001_create_users.down.sql"));
    BOOST_TEST(looks_like_migration_file("1_x.up.sql"));
    BOOST_TEST(looks_like_migration_file("123456789012345678_x.up.sql")); // 18 digits
    BOOST_TEST(looks_like_migration_file("20240101_120000_x.up.sql"));

    BOOST_TEST(!looks_like_migration_file("README.md"));
    BOOST_TEST(!looks_like_migration_file(".gitkeep"));
    BOOST_TEST(!looks_like_migration_file("notes.txt"));
    BOOST_TEST(!looks_like_migration_file("1_x.sq1"));
    BOOST_TEST(!looks_like_migration_file(".20240101_120000_hidden.sql"));
    BOOST_TEST(!looks_like_migration_file("create_users.sql"));
    BOOST_TEST(!looks_like_migration_file("1_x.sql"));
    BOOST_TEST(!looks_like_migration_file("20240101_1200_x.sql"));
    BOOST_TEST(!looks_like_migration_file("20240101_120000_.sql"));
    BOOST_TEST(!looks_like_migration_file("20240101_120000.sql"));
    BOOST_TEST(!looks_like_migration_file("1_.up.sql"));
    BOOST_TEST(!looks_like_migration_file("_x.up.sql"));
    BOOST_TEST(looks_like_migration_file("0_x.up.sql")); // version 0 is a version
    BOOST_TEST(!looks_like_migration_file("1234567890123456789_x.up.sql")); // 19 digits
    BOOST_TEST(!looks_like_migration_file(""));
}

BOOST_AUTO_TEST_CASE(looks_like_agrees_with_from_files) {
    const std::vector<std::string> names = {
        "20240101_120000_a.sql", "2_b.up.sql",  "2_b.down.sql", "create_users.sql", "1_x.sql", "README.md",
        ".gitkeep",              "notes.txt",   "1_x.sq1",      "0_zero.up.sql",    "3_.up.sql", "x.up.sql"};
    for (const std::string& name : names) {
        const std::string content = name.find(".up.") != std::string::npos || name.find(".down.") != std::string::npos
                                        ? "select 1;\n"
                                        : up_marker + "select 1;\n";
        std::vector<source_file> files{{name, content}};
        if (name == "2_b.down.sql") files.push_back({"2_b.up.sql", "select 1;\n"});
        bool parsed_as_migration = false;
        bool rejected = false;
        try {
            const auto set = migration_set::from_files(files);
            parsed_as_migration = !set.empty();
        } catch (const pgmig::error&) {
            rejected = true;
        }
        BOOST_TEST_INFO("file " << name);
        BOOST_TEST(pgmig::looks_like_migration_file(name) == parsed_as_migration);
        // A .sql name that is not a migration is an error, never silently skipped.
        const bool visible_sql = name.size() > 4 && name.front() != '.' && name.substr(name.size() - 4) == ".sql";
        BOOST_TEST(rejected == (visible_sql && !pgmig::looks_like_migration_file(name)));
    }
}

// ------------------------------------------------------------------ single-file format

BOOST_AUTO_TEST_CASE(single_file_with_up_and_down) {
    const std::string content = "-- a comment\n"
                                "\n"
                                "-- DIRECTION: up\n"
                                "create table users (id bigint);\n"
                                "create index on users (id);\n"
                                "-- DIRECTION: down\n"
                                "drop table users;\n";
    const auto set = migration_set::from_files({{"20240101_120000_create_users.sql", content}});
    BOOST_TEST_REQUIRE(set.size() == 1u);
    const pgmig::migration& m = set.migrations()[0];
    BOOST_TEST(m.version == INT64_C(20240101120000));
    BOOST_TEST(m.name == "create_users");
    BOOST_TEST((m.format == pgmig::migration_format::single_file));
    BOOST_TEST(m.file == "20240101_120000_create_users.sql");
    BOOST_TEST(m.down_file == "20240101_120000_create_users.sql");
    BOOST_TEST(m.up_sql == "create table users (id bigint);\ncreate index on users (id);\n");
    BOOST_TEST(m.down_sql == "drop table users;\n");
    BOOST_TEST(m.reversible);
    BOOST_TEST(m.up_line == 4);
    BOOST_TEST(m.down_line == 7);
    BOOST_TEST(!m.up_no_transaction);
    BOOST_TEST(!m.down_no_transaction);
    BOOST_TEST(m.lock_timeout_ms == -1);
    BOOST_TEST(m.checksum == pgmig::checksum(m.up_sql));
}

BOOST_AUTO_TEST_CASE(single_file_without_down_is_not_reversible) {
    const auto set = migration_set::from_files({{"20240101_120000_x.sql", up_marker + "select 1;"}});
    BOOST_TEST_REQUIRE(set.size() == 1u);
    const pgmig::migration& m = set.migrations()[0];
    BOOST_TEST(!m.reversible);
    BOOST_TEST(m.down_file.empty());
    BOOST_TEST(m.down_sql.empty());
    BOOST_TEST(m.up_sql == "select 1;");
    BOOST_TEST(m.up_line == 2);
}

BOOST_AUTO_TEST_CASE(markers_are_case_and_space_tolerant) {
    const std::string content = "--DIRECTION:Up\nselect 1;\n   --   direction :   DOWN   \nselect 2;\n";
    const auto set = migration_set::from_files({{"20240101_120000_x.sql", content}});
    BOOST_TEST_REQUIRE(set.size() == 1u);
    BOOST_TEST(set.migrations()[0].up_sql == "select 1;\n");
    BOOST_TEST(set.migrations()[0].down_sql == "select 2;\n");
    BOOST_TEST(set.migrations()[0].down_line == 4);
}

BOOST_AUTO_TEST_CASE(down_section_may_come_first) {
    const auto set = migration_set::from_files(
        {{"20240101_120000_x.sql", down_marker + "drop table t;\n" + up_marker + "create table t ();\n"}});
    BOOST_TEST_REQUIRE(set.size() == 1u);
    BOOST_TEST(set.migrations()[0].up_sql == "create table t ();\n");
    BOOST_TEST(set.migrations()[0].up_line == 4);
    BOOST_TEST(set.migrations()[0].down_sql == "drop table t;\n");
    BOOST_TEST(set.migrations()[0].down_line == 2);
}

BOOST_AUTO_TEST_CASE(migration_line_names_the_migration) {
    const std::string content = "-- MIGRATION:   Create the users table  \n" + up_marker + "select 1;\n";
    const auto set = migration_set::from_files({{"20240101_120000_create_users.sql", content}});
    BOOST_TEST(set.migrations()[0].name == "Create the users table");

    // Inside a section it is just an SQL comment.
    const auto later = migration_set::from_files(
        {{"20240101_120000_create_users.sql", up_marker + "-- MIGRATION: not a name\nselect 1;\n"}});
    BOOST_TEST(later.migrations()[0].name == "create_users");
    BOOST_TEST(later.migrations()[0].up_sql == "-- MIGRATION: not a name\nselect 1;\n");
}

BOOST_AUTO_TEST_CASE(preamble_accepts_comments_and_block_comments) {
    const std::string content = "/* header\n   still a comment /* nested */ here\n*/\n  -- note\n\t\n" + up_marker +
                                "select 1;\n";
    const auto set = migration_set::from_files({{"20240101_120000_x.sql", content}});
    BOOST_TEST(set.migrations()[0].up_line == 7);
}

BOOST_AUTO_TEST_CASE(crlf_and_bom_are_normalised) {
    const std::string content = "\xEF\xBB\xBF-- MIGRATION: n\r\n-- DIRECTION: up\r\nselect 1;\r\nselect 2;\r"
                                "-- DIRECTION: down\r\nselect 3;\r\n";
    const auto set = migration_set::from_files({{"20240101_120000_x.sql", content}});
    const pgmig::migration& m = set.migrations()[0];
    BOOST_TEST(m.name == "n");
    BOOST_TEST(m.up_sql == "select 1;\nselect 2;\n");
    BOOST_TEST(m.down_sql == "select 3;\n");
    BOOST_TEST(m.up_line == 3);
    BOOST_TEST(m.down_line == 6);
}

// ------------------------------------------------------------------ paired format

BOOST_AUTO_TEST_CASE(paired_files) {
    const auto set = migration_set::from_files({{"000001_create_users.up.sql", "create table users ();\n"},
                                                {"000001_create_users.down.sql", "drop table users;\n"},
                                                {"000002_seed.up.sql", "\xEF\xBB\xBFinsert into users default values;\r\n"}});
    BOOST_TEST_REQUIRE(set.size() == 2u);
    const pgmig::migration& a = set.migrations()[0];
    BOOST_TEST(a.version == 1);
    BOOST_TEST(a.name == "create_users");
    BOOST_TEST((a.format == pgmig::migration_format::paired_files));
    BOOST_TEST(a.file == "000001_create_users.up.sql");
    BOOST_TEST(a.down_file == "000001_create_users.down.sql");
    BOOST_TEST(a.up_sql == "create table users ();\n");
    BOOST_TEST(a.down_sql == "drop table users;\n");
    BOOST_TEST(a.reversible);
    BOOST_TEST(a.up_line == 1);
    BOOST_TEST(a.down_line == 1);
    const pgmig::migration& b = set.migrations()[1];
    BOOST_TEST(b.version == 2);
    BOOST_TEST(!b.reversible);
    BOOST_TEST(b.down_file.empty());
    BOOST_TEST(b.up_sql == "insert into users default values;\n");
}

BOOST_AUTO_TEST_CASE(paired_versions_sort_numerically) {
    const auto set = migration_set::from_files({{"10_ten.up.sql", "select 10;"},
                                                {"9_nine.up.sql", "select 9;"},
                                                {"100_hundred.up.sql", "select 100;"},
                                                {"2_two.up.sql", "select 2;"}});
    std::vector<std::int64_t> versions;
    for (const auto& m : set) versions.push_back(m.version);
    BOOST_TEST(versions == (std::vector<std::int64_t>{2, 9, 10, 100}), boost::test_tools::per_element());
    BOOST_TEST(set.newest_version() == 100);
    BOOST_TEST_REQUIRE(set.find(10) != nullptr);
    BOOST_TEST(set.find(10)->name == "ten");
    BOOST_TEST(set.find(11) == nullptr);
    BOOST_TEST(set.find(0) == nullptr);
}

BOOST_AUTO_TEST_CASE(mixed_formats_and_long_versions) {
    const auto set = migration_set::from_files({{"20240101_120000_a.sql", up_marker + "select 1;"},
                                                {"123456789012345678_big.up.sql", "select 2;"},
                                                {"5_small.up.sql", "select 3;"}});
    BOOST_TEST_REQUIRE(set.size() == 3u);
    BOOST_TEST(set.migrations()[0].version == 5);
    BOOST_TEST(set.migrations()[1].version == INT64_C(20240101120000));
    BOOST_TEST(set.migrations()[2].version == INT64_C(123456789012345678));
    BOOST_TEST(set.newest_version() == INT64_C(123456789012345678));
}

BOOST_AUTO_TEST_CASE(paired_timestamp_names_use_the_whole_timestamp) {
    const auto set = migration_set::from_files({{"20240101_120000_a.up.sql", "select 1;"},
                                                {"20240101_130000_b.up.sql", "select 2;"},
                                                {"20240101_130000_b.down.sql", "select 3;"}});
    BOOST_TEST_REQUIRE(set.size() == 2u);
    BOOST_TEST(set.migrations()[0].version == INT64_C(20240101120000));
    BOOST_TEST(set.migrations()[0].name == "a");
    BOOST_TEST(set.migrations()[1].version == INT64_C(20240101130000));
    BOOST_TEST(set.migrations()[1].down_sql == "select 3;");
}

BOOST_AUTO_TEST_CASE(empty_set) {
    const auto set = migration_set::from_files({});
    BOOST_TEST(set.empty());
    BOOST_TEST(set.newest_version() == 0);
    BOOST_TEST(set.find(1) == nullptr);
}

BOOST_AUTO_TEST_CASE(non_migration_files_are_ignored) {
    const auto set = migration_set::from_files({{"README.md", "# migrations\n"},
                                                {".gitkeep", ""},
                                                {"notes.txt", "x"},
                                                {"1_x.sq1", "garbage"},
                                                {".20240101_120000_hidden.sql", "garbage"},
                                                {".backup.sql", "garbage"},
                                                {"20240101_120000_x.sql", up_marker + "select 1;"}});
    BOOST_TEST(set.size() == 1u);
}

// ------------------------------------------------------------------ directives

BOOST_AUTO_TEST_CASE(no_transaction_scoping_in_single_files) {
    {
        const auto set = migration_set::from_files(
            {{"20240101_120000_x.sql", "-- pgmig:no-transaction\n" + up_marker + "select 1;\n" + down_marker + "select 2;\n"}});
        BOOST_TEST(set.migrations()[0].up_no_transaction);
        BOOST_TEST(set.migrations()[0].down_no_transaction);
    }
    {
        const auto set = migration_set::from_files(
            {{"20240101_120000_x.sql", up_marker + "-- PGMIG:No-Transaction\ncreate index concurrently i on t (a);\n" +
                                           down_marker + "drop index i;\n"}});
        BOOST_TEST(set.migrations()[0].up_no_transaction);
        BOOST_TEST(!set.migrations()[0].down_no_transaction);
        // Directive lines are SQL comments and stay in the section text.
        BOOST_TEST(set.migrations()[0].up_sql == "-- PGMIG:No-Transaction\ncreate index concurrently i on t (a);\n");
    }
    {
        const auto set = migration_set::from_files(
            {{"20240101_120000_x.sql", up_marker + "select 1;\n" + down_marker + "--pgmig: no-transaction\ndrop index concurrently i;\n"}});
        BOOST_TEST(!set.migrations()[0].up_no_transaction);
        BOOST_TEST(set.migrations()[0].down_no_transaction);
    }
}

BOOST_AUTO_TEST_CASE(no_transaction_in_paired_files) {
    const auto set = migration_set::from_files({{"1_a.up.sql", "-- pgmig:no-transaction\ncreate index concurrently i on t (a);"},
                                                {"1_a.down.sql", "drop index i;"},
                                                {"2_b.up.sql", "select 1;"},
                                                {"2_b.down.sql", "-- pgmig:no-transaction\ndrop index concurrently i;"}});
    BOOST_TEST(set.migrations()[0].up_no_transaction);
    BOOST_TEST(!set.migrations()[0].down_no_transaction);
    BOOST_TEST(!set.migrations()[1].up_no_transaction);
    BOOST_TEST(set.migrations()[1].down_no_transaction);
}

BOOST_AUTO_TEST_CASE(transaction_control_in_a_no_transaction_part_is_refused_with_file_and_line) {
    // Reported with every other problem of the set, sorted by file and line.
    const auto e = parse_error({{"1_a.up.sql", "-- pgmig:no-transaction\nBEGIN;\nCREATE TABLE t (id int);\ncommit;\n"},
                                {"2_b.up.sql", "select 1; broken"},
                                {"20240101_120000_c.sql", "-- DIRECTION: up\nselect 1;\n-- DIRECTION: down\n"
                                                          "-- pgmig:no-transaction\nsavepoint s1;\n"},
                                {"4_d.up.sql", ""}});
    const std::string msg = e.what();
    BOOST_TEST(contains(msg, "1_a.up.sql:2: transaction control (BEGIN) in a no-transaction up part"), msg);
    BOOST_TEST(contains(msg, "1_a.up.sql:4: transaction control (COMMIT)"), msg);
    BOOST_TEST(contains(msg, "20240101_120000_c.sql:5: transaction control (SAVEPOINT) in a no-transaction down part"), msg);
    BOOST_TEST(contains(msg, "4_d.up.sql: up file is empty"), msg); // the other problems are still reported
    BOOST_TEST(!contains(msg, "2_b.up.sql"), msg);       // (a syntax error is the server's to report)
    BOOST_TEST(e.where().file == "1_a.up.sql");
    BOOST_TEST(e.where().line == 2);
    for (const std::string stmt : {"ROLLBACK", "START TRANSACTION", "END", "RELEASE SAVEPOINT s", "ROLLBACK TO s"}) {
        const auto one = parse_error({{"1_a.up.sql", "-- pgmig:no-transaction\nselect 1;\n" + stmt + ";\n"}});
        BOOST_TEST(contains(one.what(), "1_a.up.sql:3: transaction control"), one.what());
    }
    // Not transaction control: a function body with BEGIN ... END, and SET TRANSACTION; nor in a transactional part.
    BOOST_CHECK_NO_THROW(migration_set::from_files(
        {{"1_a.up.sql", "-- pgmig:no-transaction\nCREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN "
                        "RETURN 1; END $$;\nCREATE PROCEDURE p() BEGIN ATOMIC SELECT 1; END;\n"},
         {"2_b.up.sql", "BEGIN;\nselect 1;\nCOMMIT;\n"}}));
}

BOOST_AUTO_TEST_CASE(lock_timeout_durations) {
    const std::vector<std::pair<std::string, std::int64_t>> cases = {
        {"500ms", 500}, {"10s", 10000}, {"2min", 120000}, {"2m", 120000}, {"1.5s", 1500},
        {"3 s", 3000},  {"1h", 3600000}, {"0", 0},         {"10S", 10000}, {"24d", 24 * 86400000LL}};
    for (const auto& c : cases) {
        const auto set = migration_set::from_files({{"1_a.up.sql", "-- pgmig:lock-timeout " + c.first + "\nselect 1;"}});
        BOOST_TEST_INFO("duration " << c.first);
        BOOST_TEST(set.migrations()[0].lock_timeout_ms == c.second);
    }
}

BOOST_AUTO_TEST_CASE(lock_timeout_scoping) {
    // File-level applies; the up section's value wins over it; the down section's is not used.
    auto set = migration_set::from_files({{"20240101_120000_x.sql", "-- pgmig:lock-timeout 5s\n" + up_marker + "select 1;\n"}});
    BOOST_TEST(set.migrations()[0].lock_timeout_ms == 5000);
    set = migration_set::from_files(
        {{"20240101_120000_x.sql", "-- pgmig:lock-timeout 5s\n" + up_marker + "-- pgmig:lock-timeout 2s\nselect 1;\n"}});
    BOOST_TEST(set.migrations()[0].lock_timeout_ms == 2000);
    set = migration_set::from_files(
        {{"20240101_120000_x.sql", up_marker + "select 1;\n" + down_marker + "-- pgmig:lock-timeout 9s\nselect 2;\n"}});
    BOOST_TEST(set.migrations()[0].lock_timeout_ms == -1);
    set = migration_set::from_files({{"1_a.up.sql", "select 1;"}, {"1_a.down.sql", "-- pgmig:lock-timeout 9s\nselect 2;"}});
    BOOST_TEST(set.migrations()[0].lock_timeout_ms == -1);
}

BOOST_AUTO_TEST_CASE(allow_directive_is_accepted) {
    const auto set = migration_set::from_files(
        {{"20240101_120000_x.sql", "-- pgmig:allow drop-column the column was unused since v2\n" + up_marker +
                                       "-- pgmig:allow drop-column reviewed\nalter table t drop column c;\n"}});
    BOOST_TEST(set.size() == 1u);
}

BOOST_AUTO_TEST_CASE(unknown_directive_is_an_error) {
    expect_problem({{"20240101_120000_x.sql", up_marker + "-- pgmig:no-transation\nselect 1;\n"}}, "20240101_120000_x.sql", 2,
                   "unknown directive 'pgmig:no-transation'; did you mean 'pgmig:no-transaction'?");
    expect_problem({{"1_x.up.sql", "select 1;\n-- pgmig:frobnicate\n"}}, "1_x.up.sql", 2,
                   "unknown directive 'pgmig:frobnicate'");
    expect_problem({{"1_x.up.sql", "-- pgmig:\nselect 1;\n"}}, "1_x.up.sql", 1, "empty pgmig: directive");
}

BOOST_AUTO_TEST_CASE(bad_directive_arguments) {
    expect_problem({{"1_x.up.sql", "-- pgmig:lock-timeout soon\nselect 1;"}}, "1_x.up.sql", 1,
                   "invalid duration 'soon' for pgmig:lock-timeout");
    expect_problem({{"1_x.up.sql", "-- pgmig:lock-timeout\nselect 1;"}}, "1_x.up.sql", 1, "invalid duration ''");
    // A bare number is refused: the CLI's --lock-timeout would read the same text.
    expect_problem({{"1_x.up.sql", "-- pgmig:lock-timeout 500\nselect 1;"}}, "1_x.up.sql", 1,
                   "invalid duration '500' for pgmig:lock-timeout; '500' has no unit: write 500ms or 500s");
    expect_problem({{"1_x.up.sql", "-- pgmig:lock-timeout 1.5\nselect 1;"}}, "1_x.up.sql", 1,
                   "invalid duration '1.5' for pgmig:lock-timeout; '1.5' has no unit: write 1.5ms or 1.5s");
    expect_problem({{"1_x.up.sql", "-- pgmig:lock-timeout 1234567890123ms\nselect 1;"}}, "1_x.up.sql", 1,
                   "invalid duration '1234567890123ms'");
    expect_problem({{"1_x.up.sql", "-- pgmig:lock-timeout 999999999999d\nselect 1;"}}, "1_x.up.sql", 1,
                   "pgmig:lock-timeout 999999999999d is too long");
    expect_problem({{"1_x.up.sql", "-- pgmig:lock-timeout 30d\nselect 1;"}}, "1_x.up.sql", 1, "pgmig:lock-timeout 30d is too long");
    expect_problem({{"1_x.up.sql", "-- pgmig:no-transaction down\nselect 1;"}}, "1_x.up.sql", 1,
                   "pgmig:no-transaction takes no arguments");
    expect_problem({{"1_x.up.sql", "-- pgmig:lock-timeout 1s\n-- pgmig:lock-timeout 2s\nselect 1;"}}, "1_x.up.sql", 2,
                   "second pgmig:lock-timeout (first at line 1)");
}

// ------------------------------------------------------------------ errors

BOOST_AUTO_TEST_CASE(error_no_up_section) {
    expect_problem({{"20240101_120000_x.sql", "create table t ();\n"}}, "20240101_120000_x.sql", 0, "no up section");
    expect_problem({{"20240101_120000_x.sql", "-- only comments\n"}}, "20240101_120000_x.sql", 0, "no up section");
    expect_problem({{"20240101_120000_x.sql", down_marker + "drop table t;\n"}}, "20240101_120000_x.sql", 0,
                   "no up section (only a down section, at line 1)");
    const pgmig::error e = parse_error({{"20240101_120000_x.sql", "select 1;\n"}});
    BOOST_TEST(e.where().version.value_or(0) == INT64_C(20240101120000));
}

BOOST_AUTO_TEST_CASE(error_second_up_and_down_sections) {
    const std::string content = "-- c\n" + up_marker + "select 1;\n" + down_marker + "select 2;\n\n" + up_marker + "select 3;\n";
    expect_problem({{"20240101_120000_x.sql", content}}, "20240101_120000_x.sql", 7, "second up section (first at line 2)");
    expect_problem({{"20240101_120000_x.sql", up_marker + "select 1;\n" + down_marker + "a;\n" + down_marker + "b;\n"}},
                   "20240101_120000_x.sql", 5, "second down section (first at line 3)");
}

BOOST_AUTO_TEST_CASE(error_text_before_first_section) {
    expect_problem({{"20240101_120000_x.sql", "-- header\n\ncreate table t ();\n" + up_marker + "select 1;\n"}},
                   "20240101_120000_x.sql", 3, "text before the first section");
    expect_problem({{"20240101_120000_x.sql", "/* c */ select 1;\n" + up_marker + "select 1;\n"}}, "20240101_120000_x.sql", 1,
                   "text before the first section");
}

BOOST_AUTO_TEST_CASE(error_bad_marker) {
    expect_problem({{"20240101_120000_x.sql", up_marker + "select 1;\n-- DIRECTION: sideways\n"}}, "20240101_120000_x.sql", 3,
                   "unknown direction 'sideways'");
    expect_problem({{"1_x.up.sql", "-- DIRECTION: up\nselect 1;\n"}}, "1_x.up.sql", 1, "section marker in a paired file");
}

BOOST_AUTO_TEST_CASE(error_empty_up) {
    expect_problem({{"20240101_120000_x.sql", "-- c\n" + up_marker + "  \n\t\n" + down_marker + "select 1;\n"}},
                   "20240101_120000_x.sql", 2, "up section is empty");
    expect_problem({{"20240101_120000_x.sql", up_marker}}, "20240101_120000_x.sql", 1, "up section is empty");
    expect_problem({{"1_x.up.sql", " \r\n"}}, "1_x.up.sql", 0, "up file is empty");
    // An empty down section/file is allowed: reversible, nothing to run.
    const auto set = migration_set::from_files({{"1_x.up.sql", "select 1;"}, {"1_x.down.sql", ""}});
    BOOST_TEST(set.migrations()[0].reversible);
}

BOOST_AUTO_TEST_CASE(error_empty_migration_name) {
    expect_problem({{"20240101_120000_x.sql", "-- MIGRATION:\n" + up_marker + "select 1;"}}, "20240101_120000_x.sql", 1,
                   "MIGRATION line without a name");
    expect_problem({{"20240101_120000_x.sql", "-- MIGRATION: a\n-- MIGRATION: b\n" + up_marker + "select 1;"}},
                   "20240101_120000_x.sql", 2, "second MIGRATION line (first at line 1)");
}

BOOST_AUTO_TEST_CASE(error_duplicate_version_names_both_files) {
    const pgmig::error e = parse_error({{"20240101_120000_a.sql", up_marker + "select 1;"},
                                        {"20240101_120000_b.sql", up_marker + "select 2;"}});
    const std::string msg = e.what();
    BOOST_TEST(contains(msg, "20240101_120000_b.sql: duplicate version 20240101120000: also used by 20240101_120000_a.sql"));
    BOOST_TEST(e.where().file == "20240101_120000_b.sql");
    BOOST_TEST(e.where().version.value_or(0) == INT64_C(20240101120000));

    // Numerically equal versions collide even when spelled differently, and across formats.
    expect_problem({{"1_a.up.sql", "select 1;"}, {"001_b.up.sql", "select 2;"}}, "1_a.up.sql", 0,
                   "duplicate version 1: also used by 001_b.up.sql");
    expect_problem({{"20240101_120000_a.sql", up_marker + "select 1;"}, {"20240101120000_b.up.sql", "select 2;"}},
                   "20240101_120000_a.sql", 0, "duplicate version 20240101120000: also used by 20240101120000_b.up.sql");
}

BOOST_AUTO_TEST_CASE(error_unparsable_sql_name) {
    expect_problem({{"create_users.sql", "select 1;"}}, "create_users.sql", 0, "not a migration file name");
    expect_problem({{"1_x.sql", "select 1;"}}, "1_x.sql", 0, "not a migration file name");
    const pgmig::error e = parse_error({{"1_x.sql", "select 1;"}});
    BOOST_TEST(contains(e.what(), "'1_x.up.sql'")); // suggests the fix
    expect_problem({{"20240101_120000_.sql", "select 1;"}}, "20240101_120000_.sql", 0, "file name has no description");
    expect_problem({{"1234567890123456789_x.up.sql", "select 1;"}}, "1234567890123456789_x.up.sql", 0,
                   "version has more than 18 digits");
}

BOOST_AUTO_TEST_CASE(version_zero_is_a_version) {
    // diesel's first migration, in pgmig's paired format; and a timestamped zero.
    const migration_set set = migration_set::from_files({
        {"00000000000000_diesel_initial_setup.up.sql", "CREATE FUNCTION diesel_noop() RETURNS void LANGUAGE sql AS '';"},
        {"00000000000000_diesel_initial_setup.down.sql", "DROP FUNCTION diesel_noop();"},
        {"20190101000000_create_users.up.sql", "CREATE TABLE users (id bigint PRIMARY KEY);"},
    });
    BOOST_REQUIRE_EQUAL(set.size(), 2u);
    BOOST_TEST(set.migrations()[0].version == 0);
    BOOST_TEST(set.migrations()[0].name == "diesel_initial_setup");
    BOOST_TEST(set.migrations()[0].reversible);
    BOOST_TEST(set.find(0) == &set.migrations()[0]);
    BOOST_TEST(set.newest_version() == 20190101000000);
    BOOST_TEST(migration_set::from_files({{"00000000_000000_zero.sql", up_marker + "select 1;"}}).migrations().at(0).version == 0);
    expect_problem({{"0_a.up.sql", "select 1;"}, {"00_b.up.sql", "select 2;"}}, "0_a.up.sql", 0,
                   "duplicate version 0: also used by 00_b.up.sql");
}

BOOST_AUTO_TEST_CASE(parse_keeps_what_loaded_next_to_the_problems) {
    pgmig::detail::core::parse_result r = pgmig::detail::core::parse_migration_files({
        {"000001_users.up.sql", "CREATE TABLE users (id bigint PRIMARY KEY);"},
        {"000002_index.up.sql", "CREATE INDEX CONCURRENTLY users_id_idx ON users (id);"},
        {"000003_empty.up.sql", "   \n"},
        {"create_things.sql", "select 1;"},
        {"000004_a.up.sql", "select 1;"},
        {"000004_b.up.sql", "select 2;"},
        {"000005_drop.up.sql", "DROP TABLE users;"},
    });
    std::vector<std::int64_t> versions;
    for (const pgmig::migration& m : r.migrations) versions.push_back(m.version);
    // 2 loaded with a statement problem; 3 did not load; 4: the first file by name.
    BOOST_TEST(versions == (std::vector<std::int64_t>{1, 2, 4, 5}), boost::test_tools::per_element());
    BOOST_TEST(r.migrations.at(2).file == "000004_a.up.sql");
    BOOST_TEST(!r.migrations.at(3).checksum.empty());
    std::vector<std::string> got;
    for (const pgmig::detail::core::migration_problem& p : r.problems)
        got.push_back(p.file + ":" + std::to_string(p.line) + (p.in_loaded_migration ? " (statement)" : "") +
                      (p.version ? " v" + std::to_string(*p.version) : ""));
    BOOST_TEST(got == (std::vector<std::string>{"000002_index.up.sql:1 (statement) v2", "000003_empty.up.sql:0 v3",
                                                "000004_b.up.sql:0 v4", "create_things.sql:0"}),
               boost::test_tools::per_element());
    BOOST_TEST(contains(r.problems[0].text, "CREATE INDEX CONCURRENTLY cannot run inside a transaction block"));
    // What loaded makes a set; the throwing entry point reports the same problems.
    BOOST_TEST(migration_set::from_precomputed(std::move(r.migrations)).size() == 4u);
    BOOST_CHECK_THROW(migration_set::from_files({{"000003_empty.up.sql", " "}}), pgmig::error);
}

BOOST_AUTO_TEST_CASE(error_down_without_up) {
    expect_problem({{"2_x.down.sql", "select 1;"}}, "2_x.down.sql", 0, "down file without its up file; add 2_x.up.sql");
    expect_problem({{"2_x.up.sql", "select 1;"}, {"2_y.down.sql", "select 1;"}}, "2_y.down.sql", 0,
                   "down file does not match its up file 2_x.up.sql");
    expect_problem({{"20240101_120000_x.sql", up_marker + "select 1;"}, {"20240101120000_x.down.sql", "select 1;"}},
                   "20240101120000_x.down.sql", 0, "duplicate version 20240101120000: also used by 20240101_120000_x.sql");
}

BOOST_AUTO_TEST_CASE(error_invalid_utf8) {
    expect_problem({{"20240101_120000_x.sql", up_marker + "select 1;\nselect '\xFF';\n"}}, "20240101_120000_x.sql", 3,
                   "not valid UTF-8 (byte 0xFF)");
    // Overlong encoding, surrogate, truncated sequence at EOF, CRLF line counting.
    expect_problem({{"1_x.up.sql", "select '\xC0\xAF';"}}, "1_x.up.sql", 1, "not valid UTF-8");
    expect_problem({{"1_x.up.sql", "a\r\nb\r\nselect '\xED\xA0\x80';"}}, "1_x.up.sql", 3, "not valid UTF-8");
    expect_problem({{"1_x.up.sql", "select 1;\n\xE2\x82"}}, "1_x.up.sql", 2, "not valid UTF-8");
    // UTF-16 with its BOM.
    expect_problem({{"1_x.up.sql", std::string("\xFF\xFEs\0e\0", 6)}}, "1_x.up.sql", 1, "not valid UTF-8 (byte 0xFF)");
    expect_problem({{"1_x.up.sql", std::string("select 1;\n\0", 11)}}, "1_x.up.sql", 2, "contains a NUL byte");
    // Valid multi-byte text is fine.
    const auto set = migration_set::from_files({{"1_x.up.sql", "select 'héllo ✓ 😀';"}});
    BOOST_TEST(set.size() == 1u);
}

BOOST_AUTO_TEST_CASE(all_problems_are_collected_in_one_error) {
    const pgmig::error e = parse_error({
        {"20240101_120000_a.sql", "junk;\n" + up_marker + "select 1;\n" + up_marker + "select 2;\n"},
        {"create_users.sql", "select 1;"},
        {"3_x.down.sql", "select 1;"},
        {"4_y.up.sql", "-- pgmig:nope\nselect 1;"},
        {"README.md", "not checked"},
        {"5_ok.up.sql", "select 1;"},
    });
    const std::string msg = e.what();
    BOOST_TEST_INFO("message: " << msg);
    BOOST_TEST(contains(msg, "20240101_120000_a.sql:4: second up section (first at line 2)"));
    BOOST_TEST(contains(msg, "20240101_120000_a.sql:1: text before the first section"));
    BOOST_TEST(contains(msg, "create_users.sql: not a migration file name"));
    BOOST_TEST(contains(msg, "3_x.down.sql: down file without its up file"));
    BOOST_TEST(contains(msg, "4_y.up.sql:1: unknown directive 'pgmig:nope'"));
    BOOST_TEST(!contains(msg, "README"));
    BOOST_TEST(!contains(msg, "5_ok"));
    // One line per problem, sorted by file then line; where() is the first.
    std::size_t lines = 1;
    for (char c : msg) lines += c == '\n' ? 1 : 0;
    BOOST_TEST(lines == 5u);
    BOOST_TEST(msg.rfind("20240101_120000_a.sql:1: ", 0) == 0u);
    BOOST_TEST(e.where().file == "20240101_120000_a.sql");
    BOOST_TEST(e.where().line == 1);
    BOOST_TEST(e.where().version.value_or(0) == INT64_C(20240101120000));
}

// ------------------------------------------------------------------ from_directory

namespace {
struct temp_dir {
    std::filesystem::path path;
    temp_dir() {
        std::random_device rd;
        path = std::filesystem::temp_directory_path() /
               ("pgmig-unit-" + std::to_string(rd()) + "-" + std::to_string(rd()));
        std::filesystem::create_directories(path);
    }
    ~temp_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    void write(const std::string& name, const std::string& content) const {
        std::ofstream out(path / name, std::ios::binary);
        out << content;
    }
};
} // namespace

BOOST_AUTO_TEST_CASE(from_directory_reads_regular_files) {
    temp_dir dir;
    dir.write("20240101_120000_create_users.sql", "-- DIRECTION: up\r\ncreate table users ();\r\n-- DIRECTION: down\r\ndrop table users;\r\n");
    dir.write("20240102_090000_add_email.sql", up_marker + "alter table users add email text;\n");
    dir.write("README.md", "# not a migration\n");
    dir.write(".gitkeep", "");
    dir.write("notes.txt", "x");
    std::filesystem::create_directories(dir.path / ".20240103_000000_hidden.sql"); // hidden: never looked at
    std::filesystem::create_directories(dir.path / "nested");
    std::filesystem::create_symlink("nested", dir.path / "link_to_a_directory");       // not .sql
    std::filesystem::create_symlink("missing", dir.path / ".hidden_dangling.sql");
    dir.write("nested/20240104_000000_nested.sql", "not read: not recursive");

    const auto set = migration_set::from_directory(dir.path.string());
    BOOST_TEST_REQUIRE(set.size() == 2u);
    BOOST_TEST(set.migrations()[0].name == "create_users");
    BOOST_TEST(set.migrations()[0].file == "20240101_120000_create_users.sql");
    BOOST_TEST(set.migrations()[0].up_sql == "create table users ();\n");
    BOOST_TEST(set.migrations()[1].version == INT64_C(20240102090000));

    // Same result as from_files on the same bytes.
    const auto same = migration_set::from_files(
        {{"20240101_120000_create_users.sql", "-- DIRECTION: up\ncreate table users ();\n-- DIRECTION: down\ndrop table users;\n"},
         {"20240102_090000_add_email.sql", up_marker + "alter table users add email text;\n"}});
    BOOST_TEST(same.migrations()[0].checksum == set.migrations()[0].checksum);
    BOOST_TEST(same.migrations()[1].checksum == set.migrations()[1].checksum);
}

BOOST_AUTO_TEST_CASE(from_directory_follows_links_to_files) {
    temp_dir dir;
    std::filesystem::create_directories(dir.path / "shared");
    dir.write("shared/20240101_120000_linked.sql", up_marker + "select 1;\n");
    std::filesystem::create_symlink("shared/20240101_120000_linked.sql", dir.path / "20240101_120000_linked.sql");
    const auto set = migration_set::from_directory(dir.path.string());
    BOOST_TEST_REQUIRE(set.size() == 1u);
    BOOST_TEST(set.migrations()[0].up_sql == "select 1;\n");
}

BOOST_AUTO_TEST_CASE(from_directory_reports_sql_entries_that_are_not_files) {
    namespace fs = std::filesystem;
    temp_dir dir;
    dir.write("20240101_120000_ok.sql", up_marker + "select 1;\n");
    fs::create_directories(dir.path / "20240102_000000_a_directory.sql");
    fs::create_symlink("nowhere.sql", dir.path / "20240103_000000_dangling.sql");
    fs::create_symlink("20240104_000000_loop.sql", dir.path / "20240104_000000_loop.sql");
    fs::create_symlink("20240102_000000_a_directory.sql", dir.path / "20240105_000000_link_to_dir.sql");
    const std::string fifo = (dir.path / "20240106_000000_fifo.sql").string();
    BOOST_TEST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    dir.write("README.md", "ignored");
    dir.write(".20240107_000000_hidden.sql", "ignored");

    // Never blocks on the FIFO (nothing writes to it), and names every entry.
    const pgmig::error e = directory_error(dir.path.string());
    const std::string msg = e.what();
    BOOST_TEST_MESSAGE(msg);
    BOOST_TEST(contains(msg, "20240102_000000_a_directory.sql: is a directory, not a file"));
    BOOST_TEST(contains(msg, "20240103_000000_dangling.sql: is a symbolic link to a file that does not exist (nowhere.sql)"));
    BOOST_TEST(contains(msg, "20240104_000000_loop.sql: is a symbolic link that never reaches a file"));
    BOOST_TEST(contains(msg, "20240105_000000_link_to_dir.sql: is a symbolic link to a directory, not a file"));
    BOOST_TEST(contains(msg, "20240106_000000_fifo.sql: is a FIFO (named pipe), not a file"));
    BOOST_TEST(!contains(msg, "README.md"));
    BOOST_TEST(!contains(msg, "hidden"));
    BOOST_TEST(!contains(msg, "20240101_120000_ok.sql"));
    BOOST_TEST(!contains(msg, dir.path.string())); // entry names, not paths
    BOOST_TEST(e.where().file == "20240102_000000_a_directory.sql");
}

BOOST_AUTO_TEST_CASE(from_directory_reports_file_problems) {
    temp_dir dir;
    dir.write("1_a.up.sql", "select 1;");
    dir.write("bad.sql", "select 1;");
    const pgmig::error e = directory_error(dir.path.string());
    BOOST_TEST(contains(e.what(), "bad.sql: not a migration file name"));
    BOOST_TEST(!contains(e.what(), dir.path.string())); // file names, not paths
    BOOST_TEST(e.where().file == "bad.sql");
}

BOOST_AUTO_TEST_CASE(from_directory_unreadable_directory) {
    temp_dir dir;
    const std::string missing = (dir.path / "does-not-exist").string();
    const pgmig::error e = directory_error(missing);
    BOOST_TEST(contains(e.what(), missing));
    BOOST_TEST(e.where().file == missing);
    const auto empty = migration_set::from_directory(dir.path.string());
    BOOST_TEST(empty.empty());
}

// ------------------------------------------------------------------ many migrations

// Behaviour only: the time it takes is measured by scripts/bench, not here.
BOOST_AUTO_TEST_CASE(thousand_migrations_parse_in_order) {
    std::vector<source_file> files;
    const std::string body = "create table t (id bigint primary key, name text not null, created_at timestamptz);\n"
                             "create index on t (name);\n";
    std::vector<std::int64_t> versions;
    for (int i = 1; i <= 1000; ++i) {
        if (i % 2 == 0) {
            char name[64];
            std::snprintf(name, sizeof name, "2024%02d%02d_%06d_m%d.sql", 1 + i % 12, 1 + i % 28, i, i);
            files.push_back({name, "-- MIGRATION: m\n-- pgmig:lock-timeout 5s\n" + up_marker + body + down_marker + "drop table t;\n"});
            versions.push_back((2024LL * 10000 + (1 + i % 12) * 100 + (1 + i % 28)) * 1000000 + i);
        } else {
            files.push_back({std::to_string(i) + "_m.up.sql", body});
            files.push_back({std::to_string(i) + "_m.down.sql", "drop table t;\n"});
            versions.push_back(i);
        }
    }
    // The order the files come in does not matter.
    std::reverse(files.begin(), files.end());
    const auto set = migration_set::from_files(std::move(files));
    BOOST_TEST_REQUIRE(set.size() == 1000u);
    std::sort(versions.begin(), versions.end());
    std::vector<std::int64_t> parsed;
    for (const auto& m : set) parsed.push_back(m.version);
    BOOST_TEST(parsed == versions, boost::test_tools::per_element());
    for (const auto& m : set) {
        BOOST_TEST_INFO("version " << m.version);
        BOOST_TEST(m.reversible);
        BOOST_TEST(m.up_sql == body);
        BOOST_TEST(m.down_sql == "drop table t;\n");
        const bool single = m.format == pgmig::migration_format::single_file;
        BOOST_TEST(m.name == "m");
        BOOST_TEST(m.lock_timeout_ms == (single ? 5000 : -1));
        BOOST_TEST(m.checksum == set.migrations().front().checksum); // same up SQL, same checksum
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(non_transactional_statements_suite)

BOOST_AUTO_TEST_CASE(concurrently_needs_the_directive) {
    // Up section: named with its line in the file, and the directive suggested.
    const std::string file = "-- a comment\n-- DIRECTION: up\nCREATE TABLE t (id int);\n"
                             "CREATE INDEX CONCURRENTLY t_idx ON t (id);\n-- DIRECTION: down\nDROP TABLE t;\n";
    try {
        migration_set::from_files({{"20240101_120000_idx.sql", file}});
        BOOST_FAIL("expected invalid_migration");
    } catch (const pgmig::error& e) {
        const std::string msg = e.what();
        BOOST_TEST(msg.find("20240101_120000_idx.sql:4: CREATE INDEX CONCURRENTLY cannot run inside a transaction "
                            "block, and the up part runs in one; add a line -- pgmig:no-transaction to its section") !=
                       std::string::npos,
                   msg);
        BOOST_TEST(e.where().line == 4);
    }
    // The directive in the up section fixes the up part only: the down part is still checked.
    const std::string down_too = "-- DIRECTION: up\n-- pgmig:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (id);\n"
                                 "-- DIRECTION: down\nSELECT 1;\nDROP INDEX CONCURRENTLY i;\n";
    try {
        migration_set::from_files({{"20240101_120000_idx.sql", down_too}});
        BOOST_FAIL("expected invalid_migration");
    } catch (const pgmig::error& e) {
        BOOST_TEST(std::string(e.what()).find("20240101_120000_idx.sql:6: DROP INDEX CONCURRENTLY") != std::string::npos,
                   e.what());
    }
    // Before the first section, the directive covers both parts.
    const auto set = migration_set::from_files(
        {{"20240101_120000_idx.sql", "-- pgmig:no-transaction\n-- DIRECTION: up\nCREATE INDEX CONCURRENTLY i ON t (id);\n"
                                     "-- DIRECTION: down\nDROP INDEX CONCURRENTLY i;\n"}});
    BOOST_TEST(set.migrations().front().up_no_transaction);
    BOOST_TEST(set.migrations().front().down_no_transaction);
    // Paired files: the down file is checked on its own; mentions inside strings/comments are not statements.
    BOOST_CHECK_THROW(migration_set::from_files({{"1_x.up.sql", "SELECT 1;"}, {"1_x.down.sql", "VACUUM;"}}),
                      pgmig::error);
    BOOST_CHECK_NO_THROW(migration_set::from_files(
        {{"1_x.up.sql", "-- CREATE INDEX CONCURRENTLY later\nSELECT 'VACUUM';\nCREATE INDEX \"concurrently\" ON t (id);"}}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(phase_and_batch_directives_suite)

BOOST_AUTO_TEST_CASE(pgmig_phase_sets_the_migrations_phase) {
    auto set = migration_set::from_files({
        {"20240101_120000_a.sql", "-- pgmig:phase post-deploy\n" + up_marker + "select 1;\n"},
        {"20240101_120001_b.sql", up_marker + "-- PGMIG: phase Post-Deploy\nselect 1;\n" + down_marker + "select 2;\n"},
        {"20240101_120002_c.sql", up_marker + "select 1;\n"},
        {"000001_d.up.sql", "-- pgmig:phase post-deploy\nselect 1;"},
        {"000002_e.up.sql", "-- pgmig:phase pre-deploy\nselect 1;"},
    });
    using pgmig::deploy_phase;
    BOOST_TEST((set.find(20240101120000)->phase == deploy_phase::post_deploy));
    BOOST_TEST((set.find(20240101120001)->phase == deploy_phase::post_deploy));
    BOOST_TEST((set.find(20240101120002)->phase == deploy_phase::pre_deploy));
    BOOST_TEST((set.find(1)->phase == deploy_phase::post_deploy));
    BOOST_TEST((set.find(2)->phase == deploy_phase::pre_deploy));
    // The checksum is of the SQL as written: the directive line is part of it.
    BOOST_TEST(std::string(pgmig::to_string(deploy_phase::post_deploy)) == "post-deploy");
}

BOOST_AUTO_TEST_CASE(pgmig_phase_problems) {
    expect_problem({{"1_a.up.sql", "-- pgmig:phase later\nselect 1;"}}, "1_a.up.sql", 1,
                   "pgmig:phase takes pre-deploy or post-deploy (got 'later')");
    expect_problem({{"1_a.up.sql", "select 1;"}, {"1_a.down.sql", "-- pgmig:phase post-deploy\nselect 2;"}},
                   "1_a.down.sql", 1, "pgmig:phase in the down part");
    expect_problem({{"20240101_120000_x.sql", up_marker + "select 1;\n" + down_marker + "-- pgmig:phase post-deploy\n"}},
                   "20240101_120000_x.sql", 4, "pgmig:phase in the down part");
    expect_problem({{"20240101_120000_x.sql", "-- pgmig:phase post-deploy\n" + up_marker + "-- pgmig:phase post-deploy\n"
                                              "select 1;\n"}},
                   "20240101_120000_x.sql", 3, "second pgmig:phase (first at line 1)");
    expect_problem({{"1_a.up.sql", "-- pgmig:phaze post-deploy\nselect 1;"}}, "1_a.up.sql", 1,
                   "unknown directive 'pgmig:phaze'; did you mean 'pgmig:phase'?");
}

BOOST_AUTO_TEST_CASE(pgmig_batch_stands_before_a_data_change_of_a_no_transaction_part) {
    BOOST_CHECK_NO_THROW(migration_set::from_files({{"1_a.up.sql",
                                                     "-- pgmig:no-transaction\n"
                                                     "-- pgmig:batch pause 50ms\n"
                                                     "UPDATE t SET x = 0 WHERE id IN (SELECT id FROM t WHERE x IS NULL "
                                                     "LIMIT 1000);\n"
                                                     "-- pgmig:batch timeout 30s pause 1s\n"
                                                     "DELETE FROM t WHERE id IN (SELECT id FROM t LIMIT 10);\n"}}));
    expect_problem({{"1_a.up.sql", "-- pgmig:batch\nUPDATE t SET x = 0 WHERE id IN (SELECT id FROM t LIMIT 5);"}},
                   "1_a.up.sql", 1, "pgmig:batch in a part that runs in one transaction");
    expect_problem({{"1_a.up.sql", "-- pgmig:no-transaction\nselect 1;\n-- pgmig:batch\n"}}, "1_a.up.sql", 3,
                   "pgmig:batch with no statement after it");
    expect_problem({{"1_a.up.sql", "-- pgmig:no-transaction\n-- pgmig:batch\nCREATE INDEX CONCURRENTLY i ON t (x);"}},
                   "1_a.up.sql", 2, "pgmig:batch on a statement that changes no rows");
    expect_problem({{"1_a.up.sql", "-- pgmig:no-transaction\n-- pgmig:batch pause\nDELETE FROM t WHERE false;"}},
                   "1_a.up.sql", 2, "invalid duration '' after 'pause' in pgmig:batch");
    expect_problem({{"1_a.up.sql", "-- pgmig:no-transaction\n-- pgmig:batch every 5s\nDELETE FROM t WHERE false;"}},
                   "1_a.up.sql", 2, "unknown pgmig:batch argument 'every'");
    expect_problem({{"1_a.up.sql", "-- pgmig:no-transaction\n-- pgmig:batch\n-- pgmig:batch\nDELETE FROM t WHERE false;"}},
                   "1_a.up.sql", 3, "second pgmig:batch on one statement");
    expect_problem({{"20240101_120000_x.sql", "-- pgmig:no-transaction\n-- pgmig:batch\n" + up_marker +
                                              "DELETE FROM t WHERE false;\n"}},
                   "20240101_120000_x.sql", 2, "pgmig:batch before -- DIRECTION: up");
}

BOOST_AUTO_TEST_SUITE_END()
