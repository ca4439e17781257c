// Unit tests of the bounded unified diff (src/core/text_diff.*).
#include "core/text_diff.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <string>
#include <vector>

using pgmig::detail::core::diff_limits;
using pgmig::detail::core::text_diff;
using pgmig::detail::core::unified_diff;

namespace {

using lines = std::vector<std::string>;

text_diff diff(const std::string& a, const std::string& b, const diff_limits& limits = {}) {
    return unified_diff(a, b, "a", "b", limits);
}

std::string numbered(int from, int to) {
    std::string s;
    for (int i = from; i <= to; ++i) s += "line " + std::to_string(i) + "\n";
    return s;
}

} // namespace

BOOST_AUTO_TEST_SUITE(core_text_diff)

BOOST_AUTO_TEST_CASE(identical_texts_have_no_diff) {
    for (const std::string& s : {std::string(), std::string("SELECT 1;\n"), std::string("no newline")}) {
        const text_diff d = diff(s, s);
        BOOST_TEST((d.result == text_diff::outcome::identical));
        BOOST_TEST(d.lines.empty());
    }
}

BOOST_AUTO_TEST_CASE(an_inserted_line) {
    const text_diff d = diff("a\nb\nc\n", "a\nb\nnew\nc\n");
    BOOST_TEST((d.result == text_diff::outcome::diff));
    BOOST_TEST(d.lines == (lines{"--- a", "+++ b", "@@ -1,3 +1,4 @@", " a", " b", "+new", " c"}),
               boost::test_tools::per_element());
    BOOST_TEST(d.added == 1u);
    BOOST_TEST(d.removed == 0u);
}

BOOST_AUTO_TEST_CASE(a_deleted_line) {
    const text_diff d = diff("a\nb\nc\n", "a\nc\n");
    BOOST_TEST(d.lines == (lines{"--- a", "+++ b", "@@ -1,3 +1,2 @@", " a", "-b", " c"}),
               boost::test_tools::per_element());
    BOOST_TEST(d.removed == 1u);
}

