// The pure planners behind the writing commands (no database): each is a
// function of (migration set, history state, options, request).
#include "core/planner.hpp"

#include <pgmig/error.hpp>

#include <boost/test/unit_test.hpp>

#include <functional>
#include <string>
#include <vector>

using namespace pgmig;
using namespace pgmig::detail::core;

namespace {

/// 1..3 reversible, 4 without a down file.
migration_set four() {
    return migration_set::from_files({
        {"000001_a.up.sql", "CREATE TABLE a ();\n"},
        {"000001_a.down.sql", "DROP TABLE a;\n"},
        {"000002_b.up.sql", "CREATE TABLE b ();\n"},
        {"000002_b.down.sql", "DROP TABLE b;\n"},
        {"000003_c.up.sql", "CREATE TABLE c ();\n"},
        {"000003_c.down.sql", "DROP TABLE c;\n"},
        {"000004_d.up.sql", "CREATE TABLE d ();\n"},
    });
}

options opts_for(const std::string& admin_command = "pgmig") {
    options o;
    o.admin_command = admin_command;
    return o;
}

/// History rows with increasing ids, and the state the planners see.
struct history {
    std::vector<history_row> rows;
    std::int64_t next_id = 1;

    history_row& add(std::int64_t version, direction d, row_status s, const std::string& sum) {
        history_row r;
        r.id = next_id++;
        r.version = version;
        r.name = "m" + std::to_string(version);
        r.checksum = sum;
        r.applied_at = "2024-05-01T10:00:0" + std::to_string(r.id % 10) + ".000Z";
        r.dir = d;
        r.status = s;
        rows.push_back(r);
        return rows.back();
    }
    /// `version` of `set` applied as it is now.
    history& up(const migration_set& set, std::int64_t version, row_status s = row_status::success) {
        const migration* m = set.find(version);
        BOOST_REQUIRE(m != nullptr);
        add(version, direction::up, s, m->checksum).has_down_sql = m->reversible;
        return *this;
    }
    /// A rollback of `version`: its up row reverted, a down success row.
    history& down(std::int64_t version) {
        for (history_row& r : rows)
            if (r.version == version && r.status == row_status::success) r.status = row_status::reverted;
        add(version, direction::down, row_status::success, "sha256:x");
        return *this;
    }
    db_state state(const migration_set& set, const options& o = opts_for()) const {
        db_state s;
        s.schema_exists = s.table_exists = true;
        s.rows = rows;
        s.report = reconcile(set, rows, o.policy, o.admin_command);
        return s;
    }
};

db_state fresh(const migration_set& set) {
    db_state s;
    s.report = reconcile(set, {}, {}, "pgmig");
    return s;
}

std::vector<std::int64_t> versions(const up_plan& p) {
    std::vector<std::int64_t> out;
    for (const migration* m : p.migrations) out.push_back(m->version);
    return out;
}
std::vector<std::int64_t> versions(const rollback_plan& p) {
    std::vector<std::int64_t> out;
    for (const rollback_step& s : p.steps) out.push_back(s.version);
    return out;
}
std::vector<std::string> actions(const bookkeeping_plan& p) {
    std::vector<std::string> out;
    for (const bookkeeping_change& c : p.changes) out.push_back(c.action + " " + std::to_string(c.version));
    return out;
}

/// The error `f` throws (fails the test when it throws none).
error thrown(const std::function<void()>& f) {
    try {
        f();
    } catch (const error& e) {
        return e;
    }
    BOOST_FAIL("no pgmig::error thrown");
    return error(error_code::usage, "");
}

int code(const error& e) { return static_cast<int>(e.code()); }
int code(error_code c) { return static_cast<int>(c); }

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

} // namespace

BOOST_AUTO_TEST_SUITE(planner)

// ------------------------------------------------------------------ up

