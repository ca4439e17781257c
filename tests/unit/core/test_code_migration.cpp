// Unit tests for migrations written in C++ (pure): registering them in a set,
// their checksum, how reconcile, the planners and resume see them, and the
// session's parameter and result types.
#include "core/checksum.hpp"
#include "core/planner.hpp"
#include "core/resume.hpp"

#include <pgmig/error.hpp>
#include <pgmig/migration.hpp>
#include <pgmig/reconcile.hpp>
#include <pgmig/session.hpp>

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace pgmig;

namespace {

migration_set sql_set() {
    return migration_set::from_files({{"000001_books.up.sql", "CREATE TABLE books (id int);\n"},
                                      {"000001_books.down.sql", "DROP TABLE books;\n"},
                                      {"000003_more.up.sql", "CREATE TABLE more (id int);\n"}});
}

code_migration code(std::int64_t version, const std::string& name, const std::string& checksum = "v1") {
    code_migration c;
    c.version = version;
    c.name = name;
    c.checksum = checksum;
    c.up = [](session&) {};
    return c;
}

history_row up_row(std::int64_t id, std::int64_t version, const std::string& name, const std::string& checksum) {
    history_row r;
    r.id = id;
    r.version = version;
    r.name = name;
    r.checksum = checksum;
    return r;
}

std::string what(const error& e) { return e.what(); }

template <class F>
error thrown(F&& f) {
    try {
        f();
    } catch (const error& e) {
        return e;
    }
    throw std::runtime_error("expected a pgmig::error");
}

} // namespace

BOOST_AUTO_TEST_SUITE(code_migration_set)

BOOST_AUTO_TEST_CASE(with_code_adds_them_in_version_order) {
    code_migration c = code(2, "backfill");
    c.no_transaction = true;
    c.down = [](session&) {};
    const migration_set set = sql_set().with_code({c});
    BOOST_TEST(set.size() == 3u);
    BOOST_TEST(set.migrations()[1].version == 2);
    const migration& m = *set.find(2);
    BOOST_TEST((m.kind == migration_kind::code));
    BOOST_TEST(std::string(to_string(m.kind)) == "code");
    BOOST_TEST(std::string(to_string(set.find(1)->kind)) == "sql");
    BOOST_TEST(m.file == "code:backfill");
    BOOST_TEST(m.up_sql.empty());
    BOOST_TEST(m.reversible);
    BOOST_TEST(m.up_no_transaction);
    BOOST_TEST(m.down_no_transaction);
    BOOST_TEST(m.code != nullptr);
    BOOST_TEST(m.checksum == code_checksum("v1"));
}

BOOST_AUTO_TEST_CASE(the_checksum_is_the_sha256_of_the_string_with_its_own_prefix) {
    // sha256("v1")
    BOOST_TEST(code_checksum("v1") == "code-sha256:3bfc269594ef649228e9a74bab00f042efc91d5acc6fbee31a382e80d42388fe");
    BOOST_TEST(detail::core::is_code_checksum(code_checksum("x")));
    BOOST_TEST(!detail::core::is_code_checksum(checksum("x")));
    BOOST_TEST(code_checksum("v1") != code_checksum("v2"));
}

BOOST_AUTO_TEST_CASE(bad_registrations_are_refused_naming_the_version) {
    error e = thrown([] { (void)sql_set().with_code({code(1, "clash")}); });
    BOOST_TEST((e.code() == error_code::invalid_migration));
    BOOST_TEST(what(e).find("C++ migration 1 (\"clash\"): version 1 is also used by 000001_books.up.sql") !=
                   std::string::npos,
               what(e));
    BOOST_TEST(e.where().version.value_or(0) == 1);
    e = thrown([] { (void)sql_set().with_code({code(2, "a"), code(2, "b")}); });
    BOOST_TEST(what(e).find("also used by code:a") != std::string::npos, what(e));
    e = thrown([] { (void)sql_set().with_code({code(2, "a", "")}); });
    BOOST_TEST(what(e).find("checksum string is empty") != std::string::npos, what(e));
    code_migration no_up = code(2, "a");
    no_up.up = nullptr;
    e = thrown([&] { (void)sql_set().with_code({no_up}); });
    BOOST_TEST(what(e).find("no up function") != std::string::npos, what(e));
    e = thrown([] { (void)sql_set().with_code({code(2, ""), code(4, "two\nlines")}); });
    BOOST_TEST(what(e).find("invalid C++ migrations:") != std::string::npos, what(e));
    BOOST_TEST(what(e).find("it has no name") != std::string::npos, what(e));
    BOOST_TEST(what(e).find("must be one line") != std::string::npos, what(e));
}

