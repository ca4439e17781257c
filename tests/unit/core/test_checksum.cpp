// Unit tests: text normalisation, checksums, the advisory lock key.
#include <pgmig/history.hpp>
#include <pgmig/migration.hpp>

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <string>
#include <vector>

BOOST_AUTO_TEST_SUITE(checksum_suite)

BOOST_AUTO_TEST_CASE(normalize_strips_bom_and_line_endings) {
    BOOST_TEST(pgmig::normalize_sql_text("") == "");
    BOOST_TEST(pgmig::normalize_sql_text("select 1;\n") == "select 1;\n");
    BOOST_TEST(pgmig::normalize_sql_text("\xEF\xBB\xBFselect 1;") == "select 1;");
    BOOST_TEST(pgmig::normalize_sql_text("a\r\nb\r\n") == "a\nb\n");
    BOOST_TEST(pgmig::normalize_sql_text("a\rb\r") == "a\nb\n");
    BOOST_TEST(pgmig::normalize_sql_text("a\r\r\nb\n\rc") == "a\n\nb\n\nc");
    BOOST_TEST(pgmig::normalize_sql_text("\xEF\xBB\xBF" "a\r\nb") == "a\nb");
    // Only a leading BOM is stripped; one inside the text is content.
    BOOST_TEST(pgmig::normalize_sql_text("a\xEF\xBB\xBF") == "a\xEF\xBB\xBF");
    // Idempotent.
    const std::string once = pgmig::normalize_sql_text("\xEF\xBB\xBFx\r\ny\rz");
    BOOST_TEST(pgmig::normalize_sql_text(once) == once);
}

BOOST_AUTO_TEST_CASE(known_sha256_vectors) {
    BOOST_TEST(pgmig::checksum("") ==
               "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    BOOST_TEST(pgmig::checksum("abc") ==
               "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

BOOST_AUTO_TEST_CASE(checksum_format_is_prefixed_lowercase_hex) {
    const std::string c = pgmig::checksum("create table t (id int);\n");
    BOOST_TEST_REQUIRE(c.size() == 7u + 64u);
    BOOST_TEST(c.substr(0, 7) == "sha256:");
    for (char ch : c.substr(7)) BOOST_TEST(((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')));
}

BOOST_AUTO_TEST_CASE(checksum_ignores_bom_and_line_ending_style) {
    const std::string lf = pgmig::checksum("create table t (id int);\nselect 1;\n");
    BOOST_TEST(pgmig::checksum("create table t (id int);\r\nselect 1;\r\n") == lf);
    BOOST_TEST(pgmig::checksum("create table t (id int);\rselect 1;\r") == lf);
    BOOST_TEST(pgmig::checksum("\xEF\xBB\xBF" "create table t (id int);\r\nselect 1;\n") == lf);
    // …but not other changes.
    BOOST_TEST(pgmig::checksum("create table t (id int);\nselect 2;\n") != lf);
    BOOST_TEST(pgmig::checksum("create table t (id int);\nselect 1;") != lf);
}

BOOST_AUTO_TEST_CASE(migration_checksum_is_of_up_sql_only) {
    const std::string up = "-- DIRECTION: up\ncreate table t (id int);\n";
    const auto a = pgmig::migration_set::from_files({{"20240101_120000_t.sql", up + "-- DIRECTION: down\ndrop table t;\n"}});
    const auto b = pgmig::migration_set::from_files({{"20240101_120000_t.sql", up + "-- DIRECTION: down\ndrop table if exists t;\n"}});
    const auto c = pgmig::migration_set::from_files({{"20240101_120000_t.sql", up}});
    const auto crlf = pgmig::migration_set::from_files(
        {{"20240101_120000_t.sql", "\xEF\xBB\xBF-- DIRECTION: up\r\ncreate table t (id int);\r\n-- DIRECTION: down\r\ndrop table t;\r\n"}});
    BOOST_TEST_REQUIRE(a.size() == 1u);
    BOOST_TEST(a.migrations()[0].checksum == pgmig::checksum("create table t (id int);\n"));
    BOOST_TEST(b.migrations()[0].checksum == a.migrations()[0].checksum);
    BOOST_TEST(c.migrations()[0].checksum == a.migrations()[0].checksum);
    BOOST_TEST(crlf.migrations()[0].checksum == a.migrations()[0].checksum);
    BOOST_TEST(crlf.migrations()[0].up_sql == "create table t (id int);\n");

    const auto paired_lf = pgmig::migration_set::from_files({{"1_t.up.sql", "create table t (id int);\n"}});
    const auto paired_crlf = pgmig::migration_set::from_files({{"1_t.up.sql", "create table t (id int);\r\n"},
                                                               {"1_t.down.sql", "drop table t;\r\n"}});
    BOOST_TEST(paired_lf.migrations()[0].checksum == a.migrations()[0].checksum);
    BOOST_TEST(paired_crlf.migrations()[0].checksum == a.migrations()[0].checksum);
}

// The lock key formula is a compatibility contract: services of different
// versions booting together must compute the same key. Never update these.
BOOST_AUTO_TEST_CASE(advisory_lock_key_is_pinned) {
    BOOST_TEST(pgmig::advisory_lock_key(pgmig::history_table_name{}) == INT64_C(2983500379865852332));
    BOOST_TEST(pgmig::advisory_lock_key(pgmig::history_table_name{"public", "schema_migrations"}) ==
               INT64_C(2983500379865852332));
    // First byte >= 0x80: exercises the negative (two's complement) branch.
    BOOST_TEST(pgmig::advisory_lock_key(pgmig::history_table_name{"app", "history"}) ==
               INT64_C(-7201266518372226428));
}

BOOST_AUTO_TEST_CASE(advisory_lock_key_depends_on_schema_and_table) {
    const auto base = pgmig::advisory_lock_key({"public", "schema_migrations"});
    BOOST_TEST(pgmig::advisory_lock_key({"other", "schema_migrations"}) != base);
    BOOST_TEST(pgmig::advisory_lock_key({"public", "schema_migrations2"}) != base);
    BOOST_TEST(pgmig::advisory_lock_key({"Public", "schema_migrations"}) != base); // exact bytes, no folding
    BOOST_TEST(pgmig::advisory_lock_key({"public", "schema_migrations"}) == base); // deterministic
}

BOOST_AUTO_TEST_SUITE_END()