BOOST_AUTO_TEST_CASE(up_plans_the_pending_ones_up_to_to) {
    const auto set = four();
    const db_state s = history().up(set, 1).state(set);
    BOOST_TEST(versions(plan_up(s, set)) == (std::vector<std::int64_t>{2, 3, 4}));
    const up_plan to3 = plan_up(s, set, {3, std::nullopt});
    BOOST_TEST(versions(to3) == (std::vector<std::int64_t>{2, 3}));
    BOOST_TEST(*to3.target.to == 3);
    BOOST_TEST(versions(plan_up(fresh(set), set)).size() == 4u);
    BOOST_TEST(empty(plan_up(history().up(set, 1).up(set, 2).up(set, 3).up(set, 4).state(set), set)));

    const error bad_to = thrown([&] { plan_up(s, set, {7, std::nullopt}); });
    BOOST_TEST(code(bad_to) == code(error_code::usage));
    BOOST_TEST(contains(bad_to.what(), "the migrations go from 1 to 4"), bad_to.what());
}

BOOST_AUTO_TEST_CASE(up_refuses_a_migration_without_statements) {
    // What `pgmig new` writes, not filled in: comments, a directive and whitespace only.
    const auto set = migration_set::from_files({
        {"000001_a.up.sql", "CREATE TABLE a ();\n"},
        {"000002_todo.up.sql", "-- todo: write the change here\n-- pgmig:no-transaction\n\n/* later */ ;\n"},
        {"20240101_000000_c.sql", "-- DIRECTION: up\n-- write it here\n\n-- DIRECTION: down\nDROP TABLE c;\n"},
    });
    const error e = thrown([&] { plan_up(fresh(set), set); });
    BOOST_TEST(code(e) == code(error_code::invalid_migration));
    BOOST_TEST(contains(e.what(), "000002_todo.up.sql (line 1): 2 todo"), e.what());
    BOOST_TEST(contains(e.what(), "20240101_000000_c.sql (line 2): 20240101000000 c"), e.what());
    BOOST_TEST(contains(e.what(), "Fill it in with the migration's SQL"), e.what());
    BOOST_TEST(contains(e.what(), "Nothing was applied"), e.what());
    BOOST_TEST(e.where().file == "000002_todo.up.sql");
    // Not planned, not refused: the migrations before it still apply.
    BOOST_TEST(versions(plan_up(fresh(set), set, {1, std::nullopt})) == (std::vector<std::int64_t>{1}));
    BOOST_TEST(versions(plan_up(fresh(set), set, {std::nullopt, 1})) == (std::vector<std::int64_t>{1}));
}

BOOST_AUTO_TEST_CASE(up_steps_plans_only_the_next_n) {
    const auto set = four();
    const db_state s = history().up(set, 1).state(set);
    BOOST_TEST(versions(plan_up(s, set, {std::nullopt, 1})) == (std::vector<std::int64_t>{2}));
    BOOST_TEST(versions(plan_up(s, set, {std::nullopt, 2})) == (std::vector<std::int64_t>{2, 3}));
    // More steps than pending: all of them.
    BOOST_TEST(versions(plan_up(s, set, {std::nullopt, 9})) == (std::vector<std::int64_t>{2, 3, 4}));
    BOOST_TEST(versions(plan_up(fresh(set), set, {std::nullopt, 3})) == (std::vector<std::int64_t>{1, 2, 3}));
    // Both: the next N of those up to `to`.
    BOOST_TEST(versions(plan_up(s, set, {3, 5})) == (std::vector<std::int64_t>{2, 3}));
    BOOST_TEST(versions(plan_up(s, set, {4, 1})) == (std::vector<std::int64_t>{2}));
    // Nothing pending: nothing planned, whatever N is.
    BOOST_TEST(empty(plan_up(history().up(set, 1).up(set, 2).up(set, 3).up(set, 4).state(set), set, {std::nullopt, 2})));
    // A plan for fewer steps is another plan (a confirmed plan must match what runs).
    BOOST_TEST(!same(plan_up(s, set, {std::nullopt, 1}), plan_up(s, set, {std::nullopt, 2})));
    BOOST_TEST(code(thrown([&] { plan_up(s, set, {std::nullopt, 0}); })) == code(error_code::usage));
    // Refusals come first, as for a plain `up`.
    history drifted;
    drifted.add(1, direction::up, row_status::success, "sha256:other");
    BOOST_TEST(code(thrown([&] { plan_up(drifted.state(set), set, {std::nullopt, 1}); })) == code(error_code::drift));
}

