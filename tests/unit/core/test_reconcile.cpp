// Unit tests for pgmig::reconcile (pure: migration set + history rows + policies -> report).
#include "core/admin_command.hpp"

#include <pgmig/history.hpp>
#include <pgmig/migration.hpp>
#include <pgmig/reconcile.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

using namespace pgmig;

namespace {

#define CHECK_CONTAINS(hay, needle)                                                              \
    BOOST_TEST((std::string(hay).find(needle) != std::string::npos),                           \
               "expected \"" << (needle) << "\" in: " << (hay))
/// A command as the fixes of reconcile() without an admin_command spell it (the library's default).
std::string hint(const std::string& command) {
    return pgmig::detail::core::command_hint(pgmig::detail::core::default_admin_command(), command);
}

#define CHECK_NOT_CONTAINS(hay, needle)                                                          \
    BOOST_TEST((std::string(hay).find(needle) == std::string::npos),                           \
               "did not expect \"" << (needle) << "\" in: " << (hay))

/// 000001_a (reversible), 000002_b (reversible), 000003_c (no down file).
migration_set abc_set() {
    return migration_set::from_files({
        {"000001_a.up.sql", "CREATE TABLE a();"},
        {"000001_a.down.sql", "DROP TABLE a;"},
        {"000002_b.up.sql", "CREATE TABLE b();"},
        {"000002_b.down.sql", "DROP TABLE b;"},
        {"000003_c.up.sql", "CREATE TABLE c();"},
    });
}

/// Paired up files for the given versions ("00000N_<letter>.up.sql").
migration_set paired_set(const std::vector<std::int64_t>& versions) {
    std::vector<source_file> files;
    for (const std::int64_t v : versions) {
        char name[64];
        std::snprintf(name, sizeof name, "%06lld_m%lld.up.sql", static_cast<long long>(v),
                      static_cast<long long>(v));
        files.push_back({name, "CREATE TABLE t" + std::to_string(v) + "();"});
    }
    return migration_set::from_files(std::move(files));
}

/// The checksum a history row carries when the migration was applied as it is now.
std::string current_checksum(const migration_set& set, std::int64_t version) {
    const migration* m = set.find(version);
    BOOST_REQUIRE(m != nullptr);
    return pgmig::checksum(m->up_sql);
}

/// Appends history rows with increasing ids, as the executor would.
struct history {
    std::vector<history_row> rows;
    std::int64_t next_id = 1;

    history_row& add(std::int64_t version, direction d, row_status s, std::string sum = {},
                     std::string name = {}) {
        history_row r;
        r.id = next_id++;
        r.version = version;
        r.name = name.empty() ? "m" + std::to_string(version) : std::move(name);
        r.checksum = std::move(sum);
        r.applied_at = "2024-05-0" + std::to_string(1 + r.id % 9) + " 10:00:00+00";
        r.dir = d;
        r.status = s;
        r.execution_ms = 10 * r.id;
        r.applied_by = "deploy@host" + std::to_string(r.id) + " (myapp)";
        rows.push_back(std::move(r));
        return rows.back();
    }
    /// An up/success row with the set's current checksum (and name).
    history_row& up(const migration_set& set, std::int64_t version,
                    row_status s = row_status::success) {
        const migration* m = set.find(version);
        BOOST_REQUIRE(m != nullptr);
        history_row& r = add(version, direction::up, s, pgmig::checksum(m->up_sql), m->name);
        r.has_down_sql = m->reversible;
        r.down_sql = m->down_sql;
        return r;
    }
    /// An up row for a version the set does not know.
    history_row& foreign_up(std::int64_t version, const std::string& name, bool with_down = false) {
        history_row& r = add(version, direction::up, row_status::success,
                             pgmig::checksum("CREATE TABLE " + name + "();"), name);
        r.has_down_sql = with_down;
        if (with_down) r.down_sql = "DROP TABLE " + name + ";";
        return r;
    }
    history_row& down(std::int64_t version, row_status s = row_status::success) {
        return add(version, direction::down, s);
    }
    history_row& by_id(std::int64_t id) {
        for (auto& r : rows)
            if (r.id == id) return r;
        BOOST_FAIL("no row " << id);
        return rows.front();
    }
};

std::vector<std::int64_t> versions_of(const std::vector<applied_migration>& v) {
    std::vector<std::int64_t> out;
    for (const auto& a : v) out.push_back(a.version);
    return out;
}
std::vector<std::int64_t> versions_of(const std::vector<pending_migration>& v) {
    std::vector<std::int64_t> out;
    for (const auto& p : v) out.push_back(p.version);
    return out;
}
std::vector<std::int64_t> versions_of(const std::vector<drifted_migration>& v) {
    std::vector<std::int64_t> out;
    for (const auto& d : v) out.push_back(d.version);
    return out;
}
std::vector<std::int64_t> ids_of(const std::vector<history_row>& v) {
    std::vector<std::int64_t> out;
    for (const auto& r : v) out.push_back(r.id);
    return out;
}

std::vector<const problem*> problems_of(const reconcile_report& r, problem_kind k) {
    std::vector<const problem*> out;
    for (const auto& p : r.problems)
        if (p.kind == k) out.push_back(&p);
    return out;
}

const problem& only_problem(const reconcile_report& r, problem_kind k) {
    const auto found = problems_of(r, k);
    BOOST_TEST_REQUIRE(found.size() == 1u);
    return *found.front();
}

const std::vector<policies>& all_policy_combinations() {
    static const std::vector<policies> all = [] {
        std::vector<policies> out;
        for (const auto d : {drift_policy::refuse, drift_policy::warn})
            for (const auto u : {unknown_policy::warn, unknown_policy::refuse})
                for (const auto o : {out_of_order_policy::refuse, out_of_order_policy::allow}) {
                    policies p;
                    p.drift = d;
                    p.unknown_newer = u;
                    p.out_of_order = o;
                    out.push_back(p);
                }
        return out;
    }();
    return all;
}

std::string describe(const policies& p) {
    return std::string("drift=") + (p.drift == drift_policy::refuse ? "refuse" : "warn") +
           " unknown_newer=" + (p.unknown_newer == unknown_policy::refuse ? "refuse" : "warn") +
           " out_of_order=" + (p.out_of_order == out_of_order_policy::refuse ? "refuse" : "allow");
}

} // namespace

BOOST_AUTO_TEST_SUITE(reconcile_tests)

// ------------------------------------------------------------------ names

BOOST_AUTO_TEST_CASE(history_enum_names_are_stable) {
    BOOST_TEST(std::string(to_string(direction::up)) == "up");
    BOOST_TEST(std::string(to_string(direction::down)) == "down");
    BOOST_TEST(std::string(to_string(row_status::success)) == "success");
    BOOST_TEST(std::string(to_string(row_status::failed)) == "failed");
    BOOST_TEST(std::string(to_string(row_status::running)) == "running");
    BOOST_TEST(std::string(to_string(row_status::reverted)) == "reverted");
    BOOST_TEST(std::string(to_string(row_status::repaired)) == "repaired");
}

BOOST_AUTO_TEST_CASE(problem_kind_and_severity_names_are_stable) {
    BOOST_TEST(std::string(to_string(problem_kind::drift)) == "drift");
    BOOST_TEST(std::string(to_string(problem_kind::unknown_newer)) == "unknown_newer");
    BOOST_TEST(std::string(to_string(problem_kind::unknown_inside)) == "unknown_inside");
    BOOST_TEST(std::string(to_string(problem_kind::out_of_order)) == "out_of_order");
    BOOST_TEST(std::string(to_string(problem_kind::failed)) == "failed");
    BOOST_TEST(std::string(to_string(problem_kind::interrupted)) == "interrupted");
    BOOST_TEST(std::string(to_string(severity::warning)) == "warning");
    BOOST_TEST(std::string(to_string(severity::refusal)) == "refusal");
}

