// todo_service's tests with GoogleTest: each test gets a fresh database with
// the service's embedded migrations applied (pgmig::testing, cloned from a
// template database built once per set). The server: $PGMIG_TESTING_URL.
#include <pgmig/testing/gtest.hpp>

#include "store.hpp"
#include "code_migrations.hpp"

#include <pqxx/pqxx>

#include <gtest/gtest.h>

#include <string>

namespace {

class Store : public pgmig::testing::gtest::database_test<todo::all_migrations> {
protected:
    std::string scalar(const std::string& sql) {
        pqxx::connection c(db().url());
        pqxx::nontransaction tx(c);
        return tx.exec(sql).at(0).at(0).c_str();
    }
};

TEST_F(Store, ANewDatabaseHasEveryMigration) {
    EXPECT_EQ(scalar("SELECT count(*) FROM schema_migrations WHERE status = 'success'"),
              std::to_string(todo::all_migrations().size()));
    EXPECT_EQ(scalar("SELECT count(*) FROM todos"), "0");
}

TEST_F(Store, TheDatabaseIsNamedAfterTheTest) {
    EXPECT_EQ(db().name().rfind("pgmig_test_store_thedatabaseisnamedafterthetest_", 0), 0u) << db().name();
    EXPECT_FALSE(db().template_name().empty());
}

TEST_F(Store, CompletingATodoRecordsWhen) {
    todo::store s(db().url());
    const auto user = s.ensure_user("erin@example.com");
    EXPECT_EQ(user.display_name, "erin");
    const auto id = s.add_todo(user.id, "review the plan");
    EXPECT_TRUE(s.complete(id));
    const todo::summary sum = s.summarize(user.id);
    EXPECT_EQ(sum.total, 1);
    EXPECT_EQ(sum.done, 1);
    EXPECT_EQ(sum.with_completion_time, 1);
}

TEST_F(Store, TestsDoNotShareData) {
    EXPECT_EQ(scalar("SELECT count(*) FROM users"), "0");
    todo::store(db().url()).ensure_user("frank@example.com");
    EXPECT_EQ(scalar("SELECT count(*) FROM users"), "1");
}

} // namespace

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    // Build (or find) the template once, before the first test.
    ::testing::AddGlobalTestEnvironment(new pgmig::testing::gtest::environment<todo::all_migrations>);
    return RUN_ALL_TESTS();
}