BOOST_AUTO_TEST_CASE(up_refuses_like_the_boot_and_keeps_warnings) {
    const auto set = four();
    history drifted;
    drifted.add(1, direction::up, row_status::success, "sha256:other");
    BOOST_TEST(code(thrown([&] { plan_up(drifted.state(set), set); })) == code(error_code::drift));

    history failed;
    failed.up(set, 1).up(set, 2, row_status::failed);
    BOOST_TEST(code(thrown([&] { plan_up(failed.state(set), set); })) ==
               code(error_code::failed_recorded));

    // An applied version newer than the set (an older binary): a warning by default.
    history newer;
    newer.up(set, 1).up(set, 2).up(set, 3).up(set, 4).add(9, direction::up, row_status::success, "sha256:n");
    const up_plan p = plan_up(newer.state(set), set);
    BOOST_TEST(empty(p));
    BOOST_REQUIRE(p.warnings.size() == 1u);
    BOOST_TEST((p.warnings[0].kind == problem_kind::unknown_newer));
}

BOOST_AUTO_TEST_CASE(up_knows_which_versions_were_rolled_back) {
    const auto set = four();
    const db_state s = history().up(set, 1).up(set, 2).down(2).state(set);
    const up_plan p = plan_up(s, set);
    BOOST_TEST(versions(p) == (std::vector<std::int64_t>{2, 3, 4}));
    BOOST_TEST(p.rolled_back == (std::vector<std::int64_t>{2}));
}

// ------------------------------------------------------------------ rollback

BOOST_AUTO_TEST_CASE(rollback_steps_and_to_follow_the_applied_order) {
    const auto set = four();
    // Applied in the order 1, 3, 2 (2 out of order): the latest applied goes first.
    options o = opts_for();
    o.policy.out_of_order = out_of_order_policy::allow;
    const db_state s = history().up(set, 1).up(set, 3).up(set, 2).state(set, o);
    BOOST_TEST(versions(plan_rollback(s, set, o, {})) == (std::vector<std::int64_t>{2}));
    rollback_target two;
    two.steps = 2;
    BOOST_TEST(versions(plan_rollback(s, set, o, two)) == (std::vector<std::int64_t>{2, 3}));
    rollback_target to1;
    to1.to = 1;
    BOOST_TEST(versions(plan_rollback(s, set, o, to1)) == (std::vector<std::int64_t>{2, 3}));
    rollback_target all;
    all.to = 0;
    const rollback_plan p = plan_rollback(s, set, o, all);
    BOOST_TEST(versions(p) == (std::vector<std::int64_t>{2, 3, 1}));
    BOOST_TEST(p.steps[0].file == "000002_b.down.sql");
    BOOST_TEST(p.steps[0].down_sql == "DROP TABLE b;\n");
    BOOST_TEST(!p.steps[0].from_history);
    BOOST_TEST(empty(plan_rollback(fresh(set), set, o, {})));

    rollback_target unknown;
    unknown.to = 42;
    BOOST_TEST(code(thrown([&] { plan_rollback(s, set, o, unknown); })) == code(error_code::usage));
    rollback_target none;
    none.steps = 0;
    BOOST_TEST(code(thrown([&] { plan_rollback(s, set, o, none); })) == code(error_code::usage));
}

