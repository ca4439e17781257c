// The resume policy for interrupted no-transaction migrations (core/resume.hpp):
// how each statement is classified, which rows are judged, and the verdict for
// every combination of what the database says.
#include "core/resume.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace pgmig;
using namespace pgmig::detail::core;

namespace {

/// 1: transactional; 2: no-transaction with one statement of each kind that matters.
migration_set set_of_two() {
    return migration_set::from_files({
        {"000001_a.up.sql", "CREATE TABLE a (id int, v int);\n"},
        {"000002_b.up.sql", "-- pgmig:no-transaction\n"
                            "INSERT INTO a VALUES (1, 1);\n"                              // with progress
                            "CREATE INDEX CONCURRENTLY a_v_idx ON public.a (v);\n"        // index build
                            "VACUUM a;\n"                                                 // rerunnable
                            "DO $$ BEGIN PERFORM 1; END $$;\n"                            // opaque
                            "DROP INDEX CONCURRENTLY IF EXISTS public.a_old_idx;\n"},     // index drop
    });
}

history_row row(std::int64_t id, std::int64_t version, row_status s, const migration& m, int done) {
    history_row r;
    r.id = id;
    r.version = version;
    r.name = m.name;
    r.checksum = m.checksum;
    r.dir = direction::up;
    r.status = s;
    r.statements_done = done;
    r.statements_total = 5;
    r.run_id = "0123456789abcdef0123456789abcdef";
    r.backend_pid = 4242;
    r.backend_start = "2026-12-02T01:00:00Z";
    return r;
}

/// The rows of migration 1 applied and migration 2 stopped after `done` statements.
std::vector<history_row> interrupted_at(const migration_set& set, int done, row_status s = row_status::running) {
    history_row first;
    first.id = 1;
    first.version = 1;
    first.name = set.find(1)->name;
    first.checksum = set.find(1)->checksum;
    return {first, row(2, 2, s, *set.find(2), done)};
}

// An attempt points into the rows it was judged from (attempt::row), so the
// rows must outlive it: a temporary vector is refused at compile time.
attempt only_attempt(const migration_set& set, std::vector<history_row>&& rows) = delete;
attempt only_attempt(const migration_set& set, const std::vector<history_row>& rows) {
    const std::vector<attempt> a = attempts_to_judge(set, rows);
    BOOST_REQUIRE_EQUAL(a.size(), 1u);
    return a[0];
}

attempt_facts index_facts(bool exists, bool valid) {
    attempt_facts f;
    f.index_known = true;
    f.index = index_state{exists, valid, "public.a_v_idx"};
    return f;
}

} // namespace

BOOST_AUTO_TEST_SUITE(resume)

BOOST_AUTO_TEST_CASE(statements_are_classified_by_what_an_interruption_leaves) {
    BOOST_TEST((classify_notx_statement("INSERT INTO t VALUES (1)") == notx_statement::with_progress));
    BOOST_TEST((classify_notx_statement("ALTER TABLE t ADD COLUMN c int") == notx_statement::with_progress));
    BOOST_TEST((classify_notx_statement("CREATE INDEX CONCURRENTLY i ON t (c)") == notx_statement::index_build));
    BOOST_TEST((classify_notx_statement("create unique index concurrently i on t (c)") == notx_statement::index_build));
    BOOST_TEST((classify_notx_statement("DROP INDEX CONCURRENTLY i") == notx_statement::index_drop));
    BOOST_TEST((classify_notx_statement("VACUUM (ANALYZE) t") == notx_statement::rerunnable));
    BOOST_TEST((classify_notx_statement("CALL p()") == notx_statement::opaque));
    BOOST_TEST((classify_notx_statement("DO $$ BEGIN END $$") == notx_statement::opaque));
    BOOST_TEST((classify_notx_statement("CREATE DATABASE other") == notx_statement::opaque));
}

BOOST_AUTO_TEST_CASE(concurrent_index_names_are_read_as_the_server_stores_them) {
    auto b = concurrent_index("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS Orders_Code ON ONLY app.orders (code)");
    BOOST_REQUIRE(b.has_value());
    BOOST_TEST(b->build);
    BOOST_TEST(b->name == "orders_code");
    BOOST_TEST(b->table == "app.orders");

    auto q = concurrent_index("CREATE INDEX CONCURRENTLY \"Odd \"\"Name\" ON \"T\" (c)");
    BOOST_REQUIRE(q.has_value());
    BOOST_TEST(q->name == "Odd \"Name");
    BOOST_TEST(q->table == "\"T\"");

    auto d = concurrent_index("DROP INDEX CONCURRENTLY IF EXISTS app.orders_code");
    BOOST_REQUIRE(d.has_value());
    BOOST_TEST(!d->build);
    BOOST_TEST(d->name == "orders_code");
    BOOST_TEST(d->table == "app.orders_code"); // the index as written

    BOOST_TEST(!concurrent_index("CREATE INDEX CONCURRENTLY ON t (c)").has_value()); // the server names it
    BOOST_TEST(!concurrent_index("DROP INDEX CONCURRENTLY a, b").has_value());
    BOOST_TEST(!concurrent_index("CREATE INDEX i ON t (c)").has_value());
}

