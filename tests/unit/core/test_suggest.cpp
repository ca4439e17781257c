// Unit tests of the edit distance and the typo suggestion (src/core/suggest.*).
#include "core/suggest.hpp"

#include <boost/test/unit_test.hpp>

using pgmig::detail::core::closest;
using pgmig::detail::core::edit_distance;

BOOST_AUTO_TEST_SUITE(core_suggest)

BOOST_AUTO_TEST_CASE(optimal_string_alignment_distance) {
    BOOST_TEST(edit_distance("status", "status") == 0u);
    BOOST_TEST(edit_distance("stauts", "status") == 1u); // one transposition
    BOOST_TEST(edit_distance("rolback", "rollback") == 1u);
    BOOST_TEST(edit_distance("verfy", "verify") == 1u);
    BOOST_TEST(edit_distance("", "abc") == 3u);
    BOOST_TEST(edit_distance("abc", "") == 3u);
    BOOST_TEST(edit_distance("kitten", "sitting") == 3u);
    BOOST_TEST(edit_distance("dump", "up") == 2u);
    // Optimal string alignment, not full Damerau-Levenshtein: no edit of a transposed pair.
    BOOST_TEST(edit_distance("ca", "abc") == 3u);
    // ASCII case-insensitive, symmetric.
    BOOST_TEST(edit_distance("ROLBACK", "rollback") == 1u);
    BOOST_TEST(edit_distance("no-transactoin", "NO-TRANSACTION") == 1u);
    BOOST_TEST(edit_distance("up", "dump") == edit_distance("dump", "up"));
}

BOOST_AUTO_TEST_CASE(typos_within_a_third_of_the_word) {
    const std::vector<std::string> commands = {"status", "plan", "up", "rollback", "redo", "verify", "history"};
    BOOST_TEST(closest("stauts", commands) == "status");
    BOOST_TEST(closest("STATUS", commands) == "status");
    BOOST_TEST(closest("rolbak", commands) == "rollback"); // two edits in six characters
    BOOST_TEST(closest("pu", commands) == "up");
    BOOST_TEST(closest("hsitory", commands) == "history");
    // Too far to be a typo: a 4-letter word two edits away, a long unrelated word.
    BOOST_TEST(closest("dump", commands) == "");
    BOOST_TEST(closest("migrate-everything-now", commands) == "");
    BOOST_TEST(closest("rolbk", commands) == ""); // three edits in five characters
    // Replacing every character is not a typo.
    BOOST_TEST(closest("x", {"a", "bb"}) == "");
    BOOST_TEST(closest("", commands) == "");
    BOOST_TEST(closest("status", {}) == "");
}

BOOST_AUTO_TEST_CASE(unique_prefixes) {
    const std::vector<std::string> commands = {"status", "plan", "up", "rollback", "redo", "repair", "history"};
    BOOST_TEST(closest("hist", commands) == "history");
    BOOST_TEST(closest("roll", commands) == "rollback");
    BOOST_TEST(closest("re", commands) == "");  // redo and repair
    // A one-edit typo beats a prefix; a prefix beats a more distant typo.
    BOOST_TEST(closest("pla", {"plan", "plaza-of-the-world"}) == "plan");
    BOOST_TEST(closest("lock", {"no-transaction", "lock-timeout", "allow"}) == "lock-timeout");
}

BOOST_AUTO_TEST_CASE(directive_names) {
    const std::vector<std::string> directives = {"no-transaction", "lock-timeout", "allow"};
    BOOST_TEST(closest("no-transation", directives) == "no-transaction");
    BOOST_TEST(closest("notransaction", directives) == "no-transaction");
    BOOST_TEST(closest("locktimeout", directives) == "lock-timeout");
    BOOST_TEST(closest("alow", directives) == "allow");
    BOOST_TEST(closest("ALLOWED", directives) == "allow");
    BOOST_TEST(closest("frobnicate", directives) == "");
}

BOOST_AUTO_TEST_SUITE_END()