BOOST_AUTO_TEST_CASE(a_changed_line_with_three_lines_of_context) {
    const text_diff d = diff(numbered(1, 10), [] {
        std::string s = numbered(1, 10);
        s.replace(s.find("line 5\n"), 7, "line five\n");
        return s;
    }());
    BOOST_TEST(d.lines == (lines{"--- a", "+++ b", "@@ -2,7 +2,7 @@", " line 2", " line 3", " line 4", "-line 5",
                                 "+line five", " line 6", " line 7", " line 8"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(empty_ranges_name_the_line_before) {
    // Into an empty text, out of one, and at the very start.
    BOOST_TEST(diff("", "x\n").lines == (lines{"--- a", "+++ b", "@@ -0,0 +1 @@", "+x"}), boost::test_tools::per_element());
    BOOST_TEST(diff("x\n", "").lines == (lines{"--- a", "+++ b", "@@ -1 +0,0 @@", "-x"}), boost::test_tools::per_element());
    BOOST_TEST(diff("a\nb\n", "new\na\nb\n").lines == (lines{"--- a", "+++ b", "@@ -1,2 +1,3 @@", "+new", " a", " b"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(changes_close_together_share_a_hunk_far_apart_do_not) {
    std::string near = numbered(1, 20);
    near.replace(near.find("line 5\n"), 7, "LINE 5\n");
    near.replace(near.find("line 11\n"), 8, "LINE 11\n"); // 5 unchanged lines between: one hunk
    const text_diff one = diff(numbered(1, 20), near);
    BOOST_TEST(std::count_if(one.lines.begin(), one.lines.end(), [](const std::string& l) { return l.rfind("@@", 0) == 0; }) == 1);
    BOOST_TEST(one.lines[2] == "@@ -2,13 +2,13 @@");

    std::string far = numbered(1, 30);
    far.replace(far.find("line 5\n"), 7, "LINE 5\n");
    far.replace(far.find("line 25\n"), 8, "LINE 25\n");
    const text_diff two = diff(numbered(1, 30), far);
    const lines want = {"--- a",   "+++ b",   "@@ -2,7 +2,7 @@", " line 2",  " line 3",  " line 4",  "-line 5",
                        "+LINE 5", " line 6", " line 7",         " line 8",  "@@ -22,7 +22,7 @@", " line 22", " line 23",
                        " line 24", "-line 25", "+LINE 25",      " line 26", " line 27", " line 28"};
    BOOST_TEST(two.lines == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_missing_trailing_newline_is_a_change_and_is_marked) {
    const text_diff d = diff("a\nb\n", "a\nb");
    BOOST_TEST(d.lines == (lines{"--- a", "+++ b", "@@ -1,2 +1,2 @@", " a", "-b", "+b", "\\ No newline at end of file"}),
               boost::test_tools::per_element());
    const text_diff both = diff("a\nend", "x\nend");
    BOOST_TEST(both.lines == (lines{"--- a", "+++ b", "@@ -1,2 +1,2 @@", "-a", "+x", " end", "\\ No newline at end of file"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(crlf_and_a_bom_are_normalised_as_the_checksum_does) {
    BOOST_TEST((diff("a\nb\n", "\xEF\xBB\xBF" "a\r\nb\r\n").result == text_diff::outcome::identical));
    BOOST_TEST((diff("a\nb\n", "a\rb\r").result == text_diff::outcome::identical));
    const text_diff d = diff("a\r\nb\r\n", "a\nc\n");
    BOOST_TEST(d.lines == (lines{"--- a", "+++ b", "@@ -1,2 +1,2 @@", " a", "-b", "+c"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_shortest_edit_script) {
    // Myers' classic example: ABCABBA → CBABAC takes 5 edits.
    const text_diff d = diff("A\nB\nC\nA\nB\nB\nA\n", "C\nB\nA\nB\nA\nC\n");
    BOOST_TEST(d.removed + d.added == 5u);
    // Unchanged lines common at both ends are kept, a middle change found.
    const text_diff m = diff(numbered(1, 3000), [] {
        std::string s = numbered(1, 3000);
        s.replace(s.find("line 1500\n"), 10, "changed\n");
        return s;
    }());
    BOOST_TEST(m.removed == 1u);
    BOOST_TEST(m.added == 1u);
}

BOOST_AUTO_TEST_CASE(beyond_the_limits_it_gives_up_and_says_so) {
    diff_limits small;
    small.max_changed_lines = 10;
    const text_diff d = diff(numbered(1, 20), numbered(101, 120), small); // 40 edits
    BOOST_TEST((d.result == text_diff::outcome::too_large));
    BOOST_TEST(d.lines.empty());
    BOOST_TEST(d.summary == "more than 10 lines were removed or added, too many to show (20 lines before, 20 lines now)");
    BOOST_TEST((diff(numbered(1, 20), numbered(101, 105), small).result == text_diff::outcome::too_large));
    // Exactly at the limit: shown.
    BOOST_TEST((diff(numbered(1, 5), numbered(101, 105), small).result == text_diff::outcome::diff));

    diff_limits narrow;
    narrow.max_compared_lines = 100;
    // 3000 lines in common around the change do not count.
    BOOST_TEST((diff(numbered(1, 3000), numbered(1, 3000) + "x\n", narrow).result == text_diff::outcome::diff));
    const text_diff wide = diff(numbered(1, 60), numbered(61, 120), narrow);
    BOOST_TEST((wide.result == text_diff::outcome::too_large));
    BOOST_TEST(wide.summary == "the texts differ over 120 lines, more than the 100 a diff compares (60 lines before, 60 lines now)");
}

BOOST_AUTO_TEST_CASE(a_large_rewrite_within_the_default_bound_stays_fast) {
    // 5000 lines each, every second line changed: 5000 edits, beyond the default 1000.
    std::string a, b;
    for (int i = 0; i < 5000; ++i) {
        a += "a " + std::to_string(i) + "\n";
        b += (i % 2 ? "b " : "a ") + std::to_string(i) + "\n";
    }
    const text_diff d = diff(a, b);
    BOOST_TEST((d.result == text_diff::outcome::too_large));
}

BOOST_AUTO_TEST_SUITE_END()