BOOST_AUTO_TEST_CASE(first_statements_reads_naturally) {
    BOOST_TEST(first_statements(1) == "statement 1");
    BOOST_TEST(first_statements(3) == "statements 1..3");
}

BOOST_AUTO_TEST_CASE(only_running_rows_with_a_backend_and_unchanged_repaired_rows_are_judged) {
    const migration_set set = set_of_two();
    BOOST_TEST(attempts_to_judge(set, {}).empty());

    const std::vector<history_row> rows1 = interrupted_at(set, 1);
    const attempt a = only_attempt(set, rows1);
    BOOST_TEST(a.m == set.find(2));
    BOOST_TEST(a.next == 1u);
    BOOST_TEST(a.statement == "CREATE INDEX CONCURRENTLY a_v_idx ON public.a (v)");
    BOOST_TEST(a.line == 3);
    BOOST_TEST((a.kind == notx_statement::index_build));
    BOOST_REQUIRE(a.index.has_value());
    BOOST_TEST(a.index->name == "a_v_idx");

    // A running row of an earlier shape (no backend recorded): reconcile's refusal stands.
    std::vector<history_row> old = interrupted_at(set, 1);
    old[1].backend_pid = 0;
    old[1].run_id.clear();
    BOOST_TEST(attempts_to_judge(set, old).empty());

    // A repaired row resumes only when the file is unchanged.
    const std::vector<history_row> rows2 = interrupted_at(set, 2, row_status::repaired);
    BOOST_TEST(only_attempt(set, rows2).next == 2u);
    std::vector<history_row> changed = interrupted_at(set, 2, row_status::repaired);
    changed[1].checksum = "sha256:0000";
    BOOST_TEST(attempts_to_judge(set, changed).empty());
    // A changed file with a running row is judged (its backend may still run), but never resumed.
    std::vector<history_row> changed_running = interrupted_at(set, 2);
    changed_running[1].checksum = "sha256:0000";
    const attempt c = only_attempt(set, changed_running);
    BOOST_TEST(c.m == nullptr);
    const attempt_verdict v = judge_attempt(c, {}, "pgmig");
    BOOST_TEST(!v.resume.has_value());
    BOOST_TEST(v.report.message.find("file changed since the run started") != std::string::npos, v.report.message);
}

BOOST_AUTO_TEST_CASE(an_active_backend_is_refused_with_its_pid_query_and_how_to_stop_it) {
    const migration_set set = set_of_two();
    attempt_facts f;
    f.backend = backend_activity{4242, "active", "VACUUM a", "2026-12-02T01:00:05Z"};
    const std::vector<history_row> rows3 = interrupted_at(set, 2);
    const attempt_verdict v = judge_attempt(only_attempt(set, rows3), f, "pgmig");
    BOOST_TEST(!v.resume.has_value());
    BOOST_TEST((v.report.level == severity::refusal));
    BOOST_TEST(v.report.message.find("Its backend is still running: pid 4242 (active since 2026-12-02T01:00:05Z): "
                                     "VACUUM a") != std::string::npos,
               v.report.message);
    BOOST_TEST(v.report.fix.find("SELECT pg_cancel_backend(4242)") != std::string::npos, v.report.fix);
    BOOST_TEST(v.report.fix.find("SELECT pg_terminate_backend(4242)") != std::string::npos, v.report.fix);
}

BOOST_AUTO_TEST_CASE(a_statement_sent_with_its_progress_resumes_at_itself) {
    const migration_set set = set_of_two();
    const std::vector<history_row> rows4 = interrupted_at(set, 0);
    const attempt_verdict v = judge_attempt(only_attempt(set, rows4), {}, "pgmig");
    BOOST_REQUIRE(v.resume.has_value());
    BOOST_TEST(v.resume->first == 0u);
    BOOST_TEST(v.resume->was_running);
    BOOST_TEST(v.resume->row_id == 2);
    BOOST_TEST((v.report.level == severity::warning));
    BOOST_TEST(v.report.message.find("resumes it at statement 1 of 5") != std::string::npos, v.report.message);

    // Every statement had finished: only the row is written.
    const std::vector<history_row> rows5 = interrupted_at(set, 5);
    const attempt_verdict all = judge_attempt(only_attempt(set, rows5), {}, "pgmig");
    BOOST_REQUIRE(all.resume.has_value());
    BOOST_TEST(all.resume->first == 5u);
    BOOST_TEST(all.report.message.find("after its last statement") != std::string::npos, all.report.message);
}