BOOST_AUTO_TEST_CASE(default_policies_match_the_design) {
    const policies p;
    BOOST_TEST((p.drift == drift_policy::refuse));
    BOOST_TEST((p.unknown_newer == unknown_policy::warn));
    BOOST_TEST((p.out_of_order == out_of_order_policy::refuse));
}

// ------------------------------------------------------------------ refuses / up_to_date

BOOST_AUTO_TEST_CASE(refuses_and_up_to_date_on_hand_built_reports) {
    reconcile_report r;
    BOOST_TEST(r.up_to_date());
    BOOST_TEST(!r.refuses());

    r.pending.push_back(pending_migration{});
    BOOST_TEST(!r.up_to_date());
    BOOST_TEST(!r.refuses());
    r.pending.clear();

    problem warning;
    warning.level = severity::warning;
    r.problems.push_back(warning);
    BOOST_TEST(!r.up_to_date()); // warnings must be logged, so boot takes the slow path
    BOOST_TEST(!r.refuses());

    problem refusal;
    refusal.level = severity::refusal;
    r.problems.push_back(refusal);
    BOOST_TEST(!r.up_to_date());
    BOOST_TEST(r.refuses());
}

// ------------------------------------------------------------------ empty inputs

BOOST_AUTO_TEST_CASE(empty_set_and_empty_history_is_up_to_date) {
    const auto r = reconcile(migration_set{}, {});
    BOOST_TEST(r.applied.empty());
    BOOST_TEST(r.pending.empty());
    BOOST_TEST(r.drifted.empty());
    BOOST_TEST(r.unknown_newer.empty());
    BOOST_TEST(r.unknown_inside.empty());
    BOOST_TEST(r.outstanding.empty());
    BOOST_TEST(r.problems.empty());
    BOOST_TEST(r.newest_applied == 0);
    BOOST_TEST(r.up_to_date());
    BOOST_TEST(!r.refuses());
}

BOOST_AUTO_TEST_CASE(empty_history_makes_everything_pending) {
    const auto set = abc_set();
    const auto r = reconcile(set, {});
    BOOST_TEST(r.applied.empty());
    BOOST_TEST(versions_of(r.pending) == std::vector<std::int64_t>({1, 2, 3}),
               boost::test_tools::per_element());
    BOOST_TEST(r.pending[0].name == "a");
    BOOST_TEST(r.pending[0].file == "000001_a.up.sql");
    BOOST_TEST(r.pending[0].reversible);
    BOOST_TEST(r.pending[1].file == "000002_b.up.sql");
    BOOST_TEST(r.pending[1].reversible);
    BOOST_TEST(r.pending[2].name == "c");
    BOOST_TEST(!r.pending[2].reversible);
    for (const auto& p : r.pending) BOOST_TEST(!p.out_of_order);
    BOOST_TEST(r.problems.empty());
    BOOST_TEST(r.newest_applied == 0);
    BOOST_TEST(!r.up_to_date());
    BOOST_TEST(!r.refuses());
}

BOOST_AUTO_TEST_CASE(empty_set_reports_every_applied_version_as_unknown_newer) {
    history h;
    h.foreign_up(1, "first");
    h.foreign_up(20240101120000, "second", true);
    const auto r = reconcile(migration_set{}, h.rows);
    BOOST_TEST(versions_of(r.unknown_newer) == std::vector<std::int64_t>({1, 20240101120000}),
               boost::test_tools::per_element());
    BOOST_TEST(r.unknown_inside.empty());
    BOOST_TEST(r.pending.empty());
    BOOST_TEST(r.newest_applied == 20240101120000);
    BOOST_TEST(problems_of(r, problem_kind::unknown_newer).size() == 2u);
    for (const auto& p : r.problems) BOOST_TEST((p.level == severity::warning));
    BOOST_TEST(!r.refuses());
    BOOST_TEST(!r.up_to_date());
    CHECK_CONTAINS(r.problems[0].message, "ships no migrations");

    policies strict;
    strict.unknown_newer = unknown_policy::refuse;
    BOOST_TEST(reconcile(migration_set{}, h.rows, strict).refuses());
}

// ------------------------------------------------------------------ applied / pending

BOOST_AUTO_TEST_CASE(fully_applied_is_up_to_date_and_copies_row_fields) {
    const auto set = abc_set();
    history h;
    h.up(set, 1);
    h.up(set, 2);
    h.up(set, 3).has_down_sql = true; // stored down SQL does not make a set migration reversible
    const auto r = reconcile(set, h.rows);

    BOOST_TEST(r.up_to_date());
    BOOST_TEST(!r.refuses());
    BOOST_TEST(r.pending.empty());
    BOOST_TEST(r.problems.empty());
    BOOST_TEST(r.newest_applied == 3);
    BOOST_TEST_REQUIRE(r.applied.size() == 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        const auto& a = r.applied[i];
        const auto& row = h.rows[i];
        BOOST_TEST(a.version == row.version);
        BOOST_TEST(a.name == row.name);
        BOOST_TEST(a.checksum == row.checksum);
        BOOST_TEST(a.applied_at == row.applied_at);
        BOOST_TEST(a.execution_ms == row.execution_ms);
        BOOST_TEST(a.applied_by == row.applied_by);
        BOOST_TEST(a.in_set);
    }
    BOOST_TEST(r.applied[0].file == "000001_a.up.sql");
    BOOST_TEST(r.applied[2].file == "000003_c.up.sql");
    BOOST_TEST(r.applied[0].reversible);
    BOOST_TEST(r.applied[1].reversible);
    BOOST_TEST(!r.applied[2].reversible);
}

BOOST_AUTO_TEST_CASE(partially_applied_leaves_the_rest_pending) {
    const auto set = abc_set();
    history h;
    h.up(set, 1);
    h.up(set, 2);
    const auto r = reconcile(set, h.rows);
    BOOST_TEST(versions_of(r.applied) == std::vector<std::int64_t>({1, 2}),
               boost::test_tools::per_element());
    BOOST_TEST(versions_of(r.pending) == std::vector<std::int64_t>({3}),
               boost::test_tools::per_element());
    BOOST_TEST(!r.pending[0].out_of_order);
    BOOST_TEST(r.newest_applied == 2);
    BOOST_TEST(r.problems.empty());
    BOOST_TEST(!r.refuses());
    BOOST_TEST(!r.up_to_date());
}

BOOST_AUTO_TEST_CASE(applied_name_comes_from_the_row_or_else_the_set) {
    const auto set = abc_set();
    history h;
    h.up(set, 1).name = "renamed_in_history";
    h.up(set, 2).name.clear();
    const auto r = reconcile(set, h.rows);
    BOOST_TEST_REQUIRE(r.applied.size() == 2u);
    BOOST_TEST(r.applied[0].name == "renamed_in_history");
    BOOST_TEST(r.applied[1].name == "b");
    BOOST_TEST(r.problems.empty()); // a name change alone is not drift
}

// ------------------------------------------------------------------ drift