BOOST_AUTO_TEST_CASE(rollback_refuses_failed_runs_drift_and_missing_down_sql) {
    const auto set = four();
    const options o = opts_for("todo admin");
    history failed;
    failed.up(set, 1).up(set, 2, row_status::failed);
    BOOST_TEST(code(thrown([&] { plan_rollback(failed.state(set, o), set, o, {}); })) ==
               code(error_code::failed_recorded));

    history drifted;
    drifted.up(set, 1).add(2, direction::up, row_status::success, "sha256:edited");
    const error d = thrown([&] { plan_rollback(drifted.state(set, o), set, o, {}); });
    BOOST_TEST(code(d) == code(error_code::drift));
    BOOST_TEST(contains(d.what(), "Nothing was rolled back"), d.what());
    // Drift of a migration that is not rolled back is only reported.
    rollback_target above1;
    above1.to = 1;
    history older_drift;
    older_drift.add(1, direction::up, row_status::success, "sha256:edited");
    older_drift.up(set, 2);
    const rollback_plan kept = plan_rollback(older_drift.state(set, o), set, o, above1);
    BOOST_TEST(versions(kept) == (std::vector<std::int64_t>{2}));
    BOOST_TEST(kept.warnings.size() == 1u);

    // 4 has no down file and no stored down SQL.
    const db_state s = history().up(set, 1).up(set, 4).state(set, o);
    const error nr = thrown([&] { plan_rollback(s, set, o, {}); });
    BOOST_TEST(code(nr) == code(error_code::not_reversible));
    BOOST_TEST(contains(nr.what(), "migration 4 (000004_d.up.sql) is not reversible"), nr.what());
    BOOST_TEST(contains(nr.what(), "`todo admin force V`"), nr.what());
    BOOST_TEST(*nr.where().version == 4);
}

BOOST_AUTO_TEST_CASE(rollback_uses_the_stored_down_sql_the_migrator_read) {
    const auto set = four();
    const auto older = migration_set::from_files({{"000001_a.up.sql", "CREATE TABLE a ();\n"},
                                                  {"000001_a.down.sql", "DROP TABLE a;\n"}});
    // The binary ships only 1; 3 (file gone) has its down SQL in the history.
    history h;
    h.up(set, 1).up(set, 3);
    db_state s = h.state(older);
    BOOST_TEST(code(thrown([&] { plan_rollback(s, older, opts_for(), {}); })) == code(error_code::not_reversible));
    s.stored_downs[3] = {"DROP INDEX CONCURRENTLY c_idx;\n", true};
    const rollback_plan p = plan_rollback(s, older, opts_for(), {});
    BOOST_REQUIRE(p.steps.size() == 1u);
    BOOST_TEST(p.steps[0].version == 3);
    BOOST_TEST(p.steps[0].from_history);
    BOOST_TEST(p.steps[0].file.empty());
    BOOST_TEST(p.steps[0].down_sql == "DROP INDEX CONCURRENTLY c_idx;\n");
    BOOST_TEST(p.steps[0].no_transaction);
}

// ------------------------------------------------------------------ redo

BOOST_AUTO_TEST_CASE(redo_rolls_back_and_applies_the_latest_even_when_it_drifted) {
    const auto set = four();
    history h;
    h.up(set, 1).add(2, direction::up, row_status::success, "sha256:edited").has_down_sql = true;
    const redo_plan p = plan_redo(h.state(set), set, opts_for());
    BOOST_TEST(versions(p.down) == (std::vector<std::int64_t>{2}));
    BOOST_TEST(versions(p.up) == (std::vector<std::int64_t>{2}));
    BOOST_TEST(p.up.rolled_back == (std::vector<std::int64_t>{2})); // its down row is superseded

    // Drift of another migration still refuses.
    history other;
    other.add(1, direction::up, row_status::success, "sha256:edited");
    other.up(set, 2);
    BOOST_TEST(code(thrown([&] { plan_redo(other.state(set), set, opts_for()); })) == code(error_code::drift));

    BOOST_TEST(empty(plan_redo(fresh(set), set, opts_for())));
    const db_state irreversible = history().up(set, 1).up(set, 2).up(set, 3).up(set, 4).state(set);
    BOOST_TEST(code(thrown([&] { plan_redo(irreversible, set, opts_for()); })) == code(error_code::not_reversible));
    history gone;
    gone.up(set, 1).add(9, direction::up, row_status::success, "sha256:n");
    BOOST_TEST(code(thrown([&] { plan_redo(gone.state(set), set, opts_for()); })) == code(error_code::policy));
}