BOOST_AUTO_TEST_CASE(reconcile_calls_a_changed_checksum_string_drift) {
    const migration_set set = sql_set().with_code({code(2, "backfill", "v2")});
    const std::vector<history_row> rows = {up_row(1, 1, "books", set.find(1)->checksum),
                                           up_row(2, 2, "backfill", code_checksum("v1"))};
    const reconcile_report r = reconcile(set, rows);
    BOOST_TEST(r.drifted.size() == 1u);
    BOOST_TEST(r.problems.at(0).message.find("C++ migration whose checksum string changed") != std::string::npos,
               r.problems.at(0).message);
    BOOST_TEST(r.problems.at(0).fix.find("put its checksum string back") != std::string::npos);
    // A SQL migration that became a C++ one at the same version changed too.
    const std::vector<history_row> as_sql = {up_row(1, 1, "books", set.find(1)->checksum),
                                             up_row(2, 2, "backfill", checksum("UPDATE x SET y = 1;"))};
    const reconcile_report s = reconcile(set, as_sql);
    BOOST_TEST(s.drifted.size() == 1u);
    BOOST_TEST(s.problems.at(0).message.find("applied as a SQL migration and is now a C++ one") != std::string::npos,
               s.problems.at(0).message);
    // The same string: applied, nothing pending but 3.
    const reconcile_report ok =
        reconcile(sql_set().with_code({code(2, "backfill", "v1")}), rows);
    BOOST_TEST(ok.drifted.empty());
    BOOST_TEST(ok.pending.size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_code_migration_has_no_statements_to_refuse_and_stores_no_down_sql) {
    code_migration c = code(2, "backfill");
    c.down = [](session&) {};
    const migration_set set = sql_set().with_code({c});
    std::vector<const migration*> planned = {set.find(2)};
    BOOST_TEST(!detail::core::empty_migrations_error(planned).has_value());
    detail::core::bookkeeping_plan plan;
    detail::core::mark_applied(plan, *set.find(2));
    BOOST_TEST(!plan.changes.at(0).down_sql.has_value());
}

BOOST_AUTO_TEST_CASE(rollback_plans_name_the_down_function_or_why_there_is_none) {
    code_migration with_down = code(2, "backfill");
    with_down.down = [](session&) {};
    const migration_set set = sql_set().with_code({with_down});
    detail::core::db_state s;
    s.table_exists = true;
    s.rows = {up_row(1, 1, "books", set.find(1)->checksum), up_row(2, 2, "backfill", set.find(2)->checksum)};
    s.report = reconcile(set, s.rows);
    options opts;
    const detail::core::rollback_plan p = detail::core::plan_rollback(s, set, opts, {});
    BOOST_TEST(p.steps.size() == 1u);
    BOOST_TEST(p.steps[0].code == set.find(2));
    BOOST_TEST(p.steps[0].file == "code:backfill");

    const migration_set no_down = sql_set().with_code({code(2, "backfill")});
    error e = thrown([&] { (void)detail::core::plan_rollback(s, no_down, opts, {}); });
    BOOST_TEST((e.code() == error_code::not_reversible));
    BOOST_TEST(what(e).find("code:backfill) is a C++ migration registered without a down function") !=
                   std::string::npos,
               what(e));
    // A set without it (the pgmig CLI on a directory): only the service can roll it back.
    e = thrown([&] { (void)detail::core::plan_rollback(s, sql_set(), opts, {}); });
    BOOST_TEST(what(e).find("is a C++ migration (its checksum is code-sha256:") != std::string::npos, what(e));
}

BOOST_AUTO_TEST_CASE(an_interrupted_no_transaction_code_migration_resumes_from_its_start) {
    code_migration c = code(2, "backfill");
    c.no_transaction = true;
    const migration_set set = sql_set().with_code({c});
    history_row running = up_row(5, 2, "backfill", set.find(2)->checksum);
    running.status = row_status::running;
    running.statements_total = 1;
    running.statements_done = 0;
    running.run_id = "r";
    running.backend_pid = 42;
    const std::vector<history_row> rows = {running};
    const auto attempts = detail::core::attempts_to_judge(set, rows);
    BOOST_TEST(attempts.size() == 1u);
    const detail::core::attempt_verdict v = detail::core::judge_attempt(attempts.at(0), {}, "myapp db");
    BOOST_TEST(v.resume.has_value());
    BOOST_TEST(v.resume->first == 0u);
    BOOST_TEST(v.resume->note.find("its C++ up function runs again from its start") != std::string::npos,
               v.resume->note);
}

BOOST_AUTO_TEST_CASE(parameters_are_text_or_null) {
    BOOST_TEST(*sql_param("a").value() == "a");
    BOOST_TEST(*sql_param(std::string("b")).value() == "b");
    BOOST_TEST(*sql_param(std::string_view("c")).value() == "c");
    BOOST_TEST(*sql_param(-42).value() == "-42");
    BOOST_TEST(*sql_param(std::int64_t{9007199254740993}).value() == "9007199254740993");
    BOOST_TEST(*sql_param(true).value() == "true");
    BOOST_TEST(!sql_param(nullptr).value().has_value());
    BOOST_TEST(!sql_param(std::nullopt).value().has_value());
    BOOST_TEST(!sql_param(static_cast<const char*>(nullptr)).value().has_value());
    BOOST_TEST(!sql_param(std::optional<int>()).value().has_value());
    BOOST_TEST(*sql_param(std::optional<int>(3)).value() == "3");
}

BOOST_AUTO_TEST_CASE(affected_rows_counts_only_what_a_statement_changed) {
    BOOST_TEST(result({}, {}, "UPDATE 1200").affected_rows() == 1200);
    BOOST_TEST(result({}, {}, "INSERT 0 5").affected_rows() == 5);
    BOOST_TEST(result({}, {}, "DELETE 0").affected_rows() == 0);
    BOOST_TEST(result({}, {}, "MERGE 3").affected_rows() == 3);
    // A SELECT (or a CTE that updates and selects) returns rows; it changed none it can count.
    const result select({"n"}, {{std::string("1")}, {std::nullopt}}, "SELECT 2");
    const error e = thrown([&] { (void)select.affected_rows(); });
    BOOST_TEST((e.code() == error_code::usage));
    BOOST_TEST(what(e).find("size()") != std::string::npos, what(e));
    BOOST_TEST(select.size() == 2u);
    BOOST_TEST(*select.at(0, "n") == "1");
    BOOST_TEST(!select.at(1, 0).has_value());
    BOOST_CHECK_THROW(select.at(2, 0), std::out_of_range);
    BOOST_CHECK_THROW(select.at(0, "m"), std::out_of_range);
}

BOOST_AUTO_TEST_SUITE_END()