BOOST_AUTO_TEST_CASE(an_index_build_is_judged_by_the_index_it_left) {
    const migration_set set = set_of_two();
    const std::vector<history_row> rows6 = interrupted_at(set, 1);
    const attempt a = only_attempt(set, rows6);

    const attempt_verdict absent = judge_attempt(a, index_facts(false, false), "pgmig");
    BOOST_REQUIRE(absent.resume.has_value());
    BOOST_TEST(absent.resume->first == 1u);
    BOOST_TEST(absent.resume->drop_index.empty());

    const attempt_verdict invalid = judge_attempt(a, index_facts(true, false), "pgmig");
    BOOST_REQUIRE(invalid.resume.has_value());
    BOOST_TEST(invalid.resume->first == 1u);
    BOOST_TEST(invalid.resume->drop_index == "public.a_v_idx");
    BOOST_TEST(invalid.report.message.find("DROP INDEX CONCURRENTLY IF EXISTS public.a_v_idx") != std::string::npos,
               invalid.report.message);

    const attempt_verdict valid = judge_attempt(a, index_facts(true, true), "pgmig");
    BOOST_REQUIRE(valid.resume.has_value());
    BOOST_TEST(valid.resume->first == 2u); // it had finished
    BOOST_TEST(valid.resume->drop_index.empty());

    // The lookup failed: not provable, so a running row is refused.
    const attempt_verdict unknown = judge_attempt(a, {}, "pgmig");
    BOOST_TEST(!unknown.resume.has_value());
    BOOST_TEST((unknown.report.level == severity::refusal));
}

BOOST_AUTO_TEST_CASE(an_index_drop_is_judged_by_whether_the_index_is_still_there) {
    const migration_set set = set_of_two();
    const std::vector<history_row> rows7 = interrupted_at(set, 4);
    const attempt a = only_attempt(set, rows7);
    BOOST_TEST((a.kind == notx_statement::index_drop));
    const attempt_verdict gone = judge_attempt(a, index_facts(false, false), "pgmig");
    BOOST_REQUIRE(gone.resume.has_value());
    BOOST_TEST(gone.resume->first == 5u);
    const attempt_verdict there = judge_attempt(a, index_facts(true, true), "pgmig");
    BOOST_REQUIRE(there.resume.has_value());
    BOOST_TEST(there.resume->first == 4u);
}

BOOST_AUTO_TEST_CASE(a_rerunnable_statement_resumes_an_opaque_one_needs_repair) {
    const migration_set set = set_of_two();
    const std::vector<history_row> rows8 = interrupted_at(set, 2);
    const attempt_verdict vacuum = judge_attempt(only_attempt(set, rows8), {}, "pgmig");
    BOOST_REQUIRE(vacuum.resume.has_value());
    BOOST_TEST(vacuum.resume->first == 2u);

    const std::vector<history_row> rows9 = interrupted_at(set, 3);
    const attempt_verdict opaque = judge_attempt(only_attempt(set, rows9), {}, "pgmig");
    BOOST_TEST(!opaque.resume.has_value());
    BOOST_TEST(opaque.report.message.find("cannot tell whether statement 4 of 5") != std::string::npos,
               opaque.report.message);
    BOOST_TEST(opaque.report.fix.find("`pgmig repair`") != std::string::npos, opaque.report.fix);

    // After repair (the operator checked it) the same statement runs again.
    const std::vector<history_row> rows10 = interrupted_at(set, 3, row_status::repaired);
    const attempt_verdict repaired =
        judge_attempt(only_attempt(set, rows10), {}, "pgmig");
    BOOST_REQUIRE(repaired.resume.has_value());
    BOOST_TEST(repaired.resume->first == 3u);
    BOOST_TEST(!repaired.resume->was_running);
}

BOOST_AUTO_TEST_CASE(verdicts_replace_the_interrupted_problem_of_their_row) {
    const migration_set set = set_of_two();
    const std::vector<history_row> rows = interrupted_at(set, 0);
    reconcile_report report = reconcile(set, rows, policies{}, "pgmig");
    BOOST_REQUIRE(report.refuses());
    const std::vector<attempt> attempts = attempts_to_judge(set, rows);
    const std::vector<attempt_verdict> verdicts = {judge_attempt(attempts.at(0), {}, "pgmig")};
    apply_verdicts(report, attempts, verdicts);
    BOOST_TEST(!report.refuses());
    BOOST_REQUIRE(!report.problems.empty());
    BOOST_TEST(report.problems[0].message.find("the next run resumes it at statement 1 of 5") != std::string::npos,
               report.problems[0].message);
}

BOOST_AUTO_TEST_SUITE_END()