// ------------------------------------------------------------------ force

BOOST_AUTO_TEST_CASE(force_forward_marks_applied_without_running) {
    const auto set = four();
    const bookkeeping_plan p = plan_force(history().up(set, 1).state(set), set, 3);
    BOOST_TEST(p.command == "force");
    BOOST_TEST(actions(p) == (std::vector<std::string>{"mark_applied 2", "mark_applied 3"}));
    BOOST_TEST(p.changes[0].checksum == set.find(2)->checksum);
    BOOST_TEST(*p.changes[0].down_sql == "DROP TABLE b;\n");
    BOOST_TEST(!p.create_history_table);
    // On a database without history the table is created first.
    const bookkeeping_plan from_nothing = plan_force(fresh(set), set, 4);
    BOOST_TEST(actions(from_nothing).size() == 4u);
    BOOST_TEST(!from_nothing.changes[3].down_sql.has_value());
    BOOST_TEST(from_nothing.create_history_table);
    BOOST_TEST(!plan_force(fresh(set), set, 0).create_history_table); // nothing to record
}

BOOST_AUTO_TEST_CASE(force_backward_marks_rolled_back_and_clears_failed_rows) {
    const auto set = four();
    history h;
    h.up(set, 1).up(set, 2).up(set, 3).up(set, 4, row_status::failed);
    const db_state s = h.state(set);
    const bookkeeping_plan p = plan_force(s, set, 1);
    BOOST_TEST(actions(p) ==
               (std::vector<std::string>{"clear_failed 4", "mark_rolled_back 3", "mark_rolled_back 2"}));
    BOOST_TEST(p.changes[0].row_id == 4);
    BOOST_TEST(p.changes[1].row_id == 3);
    BOOST_TEST(p.changes[1].checksum == set.find(3)->checksum);
    BOOST_TEST(actions(plan_force(s, set, 3)) == (std::vector<std::string>{"clear_failed 4"}));
    BOOST_TEST(empty(plan_force(history().up(set, 1).state(set), set, 1)));
    BOOST_TEST(code(thrown([&] { plan_force(s, set, 42); })) == code(error_code::usage));
    BOOST_TEST(code(thrown([&] { plan_force(s, set, -1); })) == code(error_code::usage));
    // An applied version the set does not ship is a valid target.
    history newer;
    newer.up(set, 1).add(9, direction::up, row_status::success, "sha256:n");
    BOOST_TEST(actions(plan_force(newer.state(set), set, 9)) ==
               (std::vector<std::string>{"mark_applied 2", "mark_applied 3", "mark_applied 4"}));
}

// ------------------------------------------------------------------ repair

BOOST_AUTO_TEST_CASE(repair_clears_failed_rows_and_accepts_checksums_when_asked) {
    const auto set = four();
    history h;
    h.add(1, direction::up, row_status::success, "sha256:edited");
    h.up(set, 2, row_status::running);
    const db_state s = h.state(set);
    const bookkeeping_plan p = plan_repair(s, set, false);
    BOOST_TEST(p.command == "repair");
    BOOST_TEST(actions(p) == (std::vector<std::string>{"clear_failed 2"}));
    BOOST_TEST(contains(p.changes[0].detail, "running"), p.changes[0].detail);
    const bookkeeping_plan accept = plan_repair(s, set, true);
    BOOST_TEST(actions(accept) == (std::vector<std::string>{"clear_failed 2", "accept_checksum 1"}));
    BOOST_TEST(accept.changes[1].row_id == 1);
    BOOST_TEST(accept.changes[1].old_checksum == "sha256:edited");
    BOOST_TEST(accept.changes[1].new_checksum == set.find(1)->checksum);
    BOOST_TEST(empty(plan_repair(history().up(set, 1).state(set), set, true)));
}

