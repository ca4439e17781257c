// pgmig — pgmig::testing for Boost.Test: a fixture that gives each test case a
// fresh database with the migrations applied, and a global fixture that builds
// the template before the first test. Header-only; include it only in test
// code (it includes <boost/test/unit_test.hpp>; libpgmig does not use Boost).
//
//     #include <pgmig/testing/boost_test.hpp>
//     #include "myapp/migrations.hpp"          // myapp::migrations(), embedded
//
//     using myapp_db = pgmig::testing::boost_test::database_fixture<myapp::migrations>;
//     using myapp_template = pgmig::testing::boost_test::template_fixture<myapp::migrations>;
//     BOOST_TEST_GLOBAL_FIXTURE(myapp_template);   // optional: builds the template first
//
//     BOOST_FIXTURE_TEST_CASE(orders_are_numbered, myapp_db) {
//         myapp::store store(db.url());        // db: pgmig::testing::database
//         BOOST_TEST(store.place_order().number == 1);
//     }
//
// The server: server_url_from_environment() ($PGMIG_TESTING_URL, else
// $DATABASE_URL). The database is dropped when the test case ends, or kept per
// PGMIG_TESTING_KEEP (1: always, failed: when the test case failed).
// Other options: pass a function returning pgmig::testing::options as the second
// template argument (the same one to both fixtures).
#pragma once

#include <pgmig/testing.hpp>

#include <boost/test/results_collector.hpp>
#include <boost/test/unit_test.hpp>

#include <exception>
#include <string>

namespace pgmig::testing::boost_test {

/// BOOST_TEST_GLOBAL_FIXTURE (through an alias: the macro takes a plain name): build (or find) the template once, before the
/// first test case, so that a broken migration fails the run at once and the
/// first test is not the slow one.
template <const migration_set& (*Set)(), options (*Options)() = default_options>
struct template_fixture {
    template_fixture() { shared_factory_for<Set, Options>().prepare(); }
};

/// BOOST_FIXTURE_TEST_CASE / BOOST_FIXTURE_TEST_SUITE: `db` is a fresh
/// database for the test case, named after it.
template <const migration_set& (*Set)(), options (*Options)() = default_options>
struct database_fixture {
    database_fixture() : db(shared_factory_for<Set, Options>().create(current_test_name())) {}
    ~database_fixture() {
        if (db && test_failed()) db.mark_failed();
    }
    database_fixture(const database_fixture&) = delete;
    database_fixture& operator=(const database_fixture&) = delete;

    pgmig::testing::database db;

private:
    static std::string current_test_name() {
        return boost::unit_test::framework::current_test_case().full_name();
    }
    /// A failed assertion so far, or an exception on its way out of the test case.
    static bool test_failed() {
        if (std::uncaught_exceptions() > 0) return true;
        const auto id = boost::unit_test::framework::current_test_case().p_id;
        return boost::unit_test::results_collector.results(id).p_assertions_failed > 0;
    }
};

} // namespace pgmig::testing::boost_test