BOOST_AUTO_TEST_CASE(drift_is_refused_by_default_with_both_checksums) {
    const auto set = abc_set();
    const std::string old_sum = pgmig::checksum("CREATE TABLE a (id int);");
    const std::string new_sum = current_checksum(set, 1);
    BOOST_TEST_REQUIRE(old_sum != new_sum);

    history h;
    h.up(set, 1).checksum = old_sum;
    h.up(set, 2);
    h.up(set, 3);
    const auto r = reconcile(set, h.rows);

    BOOST_TEST_REQUIRE(r.drifted.size() == 1u);
    const auto& d = r.drifted[0];
    BOOST_TEST(d.version == 1);
    BOOST_TEST(d.name == "a");
    BOOST_TEST(d.file == "000001_a.up.sql");
    BOOST_TEST(d.recorded_checksum == old_sum);
    BOOST_TEST(d.current_checksum == new_sum);
    // Still applied, with the checksum as recorded.
    BOOST_TEST_REQUIRE(r.applied.size() == 3u);
    BOOST_TEST(r.applied[0].checksum == old_sum);

    const problem& p = only_problem(r, problem_kind::drift);
    BOOST_TEST(r.problems.size() == 1u);
    BOOST_TEST((p.level == severity::refusal));
    BOOST_TEST(p.version == 1);
    BOOST_TEST(p.file == "000001_a.up.sql");
    CHECK_CONTAINS(p.message, "migration 1 (000001_a.up.sql) was changed after it was applied");
    CHECK_CONTAINS(p.message, "recorded " + old_sum);
    CHECK_CONTAINS(p.message, "file now " + new_sum);
    CHECK_CONTAINS(p.fix, hint("repair --accept-checksums"));
    CHECK_CONTAINS(p.fix, "Restore the file");
    CHECK_CONTAINS(p.fix, "drift policy to warn");
    BOOST_TEST(r.refuses());
    BOOST_TEST(!r.up_to_date());
}

BOOST_AUTO_TEST_CASE(drift_is_a_warning_under_the_warn_policy) {
    const auto set = abc_set();
    history h;
    h.up(set, 1);
    h.up(set, 2).checksum = pgmig::checksum("CREATE TABLE b (id int);");
    policies p;
    p.drift = drift_policy::warn;
    const auto r = reconcile(set, h.rows, p);
    BOOST_TEST(versions_of(r.drifted) == std::vector<std::int64_t>({2}),
               boost::test_tools::per_element());
    BOOST_TEST((only_problem(r, problem_kind::drift).level == severity::warning));
    BOOST_TEST(!r.refuses());
    BOOST_TEST(!r.up_to_date()); // the warning must be logged
}

BOOST_AUTO_TEST_CASE(drift_message_names_timestamp_version_and_single_file) {
    const auto set = migration_set::from_files({
        {"20240101_120000_create_users.sql",
         "-- DIRECTION: up\nCREATE TABLE users (id bigint PRIMARY KEY);\n\n"
         "-- DIRECTION: down\nDROP TABLE users;\n"},
    });
    BOOST_TEST_REQUIRE(set.size() == 1u);
    const std::string recorded = pgmig::checksum("CREATE TABLE users (id int);\n");
    const std::string now = current_checksum(set, 20240101120000);
    BOOST_TEST(set.find(20240101120000)->checksum == now);

    history h;
    h.add(20240101120000, direction::up, row_status::success, recorded, "create_users");
    const auto r = reconcile(set, h.rows);
    const problem& p = only_problem(r, problem_kind::drift);
    BOOST_TEST(p.message == "migration 20240101120000 (20240101_120000_create_users.sql) was "
                            "changed after it was applied: recorded " +
                                recorded + ", file now " + now + ".");
    BOOST_TEST(p.file == "20240101_120000_create_users.sql");
    // Full 64-hex digests, not abbreviations.
    BOOST_TEST(recorded.size() == std::string("sha256:").size() + 64);
    BOOST_TEST(now.size() == recorded.size());
}

BOOST_AUTO_TEST_CASE(checksum_of_the_applied_text_matches_the_set) {
    // What the executor records is pgmig::checksum(up SQL); for a plain up file
    // that equals the file content, and line endings do not matter.
    const auto set = migration_set::from_files({
        {"000001_a.up.sql", "CREATE TABLE a();\r\nCREATE TABLE a2();\r\n"},
        {"000001_a.down.sql", "DROP TABLE a2;\nDROP TABLE a;\n"},
    });
    history h;
    h.add(1, direction::up, row_status::success,
          pgmig::checksum("CREATE TABLE a();\nCREATE TABLE a2();\n"), "a");
    const auto r = reconcile(set, h.rows);
    BOOST_TEST(r.drifted.empty());
    BOOST_TEST(r.up_to_date());
}

BOOST_AUTO_TEST_CASE(editing_only_the_down_part_is_not_drift) {
    const auto before = migration_set::from_files({
        {"000001_a.up.sql", "CREATE TABLE a();"},
        {"000001_a.down.sql", "DROP TABLE a;"},
    });
    const auto after = migration_set::from_files({
        {"000001_a.up.sql", "CREATE TABLE a();"},
        {"000001_a.down.sql", "DROP TABLE IF EXISTS a CASCADE;"},
    });
    history h;
    h.up(before, 1);
    BOOST_TEST(reconcile(after, h.rows).up_to_date());
}

BOOST_AUTO_TEST_CASE(different_checksum_algorithm_is_not_drift) {
    const auto set = abc_set();
    history h;
    h.up(set, 1).checksum = "sha512:" + std::string(128, 'a');
    h.up(set, 2).checksum = "md5:0123456789abcdef0123456789abcdef";
    h.up(set, 3).checksum = "0123456789abcdef"; // no algorithm prefix at all
    const auto r = reconcile(set, h.rows);
    BOOST_TEST(r.drifted.empty());
    BOOST_TEST(r.problems.empty());
    BOOST_TEST(r.up_to_date());
    BOOST_TEST(r.applied[0].checksum == "sha512:" + std::string(128, 'a')); // as recorded
}

BOOST_AUTO_TEST_CASE(same_algorithm_different_digest_is_drift_for_each_version) {
    const auto set = abc_set();
    history h;
    h.up(set, 3).checksum = "sha256:" + std::string(64, '0');
    h.up(set, 1).checksum = "sha256:" + std::string(64, 'f');
    h.up(set, 2);
    const auto r = reconcile(set, h.rows);
    BOOST_TEST(versions_of(r.drifted) == std::vector<std::int64_t>({1, 3}),
               boost::test_tools::per_element());
    const auto found = problems_of(r, problem_kind::drift);
    BOOST_TEST_REQUIRE(found.size() == 2u);
    BOOST_TEST(found[0]->version == 1);
    BOOST_TEST(found[1]->version == 3);
    CHECK_CONTAINS(found[1]->message, "sha256:" + std::string(64, '0'));
    CHECK_CONTAINS(found[1]->message, current_checksum(set, 3));
}

BOOST_AUTO_TEST_CASE(a_rolled_back_version_cannot_drift) {
    const auto set = abc_set();
    history h;
    h.up(set, 1);
    h.add(2, direction::up, row_status::reverted, pgmig::checksum("old b"), "b");
    h.down(2);
    const auto r = reconcile(set, h.rows);
    BOOST_TEST(r.drifted.empty());
    BOOST_TEST(versions_of(r.pending) == std::vector<std::int64_t>({2, 3}),
               boost::test_tools::per_element());
    BOOST_TEST(r.problems.empty());
}

// ------------------------------------------------------------------ unknown versions