// ------------------------------------------------------------------ baseline

BOOST_AUTO_TEST_CASE(baseline_records_up_to_v_on_a_database_without_history) {
    const auto set = four();
    const bookkeeping_plan p = plan_baseline(fresh(set), set, opts_for(), 2);
    BOOST_TEST(p.command == "baseline");
    BOOST_TEST(actions(p) == (std::vector<std::string>{"mark_applied 1", "mark_applied 2"}));
    BOOST_TEST(p.create_history_table);
    db_state empty_table = fresh(set);
    empty_table.schema_exists = empty_table.table_exists = true;
    BOOST_TEST(!plan_baseline(empty_table, set, opts_for(), 2).create_history_table);
    BOOST_TEST(code(thrown([&] { plan_baseline(fresh(set), set, opts_for(), 5); })) == code(error_code::usage));
}

BOOST_AUTO_TEST_CASE(baseline_refuses_a_history_with_rows) {
    const auto set = four();
    const options o = opts_for("todo admin");
    const error e = thrown([&] { plan_baseline(history().up(set, 1).state(set, o), set, o, 2); });
    BOOST_TEST(code(e) == code(error_code::policy));
    BOOST_TEST(contains(e.what(), "public.schema_migrations already has 1 row"), e.what());
    BOOST_TEST(contains(e.what(), "`todo admin status`"), e.what());
    BOOST_TEST(contains(e.what(), "`todo admin force V`"), e.what());
}

// ------------------------------------------------------------------ comparing plans

BOOST_AUTO_TEST_CASE(same_compares_what_would_run) {
    const auto set = four();
    const db_state one = history().up(set, 1).state(set);
    const db_state two = history().up(set, 1).up(set, 2).state(set);
    BOOST_TEST(same(plan_up(one, set), plan_up(one, set)));
    BOOST_TEST(!same(plan_up(one, set), plan_up(two, set)));
    BOOST_TEST(same(plan_rollback(two, set, opts_for(), {}), plan_rollback(two, set, opts_for(), {})));
    BOOST_TEST(!same(plan_rollback(one, set, opts_for(), {}), plan_rollback(two, set, opts_for(), {})));
    BOOST_TEST(same(plan_redo(two, set, opts_for()), plan_redo(two, set, opts_for())));
    BOOST_TEST(!same(plan_redo(one, set, opts_for()), plan_redo(two, set, opts_for())));
    BOOST_TEST(same(plan_force(one, set, 3), plan_force(one, set, 3)));
    BOOST_TEST(!same(plan_force(one, set, 3), plan_force(two, set, 3)));
    // Another failed row id is another change.
    history f1, f2;
    f1.up(set, 1).up(set, 2, row_status::failed);
    f2.up(set, 1).add(7, direction::up, row_status::success, "sha256:n");
    f2.up(set, 2, row_status::failed);
    BOOST_TEST(!same(plan_repair(f1.state(set), set, false), plan_repair(f2.state(set), set, false)));
}

BOOST_AUTO_TEST_SUITE_END()

// ------------------------------------------------------------------ phases (docs/zero-downtime.md, "Ordering")

