// Unit tests of the admin CLI's option values: durations, history table names,
// versions, --steps, choices.
#include "cli/option_values.hpp"
#include "support/errors.hpp"

#include <pgmig/error.hpp>

#include <boost/test/unit_test.hpp>

using namespace pgmig::detail::cli;
using pgmig_unit_test::code_of;

BOOST_AUTO_TEST_SUITE(cli_option_values)

BOOST_AUTO_TEST_CASE(durations) {
    BOOST_TEST(parse_duration("--x", "500ms").count() == 500);
    BOOST_TEST(parse_duration("--x", "30s").count() == 30000);
    BOOST_TEST(parse_duration("--x", "1.5s").count() == 1500);
    BOOST_TEST(parse_duration("--x", "5m").count() == 300000);
    BOOST_TEST(parse_duration("--x", "5min").count() == 300000);
    BOOST_TEST(parse_duration("--x", "1h").count() == 3600000);
    BOOST_TEST(parse_duration("--x", "1d").count() == 86400000);
    BOOST_TEST(parse_duration("--x", "0").count() == 0);
    BOOST_TEST((code_of([] { parse_duration("--x", "soon"); }) == pgmig::error_code::usage));
    BOOST_TEST((code_of([] { parse_duration("--x", "5 days"); }) == pgmig::error_code::usage));
    // A bare number means the same as in -- pgmig:lock-timeout: nothing, it needs a unit.
    try {
        parse_duration("--lock-timeout", "30");
        BOOST_FAIL("a bare number was accepted");
    } catch (const pgmig::error& e) {
        BOOST_TEST((e.code() == pgmig::error_code::usage));
        BOOST_TEST(std::string(e.what()) == "--lock-timeout: '30' has no unit: write 30ms or 30s");
    }
}

BOOST_AUTO_TEST_CASE(history_table_names) {
    auto t = parse_history_table("app.migs");
    BOOST_TEST(t.schema == "app");
    BOOST_TEST(t.table == "migs");
    t = parse_history_table("migs");
    BOOST_TEST(t.schema == "public");
    BOOST_TEST(t.table == "migs");
    BOOST_TEST((code_of([] { parse_history_table("a.b.c"); }) == pgmig::error_code::usage));
    BOOST_TEST((code_of([] { parse_history_table(".x"); }) == pgmig::error_code::usage));
}

BOOST_AUTO_TEST_CASE(versions) {
    BOOST_TEST(parse_version("--to", "20240101120000") == 20240101120000LL);
    BOOST_TEST(parse_version("V", "0") == 0); // a version like any other (diesel's initial setup)
    BOOST_TEST((code_of([] { parse_version("V", "12a"); }) == pgmig::error_code::usage));
    BOOST_TEST((code_of([] { parse_version("V", "-3"); }) == pgmig::error_code::usage));
    BOOST_TEST((code_of([] { parse_version("V", "1234567890123456789"); }) == pgmig::error_code::usage));
}

BOOST_AUTO_TEST_CASE(steps) {
    BOOST_TEST(parse_steps("1") == 1);
    BOOST_TEST(parse_steps("250") == 250);
    for (const char* bad : {"0", "", "x", "-1", "1.5", "1234567"})
        BOOST_TEST((code_of([&] { parse_steps(bad); }) == pgmig::error_code::usage), bad);
}

BOOST_AUTO_TEST_CASE(one_of_names_the_choices_and_suggests) {
    BOOST_TEST(one_of("--drift", "", {"refuse", "warn"}).empty());
    BOOST_TEST(one_of("--drift", "warn", {"refuse", "warn"}).empty());
    BOOST_TEST(one_of("--drift", "warm", {"refuse", "warn"}) == "--drift: 'warm' is not one of refuse or warn; did you mean 'warn'?");
    BOOST_TEST(one_of("--color", "sometimes", {"auto", "always", "never"}) ==
               "--color: 'sometimes' is not one of auto, always or never");
}

BOOST_AUTO_TEST_SUITE_END()
