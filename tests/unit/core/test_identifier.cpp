// History table names and the identifiers derived from them (63-byte limit, UTF-8 boundaries).
#include "core/identifier.hpp"

#include <boost/test/unit_test.hpp>

#include <set>

using namespace pgmig;
using namespace pgmig::detail::core;

namespace {
// "é" is two bytes (0xC3 0xA9).
const std::string e_acute = "\xC3\xA9";
} // namespace

BOOST_AUTO_TEST_SUITE(identifier)

BOOST_AUTO_TEST_CASE(clip_never_cuts_a_character) {
    BOOST_TEST(clip_utf8("abc", 5) == "abc");
    BOOST_TEST(clip_utf8("abcdef", 3) == "abc");
    const std::string s = "ab" + e_acute + "c"; // a b 0xC3 0xA9 c
    BOOST_TEST(clip_utf8(s, 3) == "ab");        // would cut between 0xC3 and 0xA9
    BOOST_TEST(clip_utf8(s, 4) == "ab" + e_acute);
    const std::string euro = "\xE2\x82\xAC"; // three bytes
    BOOST_TEST(clip_utf8("x" + euro, 2) == "x");
    BOOST_TEST(clip_utf8("x" + euro, 3) == "x");
    BOOST_TEST(clip_utf8("x" + euro, 4) == "x" + euro);
}

BOOST_AUTO_TEST_CASE(history_names_of_63_bytes_are_accepted_64_refused) {
    BOOST_TEST(history_table_problem({"public", "schema_migrations"}).empty());
    BOOST_TEST(history_table_problem({"public", std::string(63, 't')}).empty());
    BOOST_TEST(history_table_problem({std::string(63, 's'), std::string(63, 't')}).empty());

    const std::string long_table = history_table_problem({"public", std::string(64, 't')});
    BOOST_TEST(long_table.find("table name") != std::string::npos, long_table);
    BOOST_TEST(long_table.find("is 64 bytes long") != std::string::npos, long_table);
    BOOST_TEST(long_table.find("at most 63 bytes") != std::string::npos, long_table);
    BOOST_TEST(long_table.find("--history-table") != std::string::npos, long_table);
    const std::string long_schema = history_table_problem({std::string(64, 's'), "t"});
    BOOST_TEST(long_schema.find("schema") != std::string::npos, long_schema);

    // 62 ASCII bytes + "é" = 64 bytes: refused, and the message shows what PostgreSQL
    // would keep (62 bytes, not a cut character).
    const std::string cut = history_table_problem({"public", std::string(62, 't') + e_acute});
    BOOST_TEST(cut.find("is 64 bytes long") != std::string::npos, cut);
    BOOST_TEST(cut.find("'" + std::string(62, 't') + "')") != std::string::npos, cut);
    // 61 + "é" = 63 bytes: accepted.
    BOOST_TEST(history_table_problem({"public", std::string(61, 't') + e_acute}).empty());

    BOOST_TEST(!history_table_problem({"", "t"}).empty());
    BOOST_TEST(!history_table_problem({"public", ""}).empty());
    BOOST_TEST(!history_table_problem({"public", std::string("a\0b", 3)}).empty());
}

BOOST_AUTO_TEST_CASE(index_names_fit_never_collide_and_keep_whole_characters) {
    // Short names keep the name pgmig always used.
    BOOST_TEST(history_index_name({"public", "schema_migrations"}) == "schema_migrations_version_direction_success");
    const std::string at_limit(63 - 26, 'x'); // 37 + 26 = 63 bytes
    BOOST_TEST(history_index_name({"s", at_limit}) == at_limit + "_version_direction_success");

    // Longer ones: at most 63 bytes, never the table's own name, distinct for
    // names that share a long prefix (PostgreSQL's truncation made them equal).
    std::set<std::string> names;
    for (const std::string& table : {std::string(63, 'x'), std::string(62, 'x') + "y", std::string(38, 'x'),
                                     std::string(60, 'x'), std::string(61, 'x') + e_acute}) {
        const std::string idx = history_index_name({"s", table});
        BOOST_TEST(idx.size() <= 63u, idx);
        BOOST_TEST(idx != table);
        BOOST_TEST(clip_utf8(idx, idx.size()) == idx);
        names.insert(idx);
    }
    BOOST_TEST(names.size() == 5u);
    // A multibyte character at the cut keeps whole: 39 ASCII + "é" spans bytes 40-41.
    const std::string idx = history_index_name({"s", std::string(39, 'a') + e_acute + std::string(30, 'b')});
    BOOST_TEST(idx.substr(0, 44) == std::string(39, 'a') + "_vds_");
    // The same table name in another schema derives another name (the hash covers both).
    BOOST_TEST(history_index_name({"a", std::string(60, 'x')}) != history_index_name({"b", std::string(60, 'x')}));
}

BOOST_AUTO_TEST_SUITE_END()