namespace {

/// 1 pre-deploy (expand), 2 post-deploy (contract), 3 pre-deploy, 4 post-deploy; all reversible.
migration_set phased() {
    return migration_set::from_files({
        {"000001_add_email.up.sql", "ALTER TABLE users ADD COLUMN email text;\n"},
        {"000001_add_email.down.sql", "ALTER TABLE users DROP COLUMN email;\n"},
        {"000002_drop_mail.up.sql", "-- pgmig:phase post-deploy\nALTER TABLE users DROP COLUMN mail;\n"},
        {"000002_drop_mail.down.sql", "ALTER TABLE users ADD COLUMN mail text;\n"},
        {"000003_add_name.up.sql", "ALTER TABLE users ADD COLUMN full_name text;\n"},
        {"000003_add_name.down.sql", "ALTER TABLE users DROP COLUMN full_name;\n"},
        {"000004_drop_name.up.sql", "-- pgmig:phase post-deploy\nALTER TABLE users DROP COLUMN name;\n"},
        {"000004_drop_name.down.sql", "ALTER TABLE users ADD COLUMN name text;\n"},
    });
}

up_target phase(phase_selection p) {
    up_target t;
    t.phases = p;
    return t;
}

std::vector<std::int64_t> waiting(const up_plan& p) {
    std::vector<std::int64_t> out;
    for (const migration* m : p.waiting) out.push_back(m->version);
    return out;
}

using v = std::vector<std::int64_t>;

} // namespace

BOOST_AUTO_TEST_SUITE(phases)

BOOST_AUTO_TEST_CASE(a_boot_applies_pre_deploy_migrations_past_a_waiting_post_deploy_one) {
    const migration_set set = phased();
    BOOST_TEST((set.find(2)->phase == deploy_phase::post_deploy));
    BOOST_TEST((set.find(3)->phase == deploy_phase::pre_deploy));

    const up_plan boot = plan_up(fresh(set), set, phase(phase_selection::pre_deploy));
    BOOST_TEST(versions(boot) == (v{1, 3}));
    BOOST_TEST(waiting(boot) == (v{2, 4}));
    BOOST_TEST(versions(plan_up(fresh(set), set, phase(phase_selection::all))) == (v{1, 2, 3, 4}));
    BOOST_TEST(waiting(plan_up(fresh(set), set)).empty()); // the planner's default: every phase

    // After the boot: 2 and 4 wait for their step; nothing is out of order, nothing refuses.
    const db_state booted = history().up(set, 1).up(set, 3).state(set);
    BOOST_TEST(booted.report.problems.empty());
    BOOST_TEST(booted.report.pending.size() == 2u);
    BOOST_TEST(!booted.report.pending[0].out_of_order);
    BOOST_TEST((booted.report.pending[0].phase == deploy_phase::post_deploy));
    BOOST_TEST(empty(plan_up(booted, set, phase(phase_selection::pre_deploy))));
    BOOST_TEST(waiting(plan_up(booted, set, phase(phase_selection::pre_deploy))) == (v{2, 4}));
    // The post-deploy step: both, in version order.
    const up_plan step = plan_up(booted, set, phase(phase_selection::post_deploy));
    BOOST_TEST(versions(step) == (v{2, 4}));
    BOOST_TEST(waiting(step).empty());
    // --steps and --to count within the selected phase.
    BOOST_TEST(versions(plan_up(booted, set, {std::nullopt, 1, phase_selection::post_deploy})) == (v{2}));
    BOOST_TEST(versions(plan_up(booted, set, {3, std::nullopt, phase_selection::post_deploy})) == (v{2}));
}

BOOST_AUTO_TEST_CASE(the_post_deploy_step_refuses_while_an_older_pre_deploy_migration_is_pending) {
    const migration_set set = phased();
    const error e = thrown([&] { plan_up(fresh(set), set, phase(phase_selection::post_deploy), "myapp db"); });
    BOOST_TEST(code(e) == code(error_code::pending));
    BOOST_TEST(contains(e.what(), "pre-deploy migration 1 (000001_add_email.up.sql) is pending and older than "
                                  "post-deploy migration 2"));
    BOOST_TEST(contains(e.what(), "`myapp db up --phase all`"));
    BOOST_TEST((e.where().version == std::optional<std::int64_t>(1)));

    // 1 applied, 3 (pre) pending: 2 can run (3 is newer), 4 cannot (3 is older than it).
    const db_state one = history().up(set, 1).state(set);
    BOOST_TEST(versions(plan_up(one, set, {2, std::nullopt, phase_selection::post_deploy})) == (v{2}));
    const error e4 = thrown([&] { plan_up(one, set, phase(phase_selection::post_deploy)); });
    BOOST_TEST(contains(e4.what(), "pre-deploy migration 3"));
    BOOST_TEST(contains(e4.what(), "post-deploy migration 4"));
}

