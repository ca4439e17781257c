// Unit tests of pgmig::testing's names and marks (src/testing/naming.*): no
// database. (The databases themselves: tests/integration/test_testing.cpp.)
#include "testing/naming.hpp"

#include "core/checksum.hpp"

#include <pgmig/migration.hpp>

#include <boost/test/unit_test.hpp>

#include <set>
#include <string>

using namespace pgmig::detail::testing;
using pgmig::history_table_name;
using pgmig::testing::keep_policy;

namespace {

bool valid_identifier(const std::string& s) {
    if (s.empty() || s.size() > max_identifier_bytes) return false;
    for (const char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return !(s.front() >= '0' && s.front() <= '9');
}

pgmig::migration_set set_of(std::vector<std::pair<std::string, std::string>> files) {
    std::vector<pgmig::source_file> sources;
    for (auto& [name, content] : files) sources.push_back({name, content});
    return pgmig::migration_set::from_files(std::move(sources));
}

} // namespace

BOOST_AUTO_TEST_SUITE(testing_naming)

BOOST_AUTO_TEST_CASE(test_database_names_are_valid_identifiers) {
    const std::string long_name(300, 'x');
    for (const std::string& test : {std::string("orders/are_numbered"), std::string("Suite.Case/3"), std::string(""),
                                   std::string("____"), std::string("ünïcødé ☃ names"), long_name,
                                   std::string("a") + std::string(100, '-') + "b"}) {
        const std::string name = test_database_name(test, random_name_suffix());
        BOOST_TEST_INFO("test name '" << test << "' → " << name);
        BOOST_TEST(valid_identifier(name));
        BOOST_TEST(name.rfind("pgmig_test_", 0) == 0u);
    }
    BOOST_TEST(test_database_name("orders/are_numbered", "abc0123456") == "pgmig_test_orders_are_numbered_abc0123456");
    BOOST_TEST(test_database_name("Suite.Case", "x") == "pgmig_test_suite_case_x");
    BOOST_TEST(test_database_name("", "x") == "pgmig_test_db_x");
    BOOST_TEST(test_database_name("☃", "x") == "pgmig_test_db_x");
    // Truncation never leaves a trailing '_' before the suffix.
    BOOST_TEST(sanitize_name_part(std::string(39, 'a') + "-b", 40) == std::string(39, 'a'));
    BOOST_TEST(test_database_name(long_name, random_name_suffix()).size() == 62u);
}

BOOST_AUTO_TEST_CASE(suffixes_are_random) {
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        const std::string s = random_name_suffix();
        BOOST_TEST(s.size() == 10u);
        for (const char c : s) BOOST_TEST(((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')));
        seen.insert(s);
    }
    BOOST_TEST(seen.size() == 1000u);
}

BOOST_AUTO_TEST_CASE(template_names_follow_the_set_and_what_else_shapes_it) {
    const auto a = set_of({{"000001_a.up.sql", "CREATE TABLE a (id int);"}, {"000002_b.up.sql", "CREATE TABLE b (id int);"}});
    const auto a_again = set_of({{"000001_a.up.sql", "CREATE TABLE a (id int);"}, {"000002_b.up.sql", "CREATE TABLE b (id int);"}});
    const auto edited = set_of({{"000001_a.up.sql", "CREATE TABLE a (id bigint);"}, {"000002_b.up.sql", "CREATE TABLE b (id int);"}});
    const auto longer = set_of({{"000001_a.up.sql", "CREATE TABLE a (id int);"}, {"000002_b.up.sql", "CREATE TABLE b (id int);"},
                                {"000003_c.up.sql", "CREATE TABLE c (id int);"}});
    const history_table_name h;
    const std::string t = template_database_name(pgmig::detail::core::set_digest(a), h, "template0");
    BOOST_TEST(valid_identifier(t));
    BOOST_TEST(is_template_database_name(t));
    BOOST_TEST(t.size() == 42u);
    BOOST_TEST(valid_identifier(building_database_name(t)));
    BOOST_TEST(!is_template_database_name(building_database_name(t)));
    BOOST_TEST(!is_template_database_name("pgmig_tpl_xyz"));
    BOOST_TEST(!is_template_database_name("pgmig_test_" + std::string(31, 'a')));
    // Stable: the same set gives the same name (another process, another run).
    BOOST_TEST(template_database_name(pgmig::detail::core::set_digest(a_again), h, "template0") == t);
    BOOST_TEST(pgmig::detail::core::set_digest(a) == pgmig::detail::core::set_digest(a_again));
    BOOST_TEST(pgmig::detail::core::set_digest(a).size() == 64u);
    // A changed set, another history table or base template: another template.
    BOOST_TEST(template_database_name(pgmig::detail::core::set_digest(edited), h, "template0") != t);
    BOOST_TEST(template_database_name(pgmig::detail::core::set_digest(longer), h, "template0") != t);
    BOOST_TEST(template_database_name(pgmig::detail::core::set_digest(a), history_table_name{"app", "schema_migrations"}, "template0") != t);
    BOOST_TEST(template_database_name(pgmig::detail::core::set_digest(a), h, "template1") != t);
    // The lock is the template's own.
    BOOST_TEST(template_lock_key(t) == template_lock_key(template_database_name(pgmig::detail::core::set_digest(a_again), h, "template0")));
    BOOST_TEST(template_lock_key(t) != template_lock_key(template_database_name(pgmig::detail::core::set_digest(edited), h, "template0")));
}

BOOST_AUTO_TEST_CASE(the_digest_is_the_probes) {
    // sha256 of "version checksum" pairs joined by ',' — what the server computes over the history.
    const auto s = set_of({{"000001_a.up.sql", "SELECT 1;"}, {"000002_b.up.sql", "SELECT 2;"}});
    const std::string pairs = "1 " + pgmig::checksum("SELECT 1;") + ",2 " + pgmig::checksum("SELECT 2;");
    BOOST_TEST(pgmig::detail::core::set_digest(s) == pgmig::checksum(pairs).substr(7));
    BOOST_TEST(pgmig::detail::core::set_digest(pgmig::migration_set()) == pgmig::checksum("").substr(7));
}

BOOST_AUTO_TEST_CASE(marks_round_trip) {
    testing_mark m;
    m.kind = testing_kind::clone;
    m.host = "ci runner=7"; // spaces and '=' cannot survive: they become '_'
    m.pid = 4242;
    m.created = 1700000000;
    m.fields = {{"template", "pgmig_tpl_0123"}, {"test", "orders_numbered"}};
    const std::string text = format_mark(m);
    BOOST_TEST(text == "pgmig.testing kind=clone host=ci_runner_7 pid=4242 created=1700000000 "
                       "template=pgmig_tpl_0123 test=orders_numbered");
    const auto back = parse_mark(text);
    BOOST_REQUIRE(back.has_value());
    BOOST_TEST((back->kind == testing_kind::clone));
    BOOST_TEST(back->host == "ci_runner_7");
    BOOST_TEST(back->pid == 4242);
    BOOST_TEST(back->created == 1700000000);
    BOOST_TEST(back->field("template") == "pgmig_tpl_0123");
    BOOST_TEST(back->field("test") == "orders_numbered");
    BOOST_TEST(back->field("absent") == "");
    for (const testing_kind k : {testing_kind::kept, testing_kind::building, testing_kind::template_}) {
        m.kind = k;
        const auto again = parse_mark(format_mark(m));
        BOOST_REQUIRE(again.has_value());
        BOOST_TEST((again->kind == k));
    }
    // Not pgmig's: someone else's comment, or a damaged one.
    for (const char* other : {"", "the reporting database", "pgmig.testingkind=clone", "pgmig.testing host=h",
                              "pgmig.testing kind=other", "pgmig.testing kind=clone pid=12x",
                              "pgmig.testing kind=clone junk"})
        BOOST_TEST(!parse_mark(other).has_value(), other);
}

BOOST_AUTO_TEST_CASE(what_counts_as_a_leftover) {
    testing_mark m;
    m.kind = testing_kind::clone;
    m.host = "here";
    m.pid = 100;
    m.created = 1000;
    const std::int64_t now = 1000 + 3600; // an hour later
    const std::chrono::hours day{24};
    BOOST_TEST(is_leftover(m, "here", false, now, day));   // its process is gone
    BOOST_TEST(!is_leftover(m, "here", true, now, day));   // still running
    BOOST_TEST(!is_leftover(m, "there", false, now, day)); // another host's: cannot tell, too young
    BOOST_TEST(is_leftover(m, "there", false, 1000 + 25 * 3600, day)); // old enough
    BOOST_TEST(!is_leftover(m, "there", false, 1000 + 25 * 3600, std::chrono::hours{0})); // never by age
    m.kind = testing_kind::building;
    BOOST_TEST(is_leftover(m, "here", false, now, day));
    // Kept databases and templates never are.
    for (const testing_kind k : {testing_kind::kept, testing_kind::template_}) {
        m.kind = k;
        BOOST_TEST(!is_leftover(m, "here", false, 1000 + 1000 * 3600, day));
    }
}

BOOST_AUTO_TEST_CASE(keep_policy_spellings) {
    for (const char* never : {"", "0", "no", "false", "never", " NEVER "})
        BOOST_TEST((parse_keep_policy(never) == keep_policy::never), never);
    for (const char* always : {"1", "yes", "true", "always", "Always"})
        BOOST_TEST((parse_keep_policy(always) == keep_policy::always), always);
    for (const char* failed : {"failed", "on_failure"})
        BOOST_TEST((parse_keep_policy(failed) == keep_policy::on_failure), failed);
    for (const char* bad : {"2", "keep", "sometimes"}) BOOST_TEST(!parse_keep_policy(bad).has_value(), bad);
}

BOOST_AUTO_TEST_SUITE_END()
