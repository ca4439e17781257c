// todo_service's tests with Boost.Test: each test case gets a fresh database
// with the service's embedded migrations applied (pgmig::testing, cloned from a
// template database built once per set). The server: $PGMIG_TESTING_URL.
#define BOOST_TEST_MODULE todo_service_tests
#include <pgmig/testing/boost_test.hpp>

#include "store.hpp"
#include "code_migrations.hpp"

#include <pqxx/pqxx>

#include <boost/test/unit_test.hpp>

#include <pgmig/pgmig.hpp>

#include <string>
#include <vector>

namespace {

using todo_db = pgmig::testing::boost_test::database_fixture<todo::all_migrations>;
using todo_template = pgmig::testing::boost_test::template_fixture<todo::all_migrations>;

std::string scalar(const std::string& url, const std::string& sql) {
    pqxx::connection c(url);
    pqxx::nontransaction tx(c);
    return tx.exec(sql).at(0).at(0).c_str();
}

} // namespace

// The template is built (or found) once, before the first test case.
BOOST_TEST_GLOBAL_FIXTURE(todo_template);

BOOST_AUTO_TEST_SUITE(store)

BOOST_FIXTURE_TEST_CASE(a_new_database_has_every_migration, todo_db) {
    BOOST_TEST(scalar(db.url(), "SELECT count(*) FROM schema_migrations WHERE status = 'success'") ==
               std::to_string(todo::all_migrations().size()));
    BOOST_TEST(scalar(db.url(), "SELECT count(*) FROM todos") == "0");
    // The no-transaction migration's index is there, valid.
    BOOST_TEST(scalar(db.url(), "SELECT indisvalid FROM pg_index WHERE indexrelid = 'todos_open_by_user_idx'::regclass") == "t");
}

BOOST_FIXTURE_TEST_CASE(users_get_a_display_name, todo_db) {
    todo::store s(db.url());
    const todo::user alice = s.ensure_user("alice@example.com");
    BOOST_TEST(alice.display_name == "alice");
    BOOST_TEST(s.ensure_user("alice@example.com").id == alice.id); // the same user, not a second one
    BOOST_CHECK_THROW(s.ensure_user("not an address"), pqxx::check_violation);
}

BOOST_FIXTURE_TEST_CASE(completing_a_todo_records_when, todo_db) {
    todo::store s(db.url());
    const auto user = s.ensure_user("bob@example.com");
    const auto first = s.add_todo(user.id, "write the migration");
    s.add_todo(user.id, "ship it");
    BOOST_TEST(s.complete(first));
    BOOST_TEST(!s.complete(first)); // already done
    const todo::summary sum = s.summarize(user.id);
    BOOST_TEST(sum.total == 2);
    BOOST_TEST(sum.done == 1);
    BOOST_TEST(sum.with_completion_time == 1);
}

// Each test case starts from the migrated, empty schema: nothing the other
// cases wrote is here, whatever the order they run in.
BOOST_FIXTURE_TEST_CASE(test_cases_do_not_share_data, todo_db) {
    BOOST_TEST(scalar(db.url(), "SELECT count(*) FROM users") == "0");
    todo::store s(db.url());
    s.ensure_user("carol@example.com");
    BOOST_TEST(scalar(db.url(), "SELECT count(*) FROM users") == "1");
}

BOOST_FIXTURE_TEST_CASE(removing_a_user_removes_their_todos, todo_db) {
    todo::store s(db.url());
    const auto user = s.ensure_user("dave@example.com");
    s.add_todo(user.id, "one");
    s.add_todo(user.id, "two");
    s.remove_user(user.id);
    BOOST_TEST(s.summarize(user.id).total == 0);
    BOOST_TEST(scalar(db.url(), "SELECT count(*) FROM todos") == "0");
}

// The C++ migration (code_migrations.cpp): a batched backfill that commits
// each batch. Rows an older release wrote without title_key get it, counted
// with affected_rows() (the UPDATE's changed rows, not a query's rows).
BOOST_FIXTURE_TEST_CASE(the_title_key_backfill_fills_old_rows_in_batches, todo_db) {
    BOOST_TEST(scalar(db.url(), "SELECT count(*) FROM schema_migrations WHERE version = 20240315000000 AND "
                                "checksum LIKE 'code-sha256:%' AND up_sql IS NULL AND status = 'success'") == "1");
    todo::store s(db.url());
    const auto user = s.ensure_user("carol@example.com");
    BOOST_TEST(scalar(db.url(), "WITH i AS (INSERT INTO todos (user_id, title) SELECT " + std::to_string(user.id) +
                                    ", '  Todo ' || g FROM generate_series(1, 1200) g RETURNING 1) "
                                    "SELECT count(*) FROM i") == "1200");
    s.add_todo(user.id, "  Written By This Release");
    BOOST_TEST(scalar(db.url(), "SELECT count(*) FROM todos WHERE title_key IS NULL") == "1200");

    // Run the migration's up again on its own (a history table of its own, so the service's stays as it is).
    std::vector<std::string> lines;
    pgmig::options o;
    o.history_table.table = "backfill_test_history";
    o.phases = pgmig::phase_selection::all;
    o.log = [&lines](pgmig::log_level, const std::string& line) { lines.push_back(line); };
    const pgmig::migration_set only_backfill = pgmig::migration_set().with_code({todo::backfill_title_key(500)});
    const pgmig::startup_report r = pgmig::migrate_on_startup(db.url(), only_backfill, o);
    BOOST_TEST(r.applied.size() == 1u);
    BOOST_TEST(scalar(db.url(), "SELECT count(*) FROM todos WHERE title_key IS NULL") == "0");
    BOOST_TEST(scalar(db.url(), "SELECT title_key FROM todos WHERE title = '  Todo 7'") == "todo 7");
    BOOST_TEST(scalar(db.url(), "SELECT title_key FROM todos WHERE title = '  Written By This Release'") ==
               "written by this release");
    bool counted = false;
    for (const std::string& l : lines)
        if (l.find("title_key filled in 1200 rows, 3 batches") != std::string::npos) counted = true;
    BOOST_TEST(counted);
}

BOOST_AUTO_TEST_SUITE_END()