BOOST_AUTO_TEST_CASE(a_post_deploy_migration_is_out_of_order_only_behind_a_newer_applied_post_deploy_one) {
    const migration_set set = phased();
    // 4 (post) was applied while 2 (post) still waits: 2 is out of order (the step applies in version order).
    const db_state s = history().up(set, 1).up(set, 3).up(set, 4).state(set);
    BOOST_TEST(s.report.problems.size() == 1u);
    BOOST_TEST((s.report.problems[0].kind == problem_kind::out_of_order));
    BOOST_TEST(s.report.problems[0].version == 2);
    BOOST_TEST(contains(s.report.problems[0].message, "older than the newest applied post-deploy migration 4"));
    BOOST_TEST(code(thrown([&] { plan_up(s, set, phase(phase_selection::post_deploy)); })) ==
               code(error_code::policy));
    // A pre-deploy migration behind a newer applied one of either phase is out of order, as always.
    const db_state late = history().up(set, 2).state(set);
    BOOST_TEST(late.report.pending[0].version == 1);
    BOOST_TEST(late.report.pending[0].out_of_order);
}

BOOST_AUTO_TEST_CASE(rollback_goes_back_in_applied_order_across_phases) {
    const migration_set set = phased();
    const options o = opts_for();
    // Boot applied 1 and 3, then the post-deploy step applied 2: applied order 1, 3, 2.
    history h;
    h.up(set, 1).up(set, 3).up(set, 2);
    const db_state s = h.state(set);
    BOOST_TEST(versions(plan_rollback(s, set, o, {std::nullopt, 1})) == (v{2}));
    BOOST_TEST(versions(plan_rollback(s, set, o, {std::nullopt, 2})) == (v{2, 3}));
    BOOST_TEST(versions(plan_rollback(s, set, o, {std::int64_t{1}, 1})) == (v{2, 3}));
    // --to 2 keeps the post-deploy 2 and rolls back the newer pre-deploy 3 only.
    BOOST_TEST(versions(plan_rollback(s, set, o, {std::int64_t{2}, 1})) == (v{3}));
    // redo is the latest applied, whatever its phase.
    BOOST_TEST(versions(plan_redo(s, set, o).down) == (v{2}));

    // After rolling back the post-deploy 2, a boot does not apply it again: it waits for its step,
    // which applies it (marking the rollback's row reverted) together with 4.
    h.down(2);
    const db_state back = h.state(set);
    BOOST_TEST(back.report.problems.empty());
    const up_plan boot = plan_up(back, set, phase(phase_selection::pre_deploy));
    BOOST_TEST(empty(boot));
    BOOST_TEST(waiting(boot) == (v{2, 4}));
    const up_plan step = plan_up(back, set, phase(phase_selection::post_deploy));
    BOOST_TEST(versions(step) == (v{2, 4}));
    BOOST_TEST(step.rolled_back == (v{2}));

    // Rolling back the pre-deploy 3 as well (2 is newer by version, so it went first): the boot applies 3
    // again and 2 keeps waiting; the post-deploy step before that boot refuses (3 is older than 4).
    h.down(3);
    const db_state both = h.state(set);
    BOOST_TEST(versions(plan_up(both, set, phase(phase_selection::pre_deploy))) == (v{3}));
    BOOST_TEST(versions(plan_up(both, set, {3, std::nullopt, phase_selection::post_deploy})) == (v{2}));
    BOOST_TEST(contains(thrown([&] { plan_up(both, set, phase(phase_selection::post_deploy)); }).what(),
                        "pre-deploy migration 3"));
}

BOOST_AUTO_TEST_SUITE_END()
