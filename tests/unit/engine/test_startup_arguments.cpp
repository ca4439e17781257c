// migrate_on_startup's arguments, checked before anything is connected (no server).
#include <pgmig/error.hpp>
#include <pgmig/migration.hpp>
#include <pgmig/startup.hpp>

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <string>

namespace {

pgmig::options quiet() {
    pgmig::options o;
    o.log = [](pgmig::log_level, const std::string&) {};
    return o;
}

} // namespace

BOOST_AUTO_TEST_SUITE(startup_arguments)

// The README's call, migrate_on_startup(std::getenv("DB_URL"), …), with DB_URL
// unset: a pgmig::error the README's catch sees, not a std::string built from
// a null pointer (issue 13: abort, rc 134).
BOOST_AUTO_TEST_CASE(a_missing_connection_string_is_a_usage_error) {
    const pgmig::migration_set set = pgmig::migration_set::from_files({});
    const char* unset = std::getenv("PGMIG_TEST_SURELY_UNSET_VARIABLE");
    BOOST_REQUIRE(unset == nullptr);
    for (const char* conninfo : {unset, "", "   "}) {
        try {
            pgmig::migrate_on_startup(conninfo, set, quiet());
            BOOST_FAIL("no error for a missing connection string");
        } catch (const pgmig::error& e) {
            BOOST_TEST((e.code() == pgmig::error_code::usage));
            BOOST_TEST(std::string(e.what()).find("no database given") != std::string::npos);
            BOOST_TEST(pgmig::exit_code(e.code()) == 1);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
