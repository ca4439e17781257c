// refusal_error: the refusals of a reconcile report as one error (pure).
#include "core/refusal.hpp"

#include <boost/test/unit_test.hpp>

using namespace pgmig;
using namespace pgmig::detail::core;

BOOST_AUTO_TEST_SUITE(refusal)

BOOST_AUTO_TEST_CASE(refusal_error_codes_and_text) {
    reconcile_report r;
    BOOST_TEST(!refusal_error(r).has_value());
    r.problems.push_back({problem_kind::unknown_newer, severity::warning, 9, "", "newer", "deploy"});
    BOOST_TEST(!refusal_error(r).has_value());
    r.problems.push_back({problem_kind::drift, severity::refusal, 3, "000003_x.up.sql", "drifted!", "repair"});
    auto e = refusal_error(r);
    BOOST_REQUIRE(e.has_value());
    BOOST_TEST(static_cast<int>(e->code()) == static_cast<int>(error_code::drift));
    BOOST_TEST(std::string(e->what()).find("drifted!") != std::string::npos);
    BOOST_TEST(std::string(e->what()).find("fix: repair") != std::string::npos);
    BOOST_TEST(std::string(e->what()).find("newer") == std::string::npos); // warnings are not refusals
    BOOST_TEST(e->where().file == "000003_x.up.sql");
    r.problems.push_back({problem_kind::failed, severity::refusal, 4, "", "failed!", "`pgmig repair`"});
    BOOST_TEST(static_cast<int>(refusal_error(r)->code()) == static_cast<int>(error_code::failed_recorded));
}

BOOST_AUTO_TEST_SUITE_END()