BOOST_AUTO_TEST_CASE(unknown_newer_is_a_warning_by_default) {
    const auto set = abc_set();
    history h;
    h.up(set, 1);
    h.up(set, 2);
    h.up(set, 3);
    h.foreign_up(4, "add_orders", true);
    const auto r = reconcile(set, h.rows);

    BOOST_TEST(versions_of(r.unknown_newer) == std::vector<std::int64_t>({4}),
               boost::test_tools::per_element());
    BOOST_TEST(r.unknown_inside.empty());
    BOOST_TEST(versions_of(r.applied) == std::vector<std::int64_t>({1, 2, 3, 4}),
               boost::test_tools::per_element());
    const auto& a = r.applied[3];
    BOOST_TEST(!a.in_set);
    BOOST_TEST(a.file.empty());
    BOOST_TEST(a.name == "add_orders");
    BOOST_TEST(a.reversible); // from the stored down SQL
    BOOST_TEST(r.unknown_newer[0].reversible);
    BOOST_TEST(r.newest_applied == 4);
    BOOST_TEST(r.pending.empty());

    const problem& p = only_problem(r, problem_kind::unknown_newer);
    BOOST_TEST((p.level == severity::warning));
    BOOST_TEST(p.version == 4);
    BOOST_TEST(p.file.empty());
    CHECK_CONTAINS(p.message, "migration 4");
    CHECK_CONTAINS(p.message, "add_orders");
    CHECK_CONTAINS(p.message, "(3)");
    CHECK_CONTAINS(p.message, "can be rolled back");
    CHECK_CONTAINS(p.fix, "This binary is older than the database");
    CHECK_CONTAINS(p.fix, "deploy the newer binary");
    CHECK_CONTAINS(p.fix, hint("rollback --to 3"));
    BOOST_TEST(!r.refuses());
    BOOST_TEST(!r.up_to_date());
}

BOOST_AUTO_TEST_CASE(unknown_newer_is_refused_under_the_refuse_policy) {
    const auto set = abc_set();
    history h;
    h.up(set, 1);
    h.foreign_up(7, "g");
    h.foreign_up(5, "e");
    policies p;
    p.unknown_newer = unknown_policy::refuse;
    const auto r = reconcile(set, h.rows, p);
    BOOST_TEST(versions_of(r.unknown_newer) == std::vector<std::int64_t>({5, 7}),
               boost::test_tools::per_element());
    for (const auto* found : problems_of(r, problem_kind::unknown_newer))
        BOOST_TEST((found->level == severity::refusal));
    BOOST_TEST(r.refuses());
}

BOOST_AUTO_TEST_CASE(unknown_without_stored_down_sql_is_not_reversible) {
    const auto set = abc_set();
    history h;
    h.up(set, 1);
    h.foreign_up(9, "nine", false);
    const auto r = reconcile(set, h.rows);
    BOOST_TEST_REQUIRE(r.unknown_newer.size() == 1u);
    BOOST_TEST(!r.unknown_newer[0].reversible);
    CHECK_CONTAINS(only_problem(r, problem_kind::unknown_newer).message,
                   "cannot be rolled back");
}

BOOST_AUTO_TEST_CASE(unknown_inside_is_always_refused) {
    const auto set = migration_set::from_files({
        {"000001_a.up.sql", "CREATE TABLE a();"},
        {"000003_c.up.sql", "CREATE TABLE c();"},
    });
    history h;
    h.up(set, 1);
    h.foreign_up(2, "b", true);
    h.up(set, 3);
    for (const auto& policy : all_policy_combinations()) {
        BOOST_TEST_CONTEXT(describe(policy)) {
            const auto r = reconcile(set, h.rows, policy);
            BOOST_TEST(versions_of(r.unknown_inside) == std::vector<std::int64_t>({2}),
                       boost::test_tools::per_element());
            BOOST_TEST(r.unknown_newer.empty());
            const problem& p = only_problem(r, problem_kind::unknown_inside);
            BOOST_TEST(r.problems.size() == 1u);
            BOOST_TEST((p.level == severity::refusal));
            BOOST_TEST(p.version == 2);
            CHECK_CONTAINS(p.message, "migration 2");
            CHECK_CONTAINS(p.message, "\"b\"");
            CHECK_CONTAINS(p.message, "deleted or renamed");
            CHECK_CONTAINS(p.fix, "Restore the deleted migration file");
            CHECK_CONTAINS(p.fix, hint("force 2"));
            CHECK_CONTAINS(p.fix, hint("repair"));
            BOOST_TEST(r.refuses());
        }
    }
}

BOOST_AUTO_TEST_CASE(unknown_below_the_first_version_is_inside) {
    const auto set = paired_set({5, 6});
    history h;
    h.foreign_up(1, "ancient");
    h.up(set, 5);
    h.up(set, 6);
    const auto r = reconcile(set, h.rows);
    BOOST_TEST(versions_of(r.unknown_inside) == std::vector<std::int64_t>({1}),
               boost::test_tools::per_element());
    BOOST_TEST(r.unknown_newer.empty());
    BOOST_TEST(r.refuses());
}

