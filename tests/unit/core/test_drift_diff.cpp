// Unit tests of what a drifted migration shows (src/core/drift_diff.*).
#include "core/drift_diff.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace pgmig::detail::core;
using pgmig::drift_text;
using pgmig::drifted_migration;

namespace {

drifted_migration drifted() {
    drifted_migration d;
    d.version = 2;
    d.name = "users";
    d.file = "002_users.up.sql";
    d.recorded_checksum = "sha256:aa";
    d.current_checksum = "sha256:bb";
    return d;
}

recorded_up_sql recorded(std::optional<std::string> text, std::optional<std::int64_t> bytes) {
    recorded_up_sql r;
    r.text = std::move(text);
    r.bytes = bytes;
    return r;
}

} // namespace

BOOST_AUTO_TEST_SUITE(core_drift_diff)

BOOST_AUTO_TEST_CASE(a_recorded_text_gives_a_diff_named_after_the_file) {
    drifted_migration d = drifted();
    describe_drift(d, recorded(std::string("CREATE TABLE users (id int);\n"), 29), "CREATE TABLE users (id bigint);\n");
    BOOST_TEST((d.text == drift_text::diff));
    const std::vector<std::string> want = {"--- 002_users.up.sql as applied", "+++ 002_users.up.sql now", "@@ -1 +1 @@",
                                           "-CREATE TABLE users (id int);", "+CREATE TABLE users (id bigint);"};
    BOOST_TEST(d.diff == want, boost::test_tools::per_element());
    BOOST_TEST(d.text_note.empty());
    BOOST_TEST(std::string(pgmig::to_string(d.text)) == "diff");
}

BOOST_AUTO_TEST_CASE(without_a_text_it_says_why) {
    drifted_migration old = drifted();
    describe_drift(old, recorded(std::nullopt, std::nullopt), "SELECT 1;\n");
    BOOST_TEST((old.text == drift_text::not_recorded));
    BOOST_TEST(old.diff.empty());
    BOOST_TEST(old.text_note.find("applied by an older pgmig") != std::string::npos);

    drifted_migration big = drifted();
    describe_drift(big, recorded(std::nullopt, 2000000), "SELECT 1;\n");
    BOOST_TEST((big.text == drift_text::too_large));
    BOOST_TEST(big.text_note.find("2000000 bytes, too large to be stored") != std::string::npos);

    drifted_migration code = drifted();
    describe_drift(code, recorded(std::nullopt, std::nullopt), "", true);
    BOOST_TEST((code.text == drift_text::code_migration));
    BOOST_TEST(code.text_note.rfind("no text recorded (code migration)", 0) == 0);
}

BOOST_AUTO_TEST_CASE(the_same_text_and_a_diff_beyond_the_bound) {
    drifted_migration same = drifted();
    describe_drift(same, recorded(std::string("SELECT 1;\r\n"), 11), "SELECT 1;\n");
    BOOST_TEST((same.text == drift_text::same_text));

    diff_limits small;
    small.max_changed_lines = 1;
    drifted_migration wide = drifted();
    describe_drift(wide, recorded(std::string("a\nb\n"), 4), "c\nd\n", false, small);
    BOOST_TEST((wide.text == drift_text::diff_too_large));
    BOOST_TEST(wide.text_note.rfind("not shown: more than 1 lines were removed or added", 0) == 0);
}

BOOST_AUTO_TEST_CASE(detail_lines_are_bounded) {
    drifted_migration d = drifted();
    std::string before, after;
    for (int i = 0; i < 50; ++i) {
        before += "a" + std::to_string(i) + "\n";
        after += "b" + std::to_string(i) + "\n";
    }
    describe_drift(d, recorded(before, static_cast<std::int64_t>(before.size())), after);
    BOOST_TEST(d.diff.size() == 103u); // 2 headers, 1 hunk header, 100 lines
    const std::vector<std::string> shown = drift_detail_lines(d, 10);
    BOOST_TEST(shown.size() == 12u);
    BOOST_TEST(shown.front() == "what changed (- as applied, + now):");
    BOOST_TEST(shown.back() == "… 93 more lines of the diff");
    BOOST_TEST(drift_detail_lines(d, 1000).size() == 104u);

    drifted_migration none = drifted();
    BOOST_TEST(drift_detail_lines(none, 10).empty()); // unread
    describe_drift(none, recorded(std::nullopt, std::nullopt), "x");
    BOOST_TEST(drift_detail_lines(none, 10) == std::vector<std::string>{"what changed: " + none.text_note},
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(what_a_success_row_records) {
    BOOST_TEST(up_sql_to_record("SELECT 1;").value() == "SELECT 1;");
    const std::string just_under(max_recorded_up_sql_bytes - 1, 'x'), at(max_recorded_up_sql_bytes, 'x');
    BOOST_TEST(up_sql_to_record(just_under).has_value());
    BOOST_TEST(!up_sql_to_record(at).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
