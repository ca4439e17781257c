// Unit tests of the one duration parser and formatter (src/core/duration.*).
#include "core/duration.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

using pgmig::detail::core::format_duration;
using pgmig::detail::core::max_duration;
using pgmig::detail::core::parse_duration;
using std::chrono::milliseconds;

namespace {

std::int64_t ms_of(const std::string& text) {
    const auto parsed = parse_duration(text);
    BOOST_TEST_INFO("duration '" << text << "': " << parsed.problem);
    BOOST_TEST_REQUIRE(parsed.value.has_value());
    BOOST_TEST(parsed.problem.empty());
    return parsed.value->count();
}

std::string problem_of(const std::string& text) {
    const auto parsed = parse_duration(text);
    BOOST_TEST_INFO("duration '" << text << "'");
    BOOST_TEST(!parsed.value.has_value());
    BOOST_TEST(!parsed.problem.empty());
    return parsed.problem;
}

} // namespace

BOOST_AUTO_TEST_SUITE(core_duration)

BOOST_AUTO_TEST_CASE(every_unit_in_any_case) {
    const std::vector<std::pair<std::string, std::int64_t>> cases = {
        {"500ms", 500},        {"500MS", 500},         {"10s", 10000},     {"10S", 10000},
        {"2m", 120000},        {"2min", 120000},       {"2MIN", 120000},   {"1h", 3600000},
        {"1d", 86400000},      {"3 s", 3000},          {"  7ms\t", 7},     {"0ms", 0},
        {"1.5s", 1500},        {"0.25s", 250},         {"1.5min", 90000},  {".5s", 500},
        {"1.0005s", 1001},     {"1.0004s", 1000},      {"0.4ms", 0},       {"0.5ms", 1},
        {"999999999999ms", 999999999999LL},
    };
    for (const auto& [text, ms] : cases) BOOST_TEST(ms_of(text) == ms);
}

BOOST_AUTO_TEST_CASE(a_bare_number_needs_a_unit) {
    BOOST_TEST(problem_of("500") == "'500' has no unit: write 500ms or 500s");
    BOOST_TEST(problem_of(" 30 ") == "'30' has no unit: write 30ms or 30s");
    BOOST_TEST(problem_of("1.5") == "'1.5' has no unit: write 1.5ms or 1.5s");
    // Zero is zero in every unit.
    BOOST_TEST(ms_of("0") == 0);
    BOOST_TEST(ms_of("00") == 0);
    BOOST_TEST(ms_of("0.0") == 0);
}

BOOST_AUTO_TEST_CASE(what_is_not_a_duration) {
    for (const std::string text : {"soon", "ms", "5 days", "10 years", "-5s", "5s5", "5 s s", "1e3ms", "5us",
                                   "1..5s", "${x}", "1234567890123ms", "0.1234567891s", "5sec"}) {
        const std::string p = problem_of(text);
        BOOST_TEST(p.find("is not a duration; write a number and a unit") != std::string::npos, p);
        BOOST_TEST(!parse_duration(text).too_long);
    }
    BOOST_TEST(problem_of("") == "no duration given; write a number and a unit, e.g. 500ms, 10s or 2min");
    BOOST_TEST(problem_of("   ").find("no duration given") == 0u);
}

BOOST_AUTO_TEST_CASE(too_long) {
    BOOST_TEST(ms_of("876000h") == max_duration.count());
    for (const std::string text : {"876001h", "999999999999d", "876000.001h"}) {
        const auto parsed = parse_duration(text);
        BOOST_TEST(!parsed.value.has_value());
        BOOST_TEST(parsed.too_long);
        BOOST_TEST(parsed.problem == "'" + text + "' is too long; durations are at most 100 years");
    }
}

BOOST_AUTO_TEST_CASE(formatting) {
    BOOST_TEST(format_duration(milliseconds(0)) == "0ms");
    BOOST_TEST(format_duration(milliseconds(250)) == "250ms");
    BOOST_TEST(format_duration(milliseconds(1000)) == "1.0s");
    BOOST_TEST(format_duration(milliseconds(1590)) == "1.5s");
    BOOST_TEST(format_duration(milliseconds(59999)) == "59.9s");
    BOOST_TEST(format_duration(milliseconds(60000)) == "1m0s");
    BOOST_TEST(format_duration(milliseconds(125000)) == "2m5s");
    BOOST_TEST(format_duration(std::chrono::minutes(5)) == "5m0s");
}

BOOST_AUTO_TEST_SUITE_END()