BOOST_AUTO_TEST_CASE(unknown_equal_to_newest_boundary) {
    // version == set newest is in the set by definition; newest + 1 is newer.
    const auto set = paired_set({10, 20});
    history h;
    h.up(set, 10);
    h.up(set, 20);
    h.foreign_up(19, "inside");
    h.foreign_up(21, "newer");
    const auto r = reconcile(set, h.rows);
    BOOST_TEST(versions_of(r.unknown_inside) == std::vector<std::int64_t>({19}),
               boost::test_tools::per_element());
    BOOST_TEST(versions_of(r.unknown_newer) == std::vector<std::int64_t>({21}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_rolled_back_unknown_version_is_forgotten) {
    const auto set = abc_set();
    history h;
    h.up(set, 1);
    h.foreign_up(4, "d", true).status = row_status::reverted;
    h.down(4);
    h.foreign_up(5, "e", true); // rolled back without the reverted marking
    h.down(5);
    const auto r = reconcile(set, h.rows);
    BOOST_TEST(r.unknown_newer.empty());
    BOOST_TEST(r.unknown_inside.empty());
    BOOST_TEST(r.newest_applied == 1);
    BOOST_TEST(r.problems.empty());
}

// ------------------------------------------------------------------ out of order

BOOST_AUTO_TEST_CASE(out_of_order_is_refused_by_default) {
    const auto set = abc_set();
    history h;
    h.up(set, 1);
    h.up(set, 3);
    const auto r = reconcile(set, h.rows);
    BOOST_TEST_REQUIRE(r.pending.size() == 1u);
    BOOST_TEST(r.pending[0].version == 2);
    BOOST_TEST(r.pending[0].out_of_order);
    BOOST_TEST(r.newest_applied == 3);
    const problem& p = only_problem(r, problem_kind::out_of_order);
    BOOST_TEST((p.level == severity::refusal));
    BOOST_TEST(p.version == 2);
    BOOST_TEST(p.file == "000002_b.up.sql");
    CHECK_CONTAINS(p.message, "migration 2 (000002_b.up.sql)");
    CHECK_CONTAINS(p.message, "newest applied migration 3");
    CHECK_CONTAINS(p.message, "refuses");
    CHECK_CONTAINS(p.fix, "Renumber the migration after 3");
    CHECK_CONTAINS(p.fix, "allow out-of-order migrations");
    CHECK_CONTAINS(p.fix, "`allow`");
    BOOST_TEST(r.refuses());
}

BOOST_AUTO_TEST_CASE(out_of_order_is_a_warning_when_allowed) {
    const auto set = abc_set();
    history h;
    h.up(set, 1);
    h.up(set, 3);
    policies p;
    p.out_of_order = out_of_order_policy::allow;
    const auto r = reconcile(set, h.rows, p);
    BOOST_TEST_REQUIRE(r.pending.size() == 1u);
    BOOST_TEST(r.pending[0].out_of_order);
    const problem& found = only_problem(r, problem_kind::out_of_order);
    BOOST_TEST((found.level == severity::warning));
    CHECK_CONTAINS(found.message, "will be applied out of order");
    BOOST_TEST(!r.refuses());
    BOOST_TEST(!r.up_to_date());
}

BOOST_AUTO_TEST_CASE(only_pending_versions_below_the_newest_applied_are_out_of_order) {
    const auto set = paired_set({1, 2, 3, 4, 5});
    history h;
    h.up(set, 1);
    h.up(set, 3);
    const auto r = reconcile(set, h.rows);
    BOOST_TEST(versions_of(r.pending) == std::vector<std::int64_t>({2, 4, 5}),
               boost::test_tools::per_element());
    BOOST_TEST(r.pending[0].out_of_order);
    BOOST_TEST(!r.pending[1].out_of_order);
    BOOST_TEST(!r.pending[2].out_of_order);
    BOOST_TEST(problems_of(r, problem_kind::out_of_order).size() == 1u);
}

BOOST_AUTO_TEST_CASE(newest_applied_includes_unknown_versions) {
    const auto set = abc_set();
    history h;
    h.up(set, 1);
    h.foreign_up(4, "d");
    const auto r = reconcile(set, h.rows);
    BOOST_TEST(r.newest_applied == 4);
    BOOST_TEST(versions_of(r.pending) == std::vector<std::int64_t>({2, 3}),
               boost::test_tools::per_element());
    BOOST_TEST(r.pending[0].out_of_order);
    BOOST_TEST(r.pending[1].out_of_order);
    const auto found = problems_of(r, problem_kind::out_of_order);
    BOOST_TEST_REQUIRE(found.size() == 2u);
    CHECK_CONTAINS(found[0]->fix, "after 4");
}

// ------------------------------------------------------------------ failed / interrupted

BOOST_AUTO_TEST_CASE(failed_row_is_refused_with_its_error_and_time) {
    const auto set = abc_set();
    history h;
    h.up(set, 1);
    history_row& failed = h.up(set, 2, row_status::failed);
    failed.error_message = "ERROR:  relation \"users\" does not exist (SQLSTATE 42P01)";
    failed.applied_at = "2024-06-01 09:30:00+00";
    const auto r = reconcile(set, h.rows);

    BOOST_TEST(ids_of(r.outstanding) == std::vector<std::int64_t>({2}),
               boost::test_tools::per_element());
    BOOST_TEST((r.outstanding[0].status == row_status::failed));
    BOOST_TEST(versions_of(r.pending) == std::vector<std::int64_t>({2, 3}),
               boost::test_tools::per_element()); // a failed migration is still pending
    BOOST_TEST(versions_of(r.applied) == std::vector<std::int64_t>({1}),
               boost::test_tools::per_element());

    const problem& p = only_problem(r, problem_kind::failed);
    BOOST_TEST((p.level == severity::refusal));
    BOOST_TEST(p.version == 2);
    BOOST_TEST(p.file == "000002_b.up.sql");
    CHECK_CONTAINS(p.message, "migration 2 (000002_b.up.sql) failed");
    CHECK_CONTAINS(p.message, "relation \"users\" does not exist (SQLSTATE 42P01)");
    CHECK_CONTAINS(p.message, "2024-06-01 09:30:00+00");
    CHECK_CONTAINS(p.fix, "Fix the cause");
    CHECK_CONTAINS(p.fix, hint("repair"));
    BOOST_TEST(r.refuses());
}

BOOST_AUTO_TEST_CASE(failed_rollback_is_reported_as_such) {
    const auto set = abc_set();
    history h;
    h.up(set, 1);
    h.down(1, row_status::failed).error_message = "canceling statement due to lock timeout\n";
    const auto r = reconcile(set, h.rows);
    BOOST_TEST(versions_of(r.applied) == std::vector<std::int64_t>({1}),
               boost::test_tools::per_element());
    const problem& p = only_problem(r, problem_kind::failed);
    CHECK_CONTAINS(p.message, "rollback of migration 1 (000001_a.up.sql) failed");
    CHECK_CONTAINS(p.message, "): canceling statement due to lock timeout.");
}

BOOST_AUTO_TEST_CASE(failed_row_without_error_message_says_so) {
    const auto set = abc_set();
    history h;
    h.up(set, 1, row_status::failed);
    const auto r = reconcile(set, h.rows);
    CHECK_CONTAINS(only_problem(r, problem_kind::failed).message, "no error message");
}

BOOST_AUTO_TEST_CASE(failed_then_repaired_is_cleared) {
    const auto set = abc_set();
    history h;
    h.up(set, 1);
    h.up(set, 2, row_status::failed).error_message = "boom";
    h.by_id(2).status = row_status::repaired;
    const auto r = reconcile(set, h.rows);
    BOOST_TEST(r.outstanding.empty());
    BOOST_TEST(r.problems.empty());
    BOOST_TEST(!r.refuses());
    BOOST_TEST(versions_of(r.pending) == std::vector<std::int64_t>({2, 3}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(failed_repaired_then_applied_is_up_to_date) {
    const auto set = abc_set();
    history h;
    h.up(set, 1);
    h.up(set, 2, row_status::repaired).error_message = "boom";
    h.up(set, 2);
    h.up(set, 3);
    const auto r = reconcile(set, h.rows);
    BOOST_TEST(r.up_to_date());
    BOOST_TEST_REQUIRE(r.applied.size() == 3u);
    BOOST_TEST(r.applied[1].applied_at == h.rows[2].applied_at); // the success row
}

BOOST_AUTO_TEST_CASE(an_unrepaired_failed_row_refuses_even_after_a_later_success) {
    const auto set = abc_set();
    history h;
    h.up(set, 1, row_status::failed).error_message = "boom";
    h.up(set, 1);
    const auto r = reconcile(set, h.rows);
    BOOST_TEST(versions_of(r.applied) == std::vector<std::int64_t>({1}),
               boost::test_tools::per_element());
    BOOST_TEST(ids_of(r.outstanding) == std::vector<std::int64_t>({1}),
               boost::test_tools::per_element());
    BOOST_TEST(r.refuses());
}

BOOST_AUTO_TEST_CASE(running_row_is_interrupted_with_progress) {
    const auto set = abc_set();
    history h;
    h.up(set, 1);
    history_row& running = h.up(set, 2, row_status::running);
    running.statements_done = 3;
    running.statements_total = 7;
    running.applied_at = "2024-06-02 03:04:05+00";
    const auto r = reconcile(set, h.rows);

    BOOST_TEST(ids_of(r.outstanding) == std::vector<std::int64_t>({2}),
               boost::test_tools::per_element());
    BOOST_TEST(r.outstanding[0].statements_done == 3);
    BOOST_TEST(r.outstanding[0].statements_total == 7);
    BOOST_TEST(versions_of(r.pending) == std::vector<std::int64_t>({2, 3}),
               boost::test_tools::per_element());
    const problem& p = only_problem(r, problem_kind::interrupted);
    BOOST_TEST(r.problems.size() == 1u);
    BOOST_TEST((p.level == severity::refusal));
    BOOST_TEST(p.version == 2);
    BOOST_TEST(p.file == "000002_b.up.sql");
    CHECK_CONTAINS(p.message, "migration 2 (000002_b.up.sql) was interrupted");
    CHECK_CONTAINS(p.message, "3/7 statements");
    CHECK_CONTAINS(p.message, "2024-06-02 03:04:05+00");
    CHECK_CONTAINS(p.fix, "left behind");
    CHECK_CONTAINS(p.fix, hint("repair"));
    CHECK_CONTAINS(p.fix, "no other process is still running it");
    BOOST_TEST(r.refuses());
}

BOOST_AUTO_TEST_CASE(running_row_without_progress_omits_it) {
    const auto set = abc_set();
    history h;
    h.up(set, 1, row_status::running).error_message = "server closed the connection\n";
    const auto r = reconcile(set, h.rows);
    const problem& p = only_problem(r, problem_kind::interrupted);
    CHECK_NOT_CONTAINS(p.message, "statements");
    CHECK_NOT_CONTAINS(p.message, "/0");
    CHECK_CONTAINS(p.message, "; last error: server closed the connection.");
}

BOOST_AUTO_TEST_CASE(running_row_flipped_to_success_is_applied) {
    const auto set = abc_set();
    history h;
    history_row& r1 = h.up(set, 1, row_status::running);
    r1.statements_done = 4;
    r1.statements_total = 4;
    r1.status = row_status::success; // the end of a no-transaction run
    const auto r = reconcile(set, h.rows);
    BOOST_TEST(versions_of(r.applied) == std::vector<std::int64_t>({1}),
               boost::test_tools::per_element());
    BOOST_TEST(r.outstanding.empty());
    BOOST_TEST(r.problems.empty());
}

BOOST_AUTO_TEST_CASE(running_then_repaired_is_cleared) {
    const auto set = abc_set();
    history h;
    h.up(set, 1, row_status::running).statements_total = 2;
    h.by_id(1).status = row_status::repaired;
    const auto r = reconcile(set, h.rows);
    BOOST_TEST(r.outstanding.empty());
    BOOST_TEST(r.problems.empty());
    BOOST_TEST(versions_of(r.pending) == std::vector<std::int64_t>({1, 2, 3}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(outstanding_rows_of_unknown_versions_use_the_recorded_name) {
    const auto set = abc_set();
    history h;
    h.add(8, direction::up, row_status::failed, "", "from_newer_binary").error_message = "x";
    const auto r = reconcile(set, h.rows);
    const problem& p = only_problem(r, problem_kind::failed);
    BOOST_TEST(p.file.empty());
    CHECK_CONTAINS(p.message, "migration 8");
    CHECK_CONTAINS(p.message, "from_newer_binary");
    BOOST_TEST(r.unknown_newer.empty()); // a failed row applies nothing
}

BOOST_AUTO_TEST_CASE(every_outstanding_row_is_one_problem_ordered_by_id) {
    const auto set = abc_set();
    history h;
    h.up(set, 2, row_status::failed).error_message = "first";   // id 1
    h.up(set, 1, row_status::running).statements_total = 3;     // id 2
    h.up(set, 2, row_status::failed).error_message = "second";  // id 3
    h.up(set, 3, row_status::repaired);                         // id 4
    h.up(set, 1, row_status::running);                          // id 5
    std::reverse(h.rows.begin(), h.rows.end()); // robustness: input not ordered by id
    const auto r = reconcile(set, h.rows);

    BOOST_TEST(ids_of(r.outstanding) == std::vector<std::int64_t>({1, 2, 3, 5}),
               boost::test_tools::per_element());
    const auto failed = problems_of(r, problem_kind::failed);
    BOOST_TEST_REQUIRE(failed.size() == 2u);
    CHECK_CONTAINS(failed[0]->message, "first");
    CHECK_CONTAINS(failed[1]->message, "second");
    const auto interrupted = problems_of(r, problem_kind::interrupted);
    BOOST_TEST_REQUIRE(interrupted.size() == 2u);
    CHECK_CONTAINS(interrupted[0]->message, "history row 2");
    CHECK_CONTAINS(interrupted[1]->message, "history row 5");
    for (const auto& p : r.problems) BOOST_TEST((p.level == severity::refusal));
}

// ------------------------------------------------------------------ apply / rollback sequences

BOOST_AUTO_TEST_CASE(apply_rollback_reapply_with_reverted_markers) {
    const auto set = abc_set();
    history h;
    h.up(set, 1);
    h.up(set, 2).status = row_status::reverted;   // id 2: first apply, superseded
    h.down(2).status = row_status::reverted;      // id 3: rollback, superseded by re-apply
    history_row& again = h.up(set, 2);            // id 4
    again.applied_at = "2024-07-01 00:00:00+00";
    const auto r = reconcile(set, h.rows);
    BOOST_TEST(versions_of(r.applied) == std::vector<std::int64_t>({1, 2}),
               boost::test_tools::per_element());
    BOOST_TEST(r.applied[1].applied_at == "2024-07-01 00:00:00+00");
    BOOST_TEST(r.applied[1].execution_ms == again.execution_ms);
    BOOST_TEST(versions_of(r.pending) == std::vector<std::int64_t>({3}),
               boost::test_tools::per_element());
    BOOST_TEST(r.problems.empty());
}

BOOST_AUTO_TEST_CASE(apply_rollback_reapply_without_reverted_markers) {
    const auto set = abc_set();
    history h;
    h.up(set, 1);
    h.up(set, 2).checksum = pgmig::checksum("an older CREATE TABLE b"); // id 2
    h.down(2);                                                           // id 3
    h.up(set, 2).applied_by = "second@host";                            // id 4
    const auto r = reconcile(set, h.rows);
    BOOST_TEST(versions_of(r.applied) == std::vector<std::int64_t>({1, 2}),
               boost::test_tools::per_element());
    BOOST_TEST(r.applied[1].applied_by == "second@host");
    BOOST_TEST(r.applied[1].checksum == current_checksum(set, 2));
    BOOST_TEST(r.drifted.empty()); // the latest up row decides, not the first one
    BOOST_TEST(r.problems.empty());
}

BOOST_AUTO_TEST_CASE(reapplied_with_an_edited_file_drifts_against_the_latest_row) {
    const auto set = abc_set();
    const std::string edited = pgmig::checksum("CREATE TABLE b (edited int);");
    history h;
    h.up(set, 2).status = row_status::reverted;
    h.down(2).status = row_status::reverted;
    h.up(set, 2).checksum = edited;
    const auto r = reconcile(set, h.rows);
    BOOST_TEST_REQUIRE(r.drifted.size() == 1u);
    BOOST_TEST(r.drifted[0].recorded_checksum == edited);
}

BOOST_AUTO_TEST_CASE(apply_then_rollback_with_reverted_marker_is_pending) {
    const auto set = abc_set();
    history h;
    h.up(set, 1);
    h.up(set, 2).status = row_status::reverted;
    h.down(2);
    const auto r = reconcile(set, h.rows);
    BOOST_TEST(versions_of(r.applied) == std::vector<std::int64_t>({1}),
               boost::test_tools::per_element());
    BOOST_TEST(versions_of(r.pending) == std::vector<std::int64_t>({2, 3}),
               boost::test_tools::per_element());
    BOOST_TEST(r.newest_applied == 1);
    BOOST_TEST(r.problems.empty());
}

BOOST_AUTO_TEST_CASE(apply_then_rollback_without_reverted_marker_is_pending) {
    const auto set = abc_set();
    history h;
    h.up(set, 1);
    h.up(set, 2); // the marking was missed: the later down row still wins
    h.down(2);
    const auto r = reconcile(set, h.rows);
    BOOST_TEST(versions_of(r.applied) == std::vector<std::int64_t>({1}),
               boost::test_tools::per_element());
    BOOST_TEST(versions_of(r.pending) == std::vector<std::int64_t>({2, 3}),
               boost::test_tools::per_element());
    BOOST_TEST(!r.pending[0].out_of_order);
    BOOST_TEST(r.problems.empty());
}

BOOST_AUTO_TEST_CASE(rollback_of_everything_leaves_nothing_applied) {
    const auto set = abc_set();
    history h;
    for (std::int64_t v = 1; v <= 3; ++v) h.up(set, v);
    for (std::int64_t v = 3; v >= 1; --v) {
        h.by_id(v).status = row_status::reverted;
        h.down(v);
    }
    const auto r = reconcile(set, h.rows);
    BOOST_TEST(r.applied.empty());
    BOOST_TEST(r.newest_applied == 0);
    BOOST_TEST(versions_of(r.pending) == std::vector<std::int64_t>({1, 2, 3}),
               boost::test_tools::per_element());
    for (const auto& p : r.pending) BOOST_TEST(!p.out_of_order);
    BOOST_TEST(r.problems.empty());
}

BOOST_AUTO_TEST_CASE(repeated_redo_with_mixed_markers) {
    const auto set = abc_set();
    history h;
    // redo = rollback + apply, three times; only some markings were written.
    h.up(set, 1).status = row_status::reverted;
    h.down(1).status = row_status::reverted;
    h.up(set, 1);
    h.down(1);
    h.up(set, 1).status = row_status::reverted;
    h.down(1);
    history_row& last = h.up(set, 1);
    const auto r = reconcile(set, h.rows);
    BOOST_TEST_REQUIRE(r.applied.size() == 1u);
    BOOST_TEST(r.applied[0].applied_by == last.applied_by);

    h.down(1); // and finally rolled back once more
    const auto r2 = reconcile(set, h.rows);
    BOOST_TEST(r2.applied.empty());
    BOOST_TEST(versions_of(r2.pending) == std::vector<std::int64_t>({1, 2, 3}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(reverted_and_repaired_rows_alone_apply_nothing) {
    const auto set = abc_set();
    history h;
    h.up(set, 1, row_status::reverted);
    h.up(set, 2, row_status::repaired);
    h.down(3, row_status::reverted);
    const auto r = reconcile(set, h.rows);
    BOOST_TEST(r.applied.empty());
    BOOST_TEST(r.outstanding.empty());
    BOOST_TEST(r.problems.empty());
    BOOST_TEST(r.pending.size() == 3u);
}

BOOST_AUTO_TEST_CASE(a_down_row_without_an_up_applies_nothing) {
    const auto set = abc_set();
    history h;
    h.down(2);
    h.down(9);
    const auto r = reconcile(set, h.rows);
    BOOST_TEST(r.applied.empty());
    BOOST_TEST(r.unknown_newer.empty());
    BOOST_TEST(r.pending.size() == 3u);
    BOOST_TEST(r.problems.empty());
}

BOOST_AUTO_TEST_CASE(duplicate_success_rows_give_one_applied_entry) {
    const auto set = abc_set();
    history h;
    h.up(set, 1);
    h.up(set, 1).applied_by = "latest";
    const auto r = reconcile(set, h.rows);
    BOOST_TEST_REQUIRE(r.applied.size() == 1u);
    BOOST_TEST(r.applied[0].applied_by == "latest");
    BOOST_TEST(versions_of(r.pending) == std::vector<std::int64_t>({2, 3}),
               boost::test_tools::per_element());
    BOOST_TEST(r.problems.empty());
}

BOOST_AUTO_TEST_CASE(the_latest_row_is_decided_by_id_not_by_position) {
    const auto set = abc_set();
    {
        history h;
        h.up(set, 1);                   // id 1
        h.down(1);                      // id 2
        h.up(set, 1).applied_by = "re"; // id 3
        std::reverse(h.rows.begin(), h.rows.end());
        const auto r = reconcile(set, h.rows);
        BOOST_TEST_REQUIRE(r.applied.size() == 1u);
        BOOST_TEST(r.applied[0].applied_by == "re");
    }
    {
        history h;
        h.up(set, 1); // id 1
        h.down(1);    // id 2
        std::reverse(h.rows.begin(), h.rows.end());
        BOOST_TEST(reconcile(set, h.rows).applied.empty());
    }
}

// ------------------------------------------------------------------ ordering and combinations

BOOST_AUTO_TEST_CASE(report_lists_are_ordered_by_version) {
    const auto set = paired_set({1, 3, 5, 7});
    history h;
    h.up(set, 7).checksum = pgmig::checksum("seven, edited");
    h.foreign_up(10, "ten");
    h.up(set, 3).checksum = pgmig::checksum("three, edited");
    h.foreign_up(6, "six");
    h.foreign_up(4, "four");
    h.foreign_up(9, "nine");
    const auto r = reconcile(set, h.rows);
    BOOST_TEST(versions_of(r.applied) == std::vector<std::int64_t>({3, 4, 6, 7, 9, 10}),
               boost::test_tools::per_element());
    BOOST_TEST(versions_of(r.pending) == std::vector<std::int64_t>({1, 5}),
               boost::test_tools::per_element());
    BOOST_TEST(versions_of(r.drifted) == std::vector<std::int64_t>({3, 7}),
               boost::test_tools::per_element());
    BOOST_TEST(versions_of(r.unknown_inside) == std::vector<std::int64_t>({4, 6}),
               boost::test_tools::per_element());
    BOOST_TEST(versions_of(r.unknown_newer) == std::vector<std::int64_t>({9, 10}),
               boost::test_tools::per_element());
    BOOST_TEST(r.newest_applied == 10);
    for (const auto& p : r.pending) BOOST_TEST(p.out_of_order);
}

BOOST_AUTO_TEST_CASE(problems_are_grouped_by_kind_then_version) {
    const auto set = paired_set({1, 2, 3, 4, 5, 6});
    history h;
    h.up(set, 1);
    h.up(set, 3).checksum = pgmig::checksum("edited 3");  // drift
    h.up(set, 2).checksum = pgmig::checksum("edited 2");  // drift
    h.foreign_up(9, "nine");                              // unknown newer
    h.foreign_up(8, "eight");                             // unknown newer
    h.up(set, 6);
    h.down(6);                                            // 6 pending again, inside range
    h.foreign_up(7, "seven");                             // unknown newer (> 6)
    h.add(4, direction::up, row_status::running);         // interrupted
    h.add(5, direction::up, row_status::failed);          // failed
    // versions 4, 5, 6 are pending and older than 9: out of order
    const auto r = reconcile(set, h.rows);

    std::vector<std::pair<problem_kind, std::int64_t>> got;
    for (const auto& p : r.problems) got.emplace_back(p.kind, p.version);
    const std::vector<std::pair<problem_kind, std::int64_t>> want = {
        {problem_kind::drift, 2},         {problem_kind::drift, 3},
        {problem_kind::unknown_newer, 7}, {problem_kind::unknown_newer, 8},
        {problem_kind::unknown_newer, 9}, {problem_kind::out_of_order, 4},
        {problem_kind::out_of_order, 5},  {problem_kind::out_of_order, 6},
        {problem_kind::failed, 5},        {problem_kind::interrupted, 4},
    };
    BOOST_TEST_REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        BOOST_TEST_CONTEXT("problem " << i) {
            BOOST_TEST((got[i].first == want[i].first));
            BOOST_TEST(got[i].second == want[i].second);
        }
    }
}

BOOST_AUTO_TEST_CASE(every_policy_maps_to_the_right_severity) {
    const auto set = paired_set({2, 3, 4, 5, 6});
    history h;
    h.up(set, 2).checksum = pgmig::checksum("edited 2");  // drift
    h.foreign_up(40, "forty");                            // unknown newer (> 6)
    h.up(set, 3);
    h.foreign_up(1, "deleted_one");                       // unknown inside (<= 6)
    h.add(5, direction::up, row_status::failed).error_message = "boom";
    h.add(6, direction::up, row_status::running);
    // pending 4, 5, 6 are all older than 40: out of order

    for (const auto& policy : all_policy_combinations()) {
        BOOST_TEST_CONTEXT(describe(policy)) {
            const auto r = reconcile(set, h.rows, policy);
            BOOST_TEST(problems_of(r, problem_kind::drift).size() == 1u);
            BOOST_TEST(problems_of(r, problem_kind::unknown_newer).size() == 1u);
            BOOST_TEST(problems_of(r, problem_kind::unknown_inside).size() == 1u);
            BOOST_TEST(problems_of(r, problem_kind::out_of_order).size() == 3u);
            BOOST_TEST(problems_of(r, problem_kind::failed).size() == 1u);
            BOOST_TEST(problems_of(r, problem_kind::interrupted).size() == 1u);
            for (const auto& p : r.problems) {
                severity want = severity::refusal;
                switch (p.kind) {
                case problem_kind::drift:
                    want = policy.drift == drift_policy::refuse ? severity::refusal
                                                                : severity::warning;
                    break;
                case problem_kind::unknown_newer:
                    want = policy.unknown_newer == unknown_policy::refuse ? severity::refusal
                                                                          : severity::warning;
                    break;
                case problem_kind::out_of_order:
                    want = policy.out_of_order == out_of_order_policy::refuse
                               ? severity::refusal
                               : severity::warning;
                    break;
                case problem_kind::unknown_inside:
                case problem_kind::failed:
                case problem_kind::interrupted:
                    want = severity::refusal;
                    break;
                }
                BOOST_TEST_CONTEXT(to_string(p.kind)) {
                    BOOST_TEST((p.level == want));
                    // Full sentences that say what and how.
                    BOOST_TEST(!p.message.empty());
                    BOOST_TEST(!p.fix.empty());
                    BOOST_TEST(p.message.back() == '.');
                    BOOST_TEST(p.fix.back() == '.');
                    CHECK_CONTAINS(p.message, "migration " + std::to_string(p.version));
                    CHECK_CONTAINS(p.fix, "`");
                }
            }
            BOOST_TEST(r.refuses()); // unknown_inside, failed, interrupted always refuse
            BOOST_TEST(!r.up_to_date());
        }
    }
}

BOOST_AUTO_TEST_CASE(warnings_only_do_not_refuse_but_are_not_up_to_date) {
    const auto set = abc_set();
    history h;
    h.up(set, 1).checksum = pgmig::checksum("edited");
    h.up(set, 3);
    h.foreign_up(4, "d");
    policies lenient;
    lenient.drift = drift_policy::warn;
    lenient.unknown_newer = unknown_policy::warn;
    lenient.out_of_order = out_of_order_policy::allow;
    const auto r = reconcile(set, h.rows, lenient);
    BOOST_TEST(r.problems.size() == 3u); // drift 1, unknown_newer 4, out_of_order 2
    for (const auto& p : r.problems) BOOST_TEST((p.level == severity::warning));
    BOOST_TEST(!r.refuses());
    BOOST_TEST(!r.up_to_date());
}

BOOST_AUTO_TEST_CASE(problem_files_name_the_migration_file_when_known) {
    const auto set = migration_set::from_files({
        {"20240101_120000_create_users.sql",
         "-- DIRECTION: up\nCREATE TABLE users();\n-- DIRECTION: down\nDROP TABLE users;\n"},
        {"20240102_090000_add_email.sql", "-- DIRECTION: up\nALTER TABLE users ADD email text;\n"},
        {"20240103_090000_add_index.sql", "-- DIRECTION: up\nCREATE INDEX ON users (email);\n"},
    });
    BOOST_TEST_REQUIRE(set.size() == 3u);
    history h;
    h.add(20240101120000, direction::up, row_status::success, pgmig::checksum("other"),
          "create_users");
    h.up(set, 20240103090000);
    h.add(20240102090000, direction::up, row_status::failed, "", "add_email").error_message =
        "syntax error";
    const auto r = reconcile(set, h.rows);
    BOOST_TEST(only_problem(r, problem_kind::drift).file == "20240101_120000_create_users.sql");
    const problem& ooo = only_problem(r, problem_kind::out_of_order);
    BOOST_TEST(ooo.file == "20240102_090000_add_email.sql");
    CHECK_CONTAINS(ooo.message, "20240102090000");
    CHECK_CONTAINS(ooo.fix, "after 20240103090000");
    const problem& failed = only_problem(r, problem_kind::failed);
    BOOST_TEST(failed.file == "20240102_090000_add_email.sql");
    CHECK_CONTAINS(failed.message,
                   "migration 20240102090000 (20240102_090000_add_email.sql) failed");
    BOOST_TEST_REQUIRE(r.pending.size() == 1u);
    BOOST_TEST(r.pending[0].name == "add_email");
    BOOST_TEST(!r.pending[0].reversible);
    BOOST_TEST_REQUIRE(r.applied.size() == 2u);
    BOOST_TEST(r.applied[0].reversible);
}

BOOST_AUTO_TEST_CASE(reconcile_does_not_depend_on_the_input_beyond_its_values) {
    // Same rows, same report: deterministic, and the input is left untouched.
    const auto set = abc_set();
    history h;
    h.up(set, 1);
    h.up(set, 3);
    h.add(2, direction::up, row_status::failed).error_message = "e";
    const auto copy = h.rows;
    const auto a = reconcile(set, h.rows);
    const auto b = reconcile(set, h.rows);
    BOOST_TEST(h.rows.size() == copy.size());
    BOOST_TEST_REQUIRE(a.problems.size() == b.problems.size());
    for (std::size_t i = 0; i < a.problems.size(); ++i) {
        BOOST_TEST(a.problems[i].message == b.problems[i].message);
        BOOST_TEST(a.problems[i].fix == b.problems[i].fix);
    }
    for (std::size_t i = 0; i < copy.size(); ++i) BOOST_TEST(h.rows[i].id == copy[i].id);
}

// ------------------------------------------------------------------ scale (correctness only; speed is measured in bench/)

BOOST_AUTO_TEST_CASE(thousand_migrations_and_three_thousand_rows) {
    std::vector<std::int64_t> versions;
    for (std::int64_t v = 1; v <= 1000; ++v) versions.push_back(v);
    const auto set = paired_set(versions);
    BOOST_TEST_REQUIRE(set.size() == 1000u);

    history h;
    h.rows.reserve(3000);
    for (std::int64_t v = 1; v <= 1000; ++v) {
        h.up(set, v).status = row_status::reverted;
        h.down(v).status = row_status::reverted;
        h.up(set, v);
    }
    BOOST_TEST_REQUIRE(h.rows.size() == 3000u);

    const reconcile_report r = reconcile(set, h.rows);
    BOOST_TEST(r.applied.size() == 1000u);
    BOOST_TEST(r.up_to_date());
}

BOOST_AUTO_TEST_CASE(many_rows_at_scale) {
    // 1000 migrations applied and rolled back 20 times each, applied once more,
    // plus 5000 unknown versions and a failed row: 46,001 rows.
    std::vector<std::int64_t> versions;
    for (std::int64_t v = 1; v <= 1000; ++v) versions.push_back(v);
    const auto set = paired_set(versions);
    history h;
    h.rows.reserve(46001);
    for (int cycle = 0; cycle < 40; ++cycle)
        for (std::int64_t v = 1; v <= 1000; ++v) {
            if (cycle % 2 == 0)
                h.up(set, v);
            else
                h.down(v);
        }
    for (std::int64_t v = 1; v <= 1000; ++v) h.up(set, v);
    for (std::int64_t v = 2000; v < 7000; ++v) h.foreign_up(v, "u");
    h.add(500, direction::up, row_status::failed).error_message = "boom";

    const auto r = reconcile(set, h.rows);
    BOOST_TEST(r.applied.size() == 6000u);
    BOOST_TEST(r.unknown_newer.size() == 5000u);
    BOOST_TEST(r.outstanding.size() == 1u);
    BOOST_TEST(r.problems.size() == 5001u);
    BOOST_TEST(h.rows.size() == 46001u);
}

BOOST_AUTO_TEST_SUITE_END()
