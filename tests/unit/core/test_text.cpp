// Unit tests of the ASCII text helpers (src/core/text.*).
#include "core/text.hpp"

#include <boost/test/unit_test.hpp>

using namespace pgmig::detail::core;

BOOST_AUTO_TEST_SUITE(core_text)

BOOST_AUTO_TEST_CASE(case_folding_is_ascii_only) {
    BOOST_TEST(ascii_lower('A') == 'a');
    BOOST_TEST(ascii_lower('z') == 'z');
    BOOST_TEST(ascii_lower('@') == '@');
    BOOST_TEST(ascii_upper('q') == 'Q');
    BOOST_TEST(ascii_upper('[') == '[');
    BOOST_TEST(lower("Hello, WORLD_1") == "hello, world_1");
    // Bytes of UTF-8 sequences are never changed (no locale-dependent folding).
    BOOST_TEST(lower("\xC3\x84pfel") == "\xC3\x84pfel");
    BOOST_TEST(ascii_lower('\xC3') == '\xC3');
}

BOOST_AUTO_TEST_CASE(case_insensitive_comparisons) {
    BOOST_TEST(iequals("DIRECTION", "direction"));
    BOOST_TEST(!iequals("direction", "directions"));
    BOOST_TEST(iequals("", ""));
    BOOST_TEST(istarts_with("PgMig:allow x", "pgmig"));
    BOOST_TEST(!istarts_with("pg", "pgmig"));
    BOOST_TEST(iends_with("001_A.UP.SQL", ".up.sql"));
    BOOST_TEST(!iends_with("sql", ".sql"));
    BOOST_TEST(icontains("FATAL: Password Authentication failed", "password authentication"));
    BOOST_TEST(icontains("abc", ""));
    BOOST_TEST(!icontains("ab", "abc"));
    BOOST_TEST(!icontains("does not", "does not exist"));
}

BOOST_AUTO_TEST_CASE(trimming_uses_the_blank_set_by_default) {
    BOOST_TEST(trim(" \t\f\vx y\v\f\t ") == "x y");
    BOOST_TEST(ltrim("  x  ") == "x  ");
    BOOST_TEST(rtrim("  x  ") == "  x");
    // Line ends are not blanks: the parser's lines never hold one.
    BOOST_TEST(trim("\nx\r") == "\nx\r");
    BOOST_TEST(trim("\r\n x \r\n", is_space) == "x");
    BOOST_TEST(trim("   ").empty());
    BOOST_TEST(trim("").empty());
    BOOST_TEST(is_blank('\v'));
    BOOST_TEST(!is_blank('\n'));
    BOOST_TEST(is_space('\r'));
    BOOST_TEST(!is_space('x'));
}

BOOST_AUTO_TEST_CASE(digits) {
    BOOST_TEST(all_digits("0123456789"));
    BOOST_TEST(!all_digits(""));
    BOOST_TEST(!all_digits("12a"));
    BOOST_TEST(!all_digits("-3"));
    BOOST_TEST(is_digit('7'));
    BOOST_TEST(!is_digit('x'));
    BOOST_TEST(is_alnum('Z'));
    BOOST_TEST(!is_alnum('_'));
}

BOOST_AUTO_TEST_SUITE_END()
