// pgmig — pgmig::testing for GoogleTest: an environment that builds the
// template before the first test, and a fixture that gives each test a fresh
// database with the migrations applied. Header-only; include it only in test
// code (it includes <gtest/gtest.h>; libpgmig does not use GoogleTest).
//
//     #include <pgmig/testing/gtest.hpp>
//     #include "myapp/migrations.hpp"          // myapp::migrations(), embedded
//
//     class Orders : public pgmig::testing::gtest::database_test<myapp::migrations> {};
//
//     TEST_F(Orders, AreNumbered) {
//         myapp::store store(db().url());      // db(): pgmig::testing::database
//         EXPECT_EQ(store.place_order().number, 1);
//     }
//
//     int main(int argc, char** argv) {
//         ::testing::InitGoogleTest(&argc, argv);
//         ::testing::AddGlobalTestEnvironment(new pgmig::testing::gtest::environment<myapp::migrations>);
//         return RUN_ALL_TESTS();
//     }
//
// The environment is optional (without it the first test builds the template).
// The server: server_url_from_environment() ($PGMIG_TESTING_URL, else
// $DATABASE_URL). The database is dropped when the test ends, or kept per
// PGMIG_TESTING_KEEP (1: always, failed: when the test failed).
// Other options: pass a function returning pgmig::testing::options as the second
// template argument (the same one to both).
//
// Inside namespace pgmig, `testing` is pgmig::testing: spell GoogleTest's
// namespace ::testing there.
#pragma once

#include <pgmig/testing.hpp>

#include <gtest/gtest.h>

#include <string>

namespace pgmig::testing::gtest {

/// ::testing::AddGlobalTestEnvironment(new environment<myapp::migrations>):
/// builds (or finds) the template once, before the first test.
template <const migration_set& (*Set)(), options (*Options)() = default_options>
class environment : public ::testing::Environment {
public:
    void SetUp() override { shared_factory_for<Set, Options>().prepare(); }
};

/// A fixture (TEST_F): db() is a fresh database for the test, named after it.
template <const migration_set& (*Set)(), options (*Options)() = default_options>
class database_test : public ::testing::Test {
protected:
    void SetUp() override {
        const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
        db_ = shared_factory_for<Set, Options>().create(std::string(info->test_suite_name()) + "." + info->name());
    }
    void TearDown() override {
        if (db_ && HasFailure()) db_.mark_failed();
        db_ = pgmig::testing::database(); // dropped (or kept) now, not at destruction
    }

    /// The test's database (valid from SetUp() to TearDown()).
    const pgmig::testing::database& db() const { return db_; }
    pgmig::testing::database& db() { return db_; }

private:
    pgmig::testing::database db_;
};

} // namespace pgmig::testing::gtest
